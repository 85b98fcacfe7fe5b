import pytest
from django.core.exceptions import PermissionDenied

from clusters.models import IntroductionRequest, Organisation
from clusters.partners import actions
from clusters.partners.actions import (
    suggestion_dismiss,
    suggestions_mark_shown,
    suggestions_recompute_all,
    suggestions_recompute_for,
)
from clusters.partners.models import PartnerSuggestion, SuggestionDismissal
from clusters.partners.selectors import matching_input, suggestions_for
from tests.factories.clusters import IntroductionRequestFactory, MembershipFactory
from tests.partners.conftest import admin_of, current, topics


def _rows():
    return sorted(
        PartnerSuggestion.objects.filter(rank__isnull=False).values_list(
            "organisation_id", "rank", "suggested_id", "score", "reasons"
        )
    )


def _ranking():
    """Lists without scores: an index kept between runs does not refit the TF-IDF
    weights on updates, so scores may differ in the last digits from a full run."""
    return [row[:3] for row in _rows()]


def test_recompute_all_stores_top_lists_with_reasons(neocell, gmp_cdmo, hospital, bystander):
    stored = suggestions_recompute_all()

    # both meet one need; Rhone's offer also quotes NeoCell's own words ("GMP
    # manufacturing", "clinical batches"): the more specific match comes first
    assert current(neocell) == ["Rhone Biomanufacturing", "Lyon University Hospital"]
    first = PartnerSuggestion.objects.get(organisation=neocell, rank=1)
    assert first.reasons[0] == "offers GMP manufacturing, which you need"
    assert "a CRO / service provider, a good fit for an SME" in first.reasons
    assert first.meets_needs is True
    assert first.score > PartnerSuggestion.objects.get(organisation=neocell, rank=2).score > 0
    assert stored == PartnerSuggestion.objects.count()
    # Organisations with nothing in common are not suggested to each other.
    assert "Quiet Diagnostics" not in current(neocell)


def test_recompute_all_twice_stores_the_same_rows(neocell, gmp_cdmo, hospital, bystander):
    suggestions_recompute_all()
    before = _rows()
    suggestions_recompute_all()
    assert _rows() == before


def test_recompute_for_updates_the_organisation_and_others_lists(
    neocell, gmp_cdmo, hospital, bystander
):
    suggestions_recompute_all()  # keeps an index, as the nightly run does in a worker
    assert "Quiet Diagnostics" not in current(neocell)

    bystander.offers = "GMP manufacturing of clinical batches for cell therapies."
    bystander.kind = "provider"
    bystander.save()
    bystander.offer_topics.set(topics("GMP manufacturing"))
    bystander.need_topics.set(topics("Fundraising"))
    assert suggestions_recompute_for(bystander.pk) >= 2

    assert "Quiet Diagnostics" in current(neocell)
    assert current(bystander)[0] == "NeoCell"
    incremental = _ranking()
    actions.reset_kept_index()
    suggestions_recompute_all()
    assert _ranking() == incremental  # the same as recomputing the world


def test_recompute_for_in_a_fresh_process_matches_a_full_recompute(
    neocell, gmp_cdmo, hospital, bystander
):
    suggestions_recompute_all()
    actions.reset_kept_index()  # another worker process: no index yet
    gmp_cdmo.visibility = "hidden"
    gmp_cdmo.save()

    suggestions_recompute_for(gmp_cdmo.pk)

    assert current(neocell) == ["Lyon University Hospital"]
    assert current(gmp_cdmo) == []
    incremental = _rows()
    suggestions_recompute_all()
    assert _rows() == incremental


def test_recompute_for_with_a_stale_kept_index_applies_every_change(
    neocell, gmp_cdmo, hospital, bystander
):
    suggestions_recompute_all()
    # Two changes; only the second one's task runs in this process.
    hospital.visibility = "hidden"
    hospital.save()
    bystander.offer_topics.set(topics("Clinical trials"))

    suggestions_recompute_for(bystander.pk)

    assert current(neocell) == ["Rhone Biomanufacturing", "Quiet Diagnostics"]
    incremental = _ranking()
    actions.reset_kept_index()
    suggestions_recompute_all()
    assert _ranking() == incremental


