"""Partner matchmaking core: hand-made sets whose right answer is known."""

from __future__ import annotations

import ast
import copy
import json
import subprocess
import sys
from pathlib import Path

import pytest

from clusters.matching import InputError, MatchIndex, suggest_all, suggest_for
from clusters.matching.__main__ import main as cli_main

ROOT = Path(__file__).resolve().parents[2]


def org(oid: str, **fields) -> dict:
    return {"id": oid, **fields}


def ids(suggestions: list[dict]) -> list[str]:
    return [s["id"] for s in suggestions]


def biotech_set() -> list[dict]:
    """An SME needing clinical trials, a hospital running them, a look-alike SME,
    a direct competitor of the hospital, and an unrelated investor."""
    return [
        org(
            "sme",
            kind="sme",
            country="BE",
            clusters=["BioWin"],
            topics=["CAR-T", "Oncology"],
            offer_topics=["CAR-T"],
            need_topics=["Clinical trials"],
            offers="Autologous CAR-T cell therapy for lymphoma",
            needs="Hospital partner to run phase I clinical trials with patient recruitment",
            description="Biotech developing CAR-T cell therapy against lymphoma",
        ),
        org(
            "hospital",
            kind="hospital",
            country="FR",
            clusters=["Medicen"],
            topics=["Oncology"],
            offer_topics=["Clinical trials"],
            need_topics=["Medical imaging"],
            offers="Phase I clinical trials unit, patient recruitment, haematology wards",
            needs="Imaging software for tumour response",
            description="University hospital with a cancer centre",
        ),
        org(
            "twin",
            kind="sme",
            country="BE",
            clusters=["BioWin"],
            topics=["CAR-T", "Oncology"],
            offer_topics=["Antibodies"],
            need_topics=["Fundraising"],
            offers="Bispecific antibodies",
            needs="Series A investors",
            description="Biotech developing CAR-T cell therapy against lymphoma",
        ),
        org(
            "rival",
            kind="hospital",
            country="FR",
            clusters=["Medicen"],
            topics=["Oncology"],
            offer_topics=["Clinical trials"],
            need_topics=["Fundraising"],
            offers="Phase I clinical trials unit, patient recruitment, haematology wards",
            needs="Donors for a new building",
            description="University hospital with a cancer centre",
        ),
        org("fund", kind="investor", country="DE", description="Venture capital"),
    ]


# ------------------------------------------------------------------ ranking


def test_complementary_partner_ranks_above_lookalike():
    result = suggest_all(biotech_set())
    assert ids(result["sme"])[:2] == ["hospital", "rival"]
    assert ids(result["sme"]).index("twin") > ids(result["sme"]).index("hospital")


def test_competitors_rank_low_unless_needs_meet():
    result = suggest_all(biotech_set())
    # same offer, no complementary need: the two hospitals never see each other
    assert "rival" not in ids(result["hospital"])
    assert "hospital" not in ids(result["rival"])
    # ... but a competitor whose needs are met by the other is suggested
    orgs = biotech_set()
    orgs[3]["offer_topics"] = ["Clinical trials", "Medical imaging"]
    orgs[3]["offers"] += " and tumour imaging software"
    assert ids(suggest_all(orgs)["hospital"])[0] == "rival"


def test_lookalike_rival_is_not_suggested_even_to_an_organisation_without_needs():
    same = dict(
        kind="provider",
        topics=["Toxicology", "Formulation"],
        offer_topics=["Toxicology"],
        offers="GLP toxicology studies in rodents",
        description="Contract lab for GLP toxicology and formulation",
    )
    orgs = [
        org("lab-a", **same),
        org("lab-b", **same),
        org("client", kind="sme", need_topics=["Toxicology"], needs="GLP toxicology"),
    ]
    result = suggest_all(orgs)
    assert ids(result["lab-a"]) == ["client"]
    assert ids(result["lab-b"]) == ["client"]
    assert ids(result["client"]) == ["lab-a", "lab-b"]


def test_kind_fit_breaks_an_otherwise_equal_choice():
    base = dict(need_topics=["GMP manufacturing"], offer_topics=["Gene therapy"])
    offer = dict(offer_topics=["GMP manufacturing"])
    orgs = [
        org("a", kind="SME", **base),
        org("b-large", kind="large company", **offer),
        org("c-cro", kind="service provider", **offer),
    ]
    result = suggest_all(orgs)["a"]
    assert ids(result) == ["c-cro", "b-large"]
    assert result[0]["score"] > result[1]["score"]


