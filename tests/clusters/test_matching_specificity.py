"""Specific complementarity first (issue 18): hand-made sets whose right answer is known.

A need met by an offer few others make outranks one met by many; needs in any of
the five languages meet offers through the topic aliases; look-alike, kind and
place only break ties; reasons quote the specific phrase or topic that matched.
"""

from __future__ import annotations

import csv
from collections import defaultdict

import pytest

from clusters.matching import InputError, suggest_all
from clusters.matching._aliases import ALIASES_CSV


def org(oid: str, **fields) -> dict:
    return {"id": oid, **fields}


def ids(suggestions: list[dict]) -> list[str]:
    return [s["id"] for s in suggestions]


def generic_crowd(n: int, **fields) -> list[dict]:
    """n organisations that offer a common topic and have every bonus there is:
    a kind that fits an SME, A's expertise, another cluster and country."""
    base = dict(
        kind="hospital",
        country="FR",
        clusters=["Medicen"],
        topics=["Oncology", "Metabolic diseases"],
        offer_topics=["Metabolic diseases"],
        offers="Our team provides support for metabolic diseases research to partners.",
        description="University hospital working on oncology and metabolic diseases.",
    )
    return [org(f"g{k:02d}", **(base | fields)) for k in range(n)]


SME = dict(
    kind="sme",
    country="BE",
    clusters=["BioWin"],
    topics=["Oncology", "Metabolic diseases"],
    description="Biotech working on oncology and metabolic diseases.",
)


def test_a_rare_complement_beats_a_common_one():
    # A needs a common topic (offered by 30) and a rare one (offered by one organisation
    # that has no kind fit, shares nothing else and sits in A's own cluster)
    orgs = [
        org("a", **SME, need_topics=["Metabolic diseases", "Organoids"]),
        org("rare", kind="sme", country="BE", clusters=["BioWin"], offer_topics=["Organoids"]),
        *generic_crowd(30),
    ]
    result = suggest_all(orgs)["a"]
    assert ids(result)[0] == "rare"
    assert result[0]["reasons"][0] == "offers Organoids, which you need"
    assert set(ids(result)[1:]) <= {f"g{k:02d}" for k in range(30)}


def test_the_issue_example_a_shared_specific_phrase_ranks_first():
    # B offers the common topic A needs plus the specific service A describes; 40
    # others offer the common topic with a kind bonus and A's look-alike expertise
    a = org(
        "a",
        **SME,
        need_topics=["Metabolic diseases"],
        needs="We are looking for a partner experienced in CRISPR-base toxicity screening.",
    )
    b = org(
        "b",
        kind="large",
        country="BE",
        clusters=["BioWin"],
        offer_topics=["Metabolic diseases"],
        offers="Our core service is CRISPR-base toxicity screening for metabolic diseases.",
    )
    result = suggest_all([a, b, *generic_crowd(40)])["a"]
    assert ids(result)[0] == "b"
    # the reason quotes the specific phrase, not the common shared words
    assert result[0]["reasons"][0] == (
        "their offer mentions 'crispr base toxicity screening', which your needs mention"
    )


@pytest.mark.parametrize(
    "needs",
    [
        "Wir suchen Partner für Zelltherapie",
        "Nous cherchons un partenaire en thérapie cellulaire.",
        "Cerchiamo un partner esperto in terapia cellulare.",
        "Buscamos un socio con experiencia en terapia celular.",
    ],
)
def test_a_need_in_another_language_meets_an_offer_through_the_aliases(needs):
    orgs = [
        org("a", needs=needs),
        org("cell", offer_topics=["Cell therapy"], offers="We offer GMP cell therapy."),
        org("gene", offer_topics=["Gene therapy"], offers="We offer gene therapy vectors."),
    ]
    result = suggest_all(orgs)["a"]
    assert ids(result) == ["cell"]
    assert result[0]["reasons"][0] == "offers Cell therapy, which you need"


def test_aliases_also_read_the_offers_text_and_can_be_given():
    orgs = [
        org("a", need_topics=["Cell therapy"]),
        org("b", offers="Wir bieten Zelltherapie an."),  # no topic, German text
    ]
    assert ids(suggest_all(orgs)["a"]) == ["b"]
    # with no alias table, free text no longer maps to topics
    assert suggest_all(orgs, aliases=[])["a"] == []
    # a caller's own table
    own = [("Cell therapy", "de", "Zellbehandlung")]
    orgs[1]["offers"] = "Wir bieten Zellbehandlung an."
    assert ids(suggest_all(orgs, aliases=own)["a"]) == ["b"]


def test_bad_alias_rows_are_refused():
    with pytest.raises(InputError, match="alias #1"):
        suggest_all([org("a")], aliases=[("Cell therapy", "de", "Zelltherapie"), ("x", "de")])
    with pytest.raises(InputError, match="list of"):
        suggest_all([org("a")], aliases="Zelltherapie")


def test_ties_among_equal_complements_are_broken_by_look_alike():
    # two offers identical for A's need; "z-twin" shares A's expertise and would lose
    # the id tie-break, but the look-alike term puts it first
    offer = dict(offer_topics=["Clinical trials"], offers="Phase I clinical trials unit")
    orgs = [
        org("a", need_topics=["Clinical trials"], topics=["Oncology", "CAR-T"]),
        org("b-plain", **offer),
        org("z-twin", topics=["Oncology", "CAR-T"], **offer),
    ]
    assert ids(suggest_all(orgs)["a"]) == ["z-twin", "b-plain"]


def test_look_alike_kind_and_place_never_lift_a_generic_candidate_over_a_specific_one():
    # "generic" has every bonus (kind fit, look-alike expertise and description,
    # another cluster and country) and meets A's common need; "specific" has none of
    # them and meets A's rare need
    common = [org(f"c{k}", offer_topics=["Oncology"]) for k in range(10)]
    orgs = [
        org("a", **SME, need_topics=["Oncology", "Biosensors"]),
        org(
            "specific",
            kind="sme",
            country="BE",
            clusters=["BioWin"],
            offer_topics=["Biosensors", "Oncology"],
        ),
        *generic_crowd(1, offer_topics=["Oncology"]),
        *common,
    ]
    result = ids(suggest_all(orgs)["a"])
    assert result[0] == "specific"
    assert "g00" in result[1:]


def test_kind_fit_breaks_a_tie():
    offer = dict(offer_topics=["Clinical trials"], offers="Phase I clinical trials unit")
    orgs = [
        org("a", kind="sme", need_topics=["Clinical trials"]),
        org("b-investor", kind="large", **offer),
        org("c-hospital", kind="hospital", **offer),
    ]
    assert ids(suggest_all(orgs)["a"]) == ["c-hospital", "b-investor"]


def test_the_repository_alias_table_names_every_topic_in_five_languages():
    languages = defaultdict(set)
    with ALIASES_CSV.open(encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    assert rows and set(rows[0]) == {"topic", "language", "alias"}
    for row in rows:
        assert row["language"] in {"en", "de", "fr", "it", "es"}, row
        assert row["alias"].strip(), row
        languages[row["topic"]].add(row["language"])
    assert len(languages) >= 50
    assert all(langs == {"en", "de", "fr", "it", "es"} for langs in languages.values())
