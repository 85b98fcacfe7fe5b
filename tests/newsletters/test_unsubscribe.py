import pytest
from django.test import Client
from django.urls import reverse

from clusters.newsletters.models import ConsentChange, ConsentChoice
from clusters.newsletters.tokens import make_token, read_token

pytestmark = pytest.mark.django_db


def _url(person, cluster, topic="news"):
    return reverse("newsletters:unsubscribe", args=[make_token(person.pk, cluster.pk, topic)])


def _subscribed(person, cluster, topic="news"):
    row = ConsentChoice.objects.filter(person=person, cluster=cluster, topic=topic).first()
    return None if row is None else row.subscribed


def test_get_asks_to_confirm_and_changes_nothing(news_world, client):
    a = news_world["people"]["sme_fr_admin"]
    response = client.get(_url(a, news_world["cluster"]))
    assert response.status_code == 200
    assert b'<form method="post">' in response.content
    assert _subscribed(a, news_world["cluster"]) is None


def test_post_unsubscribes_without_signing_in(news_world):
    a = news_world["people"]["sme_fr_admin"]
    client = Client(enforce_csrf_checks=True)
    response = client.post(_url(a, news_world["cluster"]))
    assert response.status_code == 200
    assert _subscribed(a, news_world["cluster"]) is False
    change = ConsentChange.objects.get(person=a)
    assert (change.old, change.new, change.origin) == (None, False, "unsubscribe")


def test_one_click_post_needs_no_session_or_csrf(news_world):
    a = news_world["people"]["sme_fr_admin"]
    client = Client(enforce_csrf_checks=True)
    response = client.post(
        _url(a, news_world["cluster"], "events"),
        data="List-Unsubscribe=One-Click",
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 200
    assert _subscribed(a, news_world["cluster"], "events") is False
    assert _subscribed(a, news_world["cluster"], "news") is None


def test_token_for_a_cannot_unsubscribe_b(news_world):
    a = news_world["people"]["sme_fr_admin"]
    b = news_world["people"]["startup_de_admin"]
    token = make_token(a.pk, news_world["cluster"].pk, "news")
    value, signature = token.rsplit(":", 1)
    forged_payload = make_token(b.pk, news_world["cluster"].pk, "news").rsplit(":", 1)[0]
    client = Client(enforce_csrf_checks=True)
    for bad in (f"{forged_payload}:{signature}", token[:-2] + "xx", "nonsense"):
        response = client.post(reverse("newsletters:unsubscribe", args=[bad]))
        assert response.status_code == 400
        assert b"This unsubscribe link is not valid" in response.content
    assert ConsentChoice.objects.count() == 0
    assert ConsentChange.objects.count() == 0


def test_token_of_another_salt_does_not_verify(news_world):
    from django.core import signing

    a = news_world["people"]["sme_fr_admin"]
    other = signing.dumps([a.pk, news_world["cluster"].pk, "news"], salt="something.else")
    assert read_token(other) is None
    assert read_token(make_token(a.pk, news_world["cluster"].pk, "news")) == (
        a.pk,
        news_world["cluster"].pk,
        "news",
    )


def test_service_notifications_still_reach_an_unsubscribed_person(news_world, mailoutbox):
    from django.test import TestCase

    from portal.base.notifications import notify

    a = news_world["people"]["sme_fr_admin"]
    for topic in ("news", "events", "opportunities", "fees"):
        Client().post(_url(a, news_world["cluster"], topic))
    with TestCase.captureOnCommitCallbacks(execute=True):
        notify(
            a,
            template="clusters/email/application_decided",
            context={"membership": a.organisation.memberships.get(), "approved": True},
        )
    assert [m.to for m in mailoutbox] == [[a.email]]


def test_preferences_page_saves_choices(news_world, client):
    a = news_world["people"]["sme_fr_admin"]
    client.force_login(a)
    page = client.get(reverse("newsletters:preferences"))
    assert page.status_code == 200
    assert news_world["cluster"].name.encode() in page.content
    cid = news_world["cluster"].pk
    client.post(reverse("newsletters:preferences"), {f"c{cid}-news": "on"})
    assert _subscribed(a, news_world["cluster"], "news") is None  # default yes stays yes
    assert _subscribed(a, news_world["cluster"], "events") is False
    assert ConsentChange.objects.get(person=a).origin == "page"
