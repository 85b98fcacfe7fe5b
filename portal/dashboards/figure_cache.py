"""Dashboard figures cached per scope and period; refreshed when data changes
(a version bumped by signals) or at most every 10 minutes."""

from __future__ import annotations

import logging

from django.core.cache import cache
from django.db.models.signals import post_delete, post_save

from portal.base.cache import cache_get, get_or_compute

log = logging.getLogger(__name__)
VERSION_KEY = "dash:version"
TTL = 600


def version() -> int:
    v = cache_get(VERSION_KEY)
    if v is None:
        try:
            cache.add(VERSION_KEY, 1, timeout=None)
        except Exception:  # noqa: BLE001 - the cache is down: figures are computed
            return 0
        v = cache_get(VERSION_KEY, 1)
    return v


def bump(**_kwargs) -> None:
    """Invalidate cached figures. Never blocks a save: with the cache down (a Redis
    outage) the figures simply expire within the 10-minute TTL."""
    try:
        cache.incr(VERSION_KEY)
    except ValueError:
        cache.set(VERSION_KEY, 1, timeout=None)
    except Exception:  # noqa: BLE001 - any cache backend failure
        log.warning("dashboard cache version not bumped (cache unavailable)", exc_info=True)


def cached(scope: str, period_key: str, compute):
    return get_or_compute(f"dash:{version()}:{scope}:{period_key}", compute, TTL)


def connect_signals() -> None:
    from clusters.models import IntroductionRequest, Membership
    from events.models import Registration
    from services.counselling.models import CounsellingRequest
    from services.rooms.models import Booking

    for model in (CounsellingRequest, Registration, Booking, IntroductionRequest, Membership):
        post_save.connect(bump, sender=model, dispatch_uid=f"dash-bump-{model._meta.label}")
        post_delete.connect(bump, sender=model, dispatch_uid=f"dash-bump-del-{model._meta.label}")
