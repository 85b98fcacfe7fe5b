"""Full-text search: PostgreSQL uses the GIN expression index; SQLite falls back."""

import pytest
from django.db import connection

from clusters.models import Organisation
from clusters.search import INDEX_NAME, apply_search, search_terms


def test_search_terms_drop_operators_and_punctuation():
    assert search_terms("Regulatory & affairs | !(GMP):*") == ["regulatory", "affairs", "gmp"]
    assert search_terms("  ") == []


def test_search_matches_every_word_as_a_prefix(make_org, cluster):
    make_org("Acme", clusters=[cluster], offers="Regulatory affairs and GMP manufacturing")
    make_org("Beta", clusters=[cluster], needs="regulatory support")
    qs = Organisation.objects.all()
    assert sorted(o.name for o in apply_search(qs, "regul")) == ["Acme", "Beta"]
    assert [o.name for o in apply_search(qs, "regul manufact")] == ["Acme"]
    assert [o.name for o in apply_search(qs, "&|!:*")] == ["Acme", "Beta"]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL only")
def test_search_on_postgres_uses_the_gin_index(db, make_org, cluster):
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexdef FROM pg_indexes WHERE indexname = %s", [INDEX_NAME])
        assert "USING gin (search_vector)" in cursor.fetchone()[0]
        cursor.execute("SET enable_seqscan = off")
        qs = apply_search(Organisation.objects.all(), "regulatory affairs")
        plan = qs.explain()
        cursor.execute("SET enable_seqscan = on")
    assert INDEX_NAME in plan


def test_search_ignores_accents_and_case_both_ways(make_org, cluster):
    make_org("Héliogène", clusters=[cluster], offers="Thérapies géniques")
    make_org("Ostergaard", clusters=[cluster], needs="Zulassung in Österreich")
    qs = Organisation.objects.all()
    assert [o.name for o in apply_search(qs, "Heliogene")] == ["Héliogène"]
    assert [o.name for o in apply_search(qs, "HÉLIOGÈNE")] == ["Héliogène"]
    assert [o.name for o in apply_search(qs, "therapies genique")] == ["Héliogène"]
    assert [o.name for o in apply_search(qs, "österg")] == ["Ostergaard"]
    assert [o.name for o in apply_search(qs, "osterreich")] == ["Ostergaard"]


def test_directory_search_finds_heliogene_without_accents(client, member, cluster, make_org):
    from django.urls import reverse

    make_org("Héliogène", clusters=[cluster])
    make_org("Helix Bio", clusters=[cluster])
    client.force_login(member)
    response = client.get(reverse("clusters:directory"), {"q": "Heliogene"})
    assert [o.name for o in response.context["organisations"]] == ["Héliogène"]
