"""The "Columns" menu of lists: the choice is kept per person and list, applied to the
page, and a column the list does not have is refused with a message that names it."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from events.columns import ATTENDEE_COLUMNS
from portal.base.columns import columns_for, columns_reset, columns_save
from portal.base.errors import ActionError
from services.counselling.columns import QUEUE_COLUMNS
from services.rooms.columns import BOOKING_COLUMNS
from tests.factories import ClusterRoleFactory, UserFactory
from tests.factories.events import EventFactory, RegistrationFactory
from tests.factories.rooms import BookingFactory, RoomFactory
from tests.factories.services import CounsellingRequestFactory

pytestmark = pytest.mark.django_db

SAVE = "columns_save"


def _headers(html: str, caption_id: str) -> list[str]:
    """The column headers of the table captioned `caption_id`, in order."""
    table = html.split(f'id="{caption_id}"', 1)[1].split("</thead>", 1)[0]
    cells = re.findall(r'<th scope="col">(.*?)</th>', table, re.S)
    return [re.sub(r"<[^>]+>", "", c).strip() for c in cells]


def test_columns_default_when_never_chosen(manager):
    choice = columns_for(manager, QUEUE_COLUMNS)
    assert choice.saved is False
    assert [k for k, shown in choice.shown.items() if shown] == QUEUE_COLUMNS.keys


def test_columns_save_keeps_the_choice_in_list_order_with_locked_columns(manager):
    columns_save(actor=manager, column_set=QUEUE_COLUMNS, chosen=["status", "subject", "status"])
    manager.refresh_from_db()
    assert manager.list_columns == {"counselling.queue": ["reference", "subject", "status"]}
    choice = columns_for(manager, QUEUE_COLUMNS)
    assert [k for k, shown in choice.shown.items() if shown] == ["reference", "subject", "status"]
    assert choice.count == 3


def test_columns_of_other_lists_are_kept(manager):
    columns_save(actor=manager, column_set=QUEUE_COLUMNS, chosen=["subject"])
    columns_save(actor=manager, column_set=BOOKING_COLUMNS, chosen=["when"])
    manager.refresh_from_db()
    assert manager.list_columns == {
        "counselling.queue": ["reference", "subject"],
        "rooms.bookings": ["when", "title"],
    }


def test_columns_save_refuses_unknown_columns_and_keeps_the_old_choice(manager):
    columns_save(actor=manager, column_set=QUEUE_COLUMNS, chosen=["subject"])
    with pytest.raises(ActionError) as refused:
        columns_save(actor=manager, column_set=QUEUE_COLUMNS, chosen=["subject", "salary", "x"])
    assert refused.value.message == (
        "Unknown column: salary, x. This list's columns are: reference, subject, "
        "organisation, cluster, category, urgency, status, advisor, submitted, due, "
        "response_time, resolution_time."
    )
    manager.refresh_from_db()
    assert manager.list_columns == {"counselling.queue": ["reference", "subject"]}


def test_a_column_the_list_no_longer_has_is_dropped_when_read(manager):
    manager.list_columns = {"counselling.queue": ["subject", "retired_column"]}
    manager.save(update_fields=["list_columns"])
    choice = columns_for(manager, QUEUE_COLUMNS)
    assert [k for k, shown in choice.shown.items() if shown] == ["reference", "subject"]


def test_columns_reset_gives_the_defaults_back(manager):
    columns_save(actor=manager, column_set=ATTENDEE_COLUMNS, chosen=["seat"])
    columns_reset(actor=manager, column_set=ATTENDEE_COLUMNS)
    manager.refresh_from_db()
    assert manager.list_columns == {}
    assert columns_for(manager, ATTENDEE_COLUMNS).saved is False


def test_queue_shows_the_saved_columns(client, manager, member, cluster):
    CounsellingRequestFactory(cluster=cluster, requester=member, subject="Patent filing")
    client.force_login(manager)
    queue = reverse("services:queue")
    response = client.post(
        reverse(SAVE, args=["counselling.queue"]),
        {"columns": ["subject", "status"], "next": queue + "?status=submitted"},
    )
    assert response.status_code == 302
    assert response["Location"] == queue + "?status=submitted"
    page = client.get(queue).content.decode()
    assert _headers(page, "requests-caption") == ["Reference", "Subject", "Status"]
    assert 'data-label="Subject">Patent filing</td>' in page
    assert "Columns saved." in page
    # The menu reflects the choice: Subject ticked, Cluster not, Reference locked.
    assert 'value="subject" checked' in page
    assert 'value="cluster">' in page
    assert 'value="reference" checked disabled' in page


def test_queue_columns_unknown_name_is_refused_with_a_message(client, manager):
    client.force_login(manager)
    response = client.post(
        reverse(SAVE, args=["counselling.queue"]),
        {"columns": ["subject", "salary"], "next": reverse("services:queue")},
        follow=True,
    )
    page = response.content.decode()
    assert "Unknown column: salary. This list&#x27;s columns are: reference, subject" in page
    assert "Columns saved." not in page
    manager.refresh_from_db()
    assert manager.list_columns == {}
    assert len(_headers(page, "requests-caption")) == 12


def test_columns_of_an_unknown_list_404(client, manager):
    client.force_login(manager)
    response = client.post(reverse(SAVE, args=["nope.list"]), {"columns": ["a"]})
    assert response.status_code == 404


def test_columns_next_to_another_site_goes_to_the_dashboard(client, manager):
    client.force_login(manager)
    response = client.post(
        reverse(SAVE, args=["counselling.queue"]),
        {"columns": ["subject"], "next": "https://evil.example/"},
    )
    assert response["Location"] == reverse("dashboard")


def test_columns_need_a_signed_in_person(client):
    response = client.post(reverse(SAVE, args=["counselling.queue"]), {"columns": ["subject"]})
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_attendee_list_shows_the_saved_columns(client, manager, cluster):
    event = EventFactory(cluster=cluster, title="Networking", slug="networking")
    RegistrationFactory(event=event, user=UserFactory(member_of=cluster, first_name="Ada"))
    columns_save(actor=manager, column_set=ATTENDEE_COLUMNS, chosen=["seat"])
    client.force_login(manager)
    page = client.get(reverse("events:attendee_list", args=[event.slug])).content.decode()
    assert _headers(page, "confirmed-caption") == ["Name", "Seat", "Actions"]
    assert 'class="table table-cards"' in page


def test_room_bookings_list_shows_the_saved_columns(client, cluster):
    manager = UserFactory(email="rooms.manager@example.org")
    ClusterRoleFactory(user=manager, cluster=cluster, role="manager")
    room = RoomFactory(cluster=cluster)
    start = timezone.now().replace(microsecond=0) + timedelta(days=3)
    BookingFactory(room=room, title="Board meeting", start=start, end=start + timedelta(hours=1))
    columns_save(actor=manager, column_set=BOOKING_COLUMNS, chosen=["room", "status"])
    client.force_login(manager)
    page = client.get(reverse("rooms:booking_manage_list")).content.decode()
    assert _headers(page, "bookings-caption") == ["Room", "Title", "Status"]
    assert "Board meeting" in page
