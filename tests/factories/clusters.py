import factory
from allauth.account.models import EmailAddress
from django.contrib.auth.hashers import make_password

from clusters.enums import MembershipStatus, OrganisationKind, OrgRole, StaffRole
from clusters.models import (
    Cluster,
    ClusterRole,
    IntroductionRequest,
    Membership,
    Organisation,
    Topic,
    User,
)

PASSWORD = "correct-horse-battery-9"
_HASH = make_password(PASSWORD)


class ClusterFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Cluster

    name = factory.Sequence(lambda n: f"Cluster {n}")
    slug = factory.Sequence(lambda n: f"cluster-{n}")
    country = "FR"
    region = "Île-de-France"
    city = "Paris"
    focus = "Biotech"
    time_zone = "Europe/Paris"


class TopicFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Topic
        django_get_or_create = ["slug"]

    name = factory.Sequence(lambda n: f"Topic {n}")
    slug = factory.Sequence(lambda n: f"topic-{n}")
    group = "technology"


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"Organisation {n}")
    slug = factory.Sequence(lambda n: f"organisation-{n}")
    kind = OrganisationKind.SME
    country = "FR"


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    organisation = factory.SubFactory(OrganisationFactory)
    cluster = factory.SubFactory(ClusterFactory)
    status = MembershipStatus.ACTIVE


class UserFactory(factory.django.DjangoModelFactory):
    """A person with a verified email; pass organisation=... (or member_of=cluster)."""

    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.org")
    first_name = "Ada"
    last_name = factory.Sequence(lambda n: f"Person{n}")
    password = _HASH
    org_role = factory.LazyAttribute(lambda o: OrgRole.MEMBER if o.organisation else "")
    organisation = None

    @factory.post_generation
    def verified(obj, create, extracted, **kwargs):
        if create and extracted is not False:
            EmailAddress.objects.create(user=obj, email=obj.email, verified=True, primary=True)

    @factory.post_generation
    def member_of(obj, create, extracted, **kwargs):
        """member_of=cluster: give the person an organisation admitted to that cluster."""
        if create and extracted is not None:
            if obj.organisation is None:
                obj.organisation = OrganisationFactory()
                obj.org_role = OrgRole.ADMIN
                obj.save(update_fields=["organisation", "org_role"])
            MembershipFactory(organisation=obj.organisation, cluster=extracted)


class ClusterRoleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ClusterRole

    user = factory.SubFactory(UserFactory)
    cluster = factory.SubFactory(ClusterFactory)
    role = StaffRole.MANAGER


class IntroductionRequestFactory(factory.django.DjangoModelFactory):
    """from_user must belong to from_organisation; pass both (or only from_user)."""

    class Meta:
        model = IntroductionRequest

    from_user = factory.SubFactory(UserFactory)
    from_organisation = factory.LazyAttribute(lambda o: o.from_user.organisation)
    to_organisation = factory.SubFactory(OrganisationFactory)
    message = "We would like to talk about a partnership."
