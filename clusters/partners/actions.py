"""Writes of partner matchmaking: recompute and store suggestions, dismiss one,
mark suggestions shown, and queue a recomputation after a profile change.

Scoring is clusters.matching (pure, no database). Two ways in:

* :func:`suggestions_recompute_all` (nightly, and seed_demo): every list, stored
  in bulk (upsert, then retire what is no longer suggested) in one transaction.
* :func:`suggestions_recompute_for` (a minute after one organisation changed):
  brings this worker process's :class:`~clusters.matching.MatchIndex` up to date
  with the database, organisation by organisation (``MatchIndex.update``: one row
  and one column of the score matrix, not the world), and stores only the lists
  that changed. A process without an index yet builds one once and keeps it.
"""

from __future__ import annotations

import json
import logging
import threading
import time
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.db import connection, transaction
from django.utils import timezone

from clusters.matching import MatchIndex
from clusters.models import Organisation, User

from .models import PartnerSuggestion, SuggestionDismissal
from .selectors import dashboard_suggestions, matching_aliases, matching_input

log = logging.getLogger(__name__)

TOP = 20  # stored per organisation; pages show up to 10, the rest refill dismissals
SPARE = 10  # extra candidates the kept index holds to refill lists cheaply
REBUILD_AFTER = 50  # more changed organisations than this: recompute everything
PENDING_KEY = "partners:pending:{}"
FULL_RUN_KEY = "partners:full-run-started"

# A reason naming what the suggested organisation offers against what this one
# needs (the need-topic and need-text reasons of clusters.matching).
_NEED_REASON_ENDINGS = (", which you need", ", which your needs mention")


def recompute_delay() -> int:
    return int(getattr(settings, "PARTNERS_RECOMPUTE_DELAY", 60))


# Queueing ---------------------------------------------------------------------------


def suggestions_queue_recompute(organisation_id: int) -> bool:
    """Queue one recomputation for the organisation after the delay, unless one is
    already waiting (many saves within the delay queue one task). Call after commit."""
    from .tasks import recompute_for

    delay = recompute_delay()
    # The key outlives the countdown by a minute: should the task be lost, the
    # next change after that queues a new one.
    key = PENDING_KEY.format(organisation_id)
    if not cache.add(key, time.time(), timeout=delay + 60):
        return False
    try:
        recompute_for.apply_async((organisation_id,), countdown=delay)
    except Exception:
        cache.delete(key)  # not queued: let the next change try again
        raise
    return True


def queue_on_commit(organisation_id: int | None) -> None:
    """After commit, queue the organisation's recomputation. A broker outage is
    logged, not raised: the change is saved and the nightly run catches up."""
    if organisation_id:
        transaction.on_commit(lambda: suggestions_queue_recompute(organisation_id), robust=True)


# The kept index ---------------------------------------------------------------------


class _KeptIndex:
    """This process's MatchIndex and the input it reflects (id -> input dict)."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.index: MatchIndex | None = None
        self.snapshot: dict[str, dict[str, Any]] = {}
        self.topics: set[str] = set()

    def reset(self) -> None:
        self.index, self.snapshot, self.topics = None, {}, set()

    def keep(self, index: MatchIndex, orgs: list[dict[str, Any]]) -> None:
        self.index, self.snapshot = index, {o["id"]: o for o in orgs}
        self.topics = set().union(*(_topic_names(o) for o in orgs))


def _topic_names(org: dict[str, Any]) -> set[str]:
    return {*org["topics"], *org["offer_topics"], *org["need_topics"]}


_kept = _KeptIndex()


def reset_kept_index() -> None:
    """Forget this process's index (tests; after a failed store)."""
    with _kept.lock:
        _kept.reset()


# Recompute --------------------------------------------------------------------------


def suggestions_recompute_all() -> int:
    """Recompute and store every organisation's suggestions; returns rows stored."""
    started = time.time()
    orgs = matching_input()
    with _kept.lock:
        try:
            index = MatchIndex(orgs, top=TOP, spare=SPARE, aliases=matching_aliases())
            stored = _store(index.suggestions(), orgs, owners=None)
        except Exception:
            _kept.reset()
            raise
        _kept.keep(index, orgs)
    # Tasks queued before this run read nothing newer than it did: they may skip.
    cache.set(FULL_RUN_KEY, started, timeout=None)
    return stored


