import pytest

from clusters.newsletters import actions, privacy
from clusters.newsletters.models import ConsentChange, ConsentChoice, Delivery
from clusters.newsletters.tasks import send_mailing

pytestmark = pytest.mark.django_db


def test_export_and_anonymise(news_world, mailing, manager, mailoutbox):
    person = news_world["people"]["sme_fr_admin"]
    actions.consent_set(
        person=person,
        cluster=news_world["cluster"],
        topic="events",
        subscribed=False,
        origin="page",
    )
    actions.mailing_schedule(actor=manager, mailing=mailing, when=None)
    send_mailing(mailing.pk)
    data = privacy.export_personal_data(person)
    assert data["consent"] == [
        {"cluster": news_world["cluster"].name, "topic": "events", "subscribed": False}
    ]
    assert [c["origin"] for c in data["consent_changes"]] == ["page"]
    assert [(m["subject"], m["status"]) for m in data["mailings_received"]] == [
        ("Spring news", "sent")
    ]
    privacy.anonymise_personal_data(person)
    assert not ConsentChoice.objects.filter(person=person).exists()
    assert not ConsentChange.objects.filter(person=person).exists()
    assert Delivery.objects.filter(person=person, status="sent").count() == 1
