"""The insights pages in the reader's language (issue 15, 2.12 and 2.13): member
kinds and service categories translated even when the figures were cached by a
reader of another language; decimal separators follow the language."""

from django.urls import reverse

from tests.factories import ClusterRoleFactory, UserFactory
from tests.portal.test_insights import world  # noqa: F401 - the fixture

QUERY = "?start=2026-01-01&end=2026-06-30"


def _page(client, person, lang: str) -> str:
    person.language = lang
    person.save()
    client.force_login(person)
    return client.get(reverse("insights") + QUERY).content.decode()


def test_manager_dashboard_in_german_after_an_english_visit(client, world):  # noqa: F811
    manager = UserFactory()
    ClusterRoleFactory(user=manager, cluster=world["cluster"])
    english = _page(client, manager, "en")  # fills the figures' cache
    assert '<th scope="row">SME</th>' in english
    german = _page(client, manager, "de")
    assert '<th scope="row">KMU</th>' in german
    assert '<th scope="row">Forschungsinstitut</th>' in german
    assert "Rechtsberatung" in german
    for english_label in ("SME", "Research institute", "Legal counselling", "Infrastructures"):
        assert f">{english_label}<" not in german


def test_manager_dashboard_numbers_use_the_languages_decimal_separator(client, world):  # noqa: F811
    manager = UserFactory()
    ClusterRoleFactory(user=manager, cluster=world["cluster"])
    german = _page(client, manager, "de")
    assert ">0,4 %</text>" in german  # room utilisation bar in the chart (6 of 1,419 h)
    assert "(66,7 %)" in german  # active members note
    assert "66.7" not in german and "0.4 %" not in german
    english = _page(client, manager, "en")
    assert ">0.4 %</text>" in english
    assert "(66.7 %)" in english


def test_trends_in_german(client, world):  # noqa: F811
    admin = UserFactory(is_network_admin=True)
    trends = reverse("insights_trends") + QUERY
    admin.language = "en"
    admin.save()
    client.force_login(admin)
    client.get(trends)
    admin.language = "de"
    admin.save()
    german = client.get(trends).content.decode()
    assert '<th scope="row">KMU</th>' in german
    assert "Rechtsberatung" in german
    assert "Legal counselling" not in german
