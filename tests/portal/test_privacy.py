import json

from django.urls import reverse

from clusters.models import User
from portal.audit import audit
from portal.models import AuditEntry, Notification
from tests.factories import UserFactory
from tests.factories.clusters import PASSWORD


def test_export_contains_profile_and_notifications(client, member):
    Notification.objects.create(recipient=member, subject="Your request", body="Answered")
    client.force_login(member)
    response = client.get(reverse("privacy_export"))
    assert response["Content-Disposition"].startswith('attachment; filename="my-portal-data-')
    data = json.loads(response.content)
    assert data["portal"]["profile"]["email"] == "member@example.org"
    assert data["portal"]["profile"]["organisation"] == member.organisation.name
    assert data["portal"]["notifications"] == [
        {
            "subject": "Your request",
            "body": "Answered",
            "created": data["portal"]["notifications"][0]["created"],
            "read": False,
        }
    ]


def test_delete_account_anonymises_and_signs_out(client, member):
    colleague_admin = UserFactory(organisation=member.organisation, org_role="admin")
    client.force_login(member)
    response = client.post(reverse("account_delete"), {"password": PASSWORD})
    assert response["Location"] == reverse("home")
    member.refresh_from_db()
    assert member.is_active is False
    assert member.email == f"former-member-{member.pk}@invalid.example"
    assert member.display_name == "former member"
    assert not member.has_usable_password()
    assert member.organisation == colleague_admin.organisation  # history stays attached
    assert client.get(reverse("dashboard")).status_code == 302


def test_delete_refused_for_last_admin_with_colleagues(client, member):
    UserFactory(organisation=member.organisation, org_role="member")
    client.force_login(member)
    response = client.post(reverse("account_delete"), {"password": PASSWORD})
    assert response.status_code == 200
    assert "only admin" in response.content.decode()
    assert User.objects.get(pk=member.pk).is_active


def test_delete_needs_the_password(client, member):
    client.force_login(member)
    response = client.post(reverse("account_delete"), {"password": "wrong"})
    assert "not your current password" in response.content.decode()
    assert User.objects.get(pk=member.pk).is_active


def test_audit_log_records_staff_only_and_is_for_network_admins(client, member, manager):
    audit(member, "view", member.organisation)
    audit(manager, "view", member.organisation, detail="opened profile")
    assert list(AuditEntry.objects.values_list("actor_label", "action", "detail")) == [
        ("manager@example.org", "view", "opened profile")
    ]
    client.force_login(manager)
    assert client.get(reverse("audit_log")).status_code == 404
    admin = UserFactory(is_network_admin=True)
    client.force_login(admin)
    assert "opened profile" in client.get(reverse("audit_log")).content.decode()


def test_language_choice_is_saved_on_the_account(client, member):
    client.force_login(member)
    client.post(reverse("set_language"), {"language": "de", "next": "/"})
    member.refresh_from_db()
    assert member.language == "de"
    assert 'lang="de"' in client.get(reverse("dashboard")).content.decode()


def test_staff_views_and_decisions_are_audited(client, cluster, member, manager):
    from tests.factories.services import CounsellingRequestFactory

    req = CounsellingRequestFactory(cluster=cluster, requester=member)
    client.force_login(member)
    client.get(reverse("services:request_detail", args=[req.pk]))
    assert not AuditEntry.objects.exists()  # a member reading their own request
    client.force_login(manager)
    client.get(reverse("services:request_detail", args=[req.pk]))
    entry = AuditEntry.objects.get()
    assert (entry.actor_label, entry.action, entry.object_type, entry.object_id, entry.cluster_id) == (
        "manager@example.org", "view", "services.CounsellingRequest", str(req.pk), cluster.pk,
    )  # fmt: skip
