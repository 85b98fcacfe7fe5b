"""allauth's rate limits stay on: sign-up, password reset and email confirmation."""

from django.urls import reverse

from tests.factories import UserFactory


def _statuses(client, url, payloads):
    return [client.post(url, data).status_code for data in payloads]


def test_signup_is_rate_limited_per_ip(client, db):
    url = reverse("account_signup")
    payloads = [
        {
            "first_name": "New",
            "last_name": f"Person {i}",
            "email": f"new{i}@example.org",
            "password1": "a-Long-pass-1234",
            "password2": "a-Long-pass-1234",
        }
        for i in range(22)
    ]
    statuses = _statuses(client, url, payloads)
    assert statuses[:20] == [302] * 20
    assert statuses[20:] == [429, 429]


def test_password_reset_is_rate_limited_per_address_whatever_the_case(client, db):
    UserFactory(email="reset.me@example.org")
    url = reverse("account_reset_password")
    emails = ["reset.me@example.org", "RESET.ME@example.org"] * 3
    statuses = _statuses(client, url, [{"email": e} for e in emails])
    assert statuses[:5] == [302] * 5
    assert statuses[5] == 429


def test_confirmation_email_is_not_resent_more_than_once_in_three_minutes(client, db, mailoutbox):
    user = UserFactory(email="unverified@example.org", verified=False)
    from allauth.account.models import EmailAddress

    EmailAddress.objects.create(user=user, email=user.email, verified=False, primary=True)
    client.force_login(user)
    url = reverse("account_email")
    for _ in range(3):
        client.post(url, {"action_send": "", "email": user.email})
    assert len(mailoutbox) == 1
