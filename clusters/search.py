"""Full-text search over organisation profiles.

On PostgreSQL the directory matches the stored `Organisation.search_vector`
(a weighted tsvector of name (A), offers and needs (B) and description (C),
kept up to date by a trigger and GIN-indexed: migration 0004; accents removed
with the `unaccent` extension since 0008) against a prefix tsquery, and ranks
with ts_rank. On SQLite a `contains` per word over the fields folded by an
UNACCENT function registered on every SQLite connection stands in
(portal.base.text_search).

Both ignore accents and case: "Heliogene" finds "Héliogène" and back.
"""

from __future__ import annotations

import re

from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector
from django.db import connection
from django.db.models import Case, F, IntegerField, Q, QuerySet, Value, When

from portal.base.text_search import Unaccent, fold

SEARCH_CONFIG = "english"
INDEX_NAME = "organisation_search_vector_gin"
_WORD = re.compile(r"\w+", re.UNICODE)
MAX_TERMS = 8


def organisation_search_vector():
    """The expression the trigger of migration 0004 stores (kept for reference and tests)."""
    return (
        SearchVector("name", weight="A", config=SEARCH_CONFIG)
        + SearchVector("offers", "needs", weight="B", config=SEARCH_CONFIG)
        + SearchVector("description", weight="C", config=SEARCH_CONFIG)
    )


def search_terms(text: str) -> list[str]:
    """Words of the query, without accents and lower-cased; operators dropped."""
    return [fold(w) for w in _WORD.findall(text or "")][:MAX_TERMS]


def uses_postgres_search() -> bool:
    return connection.vendor == "postgresql"


def apply_search(queryset: QuerySet, text: str) -> QuerySet:
    """Keep organisations matching every word of `text` (prefix match on PostgreSQL).

    Annotates `rank` (higher is better) for relevance ordering.
    """
    terms = search_terms(text)
    if not terms:
        return queryset
    if uses_postgres_search():
        # Every word must match, each as a prefix ("regul" finds "regulatory").
        raw = " & ".join(f"{t}:*" for t in terms)
        query = SearchQuery(raw, search_type="raw", config=SEARCH_CONFIG)
        return queryset.filter(search_vector=query).annotate(
            rank=SearchRank(F("search_vector"), query)
        )
    queryset = queryset.alias(
        _name_f=Unaccent("name"),
        _description_f=Unaccent("description"),
        _offers_f=Unaccent("offers"),
        _needs_f=Unaccent("needs"),
    )
    condition = Q()
    for term in terms:
        condition &= (
            Q(_name_f__contains=term)
            | Q(_description_f__contains=term)
            | Q(_offers_f__contains=term)
            | Q(_needs_f__contains=term)
        )
    first = terms[0]
    return queryset.filter(condition).annotate(
        rank=Case(
            When(_name_f__contains=first, then=Value(3)),
            When(Q(_offers_f__contains=first) | Q(_needs_f__contains=first), then=Value(2)),
            default=Value(1),
            output_field=IntegerField(),
        )
    )
