"""Why a meeting is not scheduled, in the reader's language.

The pure scheduler (events.scheduling) writes its reasons in English from a few
fixed patterns, naming people by their scheduler id ("Ada Lovelace #12"); they
are stored as written. Pages and the CSV show them through
`localise_unscheduled_reason`, which recognises each pattern and renders the
translated sentence with the same names and numbers. Text it does not know is
shown as written.
"""

from __future__ import annotations

import re

from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

# Written by the brokerage itself (actions.schedule_runs._save_output), translated when shown.
ACCEPTED_WHILE_RUNNING = gettext_noop(
    "accepted while the scheduler was running; run it again to place it"
)
_PERSON = r".+? #\d+"

PATTERNS = [
    (
        re.compile(rf"^no common available slot for (?P<a>{_PERSON}) and (?P<b>{_PERSON})$"),
        lambda m: _("no common available slot for %(a)s and %(b)s") % m,
    ),
    (
        re.compile(
            rf"^participant (?P<name>{_PERSON}) has more meetings \((?P<meetings>\d+)\) "
            r"than available slots \((?P<slots>\d+)\)$"
        ),
        lambda m: (
            _(
                "participant %(name)s has more meetings (%(meetings)s) than available slots "
                "(%(slots)s)"
            )
            % m
        ),
    ),
    (
        re.compile(r"^all tables taken in every slot both are free$"),
        lambda m: _("all tables taken in every slot both are free"),
    ),
    (
        re.compile(r"^not placed within the time limit$"),
        lambda m: _("not placed within the time limit"),
    ),
    (
        re.compile(
            rf"^no common free slot for (?P<a>{_PERSON}) and (?P<b>{_PERSON}): each of their "
            r"(?P<n>\d+) shared available slots is taken by another meeting of one of them$"
        ),
        lambda m: (
            _(
                "no common free slot for %(a)s and %(b)s: each of their %(n)s shared available "
                "slots is taken by another meeting of one of them"
            )
            % m
        ),
    ),
    (re.compile(rf"^{re.escape(ACCEPTED_WHILE_RUNNING)}$"), lambda m: _(ACCEPTED_WHILE_RUNNING)),
]


def localise_unscheduled_reason(reason: str) -> str:
    for pattern, render in PATTERNS:
        match = pattern.match(reason)
        if match:
            return render(match.groupdict())
    return reason