def test_recompute_for_with_a_topic_new_to_the_network_recomputes_everything(
    make_org, neocell, gmp_cdmo, hospital
):
    suggestions_recompute_all()
    # No organisation used "Viral vectors" when the kept index was fitted.
    late = make_org("Vector Labs", kind="provider", offer=["Viral vectors"])
    neocell.need_topics.add(*topics("Viral vectors"))

    assert suggestions_recompute_for(late.pk) == 4  # every list was stored

    first = PartnerSuggestion.objects.get(organisation=neocell, suggested=late)
    assert "offers Viral vectors, which you need" in first.reasons


def test_recompute_for_is_skipped_when_a_full_run_started_after_the_change(
    neocell, gmp_cdmo, settings
):
    from django.core.cache import cache

    cache.set(actions.PENDING_KEY.format(neocell.pk), 100.0)
    cache.set(actions.FULL_RUN_KEY, 200.0)
    assert suggestions_recompute_for(neocell.pk) == 0
    assert cache.get(actions.PENDING_KEY.format(neocell.pk)) is None
    assert PartnerSuggestion.objects.count() == 0


def test_recompute_for_a_deleted_organisation_does_nothing(neocell, gmp_cdmo):
    pk = gmp_cdmo.pk
    gmp_cdmo.delete()
    assert suggestions_recompute_for(pk) == 0


def test_hidden_organisations_are_never_suggested(neocell, gmp_cdmo, hospital):
    hospital.visibility = "hidden"
    hospital.save()
    suggestions_recompute_all()

    assert current(neocell) == ["Rhone Biomanufacturing"]
    assert current(hospital) == []
    assert not PartnerSuggestion.objects.filter(suggested=hospital).exists()


def test_organisations_hidden_after_the_computation_are_not_shown(neocell, gmp_cdmo, hospital):
    suggestions_recompute_all()
    Organisation.objects.filter(pk=hospital.pk).update(visibility="hidden")
    assert [s.suggested.name for s in suggestions_for(neocell)] == ["Rhone Biomanufacturing"]


def test_applicants_not_yet_admitted_are_not_suggested(make_org, neocell, home):
    pending = make_org("Pending CDMO", kind="provider", offer=["GMP manufacturing"], clusters=[])
    MembershipFactory(organisation=pending, cluster=home, status="pending")
    suggestions_recompute_all()
    assert "Pending CDMO" not in current(neocell)
    assert {o["id"]: o["hidden"] for o in matching_input()}[str(pending.pk)] is True


def test_clusters_only_profiles_are_shown_only_to_members_of_their_clusters(
    make_org, neocell, abroad
):
    make_org(
        "Walloon CDMO",
        kind="provider",
        offer=["GMP manufacturing"],
        clusters=[abroad],
        visibility="clusters",
        country="BE",
    )
    suggestions_recompute_all()
    assert "Walloon CDMO" in current(neocell)  # stored...
    assert suggestions_for(neocell) == []  # ...but not shown: they share no cluster
    MembershipFactory(organisation=neocell, cluster=abroad)
    assert [s.suggested.name for s in suggestions_for(neocell)] == ["Walloon CDMO"]


def test_accepted_introductions_are_excluded_both_ways(neocell, gmp_cdmo, hospital):
    IntroductionRequestFactory(
        from_user=admin_of(neocell), to_organisation=gmp_cdmo, status="accepted"
    )
    suggestions_recompute_all()
    assert current(neocell) == ["Lyon University Hospital"]
    assert "NeoCell" not in current(gmp_cdmo)


def test_introduction_accepted_after_the_computation_hides_the_suggestion(
    neocell, gmp_cdmo, hospital
):
    suggestions_recompute_all()
    intro = IntroductionRequestFactory(from_user=admin_of(gmp_cdmo), to_organisation=neocell)
    pending = {s.suggested.name: s.introduction_pending for s in suggestions_for(gmp_cdmo)}
    assert pending == {"NeoCell": True}
    IntroductionRequest.objects.filter(pk=intro.pk).update(status="accepted")
    assert [s.suggested.name for s in suggestions_for(neocell)] == ["Lyon University Hospital"]


