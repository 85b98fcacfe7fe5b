"""Text and topic normalisation shared by the matching index.

Accents: letters that Unicode decomposition cannot strip (Polish ł, Nordic ø/æ,
German ß, ...) are folded first by a fixed table; everything else is handled by
scikit-learn's ``strip_accents="unicode"`` (NFKD, combining marks dropped).
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Iterable
from functools import lru_cache

import numpy as np
from sklearn.feature_extraction.text import (
    ENGLISH_STOP_WORDS,
    TfidfVectorizer,
    strip_accents_unicode,
)

# Letters that NFKD leaves alone; folded before the vectoriser sees the text.
_FOLD = str.maketrans(
    {
        "ł": "l",
        "Ł": "L",
        "ø": "o",
        "Ø": "O",
        "æ": "ae",
        "Æ": "AE",
        "œ": "oe",
        "Œ": "OE",
        "ß": "ss",
        "ẞ": "SS",
        "đ": "d",
        "Đ": "D",
        "ħ": "h",
        "Ħ": "H",
        "ı": "i",
        "þ": "th",
        "Þ": "TH",
        "ð": "d",
        "Ð": "D",
    }
)

# A token starts with a letter of any script, then letters or digits: "car", "il6",
# "žmonių", "лечение"; at least two characters.
WORD_PATTERN = r"(?u)\b[^\W\d_][^\W_]+\b"

# Common function words of the cluster languages, already lower-cased and
# accent-stripped (the form tokens have after preprocessing).
_STOP_WORDS_OTHER = """
der die das und oder mit fur von den dem des ein eine einer eines im in ist sind wir auf zu zur zum
als auch bei aus nach uber unter wie werden wird nicht sich
le la les de du des et ou un une en au aux pour par avec sur dans nous vous est sont qui que ce cette
il lo gli di da con per su tra fra uno delle della dei degli nel nella che sono siamo
el los las del por para con una unos unas al es son somos que como
os as do da dos das em no na nos nas um uma com ao pelo pela sao
het een en van voor met op te ook bij naar wij zijn door aan om
w z na do dla od oraz lub sie jest sa przez przy jak ze to nie po
ir su ar yra kad del bei iki prie apie mes jie tai
ja ning on voi ka ning et see mis kui ole
ja tai on ovat me se joka myos kanssa
og eller med til av pa er som vi det den en et for fra har
"""
STOP_WORDS = frozenset(ENGLISH_STOP_WORDS) | frozenset(_STOP_WORDS_OTHER.split())


_NEEDS_FOLD = re.compile("[" + "".join(k if isinstance(k, str) else chr(k) for k in _FOLD) + "]")
# The common combining marks (Latin, Greek, Cyrillic diacritics): removing them here
# lets the vectoriser's strip_accents="unicode" take its fast all-ASCII path; it still
# strips any other combining mark itself, so the result is the same.
_MARKS = re.compile("[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]")


def fold(text: str) -> str:
    """Fold letters NFKD cannot decompose (ł, ø, ß, ...) and strip common accents."""
    if text.isascii():
        return text
    if _NEEDS_FOLD.search(text):
        text = text.translate(_FOLD)
    return _MARKS.sub("", unicodedata.normalize("NFKD", text))


@lru_cache(maxsize=1 << 16)
def norm_key(label: str) -> str:
    """Canonical key of a topic, cluster or kind label: case-folded, accent-free, one space."""
    decomposed = unicodedata.normalize("NFKD", fold(label).casefold())
    bare = "".join(c for c in decomposed if not unicodedata.combining(c))
    return re.sub(r"[\s_]+", " ", bare).strip()


# Terms in more than this share of all texts (and in more than MIN_COMMON texts) are
# dropped: they say little (idf <= 1 + ln 10) and dominate the cost of the products.
MAX_DF_SHARE, MIN_COMMON = 0.1, 50


def make_vectorizer(n_docs: int = 0) -> TfidfVectorizer:
    """The TF-IDF vectoriser: sublinear tf, unicode accent stripping, any-script letters."""
    return TfidfVectorizer(
        max_df=max(int(MAX_DF_SHARE * n_docs), MIN_COMMON),
        preprocessor=None,
        lowercase=True,
        strip_accents="unicode",
        token_pattern=WORD_PATTERN,
        stop_words=sorted(STOP_WORDS),
        sublinear_tf=True,
        norm="l2",
        dtype=np.float32,
    )


_ACCENTED_WORD = re.compile(r"(?u)\b[^\W_]*[^\x00-\x7f][^\W_]*\b")


def spellings(texts: Iterable[str]) -> dict[str, str]:
    """Indexed form -> most common original spelling, for words with non-ASCII letters.

    Reasons show "leków" rather than the indexed "lekow"; ties go to the smaller string.
    """
    counts: Counter[str] = Counter()
    for text in texts:
        if not text.isascii():
            chunks = " ".join(w for w in text.lower().split() if not w.isascii())
            counts.update(_ACCENTED_WORD.findall(unicodedata.normalize("NFC", chunks)))
    best: dict[str, str] = {}
    for word, _ in sorted(counts.items(), key=lambda item: (-item[1], item[0])):
        best.setdefault(strip_accents_unicode(fold(word)).lower(), word)
    return best
