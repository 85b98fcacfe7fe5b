"""The cache only saves work: every read through here survives a cache outage.

With Redis down, a read answers "not cached" and a write is skipped (logged once
per call), so pages compute their figures instead of failing.
"""

from __future__ import annotations

import logging

from django.core.cache import cache

log = logging.getLogger(__name__)


def cache_get(key: str, default=None):
    try:
        return cache.get(key, default)
    except Exception:  # noqa: BLE001 - any cache backend failure
        log.warning("cache unavailable: %s not read", key)
        return default


def cache_set(key: str, value, timeout: int | None) -> None:
    try:
        cache.set(key, value, timeout=timeout)
    except Exception:  # noqa: BLE001 - any cache backend failure
        log.warning("cache unavailable: %s not written", key)


def get_or_compute(key: str, compute, timeout: int | None):
    """The cached value of `key`, else `compute()`, stored for `timeout` seconds."""
    value = cache_get(key)
    if value is None:
        value = compute()
        cache_set(key, value, timeout)
    return value
