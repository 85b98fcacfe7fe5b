"""An audience's criteria: a small JSON object, validated before it is saved.

    {"kinds": ["sme", "startup"], "sizes": ["1-9"], "countries": ["FR"],
     "topics": ["genomics"], "membership_status": ["active"], "roles": ["admin"]}

Every key is optional; a missing or empty list means "any". `topics` are topic slugs,
`countries` ISO 3166-1 alpha-2 codes, the others the values of the clusters app's
choices. `membership_status` defaults to active members only.
"""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from clusters.enums import MembershipStatus, OrganisationKind, OrgRole, SizeBand

CHOICES: dict[str, set[str] | None] = {
    "kinds": set(OrganisationKind.values),
    "sizes": set(SizeBand.values),
    "countries": None,  # checked by pattern
    "topics": None,  # slugs, checked against the Topic table by the selector (unknown: none)
    "membership_status": set(MembershipStatus.values),
    "roles": set(OrgRole.values),
}
LABELS = {
    "kinds": _("organisation kinds"),
    "sizes": _("sizes"),
    "countries": _("countries"),
    "topics": _("topics"),
    "membership_status": _("membership status"),
    "roles": _("roles"),
}
COUNTRY = re.compile(r"^[A-Z]{2}$")
SLUG = re.compile(r"^[-a-z0-9_]{1,120}$")
DEFAULT_MEMBERSHIP_STATUS = [MembershipStatus.ACTIVE.value]


def validate_criteria(value) -> None:
    if not isinstance(value, dict):
        raise ValidationError(_("The criteria must be an object of lists."), code="type")
    unknown = sorted(set(value) - set(CHOICES))
    if unknown:
        raise ValidationError(
            _("Unknown criteria: %(keys)s"), code="unknown", params={"keys": ", ".join(unknown)}
        )
    for key, items in value.items():
        if not isinstance(items, list) or not all(isinstance(i, str) for i in items):
            raise ValidationError(
                _("%(field)s must be a list of texts."), code="type", params={"field": LABELS[key]}
            )
        allowed = CHOICES[key]
        if key == "countries":
            bad = [i for i in items if not COUNTRY.match(i)]
        elif key == "topics":
            bad = [i for i in items if not SLUG.match(i)]
        else:
            assert allowed is not None
            bad = [i for i in items if i not in allowed]
        if bad:
            raise ValidationError(
                _("Unknown values for %(field)s: %(values)s"),
                code="invalid",
                params={"field": LABELS[key], "values": ", ".join(bad)},
            )


def normalised(value: dict) -> dict[str, list[str]]:
    """Every key present, membership status defaulting to active members."""
    out = {key: list(value.get(key) or []) for key in CHOICES}
    if not out["membership_status"]:
        out["membership_status"] = list(DEFAULT_MEMBERSHIP_STATUS)
    return out
