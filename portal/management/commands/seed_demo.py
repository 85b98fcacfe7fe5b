import time
from datetime import date
from importlib import import_module
from importlib.util import find_spec

from django.apps import apps
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from portal.base.demo import DemoContext


def _day(value: str) -> date:
    try:
        day = date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"--today: {value!r} is not a date in the form YYYY-MM-DD") from None
    if not 2000 <= day.year <= 2100:
        raise CommandError(f"--today: {value} is outside the years 2000 to 2100")
    return day


class Command(BaseCommand):
    help = (
        "Load the demo data: the 25 clusters, service categories and deterministic fake "
        "organisations, people, rooms, events and requests. Safe to run again."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--size", type=int, default=200, help="number of organisations (default 200)"
        )
        parser.add_argument("--seed", type=int, default=2026)
        parser.add_argument(
            "--today",
            type=_day,
            default=None,
            help="the demo's today, YYYY-MM-DD (default: the real clock's date, UTC)",
        )

    def handle(self, *args, size: int, seed: int, today: date | None, **options):
        ctx = DemoContext(size=size, seed=seed, today=today)
        for config in apps.get_app_configs():
            module_name = f"{config.name}.demo"
            if not config.name.startswith(("portal", "clusters", "services", "events")):
                continue
            if find_spec(module_name) is None or not hasattr(import_module(module_name), "seed"):
                continue
            started = time.monotonic()
            with transaction.atomic():
                import_module(module_name).seed(ctx)
            self.stdout.write(f"seeded {config.label} in {time.monotonic() - started:.1f} s")
        self.stdout.write(self.style.SUCCESS("Demo data ready."))
