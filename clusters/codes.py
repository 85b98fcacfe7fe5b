"""Short codes of clusters (``GENO``, ``ECHC``): the readable part of request references.

Derived once, deterministically, from the cluster's slug and then stored (the
stored code stays when a cluster is renamed, so references keep their meaning).
Three or more words give their initials (estonian-connected-health-cluster →
ECHC); otherwise the first four letters (genopole → GENO). A code already taken
is lengthened one letter at a time, then numbered.
"""

from __future__ import annotations

import re

from django.utils.text import slugify

MAX_LENGTH = 12
PATTERN = r"^[A-Z0-9]{2,12}$"


def short_code_candidates(text: str) -> list[str]:
    words = [w for w in re.split(r"[^A-Z0-9]+", slugify(text).upper()) if w]
    joined = "".join(words) or "CLUSTER"
    if len(joined) < 2:
        joined += "C"
    out = []
    if len(words) >= 3:
        out.append("".join(w[0] for w in words)[:MAX_LENGTH])
    out += [joined[:n] for n in range(min(4, len(joined)), min(len(joined), MAX_LENGTH) + 1)]
    return list(dict.fromkeys(out))


def derive_short_code(text: str, taken) -> str:
    """The first candidate of `text` (a slug or a name) that is not in `taken`."""
    candidates = short_code_candidates(text)
    for code in candidates:
        if code not in taken:
            return code
    base = candidates[0]
    n = 2
    while True:
        suffix = str(n)
        code = f"{base[: MAX_LENGTH - len(suffix)]}{suffix}"
        if code not in taken:
            return code
        n += 1
