"""Service category names are reference data, translated through the catalogues
(issue 15, 2.13)."""

import csv
from pathlib import Path

from django.urls import reverse
from django.utils import translation

import services.catalogue
from services.catalogue.reference import CATEGORY_NAMES, category_name
from tests.factories.services import ServiceOfferingFactory


def test_every_category_of_the_reference_data_has_a_translation_entry():
    path = Path(services.catalogue.__file__).parent / "data" / "service_categories.csv"
    with path.open(encoding="utf-8", newline="") as fh:
        names = {row["name"] for row in csv.DictReader(fh)}
    with translation.override(None):
        marked = {str(name) for name in CATEGORY_NAMES}
    assert names - marked == set()


def test_category_names_per_language():
    expected = {
        "de": "Kommunikation und Internationalisierung",
        "fr": "Communication et internationalisation",
        "it": "Comunicazione e internazionalizzazione",
        "es": "Comunicación e internacionalización",
        "en": "Communication and internationalisation",
    }
    for lang, name in expected.items():
        with translation.override(lang):
            assert category_name("Communication and internationalisation") == name


def test_catalogue_page_in_german_shows_the_german_category(client, member, cluster):
    ServiceOfferingFactory(cluster=cluster, title="Vertragsprüfung")
    member.language = "de"
    member.save()
    client.force_login(member)
    html = client.get(reverse("services:catalogue")).content.decode()
    assert "<td>Rechtsberatung " in html
    assert "Legal counselling" not in html
