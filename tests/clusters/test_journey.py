"""The issue's "Done when": on the demo data, a member finds organisations in
France that offer regulatory affairs, opens a profile and sends an
introduction that the other side accepts."""

import re

from django.core.management import call_command
from django.urls import reverse

from clusters.enums import OrgRole
from clusters.models import IntroductionRequest, Organisation, Topic, User


def test_find_french_regulatory_partner_and_get_introduced(
    client, db, mailoutbox, django_capture_on_commit_callbacks
):
    call_command("seed_demo", size=200, verbosity=0)
    me = User.objects.get(email="sme@demo.example")
    regulatory = Topic.objects.get(name="Regulatory affairs")
    client.force_login(me)

    response = client.get(reverse("clusters:directory"), {"country": "FR", "offers": regulatory.pk})
    slugs = re.findall(r'<h3><a href="/organisations/([\w-]+)/">', response.content.decode())
    assert len(slugs) >= 3
    found = Organisation.objects.filter(slug__in=slugs)
    assert {o.country for o in found} == {"FR"}
    assert all(regulatory in o.offer_topics.all() for o in found)
    assert all(o.visibility != "hidden" for o in found)

    # The same people are found by words alone.
    by_text = client.get(
        reverse("clusters:directory"), {"country": "FR", "q": "regulatory affairs"}
    )
    assert set(slugs) <= set(re.findall(r"/organisations/([\w-]+)/", by_text.content.decode()))

    partner = Organisation.objects.get(slug=slugs[0])
    profile = client.get(reverse("clusters:organisation_detail", args=[partner.slug]))
    assert profile.status_code == 200
    assert profile.context["introduction_form"] is not None

    with django_capture_on_commit_callbacks(execute=True):
        sent = client.post(
            reverse("clusters:introduction_create", args=[partner.slug]),
            {"message": "We need regulatory affairs support for our first CTA."},
        )
    intro = IntroductionRequest.objects.get(from_user=me, to_organisation=partner)
    assert sent["Location"] == reverse("clusters:introduction_detail", args=[intro.pk])
    partner_admin = partner.people.filter(org_role=OrgRole.ADMIN).order_by("pk").first()
    assert [m.to for m in mailoutbox] == [[partner_admin.email]]

    client.force_login(partner_admin)
    received = client.get(reverse("clusters:introduction_list")).content.decode()
    assert "NeoCell Therapeutics" in received
    assert me.email not in received
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("clusters:introduction_decide", args=[intro.pk, "accept"]))
    assert (
        me.email
        in client.get(reverse("clusters:introduction_detail", args=[intro.pk])).content.decode()
    )

    client.force_login(me)
    page = client.get(reverse("clusters:introduction_detail", args=[intro.pk])).content.decode()
    assert partner_admin.email in page
    assert [m.to for m in mailoutbox] == [[me.email]]


def test_seed_demo_introductions_are_idempotent(db):
    call_command("seed_demo", size=0, verbosity=0)
    first = list(IntroductionRequest.objects.values_list("from_organisation__name", "status"))
    call_command("seed_demo", size=0, verbosity=0)
    assert (
        list(IntroductionRequest.objects.values_list("from_organisation__name", "status")) == first
    )
    assert sorted(first) == [
        ("Mosa Diagnostics", "pending"),
        ("NeoCell Therapeutics", "accepted"),
        ("Rhine Institute for Molecular Medicine", "pending"),
    ]
