"""The service categories' names in the reader's language.

The categories are reference data (data/service_categories.csv, seeded by
services/catalogue/demo.py) stored with their English name. The names are translated
through the catalogues: each is marked here, so `make messages` collects it,
and `category_name()` looks it up when a page shows it. A category added in
the admin shows its name as written until its name is marked here and
translated. tests/services/test_reference.py keeps this list and the CSV in step.
"""

from __future__ import annotations

from django.utils.translation import pgettext, pgettext_lazy

CONTEXT = "service category"

CATEGORY_NAMES = (
    pgettext_lazy("service category", "Legal counselling"),
    pgettext_lazy("service category", "Business counselling"),
    pgettext_lazy("service category", "Networking and matchmaking"),
    pgettext_lazy("service category", "Communication and internationalisation"),
    pgettext_lazy("service category", "Fundraising"),
    pgettext_lazy("service category", "Infrastructures"),
)


def category_name(name: str) -> str:
    """The stored (English) name of a category in the active language."""
    return pgettext(CONTEXT, name) if name else name
