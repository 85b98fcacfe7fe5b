"""Error pages. An outage of the database or Redis, wherever it surfaces (a view,
a middleware loading the session or the user, a task queued after commit), is
answered with the friendly 503 page instead of a 500; the next request after the
service returns works again (connections are re-opened on demand)."""

import logging
import sys

from django.db import InterfaceError, OperationalError, connections
from django.http import HttpResponse, HttpResponseServerError
from django.template.loader import render_to_string
from kombu.exceptions import OperationalError as BrokerError
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

OUTAGES = (OperationalError, InterfaceError, BrokerError, RedisConnectionError, RedisTimeoutError)
log = logging.getLogger("portal.outage")


def is_outage(exc: BaseException | None) -> bool:
    while exc is not None:
        if isinstance(exc, OUTAGES):
            return True
        exc = exc.__cause__ or exc.__context__
    return False


def server_error(request, template_name="500.html"):
    """handler500: 503 for outages, 500 otherwise; renders without the database."""
    exc = sys.exc_info()[1]
    if is_outage(exc):
        log.error("service unavailable: %r", exc)
        for conn in connections.all(initialized_only=True):
            conn.close_if_unusable_or_obsolete()
        response = HttpResponse(render_to_string("503.html"), status=503)
        response["Retry-After"] = "30"
        return response
    return HttpResponseServerError(render_to_string(template_name))
