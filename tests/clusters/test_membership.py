from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from clusters.actions.membership import invitation_create
from clusters.enums import MembershipStatus
from clusters.models import Invitation, Membership, User
from portal.base.models import Notification
from tests.factories import ClusterFactory, UserFactory


def test_application_approved_notifies_applicant(
    client, cluster, manager, mailoutbox, django_capture_on_commit_callbacks
):
    applicant = UserFactory(email="founder@startup.example")
    client.force_login(applicant)
    response = client.post(
        reverse("clusters:application_create"),
        {
            "name": "Tiny Bio",
            "kind": "startup",
            "country": "FR",
            "website": "tiny.example",
            "cluster": cluster.pk,
        },
    )
    assert response.status_code == 302
    membership = Membership.objects.get(organisation__name="Tiny Bio")
    assert membership.status == MembershipStatus.PENDING
    assert membership.organisation.website == "https://tiny.example"
    assert Notification.objects.filter(recipient=manager).count() == 1
    assert client.get(reverse("dashboard"))["Location"] == reverse("clusters:application_status")

    client.force_login(manager)
    assert "Tiny Bio" in client.get(reverse("clusters:application_list")).content.decode()
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("clusters:application_decide", args=[membership.pk, "approve"]))
    membership.refresh_from_db()
    assert membership.status == MembershipStatus.ACTIVE
    assert membership.decided_by == manager
    assert [m.to for m in mailoutbox] == [["founder@startup.example"]]
    assert "Welcome to Genopole Test" in mailoutbox[0].subject

    client.force_login(applicant)
    assert client.get(reverse("dashboard")).status_code == 200


def test_application_declined_needs_reason_and_tells_applicant(
    client, cluster, manager, mailoutbox, django_capture_on_commit_callbacks
):
    applicant = UserFactory(email="founder@other.example")
    client.force_login(applicant)
    client.post(
        reverse("clusters:application_create"),
        {"name": "Other Bio", "kind": "sme", "country": "BE", "cluster": cluster.pk},
    )
    membership = Membership.objects.get(organisation__name="Other Bio")
    client.force_login(manager)
    client.post(
        reverse("clusters:application_decide", args=[membership.pk, "decline"]), {"reason": ""}
    )
    membership.refresh_from_db()
    assert membership.status == MembershipStatus.PENDING
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("clusters:application_decide", args=[membership.pk, "decline"]),
            {"reason": "We only admit organisations from our region."},
        )
    membership.refresh_from_db()
    assert membership.status == MembershipStatus.DECLINED
    assert len(mailoutbox) == 1
    assert "We only admit organisations from our region." in mailoutbox[0].body
    client.force_login(applicant)
    assert client.get(reverse("dashboard"))["Location"] == reverse("clusters:application_status")


def test_manager_of_another_cluster_cannot_decide(client, cluster, db):
    other_manager = UserFactory()
    other_manager.cluster_roles.create(cluster=ClusterFactory(), role="manager")
    applicant = UserFactory()
    client.force_login(applicant)
    client.post(
        reverse("clusters:application_create"),
        {"name": "X Bio", "kind": "sme", "country": "FR", "cluster": cluster.pk},
    )
    membership = Membership.objects.get(organisation__name="X Bio")
    client.force_login(other_manager)
    response = client.post(reverse("clusters:application_decide", args=[membership.pk, "approve"]))
    assert response.status_code == 404
    membership.refresh_from_db()
    assert membership.status == MembershipStatus.PENDING


