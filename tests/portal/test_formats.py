"""Dates, times and numbers in each language (issue 15, 2.12)."""

import importlib
import re
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format

from portal.base.models import Notification
from portal.formats import PORTAL_FORMATS
from tests.factories import ClusterFactory, UserFactory
from tests.factories.events import EventFactory

BRUSSELS = ZoneInfo("Europe/Brussels")
WEDNESDAY = datetime(2026, 12, 2, 20, 19, tzinfo=BRUSSELS)

EXPECTED = {
    "en": ("Wednesday 2 December 2026", "2 December 2026, 20:19"),
    "de": ("Mittwoch, 2. Dezember 2026", "2. Dezember 2026, 20:19"),
    "fr": ("mercredi 2 décembre 2026", "2 décembre 2026 à 20:19"),
    "it": ("mercoledì 2 dicembre 2026", "2 dicembre 2026, 20:19"),
    "es": ("miércoles, 2 de diciembre de 2026", "2 de diciembre de 2026 a las 20:19"),
}


@pytest.mark.parametrize("lang", [code for code, _name in settings.LANGUAGES])
def test_one_date_format_per_language(lang):
    with translation.override(lang), timezone.override(BRUSSELS):
        shown = (
            date_format(WEDNESDAY, "WEEKDAY_DATE_FORMAT"),
            date_format(WEDNESDAY, "DATETIME_FORMAT"),
        )
    assert shown == EXPECTED[lang]


def test_every_language_module_defines_the_portals_format_names():
    for lang, _name in settings.LANGUAGES:
        module = importlib.import_module(f"portal.formats.{lang}.formats")
        names = {n for n in dir(module) if n.endswith("_FORMAT")}
        assert set(PORTAL_FORMATS) <= names, lang
        assert module.TIME_FORMAT == "H:i", lang


def test_italian_month_and_weekday_names_are_lower_case():
    with translation.override("it"):
        months = [date_format(datetime(2026, m, 1), "F") for m in range(1, 13)]
        days = [date_format(datetime(2026, 11, 30) + timedelta(days=d), "l") for d in range(7)]
    assert months[0] == "gennaio" and months[11] == "dicembre"
    assert days[0] == "lunedì" and days[6] == "domenica"
    assert all(name == name.lower() for name in months + days)


MACHINE_FORMATS = {"c", "Y-m-d", "H:i", "U"}


def test_templates_use_named_formats_only():
    """No template writes its own date format ("D j M, H:i" next to DATETIME_FORMAT
    gave "Dec. 2, 2026, 8:19 p.m." beside "2 Dec, 20:25")."""
    pattern = re.compile(r"\|(?:date|time):['\"]([^'\"]*)['\"]")
    found = {}
    for path in Path(settings.BASE_DIR, "templates").rglob("*.*"):
        for fmt in pattern.findall(path.read_text(encoding="utf-8")):
            if not (fmt.endswith("_FORMAT") or fmt in MACHINE_FORMATS):
                found.setdefault(str(path.relative_to(settings.BASE_DIR)), set()).add(fmt)
    assert found == {}


# Pages ------------------------------------------------------------------------------------


def test_event_page_in_german_reads_the_german_date(client, db):
    cluster = ClusterFactory(time_zone="Europe/Brussels")
    event = EventFactory(
        cluster=cluster, start=WEDNESDAY, end=WEDNESDAY + timedelta(hours=2), audience="public"
    )
    person = UserFactory(language="de")
    client.force_login(person)
    html = client.get(event.get_absolute_url()).content.decode()
    assert "Mittwoch, 2. Dezember 2026, 20:19 – 22:19" in html


def test_notification_times_in_english_use_the_24_hour_clock(client, db):
    person = UserFactory(language="en")
    n = Notification.objects.create(recipient=person, subject="Hello", body="x")
    Notification.objects.filter(pk=n.pk).update(created=WEDNESDAY)
    client.force_login(person)
    html = client.get(reverse("notification_list")).content.decode()
    assert '<p class="muted">2 December 2026, 20:19</p>' in html
    assert "p.m." not in html


def test_dashboard_says_how_long_ago_a_notification_came(client, member):
    """ "Reminder: ... starts in 1 hour" then "3 minutes" read as "starts in 1 hour 3
    minutes" for a notice that came 3 minutes ago."""
    n = Notification.objects.create(
        recipient=member, subject="Reminder: Workshop starts in 1 hour", body="x"
    )
    Notification.objects.filter(pk=n.pk).update(created=timezone.now() - timedelta(minutes=3))
    client.force_login(member)
    html = client.get(reverse("dashboard")).content.decode()
    assert 'starts in 1 hour</button> <span class="muted">3\xa0minutes ago</span>' in html
    member.language = "de"
    member.save()
    html = client.get(reverse("dashboard")).content.decode()
    assert '<span class="muted">vor 3\xa0Minuten</span>' in html
