import csv
import io
from datetime import timedelta

import icalendar
import pytest
from django.urls import reverse
from django.utils import timezone

from events import actions
from events.models import Event, Registration
from events.selectors import calendar_items_for, public_upcoming_events, upcoming_events_for_cluster
from tests.factories.clusters import ClusterFactory, TopicFactory, UserFactory
from tests.factories.events import EventFactory, RegistrationFactory


def _url(name, event, *extra):
    return reverse(f"events:{name}", args=[event.slug, *extra])


# Lists and query counts ------------------------------------------------------------


def _queries(client, url) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(url)  # warm per-process caches
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_event_list_query_count_same_at_1_and_3(client, member, cluster):
    client.force_login(member)
    url = reverse("events:event_list")
    counts = []
    for n in (1, 3):
        while Event.objects.count() < n:
            e = EventFactory(cluster=cluster)
            RegistrationFactory(event=e, user=member)
        counts.append(_queries(client, url))
    assert counts[0] == counts[1]


def test_manage_list_query_count_same_at_1_and_3(client, manager, cluster):
    client.force_login(manager)
    url = reverse("events:event_manage")
    counts = []
    for n in (1, 3):
        while Event.objects.count() < n:
            EventFactory(cluster=cluster)
        counts.append(_queries(client, url))
    assert counts[0] == counts[1]


def test_attendee_list_query_count_same_at_1_and_3(client, manager, event):
    client.force_login(manager)
    url = _url("attendee_list", event)
    counts = []
    for n in (1, 3):
        while event.registrations.count() < n:
            RegistrationFactory(event=event, user=UserFactory(member_of=event.cluster))
        counts.append(_queries(client, url))
    assert counts[0] == counts[1]


def test_my_registrations_query_count_same_at_1_and_3(client, member, cluster):
    client.force_login(member)
    url = reverse("events:registration_list")
    counts = []
    for n in (1, 3):
        while member.event_registrations.count() < n:
            RegistrationFactory(
                event=EventFactory(cluster=cluster), user=member, status="waitlisted"
            )
        counts.append(_queries(client, url))
    assert counts[0] == counts[1]


def test_event_list_filters(client, member, cluster):
    topic = TopicFactory(name="CAR-T", slug="car-t")
    car_t = EventFactory(cluster=cluster, title="CAR-T morning", kind="workshop")
    car_t.topics.add(topic)
    EventFactory(cluster=cluster, title="Investor evening", format="online", online_capacity=5)
    past_start = timezone.now() - timedelta(days=30)
    EventFactory(
        cluster=cluster,
        title="Old breakfast",
        start=past_start,
        end=past_start + timedelta(hours=1),
    )
    client.force_login(member)

    def titles(**params):
        r = client.get(reverse("events:event_list"), params)
        return [e.title for e in r.context["events"]]

    assert titles() == ["CAR-T morning", "Investor evening"]
    assert titles(when="past") == ["Old breakfast"]
    assert titles(kind="workshop") == ["CAR-T morning"]
    assert titles(format="online") == ["Investor evening"]
    assert titles(topic=topic.pk) == ["CAR-T morning"]
    assert titles(q="investor") == ["Investor evening"]
    assert titles(cluster=cluster.pk, when="upcoming") == ["CAR-T morning", "Investor evening"]


def test_event_list_hides_other_clusters_members_only_events(client, outsider, event):
    client.force_login(outsider)
    response = client.get(reverse("events:event_list"))
    assert list(response.context["events"]) == []


def test_anonymous_sees_only_public_events(client, cluster):
    EventFactory(cluster=cluster, title="Members only")
    EventFactory(cluster=cluster, title="Open day", audience="public")
    response = client.get(reverse("events:event_list"))
    assert [e.title for e in response.context["events"]] == ["Open day"]


# Object permissions: another organisation's person gets 404 --------------------------


@pytest.mark.parametrize(
    "name",
    [
        "event_detail",
        "event_ics",
        "event_update",
        "attendee_list",
        "attendee_csv",
        "checkin",
        "event_cancel",
    ],
)
def test_object_urls_404_for_other_organisation(client, outsider, event, name):
    client.force_login(outsider)
    assert client.get(_url(name, event)).status_code == 404


