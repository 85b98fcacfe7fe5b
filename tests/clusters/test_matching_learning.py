"""Learning from what members do (issue 18): a bounded, explainable re-ranking term.

Accepted introductions ("connected") raise candidates of the same kind as the
organisations one was introduced to; dismissals lower candidates of the kind one
dismissed. The term moves a score by at most 4 %, so it orders near-equal
complements and never lifts a generic candidate over a specific one.
"""

from __future__ import annotations

import copy

from clusters.matching import MatchIndex, suggest_all, suggest_for

LIKE = "like the organisations you contacted"


def org(oid: str, **fields) -> dict:
    return {"id": oid, **fields}


def ids(suggestions: list[dict]) -> list[str]:
    return [s["id"] for s in suggestions]


def network() -> list[dict]:
    """An SME needing clinical trials; a provider and a university offering them alike;
    another provider and another university to be dismissed or introduced to."""
    offer = dict(offer_topics=["Clinical trials"], offers="Phase I clinical trials unit")
    return [
        org("a", kind="sme", need_topics=["Clinical trials"]),
        org("b-provider", kind="provider", **offer),
        org("c-university", kind="university", **offer),
        org("p-other", kind="provider", offer_topics=["Antibodies"]),
        org("u-other", kind="university", offer_topics=["Genomics"]),
    ]


def test_a_dismissed_kind_of_partner_sinks():
    orgs = network()
    assert ids(suggest_all(orgs)["a"])[:2] == ["b-provider", "c-university"]  # by id
    orgs[0]["dismissed"] = ["p-other"]  # a provider, dismissed
    assert ids(suggest_all(orgs)["a"])[:2] == ["c-university", "b-provider"]


def test_an_introduction_raises_that_kind_and_says_why():
    orgs = network()
    orgs[0]["connected"] = ["u-other"]  # an accepted introduction to a university
    first = suggest_all(orgs)["a"][0]
    assert first["id"] == "c-university"
    assert LIKE in first["reasons"]
    # the provider gets no such reason
    second = suggest_all(orgs)["a"][1]
    assert second["id"] == "b-provider" and LIKE not in second["reasons"]


def test_learning_never_lifts_a_generic_candidate_over_a_specific_one():
    # the dismissed kind (provider) holds the only rare complement: it stays first
    crowd = [org(f"u{k}", kind="university", offer_topics=["Oncology"]) for k in range(10)]
    orgs = [
        org(
            "a",
            kind="sme",
            need_topics=["Oncology", "Biosensors"],
            dismissed=["p-other"],
            connected=["u-other"],
        ),
        org("rare", kind="provider", offer_topics=["Biosensors"]),
        org("p-other", kind="provider"),
        org("u-other", kind="university"),
        *crowd,
    ]
    assert ids(suggest_all(orgs)["a"])[0] == "rare"


def test_updates_follow_dismissals_and_introductions():
    orgs = network()
    index = MatchIndex(orgs, top=3, spare=1)
    for oid, change in [
        ("a", {"dismissed": ["p-other"]}),
        ("u-other", {"connected": ["a"]}),  # the other side records the introduction
        ("u-other", {"kind": "provider"}),  # now a's introduction was to a provider
        ("a", {"dismissed": []}),
    ]:
        changed = next(o for o in orgs if o["id"] == oid)
        changed.update(copy.deepcopy(change))
        suggest_for(oid, orgs, top=3, index=index)
        assert index.suggestions() == suggest_all(orgs, top=3), (oid, change)
