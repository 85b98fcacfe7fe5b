"""Staff downloads of members' files and CSV exports of members' data are audited;
members reading their own data are not. CSV cells never start a formula."""

import csv
import io

import pytest
from django.urls import reverse

from portal.base.csv_export import spreadsheet_safe
from portal.base.models import AuditEntry
from services.counselling.actions import request_submit
from tests.factories import UserFactory
from tests.factories.clusters import MembershipFactory, OrganisationFactory
from tests.factories.events import EventFactory, RegistrationFactory
from tests.factories.services import ServiceCategoryFactory, png_bytes, upload


def entries():
    return list(
        AuditEntry.objects.order_by("id").values_list(
            "actor_label", "action", "object_type", "object_id", "cluster_id", "detail"
        )
    )


@pytest.fixture
def attached(member, cluster):
    req = request_submit(
        actor=member,
        cluster=cluster,
        category=ServiceCategoryFactory(),
        subject="IP strategy",
        details="D",
        attachments=[upload("plan.png", png_bytes())],
    )
    return req, req.attachments.get()


def test_staff_attachment_download_is_audited_members_own_is_not(
    client, attached, member, manager, cluster
):
    req, attachment = attached
    client.force_login(member)
    assert client.get(reverse("services:attachment", args=[attachment.pk])).status_code == 200
    assert entries() == []
    client.force_login(manager)
    assert client.get(reverse("services:attachment", args=[attachment.pk])).status_code == 200
    assert entries() == [
        (
            manager.email,
            "download",
            "services.RequestAttachment",
            str(attachment.pk),
            cluster.pk,
            req.reference,
        ),
    ]


def test_refused_download_is_not_recorded(client, attached, other_member):
    _req, attachment = attached
    client.force_login(other_member)
    assert client.get(reverse("services:attachment", args=[attachment.pk])).status_code == 404
    assert entries() == []


def test_member_list_export_is_audited_with_row_count(client, cluster, manager):
    for name in ("One", "Two"):
        MembershipFactory(organisation=OrganisationFactory(name=name), cluster=cluster)
    client.force_login(manager)
    response = client.get(reverse("clusters:cluster_members_export", args=[cluster.slug]))
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert entries() == [
        (
            manager.email,
            "export",
            "clusters.Cluster",
            str(cluster.pk),
            cluster.pk,
            f"member list CSV, {len(rows) - 1} rows",
        ),
    ]
    assert response["Cache-Control"] == "private, no-store"


def test_queue_export_is_audited_per_cluster_with_filters(client, attached, manager, cluster):
    client.force_login(manager)
    response = client.get(reverse("services:queue_export") + "?status=submitted")
    assert response.status_code == 200
    assert entries() == [
        (
            manager.email,
            "export",
            "clusters.Cluster",
            str(cluster.pk),
            cluster.pk,
            "request queue CSV (status=submitted), 1 rows",
        ),
    ]


def test_attendee_export_is_audited(client, cluster, manager):
    event = EventFactory(cluster=cluster)
    RegistrationFactory(event=event, user=UserFactory(member_of=cluster, last_name="=HYPERLINK(1)"))
    client.force_login(manager)
    response = client.get(reverse("events:attendee_csv", args=[event.slug]))
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[1][0] == "'=HYPERLINK(1)"  # shown as text, never run as a formula
    assert entries() == [
        (
            manager.email,
            "export",
            "events.Event",
            str(event.pk),
            cluster.pk,
            "attendee list CSV, 1 rows",
        ),
    ]


@pytest.mark.parametrize(
    ("value", "cell"),
    [
        ("=1+1", "'=1+1"),
        ("+33 1 23", "'+33 1 23"),
        ("-x", "'-x"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tx", "'\tx"),
        ("plain", "plain"),
        (None, ""),
        (-3, "-3"),
        (2.5, "2.5"),
    ],
)
def test_spreadsheet_safe(value, cell):
    assert spreadsheet_safe(value) == cell