@pytest.mark.parametrize(
    "name", ["event_update", "attendee_list", "attendee_csv", "checkin", "event_cancel"]
)
def test_manager_urls_404_for_plain_member(client, member, event, name):
    client.force_login(member)
    assert client.get(_url(name, event)).status_code == 404


def test_draft_404_for_member(client, member, cluster):
    draft = EventFactory(cluster=cluster, status="draft")
    client.force_login(member)
    assert client.get(_url("event_detail", draft)).status_code == 404


def test_registration_cancel_of_someone_else_is_404(client, member, other_member, event):
    reg = RegistrationFactory(event=event, user=member)
    client.force_login(other_member)
    response = client.post(reverse("events:registration_cancel", args=[reg.pk]), {"confirm": "yes"})
    assert response.status_code == 404
    assert Registration.objects.get(pk=reg.pk).status == "confirmed"


def test_checkin_toggle_404_for_other_cluster_manager(client, event, member):
    other_manager = UserFactory(email="mgr2@example.org")
    from tests.factories.clusters import ClusterRoleFactory

    ClusterRoleFactory(user=other_manager, cluster=ClusterFactory())
    reg = RegistrationFactory(event=event, user=member)
    client.force_login(other_manager)
    assert client.post(_url("checkin_toggle", event, reg.pk), {"attended": "1"}).status_code == 404
    assert Registration.objects.get(pk=reg.pk).attended_at is None


# Event page and .ics ---------------------------------------------------------------------


def test_online_link_only_for_confirmed(client, cluster, make_members):
    event = EventFactory(
        cluster=cluster,
        format="hybrid",
        capacity=1,
        online_capacity=1,
        online_link="https://meet.example/abc",
    )
    a, b = make_members(2)
    actions.registration_create(actor=a, event=event, seat_type="online")
    actions.registration_create(actor=b, event=event, seat_type="online")  # waitlisted
    client.force_login(a)
    assert "https://meet.example/abc" in client.get(_url("event_detail", event)).content.decode()
    ics = icalendar.Calendar.from_ical(client.get(_url("event_ics", event)).content)
    assert "https://meet.example/abc" in str(ics.walk("VEVENT")[0]["DESCRIPTION"])
    client.force_login(b)
    page = client.get(_url("event_detail", event)).content.decode()
    assert "https://meet.example/abc" not in page
    assert "You are number 1 on the waitlist." in page
    assert b"meet.example" not in client.get(_url("event_ics", event)).content


def test_event_page_shows_times_in_cluster_time_zone(client, member):
    cluster = member.organisation.memberships.get().cluster
    cluster.time_zone = "Europe/Helsinki"
    cluster.save()
    start = timezone.now().replace(hour=10, minute=0, second=0, microsecond=0) + timedelta(days=3)
    event = EventFactory(cluster=cluster, start=start, end=start + timedelta(hours=1))
    client.force_login(member)
    page = client.get(_url("event_detail", event)).content.decode()
    local = start.astimezone(cluster.tzinfo)
    assert f"{local:%H}:00 – {local + timedelta(hours=1):%H}:00" in page


def test_register_through_the_page(
    client, member, event, mailoutbox, django_capture_on_commit_callbacks
):
    client.force_login(member)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            _url("registration_create", event), {"seat_type": "in_person"}, follow=True
        )
    assert "You are registered." in response.content.decode()
    assert Registration.objects.get(user=member).status == "confirmed"
    assert [m.subject for m in mailoutbox] == [f"You are registered: {event.title}"]


def test_register_full_event_without_waitlist_shows_message(client, member, event, make_members):
    event.capacity = 1
    event.waitlist_enabled = False
    event.save()
    actions.registration_create(actor=make_members(1, "x")[0], event=event)
    client.force_login(member)
    response = client.post(
        _url("registration_create", event), {"seat_type": "in_person"}, follow=True
    )
    assert "Sorry, this event is full and has no waitlist." in response.content.decode()
    assert not Registration.objects.filter(user=member).exists()


# Managing ----------------------------------------------------------------------------------


# A day well inside the window of event dates (today to three years ahead).
DAY = f"{timezone.localdate() + timedelta(days=100):%Y-%m-%d}"


