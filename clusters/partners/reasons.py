"""Suggestion reasons in the reader's language.

The matching core (clusters/matching) writes its reasons in English from a few
fixed patterns; they are stored as such. Pages show them through
`localise_reason`, which recognises each pattern and renders it again with the
translated sentence. Topic names and cluster names are data and stay as written.
"""

from __future__ import annotations

import re

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

KINDS = {
    "an SME": gettext_lazy("an SME"),
    "a start-up": gettext_lazy("a start-up"),
    "a large company": gettext_lazy("a large company"),
    "a hospital": gettext_lazy("a hospital"),
    "a CRO / service provider": gettext_lazy("a CRO / service provider"),
    "an investor": gettext_lazy("an investor"),
    "a university": gettext_lazy("a university"),
    "a research institute": gettext_lazy("a research institute"),
    "a public body": gettext_lazy("a public body"),
}


def _what(text: str) -> str:
    """'A, B and C' / 'A and 2 more': only the joining words are translated."""
    text = re.sub(
        r" and (\d+) more$", lambda m: " " + _("and %(n)s more") % {"n": m.group(1)}, text
    )
    return re.sub(r" and (?=[^,]+$)", " " + _("and") + " ", text)


PATTERNS = [
    (re.compile(r"^offers (?P<w>.+), which you need$"), lambda w: _("offers %(what)s, which you need") % {"what": _what(w)}),
    (re.compile(r"^needs (?P<w>.+), which you offer$"), lambda w: _("needs %(what)s, which you offer") % {"what": _what(w)}),
    (re.compile(r"^both work on (?P<w>.+)$"), lambda w: _("both work on %(what)s") % {"what": _what(w)}),
    (re.compile(r"^their offer mentions (?P<w>.+), which your needs mention$"),
     lambda w: _("their offer mentions %(words)s, which your needs mention") % {"words": w}),
    (re.compile(r"^their needs mention (?P<w>.+), which your offer mentions$"),
     lambda w: _("their needs mention %(words)s, which your offer mentions") % {"words": w}),
    (re.compile(r"^both descriptions mention (?P<w>.+)$"), lambda w: _("both descriptions mention %(words)s") % {"words": w}),
    (re.compile(r"^in another cluster: (?P<w>.+)$"), lambda w: _("in another cluster: %(clusters)s") % {"clusters": w}),
    (re.compile(r"^based in another country(?P<w>.*)$"), lambda w: _("based in another country") + w),
]  # fmt: skip
KIND_PATTERN = re.compile(r"^(?P<b>.+), a (?P<how>good fit|possible partner) for (?P<a>.+)$")


def localise_reason(reason: str) -> str:
    for pattern, render in PATTERNS:
        match = pattern.match(reason)
        if match:
            return render(match.group("w"))
    match = KIND_PATTERN.match(reason)
    if match and match.group("a") in KINDS and match.group("b") in KINDS:
        values = {"partner": KINDS[match.group("b")], "you": KINDS[match.group("a")]}
        if match.group("how") == "good fit":
            return _("%(partner)s, a good fit for %(you)s") % values
        return _("%(partner)s, a possible partner for %(you)s") % values
    return reason
