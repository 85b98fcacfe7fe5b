"""Deterministic synthetic organisations for the matching bench: a hard set.

The planted signal is specific and the noise is generic, as in real networks:

* **Common topics**: the 50 curated topics of the portal (clusters/demo_data.py), with
  their names in English, German, French, Italian and Spanish taken from
  clusters/data/topic_aliases.csv. Popularity is skewed (Zipf-like), so two random
  organisations often share a topic.
* **Noise** (8,900 of 10,000): 2-6 expertise, 1-3 offer and 0-3 need topics drawn
  from the common topics; texts in the organisation's language name those topics
  among filler sentences and filler words of that language; now and then a rare
  word (from the planted phrases' pool) is sprinkled in.
* **Topic-planted pairs** (150): A needs and B offers a topic nobody else has
  (a rare topic with a name of its own in each language); both texts mention it.
* **Text-planted pairs** (150): the only link is a specific phrase of rare words
  (two rare words and a technical head noun, e.g. "vokami lutresa screening") in
  A's needs text and B's offers text; their topics are drawn like the noise's, so
  any topic link is chance. Each rare word also occurs elsewhere (in other phrases
  and sprinkled into noise texts): only the whole phrase is specific.
* **Competitors** (100 organisations with four competitors each, 500 in all): the
  same kind, expertise topics, offer topics and offer text; needs drawn from
  topics the group does not offer, so no need is met by a group-mate's offers.
* **Cross-language**: 20 % of the planted pairs of each kind (30 + 30) have A's
  needs written in another language than B's offers. For topic-planted pairs A
  then states the rare need only in its text, in its own language (the rare
  topic's alias in that language): only an alias table can link it to B's topic.
  Text-planted phrases stay as written (technical terms), the sentences around
  them are in A's language.

Harder plantings, beyond the issue's specification (each reported on its own line):

* **Niche topic** (100): A needs a topic that 15-40 other organisations list among
  their expertise and 3-8 others also need, and that B and 0-3 others offer (B as
  its only offer, the others among their usual offers); three decoys offer sibling
  topics whose names share a word with it; A's two other needs are common topics
  that many offer. A person picks B, or one of the few others, first.
* **Paraphrased phrase** (100): A and B name the same rare technique in different
  word forms: hyphenated ("kapahe-nubato screening"), plural ("... assays"),
  reordered ("screening of kapahe nubato") or upper-cased.
* **Long texts** (100): the phrase sits in offers and needs texts of 12-20 filler
  sentences and 40-80 filler words, so it is a small part of each.

``aliases`` holds the bench's curated alias table: the repository's rows for the
common topics plus the rare topics' names in the five languages.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[2]
ALIASES_CSV = ROOT / "clusters" / "data" / "topic_aliases.csv"
LANGS = ("en", "de", "fr", "it", "es")

# Country -> language of its members' texts (en also for the countries whose
# language the set does not model: members write English there).
COUNTRIES = {
    "DE": "de",
    "AT": "de",
    "FR": "fr",
    "BE": "fr",
    "IT": "it",
    "ES": "es",
    "NL": "en",
    "SE": "en",
    "DK": "en",
    "IE": "en",
    "FI": "en",
    "PL": "en",
}
COUNTRY_WEIGHTS = [0.13, 0.07, 0.1, 0.05, 0.12, 0.13, 0.08, 0.07, 0.06, 0.05, 0.07, 0.07]
KIND_WEIGHTS = {
    "sme": 0.34,
    "startup": 0.18,
    "large": 0.07,
    "university": 0.10,
    "research": 0.08,
    "hospital": 0.07,
    "provider": 0.10,
    "investor": 0.04,
    "public": 0.02,
}

# Sentence frames: {x} is a list of topic names or a phrase.
OFFER_FRAMES = {
    "en": ["We offer {x}.", "Our team provides {x} to partners.", "Our core service is {x}."],
    "de": [
        "Wir bieten {x} an.",
        "Unser Team unterstützt Partner bei {x}.",
        "Unsere Kernleistung ist {x}.",
    ],
    "fr": [
        "Nous proposons {x}.",
        "Notre équipe accompagne ses partenaires en {x}.",
        "Notre service principal est {x}.",
    ],
    "it": [
        "Offriamo {x}.",
        "Il nostro team supporta i partner in {x}.",
        "Il nostro servizio principale è {x}.",
    ],
    "es": [
        "Ofrecemos {x}.",
        "Nuestro equipo apoya a sus socios en {x}.",
        "Nuestro servicio principal es {x}.",
    ],
}
NEED_FRAMES = {
    "en": ["We are looking for a partner experienced in {x}.", "We need support with {x}."],
    "de": ["Wir suchen Partner für {x}.", "Wir brauchen Unterstützung bei {x}."],
    "fr": ["Nous cherchons un partenaire pour {x}.", "Nous avons besoin d'aide en {x}."],
    "it": ["Cerchiamo un partner esperto in {x}.", "Abbiamo bisogno di supporto per {x}."],
    "es": ["Buscamos un socio con experiencia en {x}.", "Necesitamos apoyo en {x}."],
}
ABOUT_FRAMES = {
    "en": ["We work on {x}."],
    "de": ["Wir arbeiten an {x}."],
    "fr": ["Nous travaillons sur {x}."],
    "it": ["Lavoriamo su {x}."],
    "es": ["Trabajamos en {x}."],
}
AND = {"en": "and", "de": "und", "fr": "et", "it": "e", "es": "y"}
FILLER_SENTENCES = {
    "en": [
        "Founded by experienced scientists, the company grows across Europe.",
        "Our international team combines research excellence with industrial experience.",
        "We collaborate with universities, hospitals and industry partners.",
        "The company focuses on quality, reliability and fast delivery for customers.",
        "Our platform supports projects from early research to the market.",
        "We are open to joint projects, licensing and funded consortia.",
    ],
    "de": [
        "Das Unternehmen wurde von erfahrenen Wissenschaftlern gegründet und wächst europaweit.",
        "Unser internationales Team verbindet Forschung mit industrieller Erfahrung.",
        "Wir arbeiten mit Universitäten, Kliniken und Industriepartnern zusammen.",
        "Qualität, Zuverlässigkeit und schnelle Lieferung stehen für uns im Mittelpunkt.",
        "Unsere Plattform begleitet Projekte von der Forschung bis zum Markt.",
        "Wir sind offen für gemeinsame Projekte, Lizenzen und geförderte Konsortien.",
    ],
    "fr": [
        "Fondée par des scientifiques expérimentés, la société se développe en Europe.",
        "Notre équipe internationale associe excellence scientifique et expérience industrielle.",
        "Nous collaborons avec des universités, des hôpitaux et des industriels.",
        "La société mise sur la qualité, la fiabilité et des délais courts pour ses clients.",
        "Notre plateforme accompagne les projets de la recherche jusqu'au marché.",
        "Nous sommes ouverts aux projets communs, aux licences et aux consortiums financés.",
    ],
    "it": [
        "Fondata da scienziati esperti, l'azienda cresce in tutta Europa.",
        "Il nostro team internazionale unisce eccellenza nella ricerca ed esperienza industriale.",
        "Collaboriamo con università, ospedali e partner industriali.",
        "L'azienda punta su qualità, affidabilità e consegne rapide per i clienti.",
        "La nostra piattaforma accompagna i progetti dalla ricerca al mercato.",
        "Siamo aperti a progetti comuni, licenze e consorzi finanziati.",
    ],
    "es": [
        "Fundada por científicos con experiencia, la empresa crece en toda Europa.",
        "Nuestro equipo internacional combina excelencia investigadora y experiencia industrial.",
        "Colaboramos con universidades, hospitales y socios industriales.",
        "La empresa apuesta por la calidad, la fiabilidad y plazos cortos para sus clientes.",
        "Nuestra plataforma acompaña los proyectos desde la investigación hasta el mercado.",
        "Estamos abiertos a proyectos conjuntos, licencias y consorcios financiados.",
    ],
}
FILLER_WORDS = {
    "en": "innovative solutions growth network expertise strategy customers leading global "
    "support opportunities future healthcare excellence pipeline portfolio partners region "
    "funding experience knowledge services quality technology development",
    "de": "innovative Lösungen Wachstum Netzwerk Kompetenz Strategie Kunden führend global "
    "Unterstützung Chancen Zukunft Gesundheitswesen Exzellenz Pipeline Portfolio Region "
    "Förderung Erfahrung Wissen Dienstleistungen Qualität Technologie Entwicklung",
    "fr": "solutions innovantes croissance réseau compétences stratégie clients leader mondial "
    "soutien opportunités avenir santé excellence portefeuille région financement expérience "
    "savoir services qualité technologie développement",
    "it": "soluzioni innovative crescita rete competenze strategia clienti leader globale "
    "supporto opportunità futuro sanità eccellenza portafoglio regione finanziamento "
    "esperienza conoscenza servizi qualità tecnologia sviluppo",
    "es": "soluciones innovadoras crecimiento red competencias estrategia clientes líder global "
    "apoyo oportunidades futuro sanidad excelencia cartera región financiación experiencia "
    "conocimiento servicios calidad tecnología desarrollo",
}
HEADS = [
    "screening",
    "assay",
    "profiling",
    "platform",
    "modelling",
    "analysis",
    "sequencing",
    "imaging",
    "synthesis",
    "validation",
    "characterisation",
    "purification",
    "testing",
    "delivery",
    "engineering",
]
SYLLABLES = [
    "ka",
    "lo",
    "mi",
    "ne",
    "ra",
    "su",
    "ti",
    "vo",
    "ze",
    "ba",
    "do",
    "fi",
    "gu",
    "he",
    "ji",
    "ku",
    "ly",
    "mo",
    "nu",
    "pa",
    "re",
    "sa",
    "to",
    "vi",
    "xe",
]


def common_topics() -> tuple[list[str], dict[str, dict[str, str]], list[tuple[str, str, str]]]:
    """The curated topics, their first name in each language, and all alias rows."""
    rows = []
    names: dict[str, dict[str, str]] = {}
    with ALIASES_CSV.open(encoding="utf-8") as f:
        for row in csv.DictReader(f):
            rows.append((row["topic"], row["language"], row["alias"]))
            names.setdefault(row["topic"], {}).setdefault(row["language"], row["alias"])
    topics = [t for t in names if all(lang in names[t] for lang in LANGS)]
    return topics, names, rows


@dataclass
class Dataset:
    """Organisations, the alias table, and the planted ground truth."""

    orgs: list[dict] = field(default_factory=list)
    aliases: list[tuple[str, str, str]] = field(default_factory=list)
    # (A needs, B offers, kind "topic"/"text", cross-language)
    planted: list[tuple[str, str, str, bool]] = field(default_factory=list)
    # focal organisation -> its four competitors
    competitors: dict[str, list[str]] = field(default_factory=dict)


class _Maker:
    def __init__(self, seed: int) -> None:
        self.rng = np.random.default_rng(seed)
        self.topics, self.names, self.alias_rows = common_topics()
        ranks = np.arange(len(self.topics))
        weights = 1.0 / (ranks + 3.0) ** 1.1
        self.popularity = weights / weights.sum()
        self.seen: set[str] = set()
        self.pool = [self.word(3) for _ in range(320)]  # rare words of the phrases
        self.count = 0

    def word(self, syllables: int) -> str:
        while True:
            w = "".join(self.rng.choice(SYLLABLES, size=syllables))
            if w not in self.seen:
                self.seen.add(w)
                return w

    def draw(self, k: int, exclude: set[str] = frozenset()) -> list[str]:
        p = self.popularity.copy()
        for i, t in enumerate(self.topics):
            if t in exclude:
                p[i] = 0
        p /= p.sum()
        return [self.topics[i] for i in self.rng.choice(len(self.topics), k, replace=False, p=p)]

    def one(self, items):
        return items[int(self.rng.integers(len(items)))]

    def listing(self, names: list[str], lang: str) -> str:
        if len(names) <= 1:
            return "".join(names)
        return f"{', '.join(names[:-1])} {AND[lang]} {names[-1]}"

    def text(self, lang: str, frames: dict, names: list[str], extra: list[str] = ()) -> str:
        """Frames naming the topics, filler sentences and words, in random order."""
        parts = []
        if names:
            parts.append(self.one(frames[lang]).format(x=self.listing(names, lang)))
        parts += [self.one(frames[lang]).format(x=x) for x in extra]
        sentences = FILLER_SENTENCES[lang]
        for i in self.rng.choice(len(sentences), int(self.rng.integers(0, 4)), replace=False):
            parts.append(sentences[i])
        words = FILLER_WORDS[lang].split()
        n_words = int(self.rng.integers(0, 9))
        if n_words:
            parts.append(" ".join(self.one(words) for _ in range(n_words)) + ".")
        if self.rng.random() < 0.3:  # a rare word out of context: unigrams alone mislead
            parts.append(self.one(self.pool) + ".")
        order = self.rng.permutation(len(parts))
        return " ".join(parts[i] for i in order)

    def base(self, kind: str | None = None, lang: str | None = None) -> dict:
        self.count += 1
        countries = list(COUNTRIES)
        while True:
            country = countries[int(self.rng.choice(len(countries), p=COUNTRY_WEIGHTS))]
            if lang is None or COUNTRIES[country] == lang:
                break
        kinds = list(KIND_WEIGHTS)
        p = np.array(list(KIND_WEIGHTS.values()))
        return {
            "id": f"org{self.count:05d}",
            "kind": kind or kinds[int(self.rng.choice(len(kinds), p=p / p.sum()))],
            "country": country,
            "clusters": [f"{country}-Bio{int(self.rng.integers(3))}"],
        }

    def topic_lists(self, exclude_offers: set[str] = frozenset()) -> dict[str, list[str]]:
        offers = self.draw(int(self.rng.integers(1, 4)), exclude_offers)
        needs = self.draw(int(self.rng.integers(0, 4)), set(offers))
        topics = list(dict.fromkeys(offers[:1] + self.draw(int(self.rng.integers(2, 7)))))
        return {"topics": topics, "offer_topics": offers, "need_topics": needs}

    def fill(self, org: dict, lists: dict, lang: str, offer_extra=(), need_extra=(), own=None):
        """Texts of ``org`` in ``lang``; ``own`` maps topics to names (rare topics)."""

        def named(ts):
            return [(own or {}).get(t, {}).get(lang) or self.names[t][lang] for t in ts]

        org |= lists
        org["offers"] = self.text(lang, OFFER_FRAMES, named(lists["offer_topics"]), offer_extra)
        org["needs"] = self.text(lang, NEED_FRAMES, named(lists["need_topics"]), need_extra)
        if not lists["need_topics"] and not need_extra:
            org["needs"] = ""
        org["description"] = self.text(lang, ABOUT_FRAMES, named(lists["topics"]))
        return org

    def lang_of(self, org: dict) -> str:
        return COUNTRIES[org["country"]]

    def noise(self) -> dict:
        org = self.base()
        return self.fill(org, self.topic_lists(), self.lang_of(org))


def make_dataset(
    n: int, seed: int = 7, n_topic=150, n_text=150, n_rival=100, cross=0.2, n_hard=100
):
    """``n`` organisations (n >= 2,500 for the default plantings)."""
    maker = _Maker(seed)
    data = Dataset(aliases=list(maker.alias_rows))
    scale = min(1.0, n / 10000)
    n_topic, n_text, n_rival, n_hard = (
        max(1, round(k * scale)) for k in (n_topic, n_text, n_rival, n_hard)
    )
    for k in range(n_topic):
        _plant_topic(maker, data, crossed=k < round(cross * n_topic))
    for k in range(n_text):
        _plant_text(maker, data, crossed=k < round(cross * n_text))
    for _ in range(n_rival):
        _plant_competitors(maker, data)
    niches = [_plant_niche(maker, data) for _ in range(n_hard)]
    for _ in range(n_hard):
        _plant_paraphrase(maker, data)
    for _ in range(n_hard):
        _plant_long(maker, data)
    while len(data.orgs) < n:
        data.orgs.append(maker.noise())
    _spread_niches(maker, data, niches)
    _sprinkle(maker, data)
    order = maker.rng.permutation(len(data.orgs))
    data.orgs = [data.orgs[i] for i in order]
    return data


def _pair_langs(maker: _Maker, crossed: bool) -> tuple[str, str]:
    a = maker.one(LANGS)
    b = maker.one([x for x in LANGS if x != a]) if crossed else a
    return a, b


def _plant_topic(maker: _Maker, data: Dataset, crossed: bool) -> None:
    """A needs and B offers a rare topic (named differently in each language)."""
    names = {lang: f"{maker.word(3)} {maker.word(3)}" for lang in LANGS}
    label = names["en"].capitalize()
    own = {label: names}
    data.aliases += [(label, lang, names[lang]) for lang in LANGS]
    la, lb = _pair_langs(maker, crossed)
    a = maker.base(kind=maker.one(["sme", "startup", "large"]), lang=la)
    b = maker.base(lang=lb)
    a_lists, b_lists = maker.topic_lists(), maker.topic_lists()
    b_lists["offer_topics"] = [label, *b_lists["offer_topics"][:2]]
    b_lists["topics"] = [label, *b_lists["topics"]]
    if crossed:  # the rare need only in A's own words, in A's language
        maker.fill(a, a_lists, la, need_extra=[names[la]])
    else:
        a_lists["need_topics"] = [label, *a_lists["need_topics"][:2]]
        maker.fill(a, a_lists, la, own=own)
    maker.fill(b, b_lists, lb, own=own)
    data.orgs += [a, b]
    data.planted.append((a["id"], b["id"], "topic", crossed))


def _plant_text(maker: _Maker, data: Dataset, crossed: bool) -> None:
    """The only link: a phrase of two rare words and a head noun."""
    w1, w2 = (maker.pool[i] for i in maker.rng.choice(len(maker.pool), 2, replace=False))
    phrase = f"{w1} {w2} {maker.one(HEADS)}"
    la, lb = _pair_langs(maker, crossed)
    a = maker.base(kind=maker.one(["sme", "startup", "large"]), lang=la)
    b = maker.base(lang=lb)
    maker.fill(a, maker.topic_lists(), la, need_extra=[phrase])
    maker.fill(b, maker.topic_lists(), lb, offer_extra=[phrase])
    data.orgs += [a, b]
    data.planted.append((a["id"], b["id"], "text", crossed))


def _plant_competitors(maker: _Maker, data: Dataset) -> None:
    """A focal organisation and four competitors: same kind, expertise, offers."""
    lang = maker.one(LANGS)
    kind = maker.one(["sme", "provider", "startup", "research"])
    shared = maker.topic_lists()
    focal = maker.fill(maker.base(kind=kind, lang=lang), dict(shared), lang)
    group = [focal]
    for _ in range(4):
        org = maker.base(kind=kind, lang=lang)
        lists = dict(shared)
        lists["need_topics"] = maker.draw(
            int(maker.rng.integers(0, 4)), set(shared["offer_topics"])
        )
        maker.fill(org, lists, lang)
        org["offers"] = focal["offers"]
        group.append(org)
    data.orgs += group
    data.competitors[focal["id"]] = [o["id"] for o in group[1:]]


def _rare_topic(maker: _Maker, data: Dataset, first: str | None = None) -> tuple[str, dict]:
    """A new topic with a name of its own in each language (and its alias rows)."""
    names = {lang: f"{first or maker.word(3)} {maker.word(3)}" for lang in LANGS}
    label = names["en"].capitalize()
    data.aliases += [(label, lang, names[lang]) for lang in LANGS]
    return label, names


def _plant_niche(maker: _Maker, data: Dataset) -> tuple[str, dict, list[dict]]:
    """A needs a topic many know and few need, which only B offers; sibling decoys."""
    label, names = _rare_topic(maker, data)
    own = {label: names}
    lang = maker.one(LANGS)
    a = maker.base(kind=maker.one(["sme", "startup", "large"]), lang=lang)
    b = maker.base(lang=lang)
    a_lists, b_lists = maker.topic_lists(), maker.topic_lists()
    a_lists["need_topics"] = [label, *maker.draw(2, set(a_lists["offer_topics"]))]
    b_lists["offer_topics"] = [label]
    b_lists["topics"] = [label, *b_lists["topics"]]
    maker.fill(a, a_lists, lang, own=own)
    maker.fill(b, b_lists, lang, own=own)
    decoys = []
    first = names["en"].split()[0]
    for _ in range(3):
        sib, sib_names = _rare_topic(maker, data, first=first)
        d = maker.base(lang=lang)
        lists = maker.topic_lists()
        lists["offer_topics"] = [sib, *lists["offer_topics"][:1]]
        decoys.append(maker.fill(d, lists, lang, own={sib: sib_names}))
    data.orgs += [a, b, *decoys]
    data.planted.append((a["id"], b["id"], "niche", False))
    return label, own, [a, b, *decoys]


def _spread_niches(maker: _Maker, data: Dataset, niches) -> None:
    """Each niche topic into 15-40 noise organisations' expertise, 3-8 needs and 0-3
    offers."""
    planted = {o["id"] for _l, _own, group in niches for o in group}
    pool = [o for o in data.orgs if o["id"] not in planted and o["id"] not in data.competitors]
    for label, own, _group in niches:
        n_need, n_know = int(maker.rng.integers(3, 9)), int(maker.rng.integers(15, 41))
        n_offer = int(maker.rng.integers(0, 4))
        picks = maker.rng.choice(len(pool), n_offer + n_need + n_know, replace=False)
        for k, i in enumerate(picks):
            org = pool[int(i)]
            lang = COUNTRIES[org["country"]]
            name = own[label][lang]
            if k < n_offer:  # a few others offer it too, in a list of their offers
                org["offer_topics"] = [*org["offer_topics"], label]
                org["offers"] = f"{org['offers']} {maker.one(OFFER_FRAMES[lang]).format(x=name)}"
            elif k < n_offer + n_need:
                org["need_topics"] = [*org["need_topics"], label]
                org["needs"] = f"{org['needs']} {maker.one(NEED_FRAMES[lang]).format(x=name)}"
            else:
                org["topics"] = [*org["topics"], label]
                org["description"] = (
                    f"{org['description']} {maker.one(ABOUT_FRAMES[lang]).format(x=name)}"
                )


def _variant(maker: _Maker, w1: str, w2: str, head: str) -> str:
    """The same technique in another word form."""
    form = int(maker.rng.integers(4))
    if form == 0:
        return f"{w1}-{w2} {head}"
    if form == 1:
        return f"{w1} {w2} {head}s"
    if form == 2:
        return f"{head} of {w1} {w2}"
    return f"{w1.upper()} {w2.capitalize()} {head}"


def _plant_paraphrase(maker: _Maker, data: Dataset) -> None:
    """A's need and B's offer name one technique in different word forms."""
    w1, w2 = (maker.pool[i] for i in maker.rng.choice(len(maker.pool), 2, replace=False))
    head = maker.one(HEADS)
    lang = maker.one(LANGS)
    a = maker.base(kind=maker.one(["sme", "startup", "large"]), lang=lang)
    b = maker.base(lang=lang)
    maker.fill(a, maker.topic_lists(), lang, need_extra=[_variant(maker, w1, w2, head)])
    maker.fill(b, maker.topic_lists(), lang, offer_extra=[f"{w1} {w2} {head}"])
    data.orgs += [a, b]
    data.planted.append((a["id"], b["id"], "paraphrase", False))


def _long(maker: _Maker, lang: str, text: str) -> str:
    sentences = FILLER_SENTENCES[lang]
    words = FILLER_WORDS[lang].split()
    parts = [text]
    parts += [maker.one(sentences) for _ in range(int(maker.rng.integers(12, 21)))]
    parts.append(" ".join(maker.one(words) for _ in range(int(maker.rng.integers(40, 81)))) + ".")
    order = maker.rng.permutation(len(parts))
    return " ".join(parts[i] for i in order)


def _plant_long(maker: _Maker, data: Dataset) -> None:
    """The phrase link inside long offers and needs texts."""
    w1, w2 = (maker.pool[i] for i in maker.rng.choice(len(maker.pool), 2, replace=False))
    phrase = f"{w1} {w2} {maker.one(HEADS)}"
    lang = maker.one(LANGS)
    a = maker.base(kind=maker.one(["sme", "startup", "large"]), lang=lang)
    b = maker.base(lang=lang)
    maker.fill(a, maker.topic_lists(), lang, need_extra=[phrase])
    maker.fill(b, maker.topic_lists(), lang, offer_extra=[phrase])
    a["needs"] = _long(maker, lang, a["needs"])
    b["offers"] = _long(maker, lang, b["offers"])
    data.orgs += [a, b]
    data.planted.append((a["id"], b["id"], "long", False))


def _sprinkle(maker: _Maker, data: Dataset) -> None:
    """Each rare word of the pool also appears in three random texts."""
    for w in maker.pool:
        for i in maker.rng.choice(len(data.orgs), 3, replace=False):
            key = maker.one(["offers", "needs", "description"])
            data.orgs[int(i)][key] = f"{data.orgs[int(i)].get(key, '')} {w}".strip()


def is_competitor(a: dict, b: dict) -> bool:
    """Same offer (offer topics overlap by half or more), no complementary need."""
    oa, ob = set(a.get("offer_topics", [])), set(b.get("offer_topics", []))
    if not oa or not ob or len(oa & ob) / len(oa | ob) < 0.5:
        return False
    meets = set(a.get("need_topics", [])) & ob or set(b.get("need_topics", [])) & oa
    return not meets
