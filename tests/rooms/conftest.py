from datetime import date, datetime, time, timedelta

import pytest
from django.utils import timezone

from tests.factories.rooms import RoomFactory


def next_weekday(weekday: int, *, weeks_ahead: int = 1) -> date:
    """The given weekday (0 = Monday) at least `weeks_ahead` weeks from today."""
    day = timezone.localdate() + timedelta(days=7 * weeks_ahead)
    while day.weekday() != weekday:
        day += timedelta(days=1)
    return day


def local_dt(room, day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=room.tzinfo)


@pytest.fixture
def room(cluster):
    return RoomFactory(cluster=cluster, name="Pasteur room", capacity=10)


@pytest.fixture
def tuesday() -> date:
    return next_weekday(1)
