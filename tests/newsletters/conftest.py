import pytest

from clusters.enums import OrganisationKind, OrgRole
from clusters.newsletters.models import Audience, ConsentDefault, Mailing
from tests.factories import ClusterFactory, OrganisationFactory, UserFactory


@pytest.fixture
def news_world(cluster, manager):
    """Three organisations of `cluster` (an SME in France, a start-up in Germany, a
    research institute in France) with two people each, and one in another cluster."""
    other_cluster = ClusterFactory(name="Other cluster", slug="other-cluster")
    orgs = {
        "sme_fr": OrganisationFactory(kind=OrganisationKind.SME, country="FR", size="1-9"),
        "startup_de": OrganisationFactory(kind=OrganisationKind.STARTUP, country="DE"),
        "research_fr": OrganisationFactory(kind=OrganisationKind.RESEARCH, country="FR"),
        "elsewhere": OrganisationFactory(kind=OrganisationKind.SME, country="FR"),
    }
    people = {}
    for key, org in orgs.items():
        where = other_cluster if key == "elsewhere" else cluster
        people[f"{key}_admin"] = UserFactory(
            organisation=org, org_role=OrgRole.ADMIN, member_of=where
        )
        people[f"{key}_member"] = UserFactory(organisation=org, org_role=OrgRole.MEMBER)
    for topic in ("news", "events"):
        ConsentDefault.objects.create(cluster=cluster, topic=topic, subscribed=True)
        ConsentDefault.objects.create(cluster=other_cluster, topic=topic, subscribed=True)
    return {"cluster": cluster, "other": other_cluster, "orgs": orgs, "people": people}


@pytest.fixture
def audience(news_world):
    a = Audience.objects.create(owner=news_world["cluster"], name="Everyone", criteria={})
    a.clusters.set([news_world["cluster"]])
    return a


@pytest.fixture
def mailing(news_world, audience, manager):
    return Mailing.objects.create(
        cluster=news_world["cluster"],
        audience=audience,
        subject="Spring news",
        preheader="What happened in March",
        body_markdown="## Hello\n\nWe **moved**. See [our site](https://example.org).",
        created_by=manager,
    )
