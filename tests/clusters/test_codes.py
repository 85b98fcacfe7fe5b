from clusters.codes import derive_short_code
from tests.factories import ClusterFactory


def test_short_code_from_initials_or_first_letters():
    assert derive_short_code("genopole", set()) == "GENO"
    assert derive_short_code("estonian-connected-health-cluster", set()) == "ECHC"
    assert derive_short_code("Microtec Südwest", set()) == "MICR"
    assert derive_short_code("x", set()) == "XC"


def test_short_code_taken_is_lengthened_then_numbered():
    assert derive_short_code("healthturku", {"HEAL"}) == "HEALT"
    taken = {"AB"}
    assert derive_short_code("ab", taken) == "AB2"


def test_cluster_save_gives_each_cluster_its_own_code(db):
    first = ClusterFactory(name="Genopole", slug="genopole")
    second = ClusterFactory(name="Genopolis", slug="genopolis")
    assert (first.short_code, second.short_code) == ("GENO", "GENOP")
    second.name = "Renamed"
    second.save()
    second.refresh_from_db()
    assert second.short_code == "GENOP"
