import pytest

from tests.factories.clusters import UserFactory
from tests.factories.events import EventFactory


@pytest.fixture
def event(cluster):
    return EventFactory(cluster=cluster, title="Genopole networking", slug="genopole-networking")


@pytest.fixture
def outsider(db):
    """A member of another organisation in another cluster."""
    from tests.factories.clusters import ClusterFactory

    return UserFactory(email="outsider@example.org", member_of=ClusterFactory())


@pytest.fixture
def make_members(cluster):
    def make(n: int, prefix: str = "m"):
        return [UserFactory(email=f"{prefix}{i}@example.org", member_of=cluster) for i in range(n)]

    return make
