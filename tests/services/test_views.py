import csv
import io

import pytest
from django.urls import reverse

from services.catalogue.models import ServiceOffering
from services.counselling.actions import request_message_post, request_move
from services.counselling.models import CounsellingRequest, RequestAttachment
from tests.factories import ClusterFactory, ClusterRoleFactory, UserFactory
from tests.factories.services import (
    CounsellingRequestFactory,
    ServiceCategoryFactory,
    ServiceOfferingFactory,
    pdf_bytes,
    png_bytes,
    upload,
)

# --- catalogue ------------------------------------------------------------------------


def test_network_catalogue_filters_by_kind_category_and_cluster(client, cluster, category):
    hard = ServiceCategoryFactory(slug="infra", name="Infrastructures", kind="hard", importance=2)
    other = ClusterFactory(slug="biowin")
    ServiceOfferingFactory(cluster=cluster, category=category, title="Contract review")
    ServiceOfferingFactory(cluster=cluster, category=hard, title="Lab space")
    ServiceOfferingFactory(cluster=other, category=category, title="IP clinic")
    ServiceOfferingFactory(cluster=other, category=category, title="Old", is_active=False)
    url = reverse("services:catalogue")

    def titles(params):
        return [o.title for o in client.get(url, params).context["offerings"]]

    assert sorted(titles({})) == ["Contract review", "IP clinic", "Lab space"]
    assert titles({"kind": "hard"}) == ["Lab space"]
    assert sorted(titles({"category": category.pk})) == ["Contract review", "IP clinic"]
    assert titles({"cluster": "biowin"}) == ["IP clinic"]


def test_cluster_catalogue_shows_only_that_cluster(client, cluster, category):
    ServiceOfferingFactory(cluster=cluster, category=category, title="Contract review")
    ServiceOfferingFactory(category=category, title="Elsewhere")
    response = client.get(reverse("services:cluster_catalogue", args=[cluster.slug]))
    assert [o.title for o in response.context["offerings"]] == ["Contract review"]
    assert "Add a service" not in response.text


@pytest.mark.parametrize("n", [1, 3])
def test_catalogue_query_count(client, cluster, category, advisor, n, django_assert_num_queries):
    for i in range(n):
        ServiceOfferingFactory(
            cluster=cluster, category=category, provider_advisor=advisor, title=f"S{i}"
        )
    with django_assert_num_queries(3):
        client.get(reverse("services:catalogue"))


def test_manager_creates_and_edits_offering(client, manager, cluster, category, advisor):
    client.force_login(manager)
    url = reverse("services:offering_create", args=[cluster.slug])
    data = {
        "title": "IP clinic",
        "category": category.pk,
        "description": "Monthly",
        "provider_advisor": advisor.pk,
        "terms": "priced",
        "price_note": "",
        "response_days": 3,
        "is_active": "on",
    }
    response = client.post(url, data)
    assert response.status_code == 200
    assert response.context["form"].errors == {"price_note": ["Say what the service costs."]}
    assert ServiceOffering.objects.count() == 0
    response = client.post(url, {**data, "price_note": "€90 per hour"})
    assert response.status_code == 302
    offering = ServiceOffering.objects.get()
    assert (offering.cluster, offering.terms_display) == (cluster, "€90 per hour")
    edit = reverse("services:offering_edit", args=[offering.pk])
    response = client.post(edit, {**data, "terms": "included", "title": "IP clinic 2"})
    assert response.status_code == 302
    offering.refresh_from_db()
    assert (offering.title, offering.terms) == ("IP clinic 2", "included")


@pytest.mark.parametrize("days", [0, 61, 99999999999])
def test_offering_response_days_outside_1_60_gets_a_range_error(
    client, manager, cluster, category, days
):
    client.force_login(manager)
    url = reverse("services:offering_create", args=[cluster.slug])
    data = {
        "title": "IP clinic",
        "category": category.pk,
        "terms": "included",
        "response_days": days,
        "is_active": "on",
    }
    response = client.post(url, data)
    assert response.status_code == 200
    form = response.context["form"]
    assert form.errors == {"response_days": ["Enter a number of working days from 1 to 60."]}
    assert "already offers a service with this title" not in response.text
    assert ServiceOffering.objects.count() == 0


