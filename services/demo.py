"""Demo data of the services app (called by `manage.py seed_demo`)."""

import csv
from pathlib import Path

from .models import ServiceCategory

DATA = Path(__file__).resolve().parent / "data"


def seed(ctx) -> None:
    with open(DATA / "service_categories.csv", newline="", encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            ServiceCategory.objects.update_or_create(
                slug=row["slug"],
                defaults={
                    "name": row["name"],
                    "kind": row["kind"],
                    "importance": int(row["importance"]),
                    "summary": row["summary"],
                },
            )
