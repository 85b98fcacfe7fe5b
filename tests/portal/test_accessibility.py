"""Server-rendered accessibility patterns (the browser checks are in tests/e2e/test_wcag22.py):
the error summary, the help page linked from every page, labelled table scroll regions and
the autocomplete attributes of the sign-in forms."""

import re
from pathlib import Path

from django.urls import reverse

from tests.factories import ClusterRoleFactory, UserFactory

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"


def test_form_with_errors_opens_with_a_summary_linking_to_each_field(client, member):
    client.force_login(member)
    html = client.post(reverse("services:request_create"), {}).text
    title = re.search(r"<title>(.*?)</title>", html, re.S)[1]
    assert title.startswith("Error: Ask for help")
    summary = re.search(r'<div class="error-summary"(.*?)</div>', html, re.S)[0]
    assert 'role="alert"' in summary and "data-error-summary" in summary
    assert '<a href="#id_subject">Subject: This field is required.</a>' in summary
    # The field itself points at its error message.
    field = re.search(r'<input type="text" name="subject"[^>]*>', html)[0]
    assert 'aria-invalid="true"' in field and 'aria-describedby="id_subject_error"' in field
    assert '<p class="error" id="id_subject_error">This field is required. </p>' in html
    # Files cannot be kept by the page (WCAG 3.3.7): the form says to choose them again.
    assert "please choose your files again" in html


def test_form_without_errors_has_no_summary_and_a_plain_title(client, member):
    client.force_login(member)
    html = client.get(reverse("services:request_create")).text
    assert "error-summary" not in html
    assert "please choose your files again" not in html
    assert "<title>Ask for help · Biocluster portal</title>" in html


def test_sign_in_and_sign_up_fields_autocomplete_and_allow_paste(client, db):
    login = client.get(reverse("account_login")).text
    assert re.search(r'<input type="email" name="login" autocomplete="email"', login)
    assert re.search(
        r'<input type="password" name="password"[^>]*autocomplete="current-password"', login
    )
    signup = client.post(reverse("account_signup"), {"email": "bad", "password1": "a"}).text
    assert re.search(r'name="first_name"[^>]*autocomplete="given-name"', signup)
    assert re.search(r'name="last_name"[^>]*autocomplete="family-name"', signup)
    assert re.search(r'name="password1"[^>]*autocomplete="new-password"', signup)
    assert re.search(r'name="password2"[^>]*autocomplete="new-password"', signup)
    assert '<a href="#id_email">Email: Enter a valid email address.</a>' in signup
    for html in (login, signup):  # nothing blocks pasting a password or an email
        assert "onpaste" not in html and "oncopy" not in html


def test_help_page_lists_the_managers_of_the_members_clusters(client, member, manager, cluster):
    ClusterRoleFactory(user=UserFactory(email="elsewhere@example.org"), role="manager")
    client.force_login(member)
    html = client.get(reverse("help")).text
    assert f'<a href="mailto:{manager.email}">{manager.email}</a>' in html
    assert "elsewhere@example.org" not in html
    assert 'href="/services/requests/new/"' in html


def test_help_link_is_in_the_footer_of_every_page(client, member):
    def footer_of(url):
        html = client.get(url).text
        return re.search(r'<footer class="site-footer">(.*?)</footer>', html, re.S)

    visitor = {url: footer_of(url) for url in ("/", "/accounts/login/", "/help/")}
    client.force_login(member)
    signed_in = {
        url: footer_of(url) for url in ("/dashboard/", "/services/requests/new/", "/no-such-page/")
    }
    for url, footer in (visitor | signed_in).items():
        assert footer, url
        assert '<a href="/help/">Help and contact</a>' in footer[1], url


def test_data_tables_scroll_in_a_labelled_focusable_region(client, member):
    client.force_login(member)
    html = client.get(reverse("rooms:booking_list")).text
    assert (
        '<div class="table-scroll" role="region" aria-labelledby="upcoming-caption" tabindex="0">'
        '<table class="table">'
    ) in html
    assert '<caption id="upcoming-caption">Upcoming bookings</caption>' in html


def test_every_template_table_sits_in_a_scroll_region():
    """A data table outside {% scrollregion %} would make the page scroll sideways at
    320 CSS px; each one carries the id its region is named by. Print documents (the
    invoice PDFs, rendered on A4 by WeasyPrint, never shown in a browser) are not pages."""
    missing = []
    for path in TEMPLATES.rglob("*.html"):
        if path.is_relative_to(TEMPLATES / "memberships" / "pdf"):
            continue
        text = path.read_text(encoding="utf-8")
        for table in re.finditer(r"<table\b.*?</table>", text, re.S):
            if 'role="presentation"' in table[0].split(">", 1)[0]:
                continue  # a layout table (the email layout), not a data table
            before = text[: table.start()].rstrip()
            caption = re.search(r'<caption id="([^"]+)"', table[0])
            region = re.search(r"{% scrollregion (\S+) %}$", before)
            if not (caption and region):
                missing.append(f"{path.relative_to(TEMPLATES)}: table without region or caption id")
    assert missing == []


def test_fields_about_the_person_name_their_purpose(db):
    """WCAG 1.3.5: the invitation sign-up and the membership application say what each
    personal field holds, so browsers and assistive tools can fill them in."""
    from clusters.forms.membership import ApplicationForm, InvitationSignupForm

    html = str(InvitationSignupForm(email="new@example.org")) + str(ApplicationForm())
    tags = {m[1]: m[0] for m in re.finditer(r'<(?:input|select)[^>]*name="(\w+)"[^>]*>', html)}
    purposes = {
        name: re.search(r'autocomplete="([\w-]+)"', tag)[1]
        for name, tag in tags.items()
        if "autocomplete=" in tag
    }
    assert purposes == {
        "first_name": "given-name",
        "last_name": "family-name",
        "password1": "new-password",
        "password2": "new-password",
        "name": "organization",
        "country": "country",
        "website": "url",
    }


def test_email_addresses_are_a_named_radio_group(client, member):
    """WCAG 1.3.1 on allauth's email page: the radios sit in a fieldset with a legend."""
    client.force_login(member)
    html = client.get(reverse("account_email")).content.decode()
    group = re.search(r"<fieldset>\s*<legend>([^<]+)</legend>(.*?)</fieldset>", html, re.S)
    assert group, "no fieldset with a legend"
    assert "associated with your account" in group.group(1)
    assert f'value="{member.email}"' in group.group(2) and 'type="radio"' in group.group(2)
