"""Settings for the load test's gunicorn: the portal's own, with one change.

All virtual users come from 127.0.0.1, so allauth's per-IP login limits would
refuse most of the 200 logins of the ramp-up: "login" (30/min per IP) and the
per-IP part of "login_failed" (10/min per IP), which allauth consumes *before*
checking the password and gives back on success, so more than 10 sign-ins in
flight at once from one address get 429. The bench raises these two per-IP
limits (the per-account "5 failures in 5 minutes" stays); every other limit,
middleware and setting is the portal's.
"""

from portal.settings import *  # noqa: F403
from portal.settings import ACCOUNT_RATE_LIMITS as _LIMITS

ACCOUNT_RATE_LIMITS = {**_LIMITS, "login": "100000/m/ip", "login_failed": "100000/m/ip,5/5m/key"}
