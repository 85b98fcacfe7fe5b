"""/healthz: the state of database, broker and cache as JSON (200 ok, 503 if any is down)."""

from datetime import datetime, timedelta

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.http import JsonResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from kombu import Connection

from portal.base.tasks import HEARTBEAT_KEY


def _check_database() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return "ok"


def _check_broker() -> str:
    with Connection(settings.CELERY_BROKER_URL, connect_timeout=2) as conn:
        conn.ensure_connection(max_retries=1, timeout=2)
    return "ok"


def _check_cache() -> str:
    cache.set("portal:healthz", "1", timeout=10)
    if cache.get("portal:healthz") != "1":
        raise RuntimeError("cache did not return the value written")
    return "ok"


def _worker_state() -> str:
    """Informational: a worker ran the heartbeat task in the last two minutes."""
    try:
        seen = cache.get(HEARTBEAT_KEY)
    except Exception:
        return "unknown"
    if not seen:
        return "not seen"
    age = timezone.now() - datetime.fromisoformat(seen)
    return "ok" if age < timedelta(minutes=2) else f"last seen {int(age.total_seconds())} s ago"


@never_cache
def healthz(request):
    checks = {}
    for name, check in (
        ("database", _check_database),
        ("broker", _check_broker),
        ("cache", _check_cache),
    ):
        try:
            checks[name] = check()
        except Exception as exc:  # a health check reports every failure, whatever its kind
            checks[name] = f"error: {type(exc).__name__}"
    healthy = all(v == "ok" for v in checks.values())
    body = {"status": "ok" if healthy else "error", "checks": checks, "worker": _worker_state()}
    return JsonResponse(body, status=200 if healthy else 503)
