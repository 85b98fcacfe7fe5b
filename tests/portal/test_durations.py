from datetime import datetime, timedelta

from django.template import Context, Template
from django.utils import translation

from portal.base.templatetags.durations import elapsed

T0 = datetime(2026, 3, 2, 9, 0)


def test_elapsed_counts_two_adjacent_units():
    assert elapsed(T0 + timedelta(days=2, hours=3, minutes=5), T0) == "2\xa0days, 3\xa0hours"
    assert elapsed(T0 + timedelta(days=2, minutes=5), T0) == "2\xa0days"
    assert elapsed(T0 + timedelta(hours=1, minutes=1), T0) == "1\xa0hour, 1\xa0minute"
    assert elapsed(T0 + timedelta(seconds=30), T0) == "0\xa0minutes"
    assert elapsed(None, T0) == ""


def test_elapsed_uses_the_translated_units():
    with translation.override("de"):
        out = Template("{% load durations %}{{ a|elapsed:b }}").render(
            Context({"a": T0 + timedelta(days=1, hours=2), "b": T0})
        )
    assert out == "1\xa0Tag, 2\xa0Stunden"


def test_elapsed_cache_keeps_languages_apart():
    later = T0 + timedelta(hours=5)
    with translation.override("de"):
        german = elapsed(later, T0)
    with translation.override("en"):
        english = elapsed(later, T0)
    assert (german, english) == ("5\xa0Stunden", "5\xa0hours")
