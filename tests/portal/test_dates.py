from datetime import UTC, date, datetime

import pytest
from django.core.exceptions import ValidationError

from portal.base.dates import parse_query_date, sane_window, validate_sane_date

TODAY = date(2026, 12, 3)


def test_sane_window_is_one_year_back_to_five_ahead():
    assert sane_window(TODAY) == (date(2025, 12, 3), date(2031, 12, 3))


def test_sane_window_from_29_february():
    assert sane_window(date(2028, 2, 29)) == (date(2027, 2, 28), date(2033, 2, 28))


@pytest.mark.parametrize("value", [date(2025, 12, 3), TODAY, date(2031, 12, 3)])
def test_validate_sane_date_accepts_the_window_and_its_edges(value):
    validate_sane_date(value, today=TODAY)
    validate_sane_date(None, today=TODAY)


@pytest.mark.parametrize(
    "value",
    [
        date(1, 1, 1),
        date(1900, 1, 1),
        date(2025, 12, 2),
        date(2031, 12, 4),
        date(2999, 1, 1),
        date(9999, 12, 31),
        datetime(9999, 12, 31, 23, 0, tzinfo=UTC),
    ],
)
def test_validate_sane_date_refuses_and_names_the_window(value):
    with pytest.raises(ValidationError) as exc:
        validate_sane_date(value, today=TODAY)
    assert exc.value.code == "out_of_window"
    assert exc.value.messages == [
        "Choose a date between 3 December 2025 and 3 December 2031: dates further back or further"
        " ahead are not accepted."
    ]


def test_parse_query_date():
    default = date(2026, 12, 1)
    assert parse_query_date(None, default, today=TODAY) == (default, None)
    assert parse_query_date("", default, today=TODAY) == (default, None)
    assert parse_query_date("2027-01-05", default, today=TODAY) == (date(2027, 1, 5), None)
    assert parse_query_date("tomorrow", default, today=TODAY) == (default, "Enter a valid date.")
    assert parse_query_date("10000-01-01", default, today=TODAY) == (
        default,
        "Enter a valid date.",
    )
    day, error = parse_query_date("9999-12-31", default, today=TODAY)
    assert day == default and error.startswith("Choose a date between 3 December 2025 and")
    day, error = parse_query_date("0001-01-01", default, today=TODAY)
    assert day == default and error.startswith("Choose a date between")