def test_offering_form_states_response_days_range(client, manager, cluster):
    client.force_login(manager)
    response = client.get(reverse("services:offering_create", args=[cluster.slug]))
    field = response.context["form"]["response_days"]
    assert (field.field.min_value, field.field.max_value) == (1, 60)
    assert 'min="1"' in str(field) and 'max="60"' in str(field)
    assert "From 1 to 60 working days." in response.text


def test_offering_action_rejects_response_days_outside_range(manager, cluster, category):
    from portal.base.errors import ActionError
    from services.catalogue.actions import offering_create

    with pytest.raises(ActionError) as exc:
        offering_create(
            actor=manager,
            cluster=cluster,
            category=category,
            title="X",
            terms="included",
            response_days=99999999999,
        )
    assert exc.value.field == "response_days"
    assert ServiceOffering.objects.count() == 0


def test_offering_pages_404_for_other_managers(client, cluster, category):
    offering = ServiceOfferingFactory(cluster=cluster, category=category)
    outsider = UserFactory()
    ClusterRoleFactory(user=outsider, role="manager")
    client.force_login(outsider)
    assert client.get(reverse("services:offering_create", args=[cluster.slug])).status_code == 404
    assert client.get(reverse("services:offering_edit", args=[offering.pk])).status_code == 404
    assert client.post(reverse("services:offering_edit", args=[offering.pk]), {}).status_code == 404


# --- submitting ---------------------------------------------------------------------------


def test_submit_form_shows_upload_reason_and_saves_nothing(client, member, cluster, category):
    client.force_login(member)
    response = client.post(
        reverse("services:request_create"),
        {
            "cluster": cluster.pk,
            "category": category.pk,
            "subject": "Help",
            "details": "x",
            "urgency": "normal",
            "preferred_format": "online",
            "attachments": [upload("ok.pdf", pdf_bytes()), upload("cv.pdf", b"<html>")],
        },
    )
    assert response.status_code == 200
    assert response.context["form"].errors == {
        "attachments": ["“cv.pdf”: the content of the file is not what its name says (PDF)."]
    }
    assert "the content of the file is not what its name says" in response.text
    assert CounsellingRequest.objects.count() == 0
    assert RequestAttachment.objects.count() == 0


def test_submit_form_offers_only_members_clusters(client, member, cluster):
    ClusterFactory(name="Not mine")
    client.force_login(member)
    form = client.get(reverse("services:request_create")).context["form"]
    assert list(form.fields["cluster"].queryset) == [cluster]


def test_submit_page_sends_person_without_active_membership_to_application(client, db):
    client.force_login(UserFactory())
    response = client.get(reverse("services:request_create"))
    assert response["Location"] == reverse("clusters:application_status")


def test_submit_page_404_for_staff_without_organisation(client, advisor):
    client.force_login(advisor)
    assert client.get(reverse("services:request_create")).status_code == 404


def test_more_than_five_attachments_refused(client, member, cluster, category):
    client.force_login(member)
    response = client.post(
        reverse("services:request_create"),
        {
            "cluster": cluster.pk,
            "category": category.pk,
            "subject": "Help",
            "details": "x",
            "urgency": "normal",
            "preferred_format": "online",
            "attachments": [upload(f"{i}.pdf", pdf_bytes()) for i in range(6)],
        },
    )
    assert response.context["form"].errors == {"attachments": ["Attach at most 5 files."]}
    assert CounsellingRequest.objects.count() == 0


# --- lists ----------------------------------------------------------------------------------


def _requests(n, cluster, member, advisor):
    return [
        CounsellingRequestFactory(
            cluster=cluster, requester=member, assignee=advisor, status="assigned"
        )
        for _ in range(n)
    ]