def test_another_cluster_gets_a_small_bonus():
    need = dict(country="BE", clusters=["BioWin"], need_topics=["Regulatory affairs"])
    offer = dict(offer_topics=["Regulatory affairs"])
    orgs = [
        org("a", **need),
        org("home", country="BE", clusters=["BioWin"], **offer),
        org("away", country="LT", clusters=["Life Sciences Baltics"], **offer),
    ]
    result = suggest_all(orgs)["a"]
    assert ids(result) == ["away", "home"]
    assert result[0]["reasons"] == [
        "offers Regulatory affairs, which you need",
        "in another cluster: Life Sciences Baltics (LT)",
    ]
    # a tie-break only: the multiplier moves a score by at most 5 % (0.95-1)
    assert result[1]["score"] < result[0]["score"] < result[1]["score"] * 1.02


def test_ties_are_broken_by_id_whatever_the_input_order():
    same = dict(offer_topics=["Bioinformatics"], offers="genome pipelines")
    orgs = [
        org("a", need_topics=["Bioinformatics"], needs="genome pipelines"),
        org("c", **same),
        org("b", **same),
        org("d", **same),
    ]
    first = suggest_all(orgs, top=3)["a"]
    assert ids(first) == ["b", "c", "d"]
    assert len({s["score"] for s in first}) == 1
    assert suggest_all(list(reversed(orgs)), top=3)["a"] == first
    assert ids(suggest_all(orgs, top=2)["a"]) == ["b", "c"]


def test_scores_are_in_unit_interval_and_sorted():
    result = suggest_all(biotech_set())
    for suggestions in result.values():
        scores = [s["score"] for s in suggestions]
        assert scores == sorted(scores, reverse=True)
        assert all(0 < s <= 1 for s in scores)
        assert all(1 <= len(s["reasons"]) <= 4 for s in suggestions)


# ------------------------------------------------------------------ edge cases


def test_empty_profiles_give_no_suggestions():
    assert suggest_all([org("a"), org("b"), org("c", kind="sme")]) == {"a": [], "b": [], "c": []}


def test_organisation_with_nothing_in_common_is_not_suggested():
    orgs = [*biotech_set(), org("loner", kind="sme", needs="zzz qqq", topics=["Veterinary"])]
    result = suggest_all(orgs)
    assert result["loner"] == []
    assert all("loner" not in ids(lst) for lst in result.values())


def test_single_and_no_organisation():
    assert suggest_all([org("only", need_topics=["AI/data"], needs="data")]) == {"only": []}
    assert suggest_all([]) == {}


def test_never_self_hidden_connected_or_dismissed():
    offer = dict(offer_topics=["Scale-up"], need_topics=["Scale-up"], offers="scale", needs="scale")
    orgs = [
        org("a", connected=["b"], dismissed=["c"], **offer),
        org("b", **offer),
        org("c", **offer),
        org("d", hidden=True, **offer),
        org("e", **offer),
    ]
    result = suggest_all(orgs)
    assert ids(result["a"]) == ["e"]  # not self, b connected, c dismissed, d hidden
    assert ids(result["b"]) == ["c", "e"]  # connected works both ways
    assert ids(result["c"]) == ["a", "b", "e"]  # dismissal is one-sided
    assert result["d"] == []  # hidden: neither receives nor appears
    assert all("d" not in ids(lst) for lst in result.values())


def test_unknown_ids_in_links_are_ignored():
    orgs = [org("a", need_topics=["X"], connected=["ghost"]), org("b", offer_topics=["X"])]
    assert ids(suggest_all(orgs)["a"]) == ["b"]


# ------------------------------------------------------------------ text and reasons


