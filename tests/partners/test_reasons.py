from django.utils import translation

from clusters.partners.reasons import localise_reason


def test_english_reasons_are_unchanged():
    for reason in [
        "offers GMP manufacturing and Regulatory affairs, which you need",
        "both work on CAR-T",
        "in another cluster: BioWin (BE)",
        "a CRO / service provider, a good fit for an SME",
        "their offer mentions 'gmp', 'bioreactor', which your needs mention",
    ]:
        assert localise_reason(reason) == reason


def test_reasons_are_shown_in_the_readers_language():
    with translation.override("de"):
        offers = localise_reason("offers GMP manufacturing and Regulatory affairs, which you need")
        kind = localise_reason("a CRO / service provider, a good fit for an SME")
    assert "GMP-Herstellung" in offers and "which you need" not in offers
    assert " and " not in offers
    assert "good fit" not in kind


def test_unknown_text_is_left_as_written():
    assert localise_reason("something new") == "something new"


# Issue 15, 2.13: topic names are reference data and are translated too; the
# German kind sentence is grammatical.


def test_topic_names_in_reasons_are_translated():
    with translation.override("de"):
        assert localise_reason("offers Clinical trials, which you need") == (
            "bietet Klinische Studien an, was Sie benötigen"
        )
        assert localise_reason(
            "needs GMP manufacturing, Clinical trials and IP and patents, which you offer"
        ) == (
            "benötigt GMP-Herstellung, Klinische Studien und Geistiges Eigentum und Patente, "
            "was Sie anbieten"
        )
        assert localise_reason("both work on IP and patents and Oncology") == (
            "beide arbeiten an Geistiges Eigentum und Patente und Onkologie"
        )
        assert localise_reason("both work on Oncology, CAR-T, Vaccines and 2 more") == (
            "beide arbeiten an Onkologie, CAR-T, Impfstoffe und 2 weitere"
        )
    with translation.override("fr"):
        assert localise_reason("offers Clinical trials, which you need") == (
            "propose Essais cliniques, dont vous avez besoin"
        )


def test_a_topic_without_a_translation_is_kept_as_written():
    with translation.override("de"):
        assert localise_reason("both work on Space biology and Oncology") == (
            "beide arbeiten an Space biology und Onkologie"
        )


def test_german_kind_sentence_is_grammatical():
    with translation.override("de"):
        assert localise_reason("a CRO / service provider, a good fit for an SME") == (
            "ein CRO / Dienstleister, passt gut zu einem KMU"
        )
        assert localise_reason("an investor, a possible partner for a university") == (
            "ein Investor, könnte zu einer Universität passen"
        )


def test_the_learning_reason_is_translated():
    from clusters.matching._reasons import LIKE_TEXT

    with translation.override("de"):
        assert localise_reason(LIKE_TEXT) == "ähnlich den Organisationen, die Sie kontaktiert haben"
    with translation.override("fr"):
        assert localise_reason(LIKE_TEXT) == "semblable aux organisations que vous avez contactées"