def _form_data(**over):
    data = {
        "cluster": "",
        "title": "Hybrid networking",
        "kind": "networking",
        "format": "hybrid",
        "start": f"{DAY}T18:00",
        "end": f"{DAY}T20:00",
        "address": "Genopole, Évry",
        "online_link": "https://meet.example/hybrid",
        "capacity": "10",
        "online_capacity": "50",
        "waitlist_enabled": "on",
        "audience": "cluster",
        "description": "",
        "reminders": "24h, 1h",
    }
    data.update(over)
    return data


def test_manager_creates_event_in_cluster_time_zone(client, manager, cluster):
    client.force_login(manager)
    response = client.post(
        reverse("events:event_create"), _form_data(cluster=cluster.pk, reminders="2d, 90m")
    )
    event = Event.objects.get()
    assert response["Location"] == event.get_absolute_url()
    assert event.start.astimezone(cluster.tzinfo).strftime("%Y-%m-%d %H:%M") == f"{DAY} 18:00"
    assert (event.capacity, event.online_capacity, event.reminder_offsets) == (10, 50, [2880, 90])
    assert event.status == "draft"


@pytest.mark.parametrize(
    ("over", "field", "message"),
    [
        ({"end": f"{DAY}T17:00"}, "end", "The event must end after it starts."),
        ({"reminders": "tomorrow"}, "reminders", "Write reminders like"),
        ({"online_capacity": "0"}, "online_capacity", "Give the number of online seats."),
        ({"start": "nonsense"}, "start", "Enter a valid date/time."),
    ],
)
def test_create_bad_input_shows_message_and_saves_nothing(
    client, manager, cluster, over, field, message
):
    client.force_login(manager)
    response = client.post(reverse("events:event_create"), _form_data(cluster=cluster.pk, **over))
    assert response.status_code == 200
    assert any(message in e for e in response.context["form"].errors[field])
    assert message.split("“")[0] in response.content.decode().replace("&quot;", '"').replace(
        "&#x27;", "'"
    )
    assert Event.objects.count() == 0


def test_member_cannot_open_create_page(client, member):
    client.force_login(member)
    assert client.get(reverse("events:event_create")).status_code == 404


def test_edit_publish_and_cancel_pages(client, manager, cluster, member):
    event = EventFactory(cluster=cluster, status="draft")
    client.force_login(manager)
    form = client.get(_url("event_update", event)).context["form"]
    assert form.initial["start"] == event.start.astimezone(cluster.tzinfo).replace(tzinfo=None)
    client.post(_url("event_publish", event))
    event.refresh_from_db()
    assert event.status == "published"
    client.post(_url("event_cancel", event), {"reason": "Strike"})
    event.refresh_from_db()
    assert event.status == "cancelled"


def test_csv_export(client, manager, event, make_members):
    event.capacity = 1
    event.save()
    a, b = make_members(2)
    a.last_name = "=cmd"
    a.save()
    actions.registration_create(actor=a, event=event)
    actions.registration_create(actor=b, event=event)
    client.force_login(manager)
    response = client.get(_url("attendee_csv", event))
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][:3] == ["Last name", "First name", "Email"]
    assert [(r[0], r[5], r[6]) for r in rows[1:]] == [
        ("'=cmd", "Confirmed", ""),
        (b.last_name, "Waitlisted", "1"),
    ]


