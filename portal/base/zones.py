"""Which time zone a person sees times in: their own when they set one, else the
cluster's (of the event, room or request shown). Stored times are UTC.

Room booking forms and the room week view keep the room's local time on purpose
(opening hours are local); they label the zone instead.
"""

from __future__ import annotations

from functools import lru_cache
from zoneinfo import ZoneInfo, available_timezones

from django.utils.translation import gettext_lazy

# Continents and oceans of the IANA database, Europe first; older aliases
# (US/Eastern, Etc/GMT+5, CET...) are not offered.
REGIONS = {
    "Europe": gettext_lazy("Europe"),
    "Africa": gettext_lazy("Africa"),
    "America": gettext_lazy("America"),
    "Antarctica": gettext_lazy("Antarctica"),
    "Arctic": gettext_lazy("Arctic"),
    "Asia": gettext_lazy("Asia"),
    "Atlantic": gettext_lazy("Atlantic"),
    "Australia": gettext_lazy("Australia"),
    "Indian": gettext_lazy("Indian Ocean"),
    "Pacific": gettext_lazy("Pacific"),
    "UTC": "UTC",
}


@lru_cache(maxsize=1)
def known_zones() -> frozenset[str]:
    return frozenset(available_timezones())


def own_zone(person) -> str:
    """The person's saved zone when it is a known one, else ''."""
    zone = getattr(person, "time_zone", "") or ""
    return zone if zone in known_zones() else ""


def zone_for(person, home_zone: str) -> str:
    """The zone to show times in for `person`; `home_zone` is the cluster's."""
    return own_zone(person) or home_zone


def own_tzinfo(person) -> ZoneInfo | None:
    zone = own_zone(person)
    return ZoneInfo(zone) if zone else None


@lru_cache(maxsize=1)
def _grouped_zones() -> tuple:
    groups: dict[str, list[tuple[str, str]]] = {region: [] for region in REGIONS}
    for zone in sorted(known_zones()):
        region, _sep, place = zone.partition("/")
        if region in groups and place:
            groups[region].append((zone, place.replace("_", " ")))
    groups["UTC"] = [("UTC", "UTC")]
    return tuple((region, tuple(zones)) for region, zones in groups.items() if zones)


def zone_choices() -> list:
    """Grouped choices for a select: the cluster's zone (blank), then Europe first."""
    blank = ("", gettext_lazy("My cluster's time zone"))
    return [blank, *((REGIONS[region], list(zones)) for region, zones in _grouped_zones())]


def offered_zones() -> frozenset[str]:
    return frozenset(zone for _region, zones in _grouped_zones() for zone, _label in zones)