@pytest.mark.parametrize(
    ("needs", "offers", "spelt"),
    [
        (
            "Zelltherapie für Lymphome, Großhandel",
            "zelltherapie fur lymphome grosshandel",
            "großhandel lymphome",
        ),
        (
            "essais cliniques thérapie génique",
            "Essais cliniques, therapie genique",
            "cliniques essais génique",
        ),
        ("sperimentazione clinica, qualità", "sperimentazione clinica qualita", "clinica qualità"),
        ("ensayos clínicos, producción", "ensayos clinicos produccion", "clínicos producción"),
        ("ensaios clínicos e produção", "ensaios clinicos producao", "clínicos produção"),
        ("klinische proeven, coöperatie", "klinische proeven cooperatie", "klinische coöperatie"),
        ("Łódź: współpraca, produkcja leków", "lodz wspolpraca produkcja lekow", "leków łódź"),
        (
            "vėžio gydymas, klinikiniai tyrimai",
            "vezio gydymas klinikiniai tyrimai",
            "gydymas klinikiniai",
        ),
        (
            "Kliiniliste uuringute läbiviimine",
            "kliiniliste uuringute labiviimine",
            "kliiniliste läbiviimine",
        ),
        (
            "kliinisten tutkimusten järjestäminen",
            "kliinisten tutkimusten jarjestaminen",
            "järjestäminen kliinisten",
        ),
        ("kliniske studier, søknad", "kliniske studier soknad", "kliniske søknad"),
    ],
)
def test_text_matches_across_accents(needs, offers, spelt):
    orgs = [
        org("a", needs=needs),
        org("b", offers=offers),
        org("noise", offers="veterinary feed additives"),
    ]
    # aliases=[]: text alone (the default table would also map some words to topics)
    [found] = suggest_all(orgs, aliases=[])["a"]
    assert found["id"] == "b"
    [reason] = found["reasons"]
    # one reason quoting the shared phrase, its words spelt as written in the texts
    assert reason.startswith("their offer mentions '")
    assert reason.endswith("', which your needs mention")
    assert all(word in reason for word in spelt.split())


def test_reasons_exact_for_a_hand_case():
    result = suggest_all(biotech_set())
    first = result["sme"][0]
    assert first["id"] == "hospital"
    # the topic exchanged first, then the shared phrases, quoted whole
    assert first["reasons"] == [
        "offers Clinical trials, which you need",
        "their offer mentions 'phase clinical trials', 'patient recruitment', which your needs "
        "mention",
        "a hospital, a good fit for an SME",
        "in another cluster: Medicen (FR)",
    ]
    assert first["score"] == 0.544505
    # the way back weighs less: serving a need counts less than having one met
    back = result["hospital"][0]
    assert back["id"] == "sme"
    assert back["score"] == 0.290112
    assert back["reasons"] == [
        "needs Clinical trials, which you offer",
        "their needs mention 'phase clinical trials', 'patient recruitment', which your offer "
        "mentions",
        "an SME, a good fit for a hospital",
        "in another cluster: BioWin (BE)",
    ]
    # a look-alike with nothing complementary comes last, with look-alike reasons
    assert result["twin"][-1]["reasons"] == [
        "both work on Oncology",
        "a hospital, a good fit for an SME",
        "in another cluster: Medicen (FR)",
    ]


def test_topic_reason_lists_at_most_three_names():
    topics = ["Genomics", "Proteomics", "Biobanking", "Toxicology", "Formulation"]
    orgs = [org("a", need_topics=topics), org("b", offer_topics=topics)]
    assert suggest_all(orgs)["a"][0]["reasons"] == [
        "offers Biobanking, Formulation, Genomics and 2 more, which you need"
    ]


# ------------------------------------------------------------------ purity


def test_module_imports_nothing_from_django():
    allowed = {"numpy", "scipy", "sklearn"} | set(sys.stdlib_module_names)
    package = ROOT / "clusters" / "matching"
    found = set()
    for path in package.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                found |= {alias.name.split(".")[0] for alias in node.names}
            elif isinstance(node, ast.ImportFrom) and node.level == 0:
                found.add(node.module.split(".")[0])
    assert found <= allowed, found - allowed


# ------------------------------------------------------------------ input errors


@pytest.mark.parametrize(
    ("orgs", "message"),
    [
        ({"id": "a"}, "'organisations' must be a list"),
        ([{"id": "a"}, {"kind": "sme"}], "organisation #1 has no 'id'"),
        ([{"id": "a"}, {"id": "b"}, {"id": "a"}], "organisation #2 (id 'a'): duplicate id"),
        (["a"], "organisation #0 must be an object"),
        ([{"id": "a", "topics": "CAR-T"}], "organisation #0 (id 'a'): 'topics' must be a list"),
        ([{"id": "a", "hidden": "yes"}], "'hidden' must be true or false"),
    ],
)
def test_bad_input_names_the_item(orgs, message):
    with pytest.raises(InputError) as err:
        suggest_all(orgs)
    assert message in str(err.value)


# ------------------------------------------------------------------ CLI


