from allauth.mfa.models import Authenticator
from django.db import OperationalError
from django.test import RequestFactory
from django.urls import reverse

from portal.views.errors import server_error
from tests.factories import ClusterRoleFactory, UserFactory


def test_admin_login_goes_through_allauth(client, db):
    response = client.get("/admin/login/?next=/admin/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/admin/"


def test_login_failures_are_rate_limited_whatever_the_case_or_forwarded_header(client, member):
    limited = "Too many failed login attempts"
    pages = []
    for i in range(7):
        login = member.email.upper() if i % 2 else member.email
        response = client.post(
            reverse("account_login"),
            {"login": login, "password": f"wrong-{i}"},
            HTTP_X_FORWARDED_FOR=f"10.0.0.{i}",
        )
        pages.append(limited in response.content.decode())
    # allauth's login_failed limit: 5 per 5 minutes per login, letter case folded,
    # keyed on the socket address (no proxy is trusted), so a forged header changes nothing.
    assert pages == [False] * 5 + [True, True]
    from tests.factories.clusters import PASSWORD

    response = client.post(reverse("account_login"), {"login": member.email, "password": PASSWORD})
    assert limited in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_security_headers_and_csp(client, db):
    response = client.get("/")
    csp = response["Content-Security-Policy"]
    assert "script-src 'self'" in csp
    assert "'unsafe-inline'" not in csp
    assert "object-src 'none'" in csp
    assert "base-uri 'none'" in csp
    assert "frame-ancestors 'none'" in csp
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"


def test_staff_must_enable_totp_when_required(client, cluster, settings):
    settings.REQUIRE_STAFF_MFA = True
    manager = UserFactory()
    ClusterRoleFactory(user=manager, cluster=cluster)
    client.force_login(manager)
    response = client.get(reverse("dashboard"))
    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_activate_totp")
    Authenticator.objects.create(user=manager, type=Authenticator.Type.TOTP, data={"secret": "x"})
    assert client.get(reverse("dashboard")).status_code == 200


def test_members_are_not_forced_into_totp(client, member, settings):
    settings.REQUIRE_STAFF_MFA = True
    client.force_login(member)
    assert client.get(reverse("dashboard")).status_code == 200


def test_database_outage_gives_friendly_503(db):
    request = RequestFactory().get("/")
    try:
        raise OperationalError("connection refused")
    except OperationalError:
        response = server_error(request)
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert b"briefly unavailable" in response.content
    assert b"Traceback" not in response.content
    try:
        raise ValueError("a bug")
    except ValueError:
        assert server_error(request).status_code == 500


def test_outage_raised_in_a_middleware_is_a_503(client, member, monkeypatch):
    from django.contrib.sessions.backends.db import SessionStore

    client.force_login(member)

    def broken(self, *args, **kwargs):
        raise OperationalError("server closed the connection unexpectedly")

    monkeypatch.setattr(SessionStore, "load", broken)
    client.raise_request_exception = False
    response = client.get(reverse("dashboard"))
    assert response.status_code == 503
    assert "briefly unavailable" in response.content.decode()