def test_dismissal_sticks_across_recomputes(neocell, gmp_cdmo, hospital):
    suggestions_recompute_all()
    suggestion = PartnerSuggestion.objects.get(organisation=neocell, suggested=gmp_cdmo)
    me = admin_of(neocell)

    suggestion_dismiss(actor=me, suggestion_id=suggestion.pk)

    assert SuggestionDismissal.objects.get().by == me
    assert current(neocell) == ["Lyon University Hospital"]
    suggestions_recompute_all()
    assert current(neocell) == ["Lyon University Hospital"]
    suggestions_recompute_for(neocell.pk)
    suggestions_recompute_for(gmp_cdmo.pk)
    assert current(neocell) == ["Lyon University Hospital"]
    # The dismissed organisation still sees the other one: dismissal is one-way.
    assert "NeoCell" in current(gmp_cdmo)


def test_dismissing_a_shown_suggestion_keeps_it_for_the_report(neocell, gmp_cdmo):
    suggestions_recompute_all()
    suggestion = PartnerSuggestion.objects.get(organisation=neocell, suggested=gmp_cdmo)
    suggestions_mark_shown([suggestion])
    suggestion_dismiss(actor=admin_of(neocell), suggestion_id=suggestion.pk)
    suggestions_recompute_all()
    suggestion.refresh_from_db()
    assert (suggestion.rank, suggestion.first_shown_at is not None) == (None, True)


def test_dismissing_another_organisations_suggestion_is_refused(neocell, gmp_cdmo):
    suggestions_recompute_all()
    suggestion = PartnerSuggestion.objects.get(organisation=neocell, suggested=gmp_cdmo)
    with pytest.raises(PermissionDenied):
        suggestion_dismiss(actor=admin_of(gmp_cdmo), suggestion_id=suggestion.pk)
    assert SuggestionDismissal.objects.count() == 0
    assert current(neocell) == ["Rhone Biomanufacturing"]


def test_first_shown_at_survives_recomputes(neocell, gmp_cdmo, hospital):
    suggestions_recompute_all()
    shown = list(PartnerSuggestion.objects.filter(organisation=neocell))
    assert suggestions_mark_shown(shown) == 2
    stamps = dict(
        PartnerSuggestion.objects.filter(organisation=neocell).values_list("pk", "first_shown_at")
    )
    assert suggestions_mark_shown(shown) == 0  # already marked: nothing to do

    suggestions_recompute_all()
    assert (
        dict(
            PartnerSuggestion.objects.filter(organisation=neocell).values_list(
                "pk", "first_shown_at"
            )
        )
        == stamps
    )


def test_a_shown_suggestion_that_leaves_the_list_is_kept_without_rank(neocell, gmp_cdmo):
    suggestions_recompute_all()
    suggestions_mark_shown(list(PartnerSuggestion.objects.filter(organisation=neocell)))
    IntroductionRequestFactory(
        from_user=admin_of(neocell), to_organisation=gmp_cdmo, status="accepted"
    )
    suggestions_recompute_all()
    row = PartnerSuggestion.objects.get(organisation=neocell, suggested=gmp_cdmo)
    assert row.rank is None
    # Unshown rows that leave are deleted.
    assert not PartnerSuggestion.objects.filter(organisation=gmp_cdmo).exists()


def test_matching_input_loads_every_organisation_in_seven_queries(
    django_assert_num_queries, neocell, gmp_cdmo, hospital, bystander
):
    IntroductionRequestFactory(
        from_user=admin_of(neocell), to_organisation=hospital, status="accepted"
    )
    with django_assert_num_queries(7):
        orgs = matching_input()
    by_name = {o["id"]: o for o in orgs}
    me = by_name[str(neocell.pk)]
    assert me == {
        "id": str(neocell.pk),
        "kind": "sme",
        "country": "FR",
        "offers": "CAR-T cell therapy candidates for solid tumours.",
        "needs": "A GMP manufacturing partner for clinical batches and hospital sites for a trial.",
        "description": "",
        "hidden": False,
        "topics": ["CAR-T", "Oncology"],
        "offer_topics": ["CAR-T"],
        "need_topics": ["Clinical trials", "GMP manufacturing"],
        "clusters": ["Genopole Home"],
        "connected": [str(hospital.pk)],
        "dismissed": [],
    }
    assert by_name[str(hospital.pk)]["connected"] == [str(neocell.pk)]