def test_checkin_htmx_toggle(client, manager, event, member):
    reg = RegistrationFactory(event=event, user=member)
    client.force_login(manager)
    page = client.get(_url("checkin", event)).content.decode()
    assert 'aria-live="polite"' in page and "Check in" in page
    response = client.post(
        _url("checkin_toggle", event, reg.pk), {"attended": "1"}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200
    assert 'aria-pressed="true"' in response.content.decode()
    reg.refresh_from_db()
    assert reg.attended_at is not None
    client.post(_url("checkin_toggle", event, reg.pk), {"attended": "0"}, HTTP_HX_REQUEST="true")
    reg.refresh_from_db()
    assert reg.attended_at is None


# Selectors used elsewhere -------------------------------------------------------------------


def test_public_upcoming_events_and_home_page(client, cluster):
    public = EventFactory(cluster=cluster, audience="public", title="Open info day")
    EventFactory(cluster=cluster, audience="network")
    EventFactory(cluster=cluster, audience="public", status="draft")
    assert public_upcoming_events() == [public]
    assert "Open info day" in client.get(reverse("home")).content.decode()


def test_upcoming_events_for_cluster(cluster, member, outsider):
    network = EventFactory(cluster=cluster, audience="network")
    members_only = EventFactory(cluster=cluster, audience="cluster")
    assert upcoming_events_for_cluster(cluster) == [network]
    assert upcoming_events_for_cluster(cluster, user=member) == [network, members_only]
    assert upcoming_events_for_cluster(cluster, user=outsider) == [network]


def test_calendar_feed_has_confirmed_registrations_only(client, member, event, cluster):
    RegistrationFactory(event=event, user=member)
    other = EventFactory(cluster=cluster)
    RegistrationFactory(event=other, user=member, status="waitlisted")
    items = calendar_items_for(member)
    assert [str(i["SUMMARY"]) for i in items] == [event.title]
    feed = client.get(reverse("calendar_feed", args=[member.calendar_token]))
    cal = icalendar.Calendar.from_ical(feed.content)
    assert [str(e["SUMMARY"]) for e in cal.walk("VEVENT")] == [event.title]


def test_post_urls_404_for_other_organisation(client, outsider, event):
    client.force_login(outsider)
    assert (
        client.post(_url("registration_create", event), {"seat_type": "in_person"}).status_code
        == 404
    )
    assert client.post(_url("event_publish", event)).status_code == 404
    assert client.post(_url("event_cancel", event), {"reason": "x"}).status_code == 404
    event.refresh_from_db()
    assert (event.status, Registration.objects.count()) == ("published", 0)


def test_signed_out_link_to_members_event_leads_to_login_and_back(client, cluster, member):
    members_only = EventFactory(cluster=cluster, audience="cluster")
    public = EventFactory(cluster=cluster, audience="public")
    assert client.get(reverse("events:event_detail", args=[public.slug])).status_code == 200
    for slug in (members_only.slug, "no-such-event"):  # alike: nothing is revealed
        for name in ("events:event_detail", "events:event_ics"):
            url = reverse(name, args=[slug])
            response = client.get(url)
            assert response.status_code == 302
            assert response["Location"] == f"{reverse('account_login')}?next={url}"
    client.force_login(member)
    response = client.get(reverse("events:event_detail", args=[members_only.slug]))
    assert response.status_code == 200
    assert client.get(reverse("events:event_detail", args=["no-such-event"])).status_code == 404


def test_cancelling_a_registration_needs_the_ticked_box(client, member, event):
    from events.models import Registration
    from tests.factories.events import RegistrationFactory

    reg = RegistrationFactory(event=event, user=member)
    client.force_login(member)
    assert "Yes, cancel my registration" in client.get(event.get_absolute_url()).content.decode()
    url = reverse("events:registration_cancel", args=[reg.pk])
    response = client.post(url, follow=True)
    assert "Nothing was cancelled: tick the box to confirm first." in response.content.decode()
    assert Registration.objects.get(pk=reg.pk).status == "confirmed"
    client.post(url, {"confirm": "yes"})
    assert Registration.objects.get(pk=reg.pk).status == "cancelled"


@pytest.mark.parametrize(
    "start", ["0001-01-01T00:30", "1900-03-10T18:00", "2999-03-10T18:00", "9999-12-31T22:00"]
)
def test_create_event_in_absurd_year_shows_window_and_saves_nothing(
    client, manager, cluster, start
):
    client.force_login(manager)
    end = start[:11] + "23:30"
    response = client.post(
        reverse("events:event_create"), _form_data(cluster=cluster.pk, start=start, end=end)
    )
    assert response.status_code == 200
    (error,) = response.context["form"].errors["start"]
    assert error.startswith("An event must start between ")
    assert "today at the earliest and at most 3 years ahead" in response.content.decode()
    assert Event.objects.count() == 0


def test_publish_far_future_draft_shows_message(client, manager, cluster):
    from datetime import datetime

    start = datetime(2999, 3, 10, 18, 0, tzinfo=cluster.tzinfo)
    event = EventFactory(
        cluster=cluster, status="draft", start=start, end=start + timedelta(hours=2)
    )
    client.force_login(manager)
    response = client.post(_url("event_publish", event), follow=True)
    assert "at most 3 years ahead" in response.content.decode()
    event.refresh_from_db()
    assert event.status == "draft"
