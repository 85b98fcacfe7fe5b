import pytest

from tests.factories.brokerage import BrokerageEventFactory, add_participant, enable_brokerage
from tests.factories.clusters import ClusterFactory, UserFactory


@pytest.fixture
def event(cluster):
    return BrokerageEventFactory(
        cluster=cluster, title="Genopole partnering", slug="genopole-partnering"
    )


@pytest.fixture
def brokerage(event, manager):
    return enable_brokerage(event, manager)


@pytest.fixture
def alice(brokerage, event, member):
    return add_participant(event, member)


@pytest.fixture
def bob(brokerage, event, other_member):
    return add_participant(event, other_member)


@pytest.fixture
def outsider(db):
    """A member of another organisation in another cluster."""
    return UserFactory(email="outsider@example.org", member_of=ClusterFactory())