def suggestions_recompute_for(organisation_id: int) -> int:
    """Update one organisation's list and the lists it enters, leaves or moves in.

    Skipped when a full recomputation started after the change was queued (it
    read the change already). Returns the number of lists stored.
    """
    queued_at = cache.get(PENDING_KEY.format(organisation_id))
    cache.delete(PENDING_KEY.format(organisation_id))  # later changes queue a new task
    full_at = cache.get(FULL_RUN_KEY)
    if queued_at is not None and full_at is not None and full_at > queued_at:
        return 0
    oid = str(organisation_id)
    orgs = matching_input()
    by_id = {o["id"]: o for o in orgs}
    if oid not in by_id:
        return 0  # deleted meanwhile: its rows went with it
    with _kept.lock:
        try:
            synced = _sync_kept_index(oid, orgs, by_id)
            if synced is None:  # too much changed, or organisations were deleted
                started = time.time()
                stored = len(_recompute_all_locked(orgs))
                cache.set(FULL_RUN_KEY, started, timeout=None)
                return stored
            owners, changed = synced
            # Lists that showed a changed organisation when last stored, even if
            # the index does not (e.g. it was built after they were stored).
            owners |= {
                str(x)
                for x in PartnerSuggestion.objects.filter(
                    suggested_id__in=[int(x) for x in changed], rank__isnull=False
                ).values_list("organisation_id", flat=True)
            }
            owners = {x for x in owners if x in by_id}
            index = _kept.index
            assert index is not None  # _sync_kept_index set it (it returned lists to store)
            _store(index.suggestions(sorted(owners)), orgs, owners=owners)
        except Exception:
            _kept.reset()
            raise
    return len(owners)


def _recompute_all_locked(orgs: list[dict[str, Any]]) -> dict[str, list]:
    index = MatchIndex(orgs, top=TOP, spare=SPARE, aliases=matching_aliases())
    lists = index.suggestions()
    _store(lists, orgs, owners=None)
    _kept.keep(index, orgs)
    return lists


def _sync_kept_index(
    oid: str, orgs: list[dict], by_id: dict[str, dict]
) -> tuple[set[str], set[str]] | None:
    """Bring the kept index up to date with ``orgs``. Returns (ids whose lists must
    be stored, ids of organisations that changed), or None when a full
    recomputation is the cheaper (or the only) way."""
    if _kept.index is None:
        index = MatchIndex(orgs, top=TOP, spare=SPARE, aliases=matching_aliases())
        _kept.keep(index, orgs)
        return {oid, *index.holders_of(oid)}, {oid}
    if set(_kept.snapshot) - set(by_id):
        return None  # the core cannot remove an organisation
    changed = [o for o in orgs if _kept.snapshot.get(o["id"]) != o]
    if len(changed) > REBUILD_AFTER:
        return None
    if any(_topic_names(o) - _kept.topics for o in changed):
        return None  # the index's topic vocabulary is fixed when it is fitted
    owners = {oid}
    for org in changed:
        _own, affected = _kept.index.update(org)
        _kept.snapshot[org["id"]] = org
        owners |= {org["id"], *affected}
    return owners, {oid} | {o["id"] for o in changed}


# Storing ----------------------------------------------------------------------------


def _meets_needs(org: dict | None, other: dict | None, reasons: list[str]) -> bool:
    if org and other and set(org["need_topics"]) & set(other["offer_topics"]):
        return True
    return any(r.endswith(_NEED_REASON_ENDINGS) for r in reasons)


def _store(
    lists: dict[str, list[dict[str, Any]]],
    orgs: list[dict[str, Any]],
    owners: Iterable[str] | None,
) -> int:
    """Replace the stored lists of ``owners`` (None: everyone) by ``lists``.

    Upsert on (organisation, suggested), then rows of those organisations not in
    the new lists are deleted, or, once shown, kept with rank null for the report.
    The receiving organisations are locked first, so two stores never interleave.
    """
    by_id = {o["id"]: o for o in orgs}
    with transaction.atomic():
        locked = Organisation.objects.select_for_update().order_by("pk")
        if owners is not None:
            owner_ids = sorted(int(x) for x in owners)
            locked = locked.filter(pk__in=owner_ids)
        existing = set(locked.values_list("pk", flat=True))
        now = timezone.now()
        rows = [
            (
                int(org_id),
                int(s["id"]),
                s["score"],
                rank,
                s["reasons"],
                _meets_needs(by_id.get(org_id), by_id.get(s["id"]), s["reasons"]),
            )
            for org_id, suggestions in lists.items()
            if int(org_id) in existing
            for rank, s in enumerate(suggestions, start=1)
        ]
        _upsert(rows, now)
        stale = PartnerSuggestion.objects.filter(computed_at__lt=now)
        if owners is not None:
            stale = stale.filter(organisation_id__in=owner_ids)
        stale.filter(first_shown_at__isnull=True).delete()
        stale.filter(rank__isnull=False).update(rank=None)
    return len(rows)