@pytest.mark.parametrize("n", [1, 3])
def test_member_list_query_count(client, member, advisor, cluster, n, django_assert_num_queries):
    _requests(n, cluster, member, advisor)
    client.force_login(member)
    with django_assert_num_queries(7):
        response = client.get(reverse("services:request_list"))
    assert len(response.context["requests"]) == n


@pytest.mark.parametrize("n", [1, 3])
def test_assigned_list_query_count(client, member, advisor, cluster, n, django_assert_num_queries):
    _requests(n, cluster, member, advisor)
    client.force_login(advisor)
    with django_assert_num_queries(6):
        response = client.get(reverse("services:assigned"))
    assert len(response.context["requests"]) == n


@pytest.mark.parametrize("n", [1, 3])
def test_queue_query_count(client, member, advisor, manager, cluster, n, django_assert_num_queries):
    _requests(n, cluster, member, advisor)
    client.force_login(manager)
    with django_assert_num_queries(9):
        response = client.get(reverse("services:queue"))
    assert len(response.context["requests"]) == n


def test_member_sees_only_own_organisation(client, member, other_member, cluster):
    mine = CounsellingRequestFactory(cluster=cluster, requester=member)
    CounsellingRequestFactory(cluster=cluster, requester=other_member)
    client.force_login(member)
    response = client.get(reverse("services:request_list"))
    assert [r.pk for r in response.context["requests"]] == [mine.pk]


def test_advisor_sees_only_assigned(client, member, advisor, cluster):
    mine = CounsellingRequestFactory(
        cluster=cluster, requester=member, assignee=advisor, status="assigned"
    )
    CounsellingRequestFactory(cluster=cluster, requester=member, status="submitted")
    client.force_login(advisor)
    assert [r.pk for r in client.get(reverse("services:assigned")).context["requests"]] == [mine.pk]
    assert client.get(reverse("services:queue")).status_code == 404


def test_queue_filters(client, manager, member, advisor, cluster, category):
    from django.utils import timezone

    late = CounsellingRequestFactory(
        cluster=cluster,
        requester=member,
        status="in_progress",
        assignee=advisor,
        urgency="urgent",
        due_date=timezone.now().date() - timezone.timedelta(days=2),
        subject="Patent filing",
    )
    fresh = CounsellingRequestFactory(cluster=cluster, requester=member, subject="Market study")
    CounsellingRequestFactory(requester=member, subject="Other cluster")
    client.force_login(manager)
    url = reverse("services:queue")

    def refs(params):
        return sorted(r.pk for r in client.get(url, params).context["requests"])

    assert refs({}) == sorted([late.pk, fresh.pk])
    assert refs({"overdue": "true"}) == [late.pk]
    assert refs({"overdue": "false"}) == [fresh.pk]
    assert refs({"status": "submitted"}) == [fresh.pk]
    assert refs({"urgency": "urgent"}) == [late.pk]
    assert refs({"assignee": advisor.pk}) == [late.pk]
    assert refs({"q": "patent"}) == [late.pk]
    assert refs({"q": fresh.reference}) == [fresh.pk]
    assert refs({"category": category.pk}) == sorted([late.pk, fresh.pk])


def test_queue_csv_export_has_no_internal_notes(client, submitted, manager, advisor):
    request_move(actor=manager, request_id=submitted.pk, move="triage")
    request_message_post(actor=manager, request_id=submitted.pk, body="SECRET-NOTE", internal=True)
    client.force_login(manager)
    response = client.get(reverse("services:queue_export"))
    text = response.content.decode("utf-8-sig")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0][0] == "reference" and len(rows) == 2
    assert rows[1][0] == submitted.reference and rows[1][9] == "Triaged"
    assert "SECRET-NOTE" not in text


def test_queue_export_404_for_members(client, member):
    client.force_login(member)
    assert client.get(reverse("services:queue_export")).status_code == 404


# --- request page and its URLs: 404 for anyone else -------------------------------------------


