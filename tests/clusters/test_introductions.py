from datetime import timedelta

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from clusters.actions.introductions import introduction_request
from clusters.enums import OrgRole, Visibility
from clusters.models import IntroductionRequest
from portal.base.errors import ActionError
from portal.base.models import Notification
from tests.clusters.conftest import admin_of
from tests.factories.clusters import ClusterFactory, IntroductionRequestFactory, UserFactory


@pytest.fixture
def target(cluster, make_org):
    """An organisation with two admins and one plain member."""
    org = make_org("Target Regulatory", clusters=[cluster])
    UserFactory(email="second-admin@target.example", organisation=org, org_role=OrgRole.ADMIN)
    UserFactory(email="plain@target.example", organisation=org, org_role=OrgRole.MEMBER)
    return org


def introduce_url(org):
    return reverse("clusters:introduction_create", args=[org.slug])


def detail_url(intro):
    return reverse("clusters:introduction_detail", args=[intro.pk])


def decide_url(intro, decision):
    return reverse("clusters:introduction_decide", args=[intro.pk, decision])


def test_introduction_request_reaches_admins_by_email_and_in_app_without_emails(
    client, member, target, mailoutbox, django_capture_on_commit_callbacks
):
    client.force_login(member)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(introduce_url(target), {"message": "Can you help with IVDR?"})
    intro = IntroductionRequest.objects.get()
    assert response["Location"] == detail_url(intro)
    assert (intro.from_user, intro.from_organisation, intro.to_organisation, intro.status) == (
        member,
        member.organisation,
        target,
        "pending",
    )
    assert sorted(m.to[0] for m in mailoutbox) == [
        "admin@target-regulatory.example",
        "second-admin@target.example",
    ]
    mail = mailoutbox[0]
    assert f"{member.organisation.name} would like an introduction" in mail.subject
    assert "Can you help with IVDR?" in mail.body
    assert member.email not in mail.body
    assert Notification.objects.filter(recipient__organisation=target).count() == 2

    # Before acceptance neither side sees the other's email.
    client.force_login(admin_of(target))
    page = client.get(detail_url(intro)).content.decode()
    assert "Can you help with IVDR?" in page
    assert member.email not in page
    assert response.status_code == 302
    client.force_login(member)
    page = client.get(detail_url(intro)).content.decode()
    assert admin_of(target).email not in page
    assert "second-admin@target.example" not in page


def test_introduction_accepted_shows_both_contacts(
    client, member, target, mailoutbox, django_capture_on_commit_callbacks
):
    intro = introduction_request(actor=member, to_organisation=target, message="Hello")
    answerer = UserFactory(
        email="answerer@target.example",
        first_name="Ann",
        last_name="Swer",
        organisation=target,
        org_role=OrgRole.ADMIN,
    )
    client.force_login(answerer)
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(decide_url(intro, "accept"))
    assert response["Location"] == detail_url(intro)
    intro.refresh_from_db()
    assert (intro.status, intro.decided_by) == ("accepted", answerer)
    assert intro.decided_at is not None
    assert [m.to for m in mailoutbox] == [[member.email]]
    assert "accepted your introduction request" in mailoutbox[0].subject
    assert "Ann Swer <answerer@target.example>" in mailoutbox[0].body

    page = client.get(detail_url(intro)).content.decode()
    assert member.email in page
    assert (
        client.get(reverse("clusters:introduction_list")).content.decode().count(member.email) == 1
    )
    client.force_login(member)
    assert "answerer@target.example" in client.get(detail_url(intro)).content.decode()
    assert (
        "answerer@target.example"
        in client.get(reverse("clusters:introduction_sent")).content.decode()
    )
    profile = client.get(reverse("clusters:organisation_detail", args=[target.slug]))
    assert profile.context["accepted_introduction"] == intro


def test_introduction_declined_shares_nothing(
    client, member, target, mailoutbox, django_capture_on_commit_callbacks
):
    intro = introduction_request(actor=member, to_organisation=target, message="Hello")
    client.force_login(admin_of(target))
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(decide_url(intro, "decline"))
    intro.refresh_from_db()
    assert intro.status == "declined"
    assert "declined your introduction request" in mailoutbox[0].subject
    assert admin_of(target).email not in mailoutbox[0].body
    assert member.email not in client.get(detail_url(intro)).content.decode()
    client.force_login(member)
    assert admin_of(target).email not in client.get(detail_url(intro)).content.decode()
    # Answered twice: refused with a message, nothing changes.
    client.force_login(admin_of(target))
    response = client.post(decide_url(intro, "accept"), follow=True)
    assert "This introduction request has already been answered." in response.content.decode()
    intro.refresh_from_db()
    assert intro.status == "declined"


def test_introduction_plain_member_of_target_sees_but_cannot_answer(client, member, target):
    intro = introduction_request(actor=member, to_organisation=target, message="Hello")
    plain = target.people.get(email="plain@target.example")
    client.force_login(plain)
    assert client.get(detail_url(intro)).context["can_answer"] is False
    assert client.post(decide_url(intro, "accept")).status_code == 404
    intro.refresh_from_db()
    assert intro.status == "pending"


