"""Partner suggestions recomputed by a real worker after a profile change
(PostgreSQL, Redis, a Celery worker process)."""

from django.core.cache import cache
from django.db import transaction
from django.utils.text import slugify

from clusters.actions.profiles import organisation_profile_update
from clusters.enums import OrgRole
from clusters.partners.actions import suggestions_recompute_all
from clusters.partners.models import PartnerSuggestion
from tests.factories.clusters import (
    ClusterFactory,
    MembershipFactory,
    OrganisationFactory,
    UserFactory,
)
from tests.integration.conftest import wait_until
from tests.partners.conftest import admin_of, current, topics


def _org(cluster, name, *, kind, offer=(), need=(), offers="", needs=""):
    org = OrganisationFactory(name=name, slug=slugify(name), kind=kind, offers=offers, needs=needs)
    MembershipFactory(organisation=org, cluster=cluster)
    org.offer_topics.set(topics(*offer))
    org.need_topics.set(topics(*need))
    UserFactory(organisation=org, org_role=OrgRole.ADMIN)
    return org


def test_profile_change_is_picked_up_by_the_worker(celery_worker_factory, settings):
    settings.PARTNERS_RECOMPUTE_DELAY = 1
    cluster = ClusterFactory()
    neocell = _org(
        cluster,
        "NeoCell",
        kind="sme",
        need=["GMP manufacturing"],
        needs="A GMP manufacturing partner for clinical batches.",
    )
    _org(cluster, "Rhone CDMO", kind="provider", offer=["GMP manufacturing"])
    quiet = _org(cluster, "Quiet Diagnostics", kind="sme", offer=["In vitro diagnostics"])
    suggestions_recompute_all()
    assert current(neocell) == ["Rhone CDMO"]
    # Setting up queued a task per organisation; the worker start purges them,
    # so forget that they are waiting.
    cache.clear()
    celery_worker_factory()

    with transaction.atomic():
        organisation_profile_update(
            actor=admin_of(quiet),
            organisation=quiet,
            data={"kind": "provider", "offers": "GMP manufacturing of clinical batches."},
            topics=[],
            offer_topics=topics("GMP manufacturing"),
            need_topics=[],
        )
        quiet.refresh_from_db()
        quiet.save()  # more saves within the delay: still one task

    wait_until(lambda: "Quiet Diagnostics" in current(neocell), timeout=60)
    row = PartnerSuggestion.objects.get(organisation=neocell, suggested=quiet)
    assert row.reasons[0] == "offers GMP manufacturing, which you need"
    assert row.meets_needs is True
    # The changed organisation's own list was stored too.
    wait_until(lambda: current(quiet) == ["NeoCell"], timeout=30)
