"""Add-to-calendar links (Google, Outlook), the map link and the seat meter."""

from datetime import datetime
from urllib.parse import parse_qs, urlsplit
from zoneinfo import ZoneInfo

import pytest

from events.calendar_links import (
    SeatMeter,
    google_calendar_url,
    map_search_url,
    online_still_free,
    outlook_calendar_url,
)

PARIS = ZoneInfo("Europe/Paris")


def _query(url: str) -> dict[str, str]:
    return {k: v[0] for k, v in parse_qs(urlsplit(url).query).items()}


def test_google_link_in_utc_with_escaped_text():
    url = google_calendar_url(
        title="R&D day: cells & genes #1",
        start=datetime(2030, 1, 15, 18, 0, tzinfo=PARIS),
        end=datetime(2030, 1, 15, 20, 30, tzinfo=PARIS),
        details="Bring cards?\nYes & more",
        location="1 rue de l'Innovation, Évry",
    )
    assert url.startswith("https://calendar.google.com/calendar/render?action=TEMPLATE&")
    assert "&" not in url.split("text=")[1].split("&")[0]  # the & of the title is encoded
    assert " " not in url and "#" not in url
    assert _query(url) == {
        "action": "TEMPLATE",
        "text": "R&D day: cells & genes #1",
        "dates": "20300115T170000Z/20300115T193000Z",
        "details": "Bring cards?\nYes & more",
        "location": "1 rue de l'Innovation, Évry",
    }


def test_outlook_link_in_utc_with_escaped_text():
    url = outlook_calendar_url(
        title="Café & science",
        start=datetime(2030, 7, 1, 9, 0, tzinfo=PARIS),
        end=datetime(2030, 7, 1, 12, 0, tzinfo=PARIS),
        location="Évry",
    )
    assert url.startswith("https://outlook.live.com/calendar/0/deeplink/compose?")
    assert _query(url) == {
        "path": "/calendar/action/compose",
        "rru": "addevent",
        "subject": "Café & science",
        "startdt": "2030-07-01T07:00:00Z",
        "enddt": "2030-07-01T10:00:00Z",
        "location": "Évry",
    }


def test_links_across_the_autumn_clock_change():
    # 27 October 2030, Paris: 03:00 CEST becomes 02:00 CET. 01:00 CEST to 04:00 CET is 4 hours.
    start = datetime(2030, 10, 27, 1, 0, tzinfo=PARIS)
    end = datetime(2030, 10, 27, 4, 0, tzinfo=PARIS)
    g = _query(google_calendar_url(title="Night", start=start, end=end))
    o = _query(outlook_calendar_url(title="Night", start=start, end=end))
    assert g["dates"] == "20301026T230000Z/20301027T030000Z"
    assert (o["startdt"], o["enddt"]) == ("2030-10-26T23:00:00Z", "2030-10-27T03:00:00Z")


def test_links_across_the_spring_clock_change():
    # 31 March 2030, Paris: 02:00 CET becomes 03:00 CEST.
    start = datetime(2030, 3, 31, 1, 30, tzinfo=PARIS)
    end = datetime(2030, 3, 31, 3, 30, tzinfo=PARIS)
    assert _query(google_calendar_url(title="x", start=start, end=end))["dates"] == (
        "20300331T003000Z/20300331T013000Z"
    )


def test_links_across_the_year_end():
    start = datetime(2030, 12, 31, 23, 0, tzinfo=ZoneInfo("Europe/Helsinki"))
    end = datetime(2031, 1, 1, 1, 30, tzinfo=ZoneInfo("Europe/Helsinki"))
    g = _query(google_calendar_url(title="New year", start=start, end=end))
    assert g["dates"] == "20301231T210000Z/20301231T233000Z"
    start = datetime(2030, 12, 31, 23, 0, tzinfo=ZoneInfo("America/New_York"))
    o = _query(outlook_calendar_url(title="x", start=start, end=end.replace(year=2031)))
    assert o["startdt"] == "2031-01-01T04:00:00Z"


def test_links_refuse_naive_times():
    with pytest.raises(ValueError):
        google_calendar_url(title="x", start=datetime(2030, 1, 1), end=datetime(2030, 1, 2))


def test_map_link_is_an_openstreetmap_search():
    url = map_search_url("1 rue de l'Innovation,\n  91000 Évry & co")
    assert url.startswith("https://www.openstreetmap.org/search?query=")
    assert _query(url) == {"query": "1 rue de l'Innovation, 91000 Évry & co"}


@pytest.mark.parametrize(
    ("capacity", "taken", "left", "state", "percent"),
    [
        (40, 28, 12, "open", 70),
        (40, 32, 8, "few", 80),
        (40, 39, 1, "few", 98),
        (40, 40, 0, "full", 100),
        (40, 45, 0, "full", 100),  # more confirmed than seats after capacity was lowered
        (3, 0, 3, "open", 0),
        (0, 0, 0, "full", 100),
    ],
)
def test_seat_meter_states(capacity, taken, left, state, percent):
    meter = SeatMeter("in_person", capacity, taken)
    assert (meter.left, meter.state, meter.percent_taken) == (left, state, percent)


def test_online_still_free_only_when_in_person_full_and_online_left():
    full = SeatMeter("in_person", 10, 10)
    free_online = SeatMeter("online", 50, 3)
    assert online_still_free([full, free_online]) is True
    assert online_still_free([SeatMeter("in_person", 10, 9), free_online]) is False
    assert online_still_free([full, SeatMeter("online", 50, 50)]) is False
    assert online_still_free([full]) is False
    assert online_still_free([free_online]) is False
