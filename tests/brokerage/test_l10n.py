"""Brokerage pages in the reader's language (issue 15, 2.13): slot labels, the
scheduler's reasons and the schedule CSV."""

import csv
import io
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import translation

from events.brokerage.models import Meeting
from events.brokerage.reasons import localise_unscheduled_reason
from tests.factories.brokerage import (
    BrokerageEventFactory,
    add_participant,
    agree_meeting,
    enable_brokerage,
)
from tests.factories.events import RegistrationFactory

pytestmark = pytest.mark.django_db

GERMAN_MONTHS = [
    "Januar",
    "Februar",
    "März",
    "April",
    "Mai",
    "Juni",
    "Juli",
    "August",
    "September",
    "Oktober",
    "November",
    "Dezember",
]


def _first_monday_ahead(days: int = 40) -> datetime:
    """A Monday 09:00 in Brussels at least `days` ahead of the clock (the event must lie
    ahead, whatever day the suite runs on)."""
    day = date.today() + timedelta(days=days)
    day += timedelta(days=(7 - day.weekday()) % 7)
    return datetime.combine(day, time(9), tzinfo=ZoneInfo("Europe/Brussels"))


MONDAY = _first_monday_ahead()


@pytest.fixture
def monday_event(cluster, manager):
    event = BrokerageEventFactory(cluster=cluster, start=MONDAY, slug="partnering-monday")
    enable_brokerage(event, manager)
    return event


def test_profile_slot_labels_in_german(client, monday_event, member):
    member.language = "de"
    member.save()
    RegistrationFactory(event=monday_event, user=member)
    client.force_login(member)
    html = client.get(reverse("brokerage:profile", args=[monday_event.slug])).content.decode()
    # The day grid: the date is the day's legend, each slot labelled with its time.
    german = f"Montag, {MONDAY.day}. {GERMAN_MONTHS[MONDAY.month - 1]} {MONDAY.year}"
    assert f"<legend>{german}</legend>" in html
    assert '<span class="slot-cell-time">10:00–10:20</span>' in html
    assert MONDAY.strftime("Mon %d %b").replace(" 0", " ") not in html


REASONS = {
    "no common available slot for Ada Lovelace #1 and Bo Li #2": (
        "kein gemeinsames verfügbares Zeitfenster für Ada Lovelace #1 und Bo Li #2"
    ),
    "participant Ada Lovelace #1 has more meetings (5) than available slots (3)": (
        "Ada Lovelace #1 hat mehr Gespräche (5) als verfügbare Zeitfenster (3)"
    ),
    "all tables taken in every slot both are free": (
        "alle Tische sind in jedem Zeitfenster belegt, in dem beide frei sind"
    ),
    "not placed within the time limit": "innerhalb der Zeitgrenze nicht eingeplant",
    "no common free slot for Ada Lovelace #1 and Bo Li #2: each of their 4 shared "
    "available slots is taken by another meeting of one of them": (
        "kein gemeinsames freies Zeitfenster für Ada Lovelace #1 und Bo Li #2: jedes ihrer "
        "4 gemeinsamen verfügbaren Zeitfenster ist durch ein anderes Gespräch einer der "
        "beiden belegt"
    ),
    "accepted while the scheduler was running; run it again to place it": (
        "angenommen, während die Terminplanung lief; starten Sie sie erneut, um das "
        "Gespräch einzuplanen"
    ),
}


@pytest.mark.parametrize("english", list(REASONS))
def test_scheduler_reasons_in_german(english):
    with translation.override("de"):
        assert localise_unscheduled_reason(english) == REASONS[english]
    with translation.override("en"):
        assert localise_unscheduled_reason(english) == english


def test_unknown_reason_is_shown_as_written():
    with translation.override("de"):
        assert localise_unscheduled_reason("something new") == "something new"


def test_schedule_csv_in_german_says_ja_and_translates_the_reason(
    client, monday_event, manager, member, other_member
):
    manager.language = "de"
    manager.save()
    a = add_participant(monday_event, member)
    b = add_participant(monday_event, other_member)
    meeting = agree_meeting(a, b)
    Meeting.objects.filter(pk=meeting.pk).update(
        locked=True,
        slot=None,
        table=None,
        unscheduled_reason="all tables taken in every slot both are free",
    )
    client.force_login(manager)
    response = client.get(reverse("brokerage:schedule_csv", args=[monday_event.slug]))
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[1][-2:] == [
        "ja",
        "alle Tische sind in jedem Zeitfenster belegt, in dem beide frei sind",
    ]


def test_agenda_shows_the_reason_in_german(client, monday_event, manager, member, other_member):
    a = add_participant(monday_event, member)
    b = add_participant(monday_event, other_member)
    meeting = agree_meeting(a, b)
    Meeting.objects.filter(pk=meeting.pk).update(
        slot=None, table=None, unscheduled_reason="not placed within the time limit"
    )
    member.language = "de"
    member.save()
    client.force_login(member)
    html = client.get(reverse("brokerage:agenda", args=[monday_event.slug])).content.decode()
    assert "innerhalb der Zeitgrenze nicht eingeplant" in html
    assert "not placed within the time limit" not in html
