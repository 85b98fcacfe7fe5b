"""Every list page says which filter value it does not know, and then lists nothing
rather than quietly everything (issue 15, 2.17)."""

import html
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from portal.base.audit import audit
from tests.factories import ClusterRoleFactory, UserFactory
from tests.factories.brokerage import BrokerageEventFactory, add_participant, enable_brokerage
from tests.factories.events import EventFactory
from tests.factories.rooms import BookingFactory, RoomFactory
from tests.factories.services import (
    CounsellingRequestFactory,
    ServiceCategoryFactory,
    ServiceOfferingFactory,
)


def _text(response) -> str:
    return html.unescape(response.content.decode())


@pytest.fixture
def staff_admin(cluster):
    admin = UserFactory(email="network.admin@example.org", is_network_admin=True)
    ClusterRoleFactory(user=admin, cluster=cluster, role="manager")
    return admin


@pytest.fixture
def everything(cluster, member, staff_admin):
    """One row on every list page, so that 'lists nothing' is a real outcome."""
    category = ServiceCategoryFactory()
    ServiceOfferingFactory(cluster=cluster, category=category, title="Contract review")
    CounsellingRequestFactory(
        cluster=cluster,
        requester=member,
        requester_organisation=member.organisation,
        category=category,
    )
    now = timezone.now()
    EventFactory(
        cluster=cluster,
        title="Past talk",
        start=now - timedelta(days=3),
        end=now - timedelta(days=3, hours=-2),
    )
    EventFactory(
        cluster=cluster,
        title="Next talk",
        start=now + timedelta(days=3),
        end=now + timedelta(days=3, hours=2),
    )
    fair = BrokerageEventFactory(cluster=cluster, start=now + timedelta(days=20))
    enable_brokerage(fair, staff_admin)
    add_participant(fair, member)
    room = RoomFactory(cluster=cluster)
    start = (now + timedelta(days=7)).replace(hour=10, minute=0, second=0, microsecond=0)
    BookingFactory(room=room, person=member, start=start, end=start + timedelta(hours=1))
    audit(staff_admin, "view", fair, cluster_id=cluster.pk)
    return {"fair": fair}


PAGES = [
    # (url name, args from `everything`, query, filter label, bad value, context rows key)
    ("clusters:cluster_list", None, "country=XX", "Country", "XX", "clusters"),
    ("clusters:directory", None, "kind=wizard", "Kind", "wizard", "organisations"),
    ("services:catalogue", None, "category=999999", "Category", "999999", "offerings"),
    ("services:queue", None, "status=lost", "Status", "lost", "requests"),
    ("events:event_list", None, "when=yesterday", "When", "yesterday", "events"),
    ("brokerage:participant_list", "fair", "kind=wizard", "Kind", "wizard", "participants"),
    ("rooms:booking_manage_list", None, "status=lost", "Status", "lost", "bookings"),
    ("audit_log", None, "action=steal", "Action", "steal", "page_obj"),
]


@pytest.mark.parametrize(("name", "arg", "query", "label", "value", "rows"), PAGES)
def test_list_page_names_unknown_filter_value_and_lists_nothing(
    client, staff_admin, everything, name, arg, query, label, value, rows
):
    args = [everything[arg].slug] if arg else []
    url = reverse(name, args=args)
    client.force_login(staff_admin)
    response = client.get(f"{url}?{query}")
    assert response.status_code == 200
    assert f"Unknown value for {label}: {value}" in _text(response)
    assert len(list(response.context[rows])) == 0
    # The same page without the bad value does list something.
    assert len(list(client.get(url).context[rows])) > 0


def test_events_when_yesterday_is_not_everything(client, everything, member):
    client.force_login(member)
    response = client.get(reverse("events:event_list"), {"when": "yesterday"})
    assert "Unknown value for When: yesterday" in _text(response)
    assert list(response.context["events"]) == []


def test_unknown_value_is_escaped(client, staff_admin, everything):
    client.force_login(staff_admin)
    response = client.get(reverse("services:queue"), {"status": "<b>x</b>"})
    assert "<b>x</b>" not in response.content.decode()
    assert "Unknown value for Status: <b>x</b>" in _text(response)


def test_queue_export_refuses_unknown_value(client, staff_admin, everything):
    client.force_login(staff_admin)
    response = client.get(reverse("services:queue_export"), {"status": "lost"})
    assert response.status_code == 400
    assert "Unknown value for Status: lost" in response.content.decode()


# --- text search on the other list pages ignores accents too ------------------------------


def test_queue_and_event_search_ignore_accents(client, staff_admin, cluster, member):
    category = ServiceCategoryFactory()
    CounsellingRequestFactory(
        cluster=cluster,
        requester=member,
        subject="Étude de marché",
        requester_organisation=member.organisation,
        category=category,
    )
    now = timezone.now()
    EventFactory(
        cluster=cluster,
        title="Thérapie génique",
        start=now + timedelta(days=3),
        end=now + timedelta(days=3, hours=2),
    )
    client.force_login(staff_admin)
    queue = client.get(reverse("services:queue"), {"q": "etude de MARCHE"})
    assert [r.subject for r in queue.context["requests"]] == ["Étude de marché"]
    events = client.get(reverse("events:event_list"), {"q": "therapie GENIQUE"})
    assert [e.title for e in events.context["events"]] == ["Thérapie génique"]


def test_queue_advisor_filter_offers_a_manager_who_took_a_request(
    client, staff_admin, cluster, member
):
    category = ServiceCategoryFactory()
    CounsellingRequestFactory(
        cluster=cluster,
        requester=member,
        assignee=staff_admin,
        requester_organisation=member.organisation,
        category=category,
    )
    client.force_login(staff_admin)
    response = client.get(reverse("services:queue"), {"assignee": staff_admin.pk})
    assert len(response.context["requests"]) == 1
    assert staff_admin in response.context["filter"].form.fields["assignee"].queryset


def test_brokerage_participant_search_ignores_accents(client, staff_admin, everything, member):
    fair = everything["fair"]
    member.organisation.name = "Héliogène"
    member.organisation.save(update_fields=["name"])
    client.force_login(staff_admin)
    url = reverse("brokerage:participant_list", args=[fair.slug])
    response = client.get(url, {"q": "HELIOGENE"})
    assert [p.organisation.name for p in response.context["participants"]] == ["Héliogène"]
