from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from clusters.newsletters import actions, sending
from clusters.newsletters.enums import DeliveryStatus, MailingStatus
from clusters.newsletters.models import Delivery
from clusters.newsletters.tasks import send_mailing, start_due_mailings

pytestmark = pytest.mark.django_db(transaction=False)


def _recipients(mailoutbox):
    return sorted(to for m in mailoutbox for to in m.to)


@pytest.fixture
def scheduled(mailing, manager):
    return actions.mailing_schedule(actor=manager, mailing=mailing, when=None)


def test_send_task_mails_each_recipient_once(news_world, scheduled, mailoutbox):
    assert start_due_mailings() == 1
    assert len(mailoutbox) == 6
    assert len(set(_recipients(mailoutbox))) == 6
    scheduled.refresh_from_db()
    assert (scheduled.status, scheduled.recipient_count) == (MailingStatus.SENT, 6)
    assert Delivery.objects.filter(status=DeliveryStatus.SENT).count() == 6


def test_running_the_send_task_twice_sends_nothing_more(news_world, scheduled, mailoutbox):
    send_mailing(scheduled.pk)
    Delivery.objects.update()  # nothing pending
    scheduled.status = MailingStatus.SENDING  # as if a second run had been queued meanwhile
    scheduled.save(update_fields=["status"])
    assert send_mailing(scheduled.pk) == 0
    assert len(mailoutbox) == 6
    assert Delivery.objects.count() == 6


def test_a_batch_claimed_by_a_dead_worker_is_sent_once_on_rerun(news_world, scheduled, mailoutbox):
    sending.mailing_start(scheduled.pk)
    ids = list(Delivery.objects.order_by("id").values_list("pk", flat=True))
    # A worker claimed two deliveries, sent one and died before sending the other.
    Delivery.objects.filter(pk=ids[0]).update(status=DeliveryStatus.SENT, sent_at=timezone.now())
    Delivery.objects.filter(pk__in=ids[1:3]).update(
        claim_token="deadbeef" * 4,
        claimed_by="this-host-no-more:999999:1",
        claimed_at=timezone.now(),
    )
    # Its claim still holds (other host, not stale): a rerun leaves those alone ...
    send_mailing(scheduled.pk)
    assert len(mailoutbox) == 3
    # ... until the claim is stale; then each is sent exactly once.
    with time_machine.travel(timezone.now() + timedelta(seconds=601)):
        send_mailing(scheduled.pk)
    assert len(mailoutbox) == 5
    assert len(set(_recipients(mailoutbox))) == 5  # ids[0] was "sent" by the dead worker
    assert not Delivery.objects.filter(status=DeliveryStatus.PENDING).exists()
    scheduled.refresh_from_db()
    assert scheduled.status == MailingStatus.SENT


def test_claim_of_a_dead_process_on_this_host_is_taken_over_at_once(
    news_world, scheduled, mailoutbox
):
    import socket

    sending.mailing_start(scheduled.pk)
    first = Delivery.objects.order_by("id").first()
    Delivery.objects.filter(pk=first.pk).update(
        claim_token="a" * 32,
        claimed_by=f"{socket.gethostname()}:999999:12345",
        claimed_at=timezone.now(),
    )
    send_mailing(scheduled.pk)
    assert len(mailoutbox) == 6


def test_people_added_after_the_start_join_without_duplicates(news_world, scheduled, mailoutbox):
    from tests.factories import UserFactory

    sending.mailing_start(scheduled.pk)
    UserFactory(organisation=news_world["orgs"]["sme_fr"], org_role="member")
    assert sending.mailing_start(scheduled.pk) == 7
    send_mailing(scheduled.pk)
    assert len(mailoutbox) == 7
    assert len(set(_recipients(mailoutbox))) == 7


def test_rate_limit_per_minute(news_world, scheduled, mailoutbox, settings):
    settings.NEWSLETTER_RATE_PER_MINUTE = 4
    settings.NEWSLETTER_BATCH_SIZE = 3
    send_mailing(scheduled.pk)
    assert len(mailoutbox) == 4
    scheduled.refresh_from_db()
    assert scheduled.status == MailingStatus.SENDING
    with time_machine.travel(timezone.now() + timedelta(seconds=61)):
        assert start_due_mailings() == 1
    assert len(mailoutbox) == 6
    scheduled.refresh_from_db()
    assert scheduled.status == MailingStatus.SENT


def test_mail_headers_and_parts(news_world, scheduled, mailoutbox):
    send_mailing(scheduled.pk)
    message = mailoutbox[0]
    unsubscribe = message.extra_headers["List-Unsubscribe"]
    assert unsubscribe.startswith("<http") and "/newsletters/unsubscribe/" in unsubscribe
    assert ", <mailto:unsubscribe@" in unsubscribe
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert message.body.startswith(news_world["cluster"].name)  # the plain-text part
    assert "We moved. See our site (https://example.org)." in message.body
    html, mimetype = message.alternatives[0]
    assert mimetype == "text/html"
    assert "<strong>moved</strong>" in html
    raw = message.message().as_string()
    assert "List-Unsubscribe-Post: List-Unsubscribe=One-Click" in raw


def test_unsubscribed_people_get_nothing(news_world, scheduled, mailoutbox):
    person = news_world["people"]["research_fr_admin"]
    actions.consent_set(
        person=person, cluster=news_world["cluster"], topic="news", subscribed=False, origin="page"
    )
    send_mailing(scheduled.pk)
    assert person.email not in _recipients(mailoutbox)
    assert len(mailoutbox) == 5


def test_smtp_failure_releases_the_claims(news_world, scheduled, mailoutbox, monkeypatch):
    from django.core.mail.backends.locmem import EmailBackend

    calls = {"n": 0}
    real = EmailBackend.send_messages

    def flaky(self, messages):
        calls["n"] += 1
        if calls["n"] == 3:
            raise ConnectionError("mail server went away")
        return real(self, messages)

    monkeypatch.setattr(EmailBackend, "send_messages", flaky)
    with pytest.raises(ConnectionError):
        send_mailing(scheduled.pk)
    assert len(mailoutbox) == 2
    assert not Delivery.objects.exclude(claim_token="").exists()
    send_mailing(scheduled.pk)
    assert len(mailoutbox) == 6
    assert len(set(_recipients(mailoutbox))) == 6
