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
    assert "GMP manufacturing" in offers and "which you need" not in offers
    assert " and " not in offers
    assert "good fit" not in kind


def test_unknown_text_is_left_as_written():
    assert localise_reason("something new") == "something new"
