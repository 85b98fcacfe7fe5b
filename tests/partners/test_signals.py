import pytest
from django.core.cache import cache
from django.db import transaction

from clusters.actions.introductions import introduction_accept
from clusters.actions.profiles import organisation_profile_update
from clusters.partners import actions, tasks
from clusters.partners.models import PartnerSuggestion
from tests.factories.clusters import IntroductionRequestFactory, MembershipFactory
from tests.partners.conftest import admin_of, current, topics


@pytest.fixture
def queued(monkeypatch):
    """The tasks sent to the broker: (args, countdown) per apply_async call."""
    calls = []
    monkeypatch.setattr(
        tasks.recompute_for,
        "apply_async",
        lambda args, countdown: calls.append((args, countdown)),
    )
    return calls


def test_many_saves_within_the_delay_queue_one_task(
    neocell, queued, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        neocell.needs = "A GMP partner."
        neocell.save()
    with django_capture_on_commit_callbacks(execute=True):
        neocell.need_topics.add(*topics("Regulatory affairs"))
    with django_capture_on_commit_callbacks(execute=True):
        neocell.offers = "CAR-T."
        neocell.save()
    assert queued == [((neocell.pk,), 60)]


def test_a_change_after_the_task_started_queues_again(
    neocell, gmp_cdmo, queued, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        neocell.save()
    actions.suggestions_recompute_for(neocell.pk)  # what the worker runs a minute later
    with django_capture_on_commit_callbacks(execute=True):
        neocell.save()
    assert queued == [((neocell.pk,), 60), ((neocell.pk,), 60)]


def test_each_organisation_gets_its_own_task(
    neocell, gmp_cdmo, queued, settings, django_capture_on_commit_callbacks
):
    settings.PARTNERS_RECOMPUTE_DELAY = 5
    with django_capture_on_commit_callbacks(execute=True):
        neocell.save()
        gmp_cdmo.save()
    assert sorted(queued) == [((neocell.pk,), 5), ((gmp_cdmo.pk,), 5)]


def test_nothing_is_queued_when_the_change_is_rolled_back(
    neocell, queued, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        try:
            with transaction.atomic():
                neocell.save()
                raise RuntimeError("boom")
        except RuntimeError:
            pass
    assert (callbacks, queued) == ([], [])


def test_saving_fields_the_matching_ignores_queues_nothing(
    neocell, queued, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        neocell.city = "Évry"
        neocell.save(update_fields=["city", "updated"])
    assert queued == []


def test_profile_edit_membership_and_accepted_introduction_queue_a_task(
    neocell, gmp_cdmo, abroad, queued, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        organisation_profile_update(
            actor=admin_of(neocell),
            organisation=neocell,
            data={"needs": "GMP"},
            topics=[],
            offer_topics=[],
            need_topics=topics("GMP manufacturing"),
        )
    assert queued == [((neocell.pk,), 60)]
    cache.clear()
    with django_capture_on_commit_callbacks(execute=True):
        MembershipFactory(organisation=gmp_cdmo, cluster=abroad)
    assert queued[-1] == ((gmp_cdmo.pk,), 60)
    cache.clear()
    intro = IntroductionRequestFactory(from_user=admin_of(neocell), to_organisation=gmp_cdmo)
    with django_capture_on_commit_callbacks(execute=True):
        introduction_accept(actor=admin_of(gmp_cdmo), introduction_id=intro.pk)
    assert queued[-1] == ((neocell.pk,), 60)


def test_profile_change_updates_suggestions_through_the_task(
    neocell, gmp_cdmo, bystander, django_capture_on_commit_callbacks
):
    """Unit tests run tasks eagerly: the whole path from a save to stored lists."""
    actions.suggestions_recompute_all()
    assert "Quiet Diagnostics" not in current(neocell)
    with django_capture_on_commit_callbacks(execute=True):
        bystander.offers = "GMP manufacturing for clinical batches."
        bystander.save()
        bystander.offer_topics.set(topics("GMP manufacturing"))
    assert "Quiet Diagnostics" in current(neocell)
    assert PartnerSuggestion.objects.get(organisation=neocell, suggested=bystander).reasons[0] == (
        "offers GMP manufacturing, which you need"
    )


def test_a_broker_outage_does_not_break_the_save_and_does_not_block_the_next_try(
    neocell, monkeypatch, django_capture_on_commit_callbacks
):
    calls = []

    def down(args, countdown):
        calls.append(args)
        raise ConnectionError("broker down")

    monkeypatch.setattr(tasks.recompute_for, "apply_async", down)
    with django_capture_on_commit_callbacks(execute=True):
        neocell.save()
    with django_capture_on_commit_callbacks(execute=True):
        neocell.save()
    assert calls == [(neocell.pk,), (neocell.pk,)]
    assert cache.get(actions.PENDING_KEY.format(neocell.pk)) is None