def test_introduction_urls_are_404_for_outsiders(client, member, target, make_org, cluster):
    intro = introduction_request(actor=member, to_organisation=target, message="Hello")
    outsider = admin_of(make_org("Outsider", clusters=[cluster]))
    client.force_login(outsider)
    assert client.get(detail_url(intro)).status_code == 404
    assert client.post(decide_url(intro, "accept")).status_code == 404
    assert client.post(decide_url(intro, "decline")).status_code == 404
    assert outsider.email not in client.get(reverse("clusters:introduction_list")).content.decode()
    assert client.get(reverse("clusters:introduction_list")).context["introductions"].count() == 0
    assert client.get(reverse("clusters:introduction_sent")).context["introductions"].count() == 0
    # Cluster staff and network admins are outsiders too: introductions are private.
    for user in (UserFactory(is_network_admin=True),):
        client.force_login(user)
        assert client.get(detail_url(intro)).status_code == 404
    intro.refresh_from_db()
    assert intro.status == "pending"


def test_introduction_form_is_404_for_invisible_own_or_pending_targets(
    client, member, make_org, cluster
):
    other = ClusterFactory()
    hidden = make_org("Hidden Co", clusters=[cluster], visibility=Visibility.HIDDEN)
    elsewhere = make_org("Elsewhere", clusters=[other], visibility=Visibility.CLUSTERS)
    client.force_login(member)
    for org in (hidden, elsewhere, member.organisation):
        assert client.get(introduce_url(org)).status_code == 404
        assert client.post(introduce_url(org), {"message": "Hi"}).status_code == 404
    # A pending applicant may not send requests yet.
    applicant = admin_of(make_org("Applicant", clusters=[other], status="pending"))
    visible = make_org("Visible", clusters=[cluster])
    client.force_login(applicant)
    assert client.post(introduce_url(visible), {"message": "Hi"}).status_code == 302
    assert client.get(introduce_url(visible))["Location"] == reverse("clusters:application_status")
    assert IntroductionRequest.objects.count() == 0


def test_introduction_needs_a_message(client, member, target):
    client.force_login(member)
    response = client.post(introduce_url(target), {"message": "   "})
    assert response.status_code == 400
    assert response.context["form"].errors["message"] == ["This field is required."]
    assert IntroductionRequest.objects.count() == 0


def test_introduction_daily_limit_is_ten_per_person(client, member, cluster, make_org, target):
    now = timezone.now()
    for i in range(10):
        IntroductionRequestFactory(
            from_user=member,
            to_organisation=make_org(f"T{i}", clusters=[cluster]),
            created=now - timedelta(hours=23),
        )
    client.force_login(member)
    response = client.post(introduce_url(target), {"message": "One more"})
    assert response.status_code == 400
    assert (
        "You have sent 10 introduction requests in the last 24 hours, the most allowed. "
        "Please try again tomorrow." in response.content.decode()
    )
    assert not IntroductionRequest.objects.filter(to_organisation=target).exists()
    # A colleague has a limit of their own; older requests stop counting after 24 hours.
    IntroductionRequest.objects.update(created=now - timedelta(hours=25))
    assert client.post(introduce_url(target), {"message": "One more"}).status_code == 302


def test_introduction_no_second_pending_request_to_the_same_organisation(client, member, target):
    introduction_request(actor=member, to_organisation=target, message="Hello")
    colleague = UserFactory(organisation=member.organisation, org_role=OrgRole.MEMBER)
    client.force_login(colleague)
    response = client.post(introduce_url(target), {"message": "Hello again"})
    assert response.status_code == 400
    assert (
        "Your organisation already has a request waiting for Target Regulatory&#x27;s answer."
        in response.content.decode()
    )
    assert IntroductionRequest.objects.count() == 1
    IntroductionRequest.objects.update(status="declined")
    assert client.post(introduce_url(target), {"message": "Hello again"}).status_code == 302
    assert IntroductionRequest.objects.count() == 2


def test_introduction_database_allows_one_pending_request_per_pair(member, target):
    IntroductionRequestFactory(from_user=member, to_organisation=target)
    IntroductionRequestFactory(from_user=member, to_organisation=target, status="accepted")
    with pytest.raises(IntegrityError), transaction.atomic():
        IntroductionRequestFactory(from_user=member, to_organisation=target)


def test_introduction_to_an_organisation_without_admin_is_refused(member, cluster, make_org):
    org = make_org("Nobody Home", clusters=[cluster], admin=False)
    with pytest.raises(ActionError) as exc:
        introduction_request(actor=member, to_organisation=org, message="Hi")
    assert (
        exc.value.message
        == "Nobody Home has no administrator on the portal yet, so it cannot answer."
    )


@pytest.mark.parametrize("rows", [1, 3])
@pytest.mark.parametrize("box", ["introduction_list", "introduction_sent"])
def test_introduction_lists_query_count_does_not_grow(
    client, member, cluster, make_org, rows, box, django_assert_num_queries
):
    for i in range(rows):
        org = make_org(f"Peer {i}", clusters=[cluster])
        if box == "introduction_sent":
            IntroductionRequestFactory(
                from_user=member, to_organisation=org, status="accepted", decided_by=admin_of(org)
            )
        else:
            IntroductionRequestFactory(from_user=admin_of(org), to_organisation=member.organisation)
    client.force_login(member)
    # session, user, clusters, staff roles, count, page, unread notifications
    with django_assert_num_queries(7):
        response = client.get(reverse(f"clusters:{box}"))
    assert len(response.context["introductions"]) == rows


def test_introduction_email_is_plain_text_not_html_escaped(
    member, target, mailoutbox, django_capture_on_commit_callbacks
):
    member.organisation.name = "L'Atelier <Bio>"
    member.organisation.save()
    with django_capture_on_commit_callbacks(execute=True):
        introduction_request(actor=member, to_organisation=target, message="Let's talk & see")
    assert mailoutbox[0].subject.endswith("L'Atelier <Bio> would like an introduction")
    assert "Let's talk & see" in mailoutbox[0].body