def test_member_page_hides_internal_notes_and_files(client, submitted, manager, member, advisor):
    request_move(actor=manager, request_id=submitted.pk, move="triage")
    request_message_post(
        actor=manager,
        request_id=submitted.pk,
        body="SECRET-NOTE",
        internal=True,
        attachments=[upload("staff-only.pdf", pdf_bytes())],
    )
    request_message_post(actor=manager, request_id=submitted.pk, body="We are on it")
    client.force_login(member)
    page = client.get(reverse("services:request_detail", args=[submitted.pk])).text
    assert "We are on it" in page
    assert "SECRET-NOTE" not in page and "staff-only.pdf" not in page
    internal_file = RequestAttachment.objects.get(original_name="staff-only.pdf")
    assert client.get(reverse("services:attachment", args=[internal_file.pk])).status_code == 404
    client.force_login(manager)
    page = client.get(reverse("services:request_detail", args=[submitted.pk])).text
    assert "SECRET-NOTE" in page and "staff-only.pdf" in page
    assert client.get(reverse("services:attachment", args=[internal_file.pk])).status_code == 200


def _request_urls(req, attachment):
    return [
        ("get", reverse("services:request_detail", args=[req.pk]), {}),
        ("post", reverse("services:request_move", args=[req.pk, "withdraw"]), {}),
        ("post", reverse("services:request_move", args=[req.pk, "triage"]), {}),
        ("post", reverse("services:request_message", args=[req.pk]), {"body": "hi"}),
        ("post", reverse("services:request_rate", args=[req.pk]), {"satisfaction": "5"}),
        ("get", reverse("services:attachment", args=[attachment.pk]), {}),
    ]


@pytest.fixture
def with_file(member, cluster, category):
    from services.counselling.actions import request_submit

    req = request_submit(
        actor=member,
        cluster=cluster,
        category=category,
        subject="S",
        details="D",
        attachments=[upload("plan.png", png_bytes())],
    )
    return req, req.attachments.get()


@pytest.mark.parametrize(
    "who", ["other_org", "other_cluster_manager", "unassigned_advisor", "anonymous", "no_org"]
)
def test_every_request_url_404_for_anyone_else(client, with_file, other_member, advisor, who):
    req, attachment = with_file
    outsider_manager = UserFactory()
    ClusterRoleFactory(user=outsider_manager, role="manager")
    people = {
        "other_org": other_member,
        "other_cluster_manager": outsider_manager,
        "unassigned_advisor": advisor,
        "no_org": UserFactory(),
        "anonymous": None,
    }
    if people[who]:
        client.force_login(people[who])
    for method, url, data in _request_urls(req, attachment):
        response = getattr(client, method)(url, data)
        if who == "anonymous" and method == "get":
            # Pages a notification email links to send a signed-out person to the
            # login page (whatever the id, so nothing is revealed).
            assert response.status_code == 302, (who, url)
            assert response["Location"].startswith("/accounts/login/?next="), (who, url)
        else:
            assert response.status_code == 404, (who, url)
    req.refresh_from_db()
    assert req.status == "submitted" and req.messages.count() == 0


def test_attachment_download_headers(client, with_file, member):
    req, attachment = with_file
    client.force_login(member)
    response = client.get(reverse("services:attachment", args=[attachment.pk]))
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="plan.png"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Type"] == "image/png"
    assert b"".join(response.streaming_content) == png_bytes()


def test_stale_move_shows_message_and_changes_nothing(client, submitted, manager):
    request_move(actor=manager, request_id=submitted.pk, move="triage")
    client.force_login(manager)
    response = client.post(
        reverse("services:request_move", args=[submitted.pk, "decline"]),
        {"expected_status": "submitted", "note": "No"},
    )
    assert response.status_code == 409
    assert "Someone else changed this request meanwhile" in response.text
    submitted.refresh_from_db()
    assert submitted.status == "triaged"


def test_refused_move_message(client, submitted, member):
    client.force_login(member)
    response = client.post(reverse("services:request_move", args=[submitted.pk, "resolve"]))
    assert response.status_code == 409
    assert "cannot be moved" in response.text
    submitted.refresh_from_db()
    assert submitted.status == "submitted"


