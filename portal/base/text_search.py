"""Text search that ignores accents and case, on SQLite and PostgreSQL alike.

``fold()`` is the Python side (NFKD, combining marks dropped, casefolded):
"Héliogène", "HELIOGENE" and "heliogene" fold alike. In SQL, `Unaccent(field)`
calls UNACCENT(): on SQLite the same `fold`, registered on every connection
(`register_sqlite_functions`, connected in portal.base.apps); on PostgreSQL the
`unaccent` extension (created by clusters migration 0008), compared with
``icontains`` so that case is ignored as well.
"""

from __future__ import annotations

import unicodedata

from django.db.models import Func, Q, TextField
from django.db.models.lookups import IContains


def fold(text: str | None) -> str | None:
    """Without accents and case: "Héliogène" and "HELIOGENE" both give "heliogene"."""
    if text is None:
        return None
    decomposed = unicodedata.normalize("NFKD", str(text))
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


class Unaccent(Func):
    function = "UNACCENT"
    output_field = TextField()


def register_sqlite_functions(sender, connection, **kwargs) -> None:
    """connection_created receiver: UNACCENT() for SQLite connections."""
    if connection.vendor == "sqlite":
        connection.connection.create_function("UNACCENT", 1, fold, deterministic=True)


def contains_folded(field: str, text: str) -> Q:
    """`field` contains `text`, accents and case ignored."""
    return Q(IContains(Unaccent(field), fold(text)))


def every_word_in_some_field(words, fields) -> Q:
    """Each word somewhere in one of `fields` (accents and case ignored)."""
    condition = Q()
    for word in words:
        any_field = Q()
        for field in fields:
            any_field |= contains_folded(field, word)
        condition &= any_field
    return condition
