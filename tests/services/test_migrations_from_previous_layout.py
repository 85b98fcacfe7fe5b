"""`migrate` on a database of the previous layout, where the service catalogue was part
of the counselling app (label "services"), moves it to services.catalogue without
touching the data: the rows stay in their tables, the relations hold, and the content
types (with the permissions and admin log entries that point at them) are renamed.

The test migrates the test database back to that layout, writes rows through the
historical models, migrates forward and reads them through the current ones. It
leaves the database at the latest migrations, as it found it.
"""

from __future__ import annotations

from datetime import date

import pytest
from django.contrib.admin.models import ADDITION, LogEntry
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from services.catalogue.models import ServiceCategory, ServiceOffering
from services.counselling.models import CounsellingRequest
from tests.factories import ClusterFactory, OrganisationFactory, UserFactory

# The last migrations before the catalogue had an app of its own.
SERVICES_BEFORE = ("services", "0003_request_cluster_created_index")
MOVED = ("servicecategory", "serviceoffering")


def _executor() -> MigrationExecutor:
    # A fresh executor reads which migrations are applied now.
    return MigrationExecutor(connection)


def _latest() -> list[tuple[str, str]]:
    return _executor().loader.graph.leaf_nodes()


def _previous_layout(latest) -> list[tuple[str, str]]:
    """The leaf nodes of the previous layout: no catalogue app, services at 0003."""
    return [
        SERVICES_BEFORE if app == "services" else (app, name)
        for app, name in latest
        if app != "catalogue"
    ]


def _content_types(label: str) -> dict[str, int]:
    return dict(
        ContentType.objects.filter(app_label=label, model__in=MOVED).values_list("model", "pk")
    )


@pytest.mark.django_db(transaction=True)
def test_migrate_moves_the_catalogue_of_the_previous_layout_with_its_rows():
    latest = _latest()
    previous = _previous_layout(latest)
    assert ("catalogue", "0001_initial") in _executor().loader.applied_migrations
    cluster = ClusterFactory(name="Genopole")
    organisation = OrganisationFactory(name="Acme Biotech")
    member = UserFactory(organisation=organisation)
    try:
        executor = _executor()
        executor.migrate([SERVICES_BEFORE, ("catalogue", None)])
        executor = _executor()
        applied = executor.loader.applied_migrations
        assert SERVICES_BEFORE in applied
        assert ("services", "0004_catalogue_moves_to_its_own_app") not in applied
        assert not any(app == "catalogue" for app, _name in applied)

        # The previous layout: the catalogue's content types are the services app's.
        ContentType.objects.clear_cache()
        assert _content_types("catalogue") == {}
        content_types = _content_types("services")
        assert sorted(content_types) == sorted(MOVED)

        old = executor.loader.project_state(previous).apps
        Category = old.get_model("services", "ServiceCategory")
        Offering = old.get_model("services", "ServiceOffering")
        Request = old.get_model("services", "CounsellingRequest")
        category = Category.objects.create(
            slug="legal", name="Legal counselling", kind="soft", importance=4
        )
        offering = Offering.objects.create(
            cluster_id=cluster.pk,
            category=category,
            title="Contract review",
            provider_advisor_id=member.pk,
            terms="priced",
            price_note="€90 per hour",
            response_days=3,
        )
        request = Request.objects.create(
            reference="REQ-GENO-1",
            number=1,
            cluster_id=cluster.pk,
            requester_organisation_id=organisation.pk,
            requester_id=member.pk,
            offering=offering,
            category=category,
            subject="Licence review",
            details="Clause 7.",
            due_date=date(2030, 1, 10),
        )
        permission = Permission.objects.get(
            content_type_id=content_types["serviceoffering"], codename="change_serviceoffering"
        )
        log = LogEntry.objects.create(
            user_id=member.pk,
            content_type_id=content_types["serviceoffering"],
            object_id=str(offering.pk),
            object_repr="Contract review",
            action_flag=ADDITION,
        )

        _executor().migrate(latest)
    finally:
        # Whatever happened above, the database goes back to the latest state.
        _executor().migrate(latest)
        ContentType.objects.clear_cache()

    # The rows, read through the catalogue's models and the counselling request.
    moved = CounsellingRequest.objects.select_related(
        "offering__category", "offering__cluster", "offering__provider_advisor", "category"
    ).get(pk=request.pk)
    assert (moved.reference, moved.subject, moved.requester_id) == (
        "REQ-GENO-1",
        "Licence review",
        member.pk,
    )
    assert isinstance(moved.offering, ServiceOffering)
    assert isinstance(moved.category, ServiceCategory)
    assert (moved.offering.pk, moved.offering.title) == (offering.pk, "Contract review")
    assert moved.offering.terms_display == "€90 per hour"
    assert moved.offering.cluster == cluster
    assert moved.offering.provider == member
    assert moved.category.pk == moved.offering.category.pk == category.pk
    assert moved.category.label == "Legal counselling"
    assert list(ServiceCategory.objects.get(pk=category.pk).requests.all()) == [moved]
    assert list(cluster.service_offerings.all()) == [moved.offering]

    # The same content type rows, now the catalogue's: nothing points at a lost id.
    assert _content_types("services") == {}
    assert _content_types("catalogue") == content_types
    assert ContentType.objects.get_for_model(ServiceOffering).pk == content_types["serviceoffering"]
    assert ContentType.objects.get_for_model(ServiceCategory).pk == content_types["servicecategory"]
    permission.refresh_from_db()
    assert permission.content_type.app_label == "catalogue"
    assert LogEntry.objects.get(pk=log.pk).get_edited_object() == moved.offering


@pytest.mark.django_db(transaction=True)
def test_the_move_can_be_unapplied_and_applied_again():
    latest = _latest()
    ContentType.objects.clear_cache()
    before = _content_types("catalogue")
    assert sorted(before) == sorted(MOVED)
    try:
        _executor().migrate([SERVICES_BEFORE, ("catalogue", None)])
        assert _content_types("services") == before
        _executor().migrate(latest)
    finally:
        _executor().migrate(latest)
        ContentType.objects.clear_cache()
    assert _content_types("catalogue") == before
    assert _content_types("services") == {}