def test_message_upload_rejected_reason_shown(client, submitted, member):
    client.force_login(member)
    response = client.post(
        reverse("services:request_message", args=[submitted.pk]),
        {"body": "See file", "attachments": [upload("x.docx", b"PK\x03\x04garbage")]},
    )
    assert response.status_code == 200
    assert "“x.docx”" in response.text
    assert submitted.messages.count() == 0


def test_network_admin_sees_everything(client, submitted):
    admin = UserFactory(is_network_admin=True)
    client.force_login(admin)
    assert client.get(reverse("services:request_detail", args=[submitted.pk])).status_code == 200
    assert [r.pk for r in client.get(reverse("services:queue")).context["requests"]] == [
        submitted.pk
    ]


def test_queue_htmx_returns_results_only(client, manager, submitted):
    client.force_login(manager)
    response = client.get(
        reverse("services:queue"), {"status": "submitted"}, HTTP_HX_REQUEST="true"
    )
    assert "<html" not in response.text
    assert submitted.reference in response.text
    assert "HX-Request" in response["Vary"]


def test_staff_without_organisation_go_to_their_assigned_list(client, advisor):
    client.force_login(advisor)
    response = client.get(reverse("services:request_list"))
    assert response.status_code == 302
    assert response["Location"] == reverse("services:assigned")


def test_detail_query_count_does_not_grow_with_messages(
    client, submitted, manager, member, django_assert_max_num_queries
):
    client.force_login(member)
    url = reverse("services:request_detail", args=[submitted.pk])
    request_message_post(
        actor=member,
        request_id=submitted.pk,
        body="one",
        attachments=[upload("a.pdf", pdf_bytes())],
    )
    with django_assert_max_num_queries(30) as first:
        client.get(url)
    for i in range(3):
        request_message_post(
            actor=member,
            request_id=submitted.pk,
            body=f"more {i}",
            attachments=[upload("b.pdf", pdf_bytes())],
        )
    with django_assert_max_num_queries(len(first)):
        client.get(url)


def test_nav_entries(client, member, manager, advisor):
    client.force_login(member)
    page = client.get(reverse("services:catalogue")).text
    assert reverse("services:request_list") in page and reverse("services:queue") not in page
    client.force_login(manager)
    assert reverse("services:queue") in client.get(reverse("services:catalogue")).text
    client.force_login(advisor)
    page = client.get(reverse("services:catalogue")).text
    assert reverse("services:assigned") in page
    assert f'href="{reverse("services:request_list")}"' not in page


def test_pending_applicant_new_request_goes_to_membership_status(client, cluster):
    from clusters.enums import MembershipStatus
    from tests.factories.clusters import MembershipFactory, OrganisationFactory

    org = OrganisationFactory()
    MembershipFactory(organisation=org, cluster=cluster, status=MembershipStatus.PENDING)
    applicant = UserFactory(organisation=org)
    client.force_login(applicant)
    response = client.get(reverse("services:request_create"))
    assert response.status_code == 302
    assert response["Location"] == reverse("clusters:application_status")
    response = client.get(reverse("services:request_list"))
    assert response["Location"] == reverse("clusters:application_status")


def test_manager_reassigns_from_the_request_page(client, manager, advisor, submitted):
    second = UserFactory(email="second.advisor@example.org")
    ClusterRoleFactory(user=second, cluster=submitted.cluster, role="advisor")
    request_move(actor=manager, request_id=submitted.pk, move="triage")
    request_move(actor=manager, request_id=submitted.pk, move="assign", assignee=advisor)
    client.force_login(manager)
    page = client.get(reverse("services:request_detail", args=[submitted.pk]))
    assert [m.name for m in page.context["moves"]] == ["reassign", "decline"]
    options = list(page.context["move_form"].fields["assignee"].queryset)
    assert set(options) == {advisor, second, manager}
    response = client.post(
        reverse("services:request_move", args=[submitted.pk, "reassign"]),
        {"assignee": second.pk, "expected_status": "assigned"},
    )
    assert response.status_code == 302
    submitted.refresh_from_db()
    assert (submitted.status, submitted.assignee) == ("assigned", second)
