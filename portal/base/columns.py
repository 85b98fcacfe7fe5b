"""Which columns a person shows in a list (the "Columns" menu of docs/design.md).

A list declares its columns once as a `ColumnSet`; the person's choice is kept per
list on their account (`User.list_columns`, a small JSON object: list key -> the
column keys shown). A list that was never chosen shows its default columns; a
column the list no longer has is dropped when read, so an old choice never breaks
a page.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils.functional import Promise
from django.utils.translation import gettext as _

from .errors import ActionError


@dataclass(frozen=True)
class Column:
    key: str
    label: str | Promise
    locked: bool = False  # always shown: the column that names the row
    default: bool = True


@dataclass(frozen=True)
class ColumnSet:
    key: str  # "counselling.queue": where the choice is kept
    columns: tuple[Column, ...]

    @property
    def keys(self) -> list[str]:
        return [c.key for c in self.columns]

    @property
    def locked(self) -> set[str]:
        return {c.key for c in self.columns if c.locked}

    @property
    def defaults(self) -> set[str]:
        return {c.key for c in self.columns if c.default or c.locked}


@dataclass(frozen=True)
class ColumnOption:
    column: Column
    shown: bool


class ColumnChoice:
    """What a list template gets: `shown.<key>` per column, the menu's options,
    and `count` (for a colspan)."""

    def __init__(self, column_set: ColumnSet, shown: set[str], saved: bool):
        self.set = column_set
        self.key = column_set.key
        self.shown = {k: k in shown for k in column_set.keys}
        self.saved = saved

    @property
    def options(self) -> list[ColumnOption]:
        return [ColumnOption(c, self.shown[c.key]) for c in self.set.columns]

    @property
    def count(self) -> int:
        return sum(self.shown.values())


def columns_for(user, column_set: ColumnSet) -> ColumnChoice:
    """The columns `user` shows in this list: their saved choice, or the defaults."""
    saved = (getattr(user, "list_columns", None) or {}).get(column_set.key)
    if not isinstance(saved, list):
        return ColumnChoice(column_set, column_set.defaults, saved=False)
    known = set(column_set.keys)
    return ColumnChoice(
        column_set, {k for k in saved if k in known} | column_set.locked, saved=True
    )


def columns_save(*, actor, column_set: ColumnSet, chosen: Iterable[str]) -> ColumnChoice:
    """Keep `chosen` as the columns `actor` shows in this list (locked ones always).

    Unknown column names are refused, naming them and the list's columns, so that a
    stale form or a hand-made request says what went wrong instead of being ignored.
    """
    chosen = list(dict.fromkeys(c.strip() for c in chosen if c.strip()))
    unknown = [c for c in chosen if c not in column_set.keys]
    if unknown:
        raise ActionError(
            _("Unknown column: %(unknown)s. This list's columns are: %(known)s.")
            % {"unknown": ", ".join(unknown), "known": ", ".join(column_set.keys)},
            field="columns",
        )
    shown = set(chosen) | column_set.locked
    if not shown:
        raise ActionError(_("Choose at least one column."), field="columns")
    ordered = [k for k in column_set.keys if k in shown]
    _store(actor, column_set.key, ordered)
    return ColumnChoice(column_set, set(ordered), saved=True)


def columns_reset(*, actor, column_set: ColumnSet) -> ColumnChoice:
    """Forget `actor`'s choice for this list: its default columns again."""
    _store(actor, column_set.key, None)
    return ColumnChoice(column_set, column_set.defaults, saved=False)


def _store(actor, list_key: str, value: list[str] | None) -> None:
    # Read-modify-write of one JSON object: lock the row so that two lists saved at
    # the same moment (two tabs) both keep their choice.
    with transaction.atomic():
        row = (
            get_user_model().objects.select_for_update().only("pk", "list_columns").get(pk=actor.pk)
        )
        prefs = dict(row.list_columns or {})
        if value is None:
            prefs.pop(list_key, None)
        else:
            prefs[list_key] = value
        row.list_columns = prefs
        row.save(update_fields=["list_columns"])
    actor.list_columns = prefs
