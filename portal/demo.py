"""Shared context for demo seeders: fixed seeds, a fixed time anchor, one password hash."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import UTC, datetime, time

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.utils import timezone
from faker import Faker


@dataclass
class DemoContext:
    size: int
    seed: int = 2026
    # Midnight UTC today: two runs on the same day give identical dates.
    anchor: datetime = field(
        default_factory=lambda: datetime.combine(timezone.now().date(), time(0), tzinfo=UTC)
    )
    _password_hash: str = ""

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