def test_invitation_accepted_by_a_newcomer_creates_verified_account(
    client, member, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        invitation = invitation_create(
            actor=member,
            organisation=member.organisation,
            email="Colleague@Example.org",
            role="member",
        )
    assert mailoutbox[-1].to == ["colleague@example.org"]
    assert invitation.token in mailoutbox[-1].body
    url = reverse("clusters:invitation_accept", args=[invitation.token])
    response = client.post(
        url,
        {
            "first_name": "Col",
            "last_name": "League",
            "password1": "Sturdy-pass-77",
            "password2": "Sturdy-pass-77",
        },
    )
    assert response.status_code == 302
    user = User.objects.get(email="colleague@example.org")
    assert user.organisation == member.organisation
    assert user.org_role == "member"
    assert user.emailaddress_set.get().verified
    # The link works once.
    client.logout()
    assert client.get(url).status_code == 410
    assert "already been used" in client.get(url).content.decode()


def test_invitation_expired_is_refused(client, member):
    invitation = invitation_create(
        actor=member, organisation=member.organisation, email="late@example.org", role="member"
    )
    Invitation.objects.filter(pk=invitation.pk).update(
        expires_at=timezone.now() - timedelta(minutes=1)
    )
    url = reverse("clusters:invitation_accept", args=[invitation.token])
    response = client.post(
        url,
        {
            "first_name": "L",
            "last_name": "Ate",
            "password1": "Sturdy-pass-77",
            "password2": "Sturdy-pass-77",
        },
    )
    assert response.status_code == 410
    assert "expired" in response.content.decode()
    assert not User.objects.filter(email="late@example.org").exists()


def test_invitation_refused_at_sign_up_leaves_no_account_behind(client, member, monkeypatch):
    """The invitation passed the page's checks but the accept step refused (used or
    expired in between): the account, its email address and the joining go together."""
    from allauth.account.models import EmailAddress

    from clusters.actions import membership as membership_actions
    from portal.base.errors import ActionError

    invitation = invitation_create(
        actor=member, organisation=member.organisation, email="race@example.org", role="member"
    )

    def used_in_between(*, invitation_token, user):
        assert User.objects.filter(email="race@example.org").exists()  # created, not committed
        raise ActionError("This invitation has already been used.")

    monkeypatch.setattr(membership_actions, "invitation_accept", used_in_between)
    response = client.post(
        reverse("clusters:invitation_accept", args=[invitation.token]),
        {
            "first_name": "Ra",
            "last_name": "Ce",
            "password1": "Sturdy-pass-77",
            "password2": "Sturdy-pass-77",
        },
    )
    assert response.status_code == 410
    assert "already been used" in response.content.decode()
    assert not User.objects.filter(email="race@example.org").exists()
    assert not EmailAddress.objects.filter(email="race@example.org").exists()
    assert "_auth_user_id" not in client.session


def test_invitation_sign_up_of_an_expired_invitation_creates_nothing(member):
    from allauth.account.models import EmailAddress

    from clusters.actions.membership import invitation_sign_up
    from portal.base.errors import ActionError

    invitation = invitation_create(
        actor=member, organisation=member.organisation, email="late2@example.org", role="member"
    )
    Invitation.objects.filter(pk=invitation.pk).update(
        expires_at=timezone.now() - timedelta(minutes=1)
    )
    with pytest.raises(ActionError, match="expired"):
        invitation_sign_up(
            invitation_token=invitation.token,
            password="Sturdy-pass-77",
            first_name="L",
            last_name="Ate",
            language="en",
        )
    assert not User.objects.filter(email="late2@example.org").exists()
    assert not EmailAddress.objects.filter(email="late2@example.org").exists()
    invitation.refresh_from_db()
    assert invitation.accepted_at is None


def test_invitation_expires_after_seven_days(member):
    invitation = invitation_create(
        actor=member, organisation=member.organisation, email="a@example.org", role="member"
    )
    assert invitation.expires_at - invitation.created == pytest.approx(
        timedelta(days=7), abs=timedelta(seconds=5)
    )


def test_other_organisation_gets_404_on_invitation_management(client, member, other_member):
    client.force_login(other_member)
    page = client.get(reverse("clusters:organisation_people"))
    assert member.organisation.name not in page.content.decode()
    client.force_login(UserFactory())  # no organisation at all
    assert client.get(reverse("clusters:organisation_people")).status_code == 404


def test_plain_member_cannot_invite(client, member):
    colleague = UserFactory(organisation=member.organisation, org_role="member")
    client.force_login(colleague)
    response = client.post(
        reverse("clusters:organisation_people"), {"email": "x@example.org", "role": "member"}
    )
    assert response.status_code == 404
    assert not Invitation.objects.exists()


# --- the application form pre-selects nothing; countries in the reader's order (2.16) -----


def test_application_form_preselects_no_country_kind_or_cluster(client, cluster):
    ClusterFactory(name="BioLAGO", slug="biolago")
    client.force_login(UserFactory(organisation=None))
    response = client.get(reverse("clusters:application_create"))
    form = response.context["form"]
    for name in ("country", "kind", "cluster"):
        assert form[name].value() in (None, ""), name
        assert list(form.fields[name].choices)[0][0] == "", name
    html = response.content.decode()
    for name in ("country", "cluster", "kind"):
        select = html.split(f'name="{name}"')[1].split("</select>")[0]
        assert select.count("selected") == 1 and 'value="" selected' in select, name
    response = client.post(
        reverse("clusters:application_create"), {"name": "Tiny Bio", "website": ""}
    )
    errors = response.context["form"].errors
    assert {k: errors[k] for k in ("kind", "country", "cluster")} == {
        "kind": ["This field is required."],
        "country": ["This field is required."],
        "cluster": ["This field is required."],
    }
    assert not Membership.objects.exists()


@pytest.mark.parametrize(
    ("language", "expected_start"),
    [
        ("en", ["Austria", "Belgium", "Czechia", "Denmark"]),
        ("de", ["Belgien", "Dänemark", "Deutschland", "Estland"]),
    ],
)
def test_application_countries_sorted_by_name_in_the_language(language, expected_start):
    from django.utils import translation

    from clusters.forms.membership import ApplicationForm

    with translation.override(language):
        labels = [
            str(label) for value, label in ApplicationForm().fields["country"].choices if value
        ]
    assert labels[: len(expected_start)] == expected_start
    if language == "de":  # Ö sorts as O (DIN 5007), not after Z
        assert labels.index("Österreich") == labels.index("Norwegen") + 1


def test_every_country_list_is_sorted_in_the_language(cluster, member):
    from django.utils import translation

    from clusters.filters import ClusterFilter, DirectoryFilter
    from clusters.forms.membership import country_choices
    from clusters.forms.profiles import OrganisationProfileForm

    with translation.override("de"):
        expected = [label for _code, label in country_choices()]
        lists = {
            "network": ClusterFilter({}).form.fields["country"].choices,
            "directory": DirectoryFilter({}, clusters=[], topics=[]).form.fields["country"].choices,
            "profile": OrganisationProfileForm(organisation=member.organisation)
            .fields["country"]
            .choices,
        }
        got = {k: [str(label) for code, label in v if code] for k, v in lists.items()}
    assert got == {k: expected for k in lists}
    assert expected.index("Österreich") == expected.index("Norwegen") + 1