_UPSERT_COLUMNS = ("organisation_id", "suggested_id", "score", "rank", "reasons", "meets_needs")
_UPSERT_BATCH = 2000


def _upsert(rows: list[tuple], now) -> None:
    """INSERT ... ON CONFLICT (organisation, suggested) DO UPDATE, in batches.

    Plain SQL (PostgreSQL and SQLite >= 3.24 share the syntax) because the ORM's
    bulk_create spends most of a nightly run preparing values field by field:
    about 20 s instead of about 2 s for 60,000 rows on SQLite.
    """
    qn = connection.ops.quote_name
    table = qn(PartnerSuggestion._meta.db_table)
    columns = (*_UPSERT_COLUMNS, "computed_at")
    json_param = "%s::jsonb" if connection.vendor == "postgresql" else "%s"
    placeholders = ", ".join(json_param if c == "reasons" else "%s" for c in columns)
    updates = ", ".join(f"{qn(c)} = EXCLUDED.{qn(c)}" for c in columns[2:])
    # Identifiers are this module's constants, quoted; values go as parameters.
    sql = (
        f"INSERT INTO {table} ({', '.join(qn(c) for c in columns)}) VALUES ({placeholders}) "  # noqa: S608  # nosec B608
        f"ON CONFLICT ({qn('organisation_id')}, {qn('suggested_id')}) DO UPDATE SET {updates}"
    )
    stamp = connection.ops.adapt_datetimefield_value(now)
    with connection.cursor() as cursor:
        for start in range(0, len(rows), _UPSERT_BATCH):
            cursor.executemany(
                sql,
                [
                    (org, sugg, score, rank, json.dumps(reasons), meets, stamp)
                    for org, sugg, score, rank, reasons, meets in rows[
                        start : start + _UPSERT_BATCH
                    ]
                ],
            )


# Member actions ---------------------------------------------------------------------


def suggestion_dismiss(*, actor: User, suggestion_id: int) -> SuggestionDismissal:
    """A person hides a suggestion for their organisation, for good."""
    with transaction.atomic():
        suggestion = PartnerSuggestion.objects.select_for_update().get(pk=suggestion_id)
        if not actor.has_perm("partners.dismiss_suggestion", suggestion):
            raise PermissionDenied
        dismissal, _created = SuggestionDismissal.objects.get_or_create(
            organisation_id=suggestion.organisation_id,
            suggested_id=suggestion.suggested_id,
            defaults={"by": actor},
        )
        if suggestion.rank is not None:
            # Kept without rank: the report still counts it if it was shown; the
            # next recomputation deletes it if it was not.
            suggestion.rank = None
            suggestion.save(update_fields=["rank"])
        queue_on_commit(dismissal.organisation_id)
    return dismissal


def suggestions_mark_shown(suggestions: Iterable[PartnerSuggestion]) -> int:
    """Record when suggestions were first shown (one UPDATE for the lot)."""
    ids = [s.pk for s in suggestions if s.first_shown_at is None]
    if not ids:
        return 0
    now = timezone.now()
    for s in suggestions:
        if s.first_shown_at is None:
            s.first_shown_at = now
    return PartnerSuggestion.objects.filter(pk__in=ids, first_shown_at__isnull=True).update(
        first_shown_at=now
    )


def dashboard_section(user) -> dict[str, list[PartnerSuggestion] | None]:
    """The context of the dashboard's "Organisations you should meet" section: its
    suggestions, recorded as shown (one UPDATE)."""
    suggestions = dashboard_suggestions(user)
    if suggestions is not None:
        suggestions_mark_shown(suggestions)
    return {"partner_suggestions": suggestions}
