import pytest
from django.utils.text import slugify

from clusters.enums import OrgRole
from clusters.models import Topic
from clusters.partners.actions import reset_kept_index
from tests.factories.clusters import (
    ClusterFactory,
    MembershipFactory,
    OrganisationFactory,
    UserFactory,
)


@pytest.fixture(autouse=True)
def _fresh_kept_index():
    """Each test starts like a fresh worker process (no MatchIndex kept)."""
    reset_kept_index()
    yield
    reset_kept_index()


def topics(*names):
    return [
        Topic.objects.get_or_create(slug=slugify(n), defaults={"name": n, "group": "technology"})[0]
        for n in names
    ]


@pytest.fixture
def home(db):
    return ClusterFactory(name="Genopole Home", slug="genopole-home", country="FR")


@pytest.fixture
def abroad(db):
    return ClusterFactory(name="BioWin Test", slug="biowin-test", country="BE")


@pytest.fixture
def make_org(db, home):
    """make_org("Name", offer=[topics], need=[...], expertise=[...], clusters=[c], **fields)
    -> Organisation with an admin person, an active member of `home` by default."""

    def make(name, *, offer=(), need=(), expertise=(), clusters=None, admin=True, **fields):
        fields.setdefault("kind", "sme")
        fields.setdefault("country", "FR")
        org = OrganisationFactory(name=name, slug=slugify(name), **fields)
        for c in [home] if clusters is None else clusters:
            MembershipFactory(organisation=org, cluster=c)
        org.topics.set(topics(*expertise))
        org.offer_topics.set(topics(*offer))
        org.need_topics.set(topics(*need))
        if admin:
            UserFactory(
                email=f"admin@{org.slug}.example",
                first_name="Admin",
                last_name=name,
                organisation=org,
                org_role=OrgRole.ADMIN,
            )
        return org

    return make


@pytest.fixture
def neocell(make_org):
    return make_org(
        "NeoCell",
        kind="sme",
        expertise=["CAR-T", "Oncology"],
        offer=["CAR-T"],
        need=["GMP manufacturing", "Clinical trials"],
        offers="CAR-T cell therapy candidates for solid tumours.",
        needs="A GMP manufacturing partner for clinical batches and hospital sites for a trial.",
    )


@pytest.fixture
def gmp_cdmo(make_org):
    return make_org(
        "Rhone Biomanufacturing",
        kind="provider",
        offer=["GMP manufacturing"],
        need=["Fundraising"],
        offers="GMP manufacturing of cell therapies, clinical batches.",
    )


@pytest.fixture
def hospital(make_org):
    return make_org(
        "Lyon University Hospital",
        kind="hospital",
        offer=["Clinical trials"],
        expertise=["Oncology"],
        offers="Phase I clinical trial sites in oncology.",
    )


@pytest.fixture
def bystander(make_org):
    return make_org(
        "Quiet Diagnostics",
        kind="sme",
        offer=["In vitro diagnostics"],
        need=["Market access"],
        offers="Point-of-care assays.",
        needs="Market access in Germany.",
    )


def admin_of(org):
    return org.people.filter(org_role=OrgRole.ADMIN).order_by("pk").first()


def current(org) -> list[str]:
    """Names in the organisation's stored current list, best first."""
    from clusters.partners.models import PartnerSuggestion

    return list(
        PartnerSuggestion.objects.filter(organisation=org, rank__isnull=False)
        .order_by("rank")
        .values_list("suggested__name", flat=True)
    )
