import re

from django.urls import reverse

from clusters.models import User
from tests.factories.clusters import PASSWORD


def test_signup_sends_verification_email_and_blocks_login_until_verified(client, db, mailoutbox):
    response = client.post(
        reverse("account_signup"),
        {
            "first_name": "New",
            "last_name": "Person",
            "email": "new.person@example.org",
            "password1": "a-Long-pass-1234",
            "password2": "a-Long-pass-1234",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("account_email_verification_sent")
    user = User.objects.get(email="new.person@example.org")
    assert user.organisation is None
    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == ["new.person@example.org"]
    link = re.search(r"http://\S+/accounts/confirm-email/\S+/", mailoutbox[0].body).group(0)
    # Not verified yet: signing in leads back to the verification notice.
    client.logout()
    response = client.post(
        reverse("account_login"),
        {"login": "new.person@example.org", "password": "a-Long-pass-1234"},
    )
    assert response["Location"] == reverse("account_email_verification_sent")
    # Confirming logs the person in and sends them to apply for membership.
    path = link.split("testserver", 1)[-1]
    response = client.post(path)
    assert response.status_code == 302
    assert response["Location"] == reverse("clusters:application_status")
    assert user.emailaddress_set.get().verified is True


def test_login_with_email_sends_member_to_dashboard(client, member):
    response = client.post(
        reverse("account_login"), {"login": "MEMBER@example.org", "password": PASSWORD}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("home")
    assert client.get(reverse("home"))["Location"] == reverse("dashboard")
    page = client.get(reverse("dashboard"))
    assert page.status_code == 200
    assert member.organisation.name in page.content.decode()


def test_wrong_password_is_refused_with_a_message(client, member):
    response = client.post(
        reverse("account_login"), {"login": member.email, "password": "nope-nope-1"}
    )
    assert response.status_code == 200
    assert "not correct" in response.content.decode()


def test_applicant_without_membership_sees_only_application_page(client, db):
    from tests.factories import UserFactory

    user = UserFactory()
    client.force_login(user)
    assert client.get(reverse("dashboard"))["Location"] == reverse("clusters:application_status")
