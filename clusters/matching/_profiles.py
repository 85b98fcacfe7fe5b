"""Input validation, profile normalisation and the organisation-kind fit table."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from ._text import norm_key


class InputError(ValueError):
    """Bad input: the message names the offending organisation (position and id)."""


LIST_KEYS = ("clusters", "topics", "offer_topics", "need_topics")
TEXT_KEYS = ("kind", "country", "offers", "needs", "description")
ID_LIST_KEYS = ("connected", "dismissed")

# Canonical kind codes (those of clusters.enums.OrganisationKind) and accepted aliases.
KIND_ALIASES = {
    "sme": "sme",
    "small and medium enterprise": "sme",
    "small company": "sme",
    "startup": "startup",
    "start-up": "startup",
    "start up": "startup",
    "large": "large",
    "large company": "large",
    "large enterprise": "large",
    "corporate": "large",
    "pharma": "large",
    "hospital": "hospital",
    "clinic": "hospital",
    "university hospital": "hospital",
    "provider": "provider",
    "service provider": "provider",
    "cro": "provider",
    "cro/service provider": "provider",
    "cdmo": "provider",
    "cmo": "provider",
    "investor": "investor",
    "vc": "investor",
    "venture capital": "investor",
    "university": "university",
    "research": "research",
    "research institute": "research",
    "rto": "research",
    "public": "public",
    "public body": "public",
}
KIND_LABELS = {
    "sme": "an SME",
    "startup": "a start-up",
    "large": "a large company",
    "hospital": "a hospital",
    "provider": "a CRO / service provider",
    "investor": "an investor",
    "university": "a university",
    "research": "a research institute",
    "public": "a public body",
}
KINDS = tuple(KIND_LABELS)

# Symmetric kind fit in [0, 1]: 1 = a typical partnership, 0.5 = a plausible one,
# absent = no bonus (same kind, unknown kind, or no usual reason to meet).
_FIT_PAIRS = {
    ("sme", "hospital"): 1.0,
    ("sme", "provider"): 1.0,
    ("sme", "investor"): 1.0,
    ("sme", "university"): 1.0,
    ("sme", "research"): 1.0,
    ("sme", "large"): 0.5,
    ("startup", "hospital"): 1.0,
    ("startup", "provider"): 1.0,
    ("startup", "investor"): 1.0,
    ("startup", "university"): 1.0,
    ("startup", "research"): 1.0,
    ("startup", "large"): 1.0,
    ("large", "university"): 0.5,
    ("large", "research"): 0.5,
    ("large", "provider"): 0.5,
    ("large", "hospital"): 0.5,
    ("university", "hospital"): 0.5,
    ("research", "hospital"): 0.5,
    ("university", "research"): 0.5,
    ("provider", "hospital"): 0.5,
    ("public", "startup"): 0.5,
    ("public", "sme"): 0.5,
}


def kind_fit(a: str, b: str) -> float:
    """How well kind ``b`` fits as a partner of kind ``a`` (symmetric)."""
    return _FIT_PAIRS.get((a, b), _FIT_PAIRS.get((b, a), 0.0))


def _kind_tables() -> tuple[np.ndarray, np.ndarray]:
    """Fit and reason text by kind code (0 = unknown, k + 1 = KINDS[k])."""
    labels = ("", *KINDS)
    fit = np.array([[kind_fit(a, b) for b in labels] for a in labels])
    text = np.full(fit.shape, None, dtype=object)
    for x, a in enumerate(labels):
        for y, b in enumerate(labels):
            if fit[x, y] > 0:
                how = "a good fit" if fit[x, y] >= 1 else "a possible partner"
                text[x, y] = f"{KIND_LABELS[b]}, {how} for {KIND_LABELS[a]}"
    return fit, text


KIND_FIT, KIND_TEXT = _kind_tables()  # [receiver kind code, suggested kind code]


def normalise_kind(raw: str) -> str:
    """Map a kind label to its canonical code; unknown kinds become ''."""
    return KIND_ALIASES.get(norm_key(raw), "")


@dataclass
class Profile:
    """One organisation, validated and normalised."""

    id: str
    kind: str = ""
    country: str = ""
    clusters: list[str] = field(default_factory=list)
    topics: list[str] = field(default_factory=list)
    offer_topics: list[str] = field(default_factory=list)
    need_topics: list[str] = field(default_factory=list)
    offers: str = ""
    needs: str = ""
    description: str = ""
    hidden: bool = False
    connected: list[str] = field(default_factory=list)
    dismissed: list[str] = field(default_factory=list)


def _where(pos: int | None, oid: Any = None) -> str:
    at = "organisation" if pos is None else f"organisation #{pos}"
    return f"{at} (id {oid!r})" if oid is not None else at


def _as_id(value: Any, what: str) -> str:
    if isinstance(value, bool) or not isinstance(value, str | int):
        raise InputError(f"{what}: id must be a string, got {type(value).__name__}")
    text = str(value).strip()
    if not text:
        raise InputError(f"{what}: id is empty")
    return text


def _text(item: dict, key: str, where: str) -> str:
    value = item.get(key)
    if value is None:
        return ""
    if not isinstance(value, str):
        raise InputError(f"{where}: {key!r} must be a string, got {type(value).__name__}")
    return value


def _str_list(item: dict, key: str, where: str) -> list[str]:
    value = item.get(key)
    if value is None:
        return []
    if isinstance(value, str) or not isinstance(value, list | tuple):
        raise InputError(f"{where}: {key!r} must be a list of strings")
    out = []
    for entry in value:
        if not isinstance(entry, str):
            raise InputError(f"{where}: {key!r} must be a list of strings, found {entry!r}")
        if entry.strip():
            out.append(entry.strip())
    return out


def parse_profile(item: Any, pos: int | None = None) -> Profile:
    """Validate one input organisation and return its normalised profile."""
    if not isinstance(item, dict):
        raise InputError(f"{_where(pos)} must be an object, got {type(item).__name__}")
    if item.get("id") is None:
        raise InputError(f"{_where(pos)} has no 'id'")
    oid = _as_id(item["id"], _where(pos))
    where = _where(pos, oid)
    lists: dict[str, Any] = {key: _str_list(item, key, where) for key in LIST_KEYS}
    texts: dict[str, Any] = {key: _text(item, key, where) for key in TEXT_KEYS}
    ids: dict[str, Any] = {
        key: [_as_id(v, f"{where}: {key!r}") for v in _id_list(item, key, where)]
        for key in ID_LIST_KEYS
    }
    hidden = item.get("hidden", False)
    if not isinstance(hidden, bool):
        raise InputError(f"{where}: 'hidden' must be true or false")
    return Profile(
        id=oid,
        kind=normalise_kind(texts.pop("kind")),
        country=texts.pop("country").strip(),
        hidden=hidden,
        **lists,
        **texts,
        **ids,
    )


def _id_list(item: dict, key: str, where: str) -> Iterable[Any]:
    value = item.get(key)
    if value is None:
        return []
    if isinstance(value, str) or not isinstance(value, list | tuple):
        raise InputError(f"{where}: {key!r} must be a list of ids")
    return value


def parse_profiles(orgs: Any) -> list[Profile]:
    """Validate a list of organisations: every item an object with a unique id."""
    if not isinstance(orgs, list | tuple):
        raise InputError(f"'organisations' must be a list, got {type(orgs).__name__}")
    seen: dict[str, int] = {}
    profiles = []
    for pos, item in enumerate(orgs):
        profile = parse_profile(item, pos)
        if profile.id in seen:
            raise InputError(
                f"{_where(pos, profile.id)}: duplicate id (first used by organisation "
                f"#{seen[profile.id]})"
            )
        seen[profile.id] = pos
        profiles.append(profile)
    return profiles
