"""Event times in the person's zone when set, else the host cluster's."""

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import icalendar
import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from events import actions
from events.tasks import send_due_reminders
from tests.factories.clusters import UserFactory
from tests.factories.events import EventFactory, RegistrationFactory

# Tuesday 15 January 2030, 13:00-15:00 UTC: 14:00-16:00 CET in Paris, 08:00-10:00 EST in New York.
START = datetime(2030, 1, 15, 13, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def _clock_a_month_before():
    """The fixed instant above stays a month ahead, whatever day the suite runs on."""
    with time_machine.travel(START - timedelta(days=30), tick=True):
        yield


NEW_YORK = ZoneInfo("America/New_York")


@pytest.fixture
def winter_event(cluster):
    return EventFactory(cluster=cluster, start=START, end=START + timedelta(hours=2))


def _when(html: str) -> str:
    return " ".join(html.split("<dt>When</dt>", 1)[1].split("</dd>", 1)[0].split())


def test_event_page_in_the_persons_zone(client, member, winter_event):
    member.time_zone = "America/New_York"
    member.save()
    client.force_login(member)
    html = client.get(winter_event.get_absolute_url()).content.decode()
    assert _when(html) == (
        '<dd>Tuesday 15 January 2030, 08:00 – 10:00 EST <span class="muted">(America/New_York)</span>'
    )


def test_event_page_in_the_clusters_zone_without_a_personal_one(client, member, winter_event):
    client.force_login(member)
    html = client.get(winter_event.get_absolute_url()).content.decode()
    assert _when(html) == (
        '<dd>Tuesday 15 January 2030, 14:00 – 16:00 <span class="muted">(Europe/Paris)</span>'
    )


def test_event_list_marks_times_in_another_zone(client, member, winter_event):
    member.time_zone = "Asia/Tokyo"
    member.save()
    client.force_login(member)
    html = client.get(reverse("events:event_list")).content.decode()
    assert '<p class="muted event-card-when">Tuesday 15 January 2030, 22:00 JST</p>' in html


def test_event_list_marks_a_hosts_zone_that_is_not_the_viewers(client, db):
    """Without a zone of their own a visitor reads the portal's (Europe/Brussels):
    an event hosted in Helsinki, shown in Helsinki time, says so (issue 15, 2.12)."""
    from tests.factories.clusters import ClusterFactory

    helsinki = ClusterFactory(time_zone="Europe/Helsinki")
    brussels = ClusterFactory(time_zone="Europe/Brussels")
    EventFactory(cluster=helsinki, start=START, end=START + timedelta(hours=2), audience="public")
    EventFactory(
        cluster=brussels,
        start=START + timedelta(days=1),
        end=START + timedelta(days=1, hours=2),
        audience="public",
    )
    html = client.get(reverse("events:event_list")).content.decode()
    assert '<p class="muted event-card-when">Tuesday 15 January 2030, 15:00 EET</p>' in html
    assert '<p class="muted event-card-when">Wednesday 16 January 2030, 14:00</p>' in html


def test_registration_email_in_the_recipients_zone(
    member, winter_event, mailoutbox, django_capture_on_commit_callbacks
):
    member.time_zone = "America/New_York"
    member.save()
    with django_capture_on_commit_callbacks(execute=True):
        actions.registration_create(actor=member, event=winter_event)
    (mail,) = mailoutbox
    assert "When: Tuesday 15 January 2030, 08:00 – 10:00 EST (America/New_York)\n" in mail.body
    cal = icalendar.Calendar.from_ical(mail.attachments[0][1])
    assert str(cal.walk("VEVENT")[0]["dtstart"].params["TZID"]) == "Europe/Paris"


def test_reminders_in_each_recipients_zone(cluster, mailoutbox):
    start = (timezone.now() + timedelta(minutes=30)).replace(second=0, microsecond=0)
    event = EventFactory(
        cluster=cluster,
        start=start,
        end=start + timedelta(hours=2),
        created=timezone.now() - timedelta(days=5),
    )
    abroad = UserFactory(member_of=cluster, time_zone="America/New_York")
    home = UserFactory(member_of=cluster)
    for user in (abroad, home):
        RegistrationFactory(event=event, user=user, created=timezone.now() - timedelta(days=3))
    send_due_reminders()
    bodies = {m.to[0]: m.body for m in mailoutbox if "X-Portal-Reminder" in m.extra_headers}
    ny_start, ny_end = start.astimezone(NEW_YORK), (start + timedelta(hours=2)).astimezone(NEW_YORK)
    paris_start = start.astimezone(cluster.tzinfo)
    paris_end = (start + timedelta(hours=2)).astimezone(cluster.tzinfo)
    assert (
        f"{ny_start:%H:%M} – {ny_end:%H:%M} {ny_end.tzname()} (America/New_York)\n"
        in bodies[abroad.email]
    )
    assert f"{paris_start:%H:%M} – {paris_end:%H:%M} (Europe/Paris)\n" in bodies[home.email]
