"""Shared context for demo seeders: fixed seeds, a fixed time anchor, one password hash.

"Today" comes from one place: `demo_today()`, the real clock's UTC date, or the day that
`manage.py seed_demo --today YYYY-MM-DD` (or a test) passes to the context. Every seeder
takes its dates from `ctx.anchor` and picks showcase days with `working_day`, so what the
demo promises (a free room for the networking event, no closed date on a showcase item)
holds whatever the day of the year.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.utils import timezone
from faker import Faker

# Clusters close between Christmas Eve and New Year's Day: no showcase item falls there.
YEAR_END_BREAK = ((12, 24), (1, 1))


def demo_today() -> date:
    """The real clock's day (UTC): the one default every seeder's dates follow."""
    return timezone.now().astimezone(UTC).date()


def in_year_end_break(day: date) -> bool:
    (m1, d1), (m2, d2) = YEAR_END_BREAK
    return (day.month, day.day) >= (m1, d1) or (day.month, day.day) <= (m2, d2)


def working_day(day: date, avoid: set[date] | frozenset[date] = frozenset()) -> date:
    """`day` or the first later day that is Monday to Friday, outside the year-end
    break and not in `avoid` (closed dates, days already taken by another item)."""
    while day.weekday() >= 5 or in_year_end_break(day) or day in avoid:
        day += timedelta(days=1)
    return day


def years_before(day: date, years: int) -> date:
    """The same day `years` earlier; 29 February becomes 28 February in a common year."""
    try:
        return day.replace(year=day.year - years)
    except ValueError:
        return day.replace(year=day.year - years, day=28)


@dataclass
class DemoContext:
    size: int
    seed: int = 2026
    # Midnight UTC of the demo's "today": two runs on the same day give identical dates.
    today: date | None = None
    anchor: datetime = field(init=False)
    _password_hash: str = ""

    def __post_init__(self) -> None:
        self.today = self.today or demo_today()
        self.anchor = datetime.combine(self.today, time(0), tzinfo=UTC)

    def rng(self, name: str) -> random.Random:
        """An independent, reproducible random stream per seeder."""
        return random.Random(f"{self.seed}:{name}")

    def faker(self, name: str, locale: str = "en_GB") -> Faker:
        fake = Faker(locale)
        fake.seed_instance(f"{self.seed}:{name}:{locale}")
        return fake

    @property
    def password_hash(self) -> str:
        if not self._password_hash:
            self._password_hash = make_password(settings.DEMO_PASSWORD)
        return self._password_hash
