"""Suggestion reasons in the reader's language.

The matching core (clusters/matching) writes its reasons in English from a few
fixed patterns; they are stored as such. Pages show them through
`localise_reason`, which recognises each pattern and renders it again with the
translated sentence. Topic names are reference data and are translated too
(clusters/reference.py; a topic without a translation stays as written); cluster
names and the words quoted from descriptions stay as written.
"""

from __future__ import annotations

import re

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from clusters.reference import marked_topic_names, topic_name

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
# The same kinds after "a good fit for" / "a possible partner for": languages
# whose grammar needs another case there (German: "passt gut zu einem KMU")
# translate these. The context is written out each time: makemessages only
# extracts a literal context.
KINDS_FOR = {
    "an SME": pgettext_lazy("organisation kind after 'a good fit for'", "an SME"),
    "a start-up": pgettext_lazy("organisation kind after 'a good fit for'", "a start-up"),
    "a large company": pgettext_lazy("organisation kind after 'a good fit for'", "a large company"),
    "a hospital": pgettext_lazy("organisation kind after 'a good fit for'", "a hospital"),
    "a CRO / service provider": pgettext_lazy(
        "organisation kind after 'a good fit for'", "a CRO / service provider"
    ),
    "an investor": pgettext_lazy("organisation kind after 'a good fit for'", "an investor"),
    "a university": pgettext_lazy("organisation kind after 'a good fit for'", "a university"),
    "a research institute": pgettext_lazy(
        "organisation kind after 'a good fit for'", "a research institute"
    ),
    "a public body": pgettext_lazy("organisation kind after 'a good fit for'", "a public body"),
}


def _what(text: str) -> str:
    """'A, B and C' / 'A, B and 2 more' (as clusters.matching writes them) with each
    topic name and the joining words translated."""
    names, more = _split_names(text)
    shown = [topic_name(n) for n in names]
    if more:
        return ", ".join(shown) + " " + _("and %(n)s more") % {"n": more}
    if len(shown) == 1:
        return shown[0]
    return ", ".join(shown[:-1]) + " " + _("and") + " " + shown[-1]


def _split_names(text: str) -> tuple[list[str], int]:
    """The topic names in 'A, B and C' (a name may itself hold ' and ': 'IP and
    patents'), and the n of a trailing ' and n more'."""
    more = re.search(r" and (\d+) more$", text)
    if more:
        return text[: more.start()].split(", "), int(more.group(1))
    *first, last = text.split(", ")
    if not first and last in marked_topic_names():
        return [last], 0
    return [*first, *_split_pair(last)], 0


def _split_pair(text: str) -> list[str]:
    """'A and B' as two names: at the ' and ' where both sides are known topic
    names, else where one is, else at the last one."""
    cuts = [m.start() for m in re.finditer(" and ", text)]
    if not cuts:
        return [text]
    known = marked_topic_names()

    def score(cut: int) -> int:
        return (text[:cut] in known) + (text[cut + 5 :] in known)

    best = max(reversed(cuts), key=score)  # ties: the last ' and '
    return [text[:best], text[best + 5 :]]


PATTERNS = [
    (
        re.compile(r"^offers (?P<w>.+), which you need$"),
        lambda w: _("offers %(what)s, which you need") % {"what": _what(w)},
    ),
    (
        re.compile(r"^needs (?P<w>.+), which you offer$"),
        lambda w: _("needs %(what)s, which you offer") % {"what": _what(w)},
    ),
    (
        re.compile(r"^both work on (?P<w>.+)$"),
        lambda w: _("both work on %(what)s") % {"what": _what(w)},
    ),
    (
        re.compile(r"^their offer mentions (?P<w>.+), which your needs mention$"),
        lambda w: _("their offer mentions %(words)s, which your needs mention") % {"words": w},
    ),
    (
        re.compile(r"^their needs mention (?P<w>.+), which your offer mentions$"),
        lambda w: _("their needs mention %(words)s, which your offer mentions") % {"words": w},
    ),
    (
        re.compile(r"^both descriptions mention (?P<w>.+)$"),
        lambda w: _("both descriptions mention %(words)s") % {"words": w},
    ),
    (
        re.compile(r"^in another cluster: (?P<w>.+)$"),
        lambda w: _("in another cluster: %(clusters)s") % {"clusters": w},
    ),
    (
        re.compile(r"^based in another country(?P<w>.*)$"),
        lambda w: _("based in another country") + w,
    ),
    (
        re.compile(r"^like the organisations you contacted(?P<w>)$"),
        lambda w: _("like the organisations you contacted"),
    ),
]
KIND_PATTERN = re.compile(r"^(?P<b>.+), a (?P<how>good fit|possible partner) for (?P<a>.+)$")


def localise_reason(reason: str) -> str:
    for pattern, render in PATTERNS:
        match = pattern.match(reason)
        if match:
            return render(match.group("w"))
    match = KIND_PATTERN.match(reason)
    if match and match.group("a") in KINDS and match.group("b") in KINDS:
        values = {"partner": KINDS[match.group("b")], "you": KINDS_FOR[match.group("a")]}
        if match.group("how") == "good fit":
            return _("%(partner)s, a good fit for %(you)s") % values
        return _("%(partner)s, a possible partner for %(you)s") % values
    return reason
