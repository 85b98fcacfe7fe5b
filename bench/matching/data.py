"""Deterministic synthetic organisations for the matching bench.

A taxonomy of 60 topics (therapeutic areas, technologies, services), each with a
small vocabulary in several languages, generic filler words, and three kinds of
organisations:

* planted complementary pairs: A needs topics (and words) that B offers;
* planted competitor pairs: the same offers, similar descriptions, and needs
  that neither side's offer meets;
* noise: random offers, needs and topics drawn from the same distributions.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np


def _words(text: str) -> list[str]:
    return text.split()


THERAPEUTIC = [
    "oncology", "immunology", "neurology", "cardiology", "rare diseases", "infectious diseases",
    "dermatology", "ophthalmology", "metabolic diseases", "respiratory", "rheumatology",
    "haematology", "psychiatry", "gastroenterology", "nephrology", "women's health",
    "paediatrics", "pain", "vaccines", "regenerative medicine",
]  # fmt: skip
TECHNOLOGY = [
    "CAR-T", "gene therapy", "mRNA", "antibodies", "small molecules", "peptides", "microbiome",
    "CRISPR", "organoids", "biomarkers", "diagnostics", "medical imaging", "digital health",
    "AI/data", "wearables", "drug delivery", "nanomedicine", "bioprinting", "proteomics",
    "genomics", "cell therapy", "radiopharmaceuticals",
]  # fmt: skip
SERVICES = [
    "GMP manufacturing", "clinical trials", "regulatory affairs", "preclinical testing",
    "bioinformatics", "market access", "reimbursement", "IP & patents", "fundraising",
    "quality management", "biobanking", "toxicology", "formulation", "scale-up",
    "analytical testing", "medical writing", "pharmacovigilance", "technology transfer",
]  # fmt: skip
TOPICS = THERAPEUTIC + TECHNOLOGY + SERVICES

# Real words for a few topics (several languages), the rest get generated stems.
SEED_WORDS = {
    "GMP manufacturing": ["gmp", "bioreactor", "fill", "finish", "herstellung", "fabrication"],
    "clinical trials": ["clinical", "trial", "patients", "recruitment", "essais", "badania"],
    "regulatory affairs": ["regulatory", "dossier", "ema", "submission", "zulassung"],
    "AI/data": ["machine", "learning", "algorithm", "dataset", "modèle", "tekoäly"],
    "scale-up": ["scale", "upstream", "downstream", "process", "industrialisation"],
    "oncology": ["tumour", "cancer", "onkologie", "nowotwór", "vėžys"],
    "CAR-T": ["car", "lymphocytes", "autologous", "zelltherapie"],
    "medical imaging": ["imaging", "mri", "radiology", "obrazowanie", "kuvantaminen"],
}
FILLER = _words(
    "company team innovative solutions partner european network growth experience expertise "
    "project development international quality excellence customers leading platform global "
    "services research support collaboration opportunities strategy future health market "
    "entreprise équipe innovation lösungen partnerschaft forschung wachstum société projet "
    "azienda sviluppo ricerca empresa desarrollo investigación empresa inovação parceria "
    "bedrijf onderzoek ontwikkeling firma rozwój współpraca įmonė plėtra ettevõte arendus "
    "yritys kehitys selskap utvikling"
)
KIND_WEIGHTS = {
    "sme": 0.34, "startup": 0.18, "large": 0.07, "university": 0.10, "research": 0.08,
    "hospital": 0.07, "provider": 0.10, "investor": 0.04, "public": 0.02,
}  # fmt: skip
COUNTRIES = ["BE", "DE", "FR", "IT", "ES", "PT", "NL", "PL", "LT", "EE", "FI", "NO"]
SYLLABLES = _words("ka lo mi ne ra su ti vo ze ba do fi gu he ji ku ly mo nu pa")


@dataclass
class Dataset:
    """Organisations plus the planted ground truth."""

    orgs: list[dict] = field(default_factory=list)
    partners: list[tuple[str, str]] = field(default_factory=list)  # (needs, offers)
    competitors: list[tuple[str, str]] = field(default_factory=list)


class _Maker:
    def __init__(self, seed: int) -> None:
        self.rng = np.random.default_rng(seed)
        self.vocab = {t: self._vocabulary(t) for t in TOPICS}
        self.niche = [self._word(3) for _ in range(600)]
        self.clusters = {
            c: [f"{c}-Bio{k}" for k in range(int(self.rng.integers(2, 5)))] for c in COUNTRIES
        }
        self.count = 0

    def _word(self, syllables: int) -> str:
        return "".join(self.rng.choice(SYLLABLES, size=syllables))

    def _vocabulary(self, topic: str) -> list[str]:
        words = list(SEED_WORDS.get(topic, []))
        while len(words) < 10:
            words.append(self._word(3))
        return words

    def pick(self, items: list, k: int) -> list:
        return [items[i] for i in self.rng.choice(len(items), size=k, replace=False)]

    def text(self, topics: list[str], extra: list[str] = (), n_filler: int = 8) -> str:
        words = []
        for topic in topics:
            words += self.pick(self.vocab[topic], 3)
        words += list(extra) + self.pick(FILLER, n_filler)
        # a random niche word now and then: shared terms are not only planted ones
        if self.rng.random() < 0.5:
            words.append(self.niche[int(self.rng.integers(len(self.niche)))])
        self.rng.shuffle(words)
        return " ".join(words)

    def base(self, kind: str | None = None) -> dict:
        self.count += 1
        country = COUNTRIES[int(self.rng.integers(len(COUNTRIES)))]
        kinds = list(KIND_WEIGHTS)
        p = np.array(list(KIND_WEIGHTS.values()))
        return {
            "id": f"org{self.count:05d}",
            "kind": kind or kinds[int(self.rng.choice(len(kinds), p=p / p.sum()))],
            "country": country,
            "clusters": [self.pick(self.clusters[country], 1)[0]],
        }

    def noise(self) -> dict:
        org = self.base()
        offers = self.pick(TOPICS, int(self.rng.integers(1, 4)))
        needs = self.pick([t for t in TOPICS if t not in offers], int(self.rng.integers(1, 4)))
        topics = list(dict.fromkeys(offers[:1] + self.pick(TOPICS, int(self.rng.integers(1, 4)))))
        return org | self.profile(offers, needs, topics)

    def profile(
        self,
        offers: list[str],
        needs: list[str],
        topics: list[str],
        offer_words: list[str] = (),
        need_words: list[str] = (),
    ) -> dict:
        return {
            "offer_topics": offers,
            "need_topics": needs,
            "topics": topics,
            "offers": self.text(offers, offer_words),
            "needs": self.text(needs, need_words),
            "description": self.text(topics, n_filler=12),
        }


def make_dataset(n: int, seed: int = 7, partner_share: float = 0.2, rival_share: float = 0.1):
    """``n`` organisations: planted partner pairs, competitor pairs, then noise."""
    maker = _Maker(seed)
    data = Dataset()
    for _ in range(int(n * partner_share / 2)):
        _plant_partners(maker, data)
    for _ in range(int(n * rival_share / 2)):
        _plant_competitors(maker, data)
    while len(data.orgs) < n:
        data.orgs.append(maker.noise())
    order = maker.rng.permutation(len(data.orgs))
    data.orgs = [data.orgs[i] for i in order]
    return data


def _plant_partners(maker: _Maker, data: Dataset) -> None:
    """A needs two or three topics (and two niche words) that B offers."""
    wanted = maker.pick(TECHNOLOGY + SERVICES, int(maker.rng.integers(2, 4)))
    words = maker.pick(maker.niche, 2)
    a = maker.base(kind=maker.pick(["sme", "startup", "large"], 1)[0])
    a_offers = maker.pick([t for t in TOPICS if t not in wanted], 1)
    a |= maker.profile(a_offers, wanted, a_offers + maker.pick(THERAPEUTIC, 1), need_words=words)
    b = maker.base(kind=maker.pick(["provider", "hospital", "university", "research"], 1)[0])
    b_offers = wanted + maker.pick([t for t in SERVICES if t not in wanted], 1)
    b_needs = maker.pick([t for t in TOPICS if t not in b_offers + a_offers], 1)
    b |= maker.profile(b_offers, b_needs, b_offers[:2], offer_words=words)
    data.orgs += [a, b]
    data.partners.append((a["id"], b["id"]))


def _plant_competitors(maker: _Maker, data: Dataset) -> None:
    """C and D offer the same, look alike, and need nothing the other offers.

    Every other pair states no needs at all, as many real profiles do: their lists
    then hold look-alikes, where an unchecked rival would rank first.
    """
    offers = maker.pick(TECHNOLOGY + SERVICES, 2)
    words = maker.pick(maker.niche, 2)
    topics = offers + maker.pick(THERAPEUTIC, 1)
    kind = maker.pick(["sme", "provider", "startup"], 1)[0]
    silent = len(data.competitors) % 2 == 1
    pair = []
    for _ in range(2):
        org = maker.base(kind=kind)
        needs = [] if silent else maker.pick([t for t in TOPICS if t not in offers], 2)
        org |= maker.profile(offers, needs, topics, offer_words=words)
        org["description"] = maker.text(topics, words, n_filler=10)
        if silent:
            org["needs"] = ""
        pair.append(org)
    pair[1]["country"], pair[1]["clusters"] = pair[0]["country"], pair[0]["clusters"]
    data.orgs += pair
    data.competitors.append((pair[0]["id"], pair[1]["id"]))


def is_competitor(a: dict, b: dict) -> bool:
    """Same offer (offer topics overlap by half or more), no complementary need."""
    oa, ob = set(a.get("offer_topics", [])), set(b.get("offer_topics", []))
    if not oa or not ob or len(oa & ob) / len(oa | ob) < 0.5:
        return False
    meets = set(a.get("need_topics", [])) & ob or set(b.get("need_topics", [])) & oa
    return not meets
