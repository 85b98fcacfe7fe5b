"""The site's name and address come from settings (defect 2.11 of issue 15).

allauth's emails used to greet with the request's host ("Hello from 127.0.0.1:8000!");
`make run` served on port 8000 only; the pages had no favicon.
"""

import re
import shlex
import subprocess
import sys
from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles import finders
from django.urls import reverse

ROOT = Path(settings.BASE_DIR)
SIGNUP = {
    "first_name": "Ada",
    "last_name": "Lovelace",
    "email": "ada@example.org",
    "password1": "a-Long-pass-1234",
    "password2": "a-Long-pass-1234",
}


def test_allauth_email_greets_with_the_portal_name_not_the_host(client, db, mailoutbox):
    client.post(reverse("account_signup"), SIGNUP)
    assert len(mailoutbox) == 1
    mail = mailoutbox[0]
    assert mail.subject == "[Biocluster portal] Please Confirm Your Email Address"
    assert mail.body.startswith("Hello from Biocluster portal!")
    assert "Thank you for using Biocluster portal!\n127.0.0.1:8000" in mail.body
    assert "testserver" not in mail.body.split("http://testserver/accounts/confirm-email/")[0]


def test_allauth_email_takes_site_name_and_domain_from_settings(client, db, mailoutbox, settings):
    settings.SITE_NAME = "Genopole Partner Portal"
    settings.SITE_URL = "https://portal.genopole.example"
    client.post(reverse("account_signup"), SIGNUP, HTTP_ACCEPT_LANGUAGE="it")
    mail = mailoutbox[0]
    assert mail.subject.startswith("[Genopole Partner Portal] ")
    assert mail.body.startswith("Un saluto da Genopole Partner Portal!")
    assert "portal.genopole.example" in mail.body


def test_password_reset_email_names_the_portal(client, member, mailoutbox):
    client.post(reverse("account_reset_password"), {"email": member.email})
    body = mailoutbox[0].body
    assert body.startswith("Hello from Biocluster portal!")
    assert "Thank you for using Biocluster portal!\n127.0.0.1:8000" in body


def test_site_name_follows_the_language_when_not_set(client, db, mailoutbox):
    client.post(reverse("account_signup"), SIGNUP, HTTP_ACCEPT_LANGUAGE="fr")
    assert mailoutbox[0].subject.startswith("[Portail Biocluster] ")


def test_sender_and_authenticator_name_follow_site_name():
    env = {
        "PATH": "/usr/bin:/bin",
        "PORTAL_VAR_DIR": str(settings.VAR_DIR),
        "SITE_NAME": "Genopole Partner Portal",
    }
    code = (
        "import django, os; os.environ['DJANGO_SETTINGS_MODULE'] = 'portal.settings'; "
        "from django.conf import settings as s; print(s.DEFAULT_FROM_EMAIL); "
        "print(s.MFA_TOTP_ISSUER)"
    )
    out = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
        env=env,
    ).stdout.splitlines()
    assert out == ["Genopole Partner Portal <noreply@localhost>", "Genopole Partner Portal"]


def _dry_run(*args: str) -> str:
    return subprocess.run(
        ["make", "--dry-run", "--always-make", "run", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
        env={"PATH": "/usr/bin:/bin"},
    ).stdout


def test_make_run_takes_port_and_site_url_follows():
    start = [line for line in _dry_run("PORT=8123").splitlines() if "honcho" in line]
    assert len(start) == 1
    words = shlex.split(start[0])
    assert "SITE_URL=http://127.0.0.1:8123" in words
    assert words[-2:] == ["-p", "8123"]


def test_make_run_keeps_an_explicit_site_url():
    start = [line for line in _dry_run("PORT=8123", "SITE_URL=https://x.example").splitlines()]
    assert any("SITE_URL=https://x.example" in line and "-p 8123" in line for line in start)


def test_make_run_defaults_to_port_8000():
    start = [line for line in _dry_run().splitlines() if "honcho" in line]
    assert "SITE_URL=http://127.0.0.1:8000" in start[0] and start[0].endswith("-p 8000")


def test_procfile_web_listens_on_the_port_honcho_gives_it():
    web = next(
        line.split(":", 1)[1]
        for line in (ROOT / "Procfile").read_text().splitlines()
        if line.startswith("web:")
    )
    expanded = subprocess.run(
        ["sh", "-c", f"echo {web}"], capture_output=True, text=True, env={"PORT": "8123"}
    ).stdout
    assert "runserver 127.0.0.1:8123 " in expanded


def test_pages_link_an_svg_favicon(client, db):
    html = client.get(reverse("home")).content.decode()
    link = re.search(r'<link rel="icon" href="([^"]+)" type="image/svg\+xml">', html)
    assert link, "no favicon link"
    assert link[1] == f"{settings.STATIC_URL}favicon.svg"
    svg = Path(finders.find("favicon.svg")).read_text()
    assert svg.startswith("<svg") and 'xmlns="http://www.w3.org/2000/svg"' in svg