def run_cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "clusters.matching", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_cli_round_trip(tmp_path):
    source = tmp_path / "in.json"
    source.write_text(json.dumps({"organisations": biotech_set()}), encoding="utf-8")
    target = tmp_path / "out.json"
    done = run_cli(str(source), "--top", "2", "-o", str(target))
    assert done.returncode == 0, done.stderr
    assert json.loads(target.read_text(encoding="utf-8")) == {
        "suggestions": suggest_all(biotech_set(), top=2)
    }


def test_cli_rejects_bad_input(tmp_path):
    source = tmp_path / "in.json"
    source.write_text(json.dumps({"organisations": [{"id": "x"}, {"id": "x"}]}))
    done = run_cli(str(source))
    assert done.returncode == 1
    assert done.stdout == ""
    assert done.stderr == (
        "error: organisation #1 (id 'x'): duplicate id (first used by organisation #0)\n"
    )


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ('{"organisations": {"id": "x"}}', "error: 'organisations' must be a list, got dict"),
        ('{"orgs": []}', 'expected an object {"organisations": [...]}'),
        ("{not json", "is not valid JSON"),
        (None, "cannot read"),
    ],
)
def test_cli_errors_in_process(tmp_path, capsys, content, message):
    source = tmp_path / "in.json"
    if content is not None:
        source.write_text(content)
    assert cli_main([str(source)]) == 1
    assert message in capsys.readouterr().err


# ------------------------------------------------------------------ suggest_for


def test_suggest_for_without_index_agrees_with_suggest_all():
    orgs = biotech_set()
    full = suggest_all(orgs, top=3)
    own, affected = suggest_for("hospital", orgs, top=3)
    assert own == full["hospital"]
    assert affected == {k: v for k, v in full.items() if "hospital" in ids(v)}


def test_suggest_for_with_index_tracks_suggest_all_through_changes():
    orgs = biotech_set() + [
        org(f"p{k}", offer_topics=["Clinical trials"], need_topics=["CAR-T"], offers="trials")
        for k in range(4)
    ]
    top = 3
    index = MatchIndex(orgs, top=top, spare=1)
    assert index.suggestions() == suggest_all(orgs, top=top)
    changes = [
        ("p0", {"hidden": True}),
        ("sme", {"need_topics": ["Medical imaging"]}),
        ("p1", {"connected": ["sme"]}),
        ("hospital", {"dismissed": ["sme"]}),
        ("p0", {"hidden": False}),
        ("twin", {"country": "LT", "clusters": ["Life Sciences Baltics"]}),
    ]
    # (no change here alters who offers or needs a topic, or the texts: the index
    # keeps the specificity weights of its build, a full recomputation refits them)
    for oid, change in changes:
        before = suggest_all(orgs, top=top)
        changed = next(o for o in orgs if o["id"] == oid)
        changed.update(copy.deepcopy(change))
        after = suggest_all(orgs, top=top)
        own, affected = suggest_for(oid, orgs, top=top, index=index)
        assert own == after[oid]
        moved = {k for k in after if k != oid and _ranked(after[k]) != _ranked(before[k])}
        assert set(affected) == moved, (oid, change)
        assert all(affected[k] == after[k] for k in moved)
        assert index.suggestions() == after


def _ranked(suggestions: list[dict]) -> list[tuple[str, float]]:
    return [(s["id"], s["score"]) for s in suggestions]


def test_suggest_for_adds_a_new_organisation():
    orgs = biotech_set()
    index = MatchIndex(orgs, top=5)
    newcomer = org("new", offer_topics=["Clinical trials"], need_topics=["CAR-T"])
    own, affected = suggest_for("new", [newcomer], top=5, index=index)
    assert ids(own) == ["sme"]  # the hospitals are its competitors, twin offers no CAR-T
    assert "sme" in affected and "new" in ids(affected["sme"])
    # a newcomer's text does not refit the IDF weights, so compare rankings, not scores
    fresh = suggest_all([*orgs, newcomer], top=5)
    assert {k: ids(v) for k, v in index.suggestions().items()} == {
        k: ids(v) for k, v in fresh.items()
    }


def test_suggest_for_unknown_id_and_wrong_top():
    index = MatchIndex(biotech_set(), top=5)
    with pytest.raises(InputError, match="'ghost'"):
        suggest_for("ghost", biotech_set(), top=5, index=index)
    with pytest.raises(ValueError, match="top=5"):
        suggest_for("sme", biotech_set(), top=3, index=index)
