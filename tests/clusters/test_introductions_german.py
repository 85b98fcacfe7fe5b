"""German calls introductions "Kontaktanfragen", not "Vorstellungen" (a
presentation, or a job interview) (issue 15, 2.13)."""

import polib
from django.conf import settings
from django.urls import reverse

from tests.factories.clusters import IntroductionRequestFactory, UserFactory


def test_no_german_string_calls_an_introduction_vorstellung():
    po = polib.pofile(str(settings.BASE_DIR / "locale/de/LC_MESSAGES/django.po"))
    found = [
        e.msgid
        for e in po
        if "ntroduc" in e.msgid + e.msgid_plural
        and any("orstell" in t for t in [e.msgstr, *e.msgstr_plural.values()])
    ]
    assert found == []


def test_introduction_pages_in_german(client, member, make_org, cluster):
    other = make_org("Target Regulatory", clusters=[cluster])
    sender = UserFactory(organisation=other)
    intro = IntroductionRequestFactory(from_user=sender, to_organisation=member.organisation)
    member.language = "de"
    member.save()
    client.force_login(member)
    listing = client.get(reverse("clusters:introduction_list")).content.decode()
    assert "Kontaktanfragen" in listing
    detail = client.get(reverse("clusters:introduction_detail", args=[intro.pk])).content.decode()
    assert "Kontaktanfrage von Target Regulatory" in detail
    for html in (listing, detail):
        assert "Vorstellung" not in html
