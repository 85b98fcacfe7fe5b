"""Every email body template (templates/*/email/*.txt), rendered with stand-in
values, for the layout test: the values are long enough to wrap and include a
long unbroken URL, which is what overflows narrow mail views."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from pathlib import Path

from django.conf import settings

from portal.base.notifications import render_plain

ROOT = Path(__file__).resolve().parents[2]
EMAIL_TEMPLATES = sorted(
    str(p.relative_to(ROOT / "templates")).removesuffix(".txt")
    for p in (ROOT / "templates").glob("*/email/*.txt")
    if not p.name.endswith("_subject.txt")
    and not p.name.startswith("_")
    and p.parent.parent.name != "portal"  # the layout itself
)
WHEN = datetime(2026, 3, 14, 9, 30, tzinfo=UTC)
LONG_URL = "https://portal.example/invitations/" + "Tq9ZxW3kLmP7vRb2" * 6  # no break opportunity


class Sample:
    """Answers every attribute, item and call with another stand-in; prints as a
    sentence-long value."""

    def __init__(self, label: str = "value"):
        self._label = label

    def __getattr__(self, name: str):
        if name.startswith("__"):
            raise AttributeError(name)
        if hasattr(WHEN, name):  # passed to |date, it formats as WHEN would
            return getattr(WHEN, name)
        if is_date(name):
            return WHEN
        if name in {"time_zone", "language"}:
            return "Europe/Paris" if name == "time_zone" else "en"
        if name.endswith("url") or name.endswith("link"):
            return LONG_URL
        return Sample(name)

    def __getitem__(self, key):
        return Sample(str(key))

    def __call__(self, *args, **kwargs):
        return Sample(self._label)

    def __iter__(self):
        return iter([Sample(self._label), Sample(self._label)])

    def __len__(self):
        return 2

    def __bool__(self):
        return True

    def __str__(self):
        return f"Sample {self._label.replace('_', ' ')} for the layout test"


NUMBERS = {"counter", "position", "score", "offset"}


def is_date(name: str) -> bool:
    return name in {"when", "time", "due", "since"} or name.endswith(
        ("_date", "_at", "start", "end", "date", "day")
    )


def _names() -> set[str]:
    """Every identifier in the email templates (their includes among them)."""
    names: set[str] = set()
    for path in (ROOT / "templates").glob("*/email/*.txt"):
        names |= set(re.findall(r"\b[a-z_][a-z0-9_]*\b", path.read_text(encoding="utf-8")))
    return names


def _counted() -> set[str]:
    """Names a {% blocktranslate count counter=... %} counts: they must be numbers."""
    found: set[str] = set()
    for path in (ROOT / "templates").glob("*/email/*.txt"):
        found |= set(re.findall(r"count \w+=(\w+)(?![|\w])", path.read_text(encoding="utf-8")))
    return found


def sample_context() -> dict:
    ctx: dict = {name: Sample(name) for name in _names()}
    ctx.update({name: WHEN for name in ctx if is_date(name)})
    ctx.update({name: 3 for name in NUMBERS | _counted()})
    ctx.update(
        site_url=settings.SITE_URL,
        url="/events/sample/",
        link=LONG_URL,
        online_link=LONG_URL,
        recipient=Sample("person"),
    )
    return ctx


def sample_body(template: str) -> str:
    return render_plain(f"{template}.txt", sample_context()).strip()
