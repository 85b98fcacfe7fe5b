import pytest
from django.utils.text import slugify

from clusters.enums import OrgRole
from tests.factories.clusters import MembershipFactory, OrganisationFactory, UserFactory


@pytest.fixture
def make_org(db):
    """make_org("Name", clusters=[c], visibility=..., **fields) -> Organisation with an admin."""

    def make(name, *, clusters=(), status="active", admin=True, **fields):
        org = OrganisationFactory(name=name, slug=slugify(name), **fields)
        for c in clusters:
            MembershipFactory(organisation=org, cluster=c, status=status)
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


def admin_of(org):
    return org.people.filter(org_role=OrgRole.ADMIN).order_by("pk").first()
