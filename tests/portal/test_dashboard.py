from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from tests.factories import UserFactory
from tests.factories.events import EventFactory, RegistrationFactory
from tests.factories.rooms import BookingFactory, RoomFactory
from tests.factories.services import CounsellingRequestFactory


def _scene(cluster, member, n: int):
    soon = timezone.now().replace(second=0, microsecond=0) + timedelta(days=2)
    room = RoomFactory(cluster=cluster)
    for i in range(n):
        CounsellingRequestFactory(
            cluster=cluster,
            requester=member,
            status="waiting" if i == 0 else "submitted",
            subject=f"Licence question {i}",
        )
        BookingFactory(
            room=room,
            person=member,
            title=f"Board meeting {i}",
            start=soon + timedelta(days=i),
            end=soon + timedelta(days=i, hours=1),
        )
        RegistrationFactory(
            event=EventFactory(cluster=cluster, title=f"Networking {i}"), user=member
        )


def test_member_dashboard_shows_each_item_with_its_link(client, cluster, member):
    _scene(cluster, member, 1)
    other = UserFactory(member_of=cluster)
    CounsellingRequestFactory(cluster=cluster, requester=other, subject="Someone else's secret")
    client.force_login(member)
    html = client.get(reverse("dashboard")).content.decode()
    assert "Licence question 0" in html
    assert "Waits for your answer." in html
    assert "Someone else&#x27;s secret" not in html and "Someone else's secret" not in html
    assert "Board meeting 0" in html
    assert "Networking 0" in html
    booking = member.room_bookings.get()
    assert f'href="{booking.get_absolute_url()}"' in html


def test_member_dashboard_queries_do_not_grow(
    client, cluster, member, django_assert_max_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    _scene(cluster, member, 1)
    client.force_login(member)
    with CaptureQueriesContext(connection) as one:
        client.get(reverse("dashboard"))
    _scene(cluster, member, 3)
    with django_assert_max_num_queries(len(one.captured_queries)):
        client.get(reverse("dashboard"))


def _meetings(cluster, member, manager, n: int):
    """n scheduled brokerage meetings of `member`, each at a table of a slot."""
    from events.brokerage.models import Slot
    from tests.factories.brokerage import (
        BrokerageEventFactory,
        add_participant,
        agree_meeting,
        enable_brokerage,
    )

    event = BrokerageEventFactory(cluster=cluster, start=timezone.now() + timedelta(days=3))
    enable_brokerage(event, manager)
    me = add_participant(event, member)
    slots = list(Slot.objects.filter(brokerage__event=event).order_by("start"))
    for i in range(n):
        partner = add_participant(event, cluster=cluster)
        meeting = agree_meeting(me, partner)
        meeting.slot, meeting.table = slots[i], i + 1
        meeting.save(update_fields=["slot", "table"])
    return event


def test_member_dashboard_lists_scheduled_meetings_in_few_queries(
    client, cluster, member, manager, django_assert_max_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    event = _meetings(cluster, member, manager, 1)
    client.force_login(member)
    with CaptureQueriesContext(connection) as one:
        html = client.get(reverse("dashboard")).content.decode()
    meeting = event.meetings.select_related("b__organisation").get()
    assert "Your brokerage meetings" in html
    assert "table 1" in html and event.title in html
    assert meeting.b.organisation.name in html
    _meetings(cluster, member, manager, 3)
    with django_assert_max_num_queries(len(one.captured_queries)):
        html = client.get(reverse("dashboard")).content.decode()
    assert "table 3" in html
