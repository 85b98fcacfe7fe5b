"""Emails whose task never ran are queued again, and no email is ever sent twice."""

from datetime import timedelta

import pytest
from django.utils import timezone

from portal.base.models import Notification
from portal.base.notifications import notify
from portal.base.tasks import requeue_unsent_emails, send_notification_email
from portal.celery import app as celery_app

ICS = ["event.ics", "BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n", "text/calendar"]


def queued(member, *, minutes_ago: float, **fields) -> Notification:
    n = Notification.objects.create(
        recipient=member,
        subject="Your booking",
        body="b",
        email_status="queued",
        email_attachments=[ICS],
        **fields,
    )
    Notification.objects.filter(pk=n.pk).update(
        created=timezone.now() - timedelta(minutes=minutes_ago)
    )
    return n


@pytest.fixture
def broker_down():
    """A real broker connection that is refused (nothing listens on port 9), with
    tasks published instead of run in-process, and no publish retries."""
    conf = celery_app.conf
    saved = (conf.task_always_eager, conf.broker_url, conf.task_publish_retry)
    conf.task_always_eager, conf.broker_url, conf.task_publish_retry = (
        False,
        "redis://127.0.0.1:9/0",
        False,
    )
    _drop_connections()
    yield
    conf.task_always_eager, conf.broker_url, conf.task_publish_retry = saved
    _drop_connections()


def _drop_connections():
    """Forget pooled broker connections (Celery's and kombu's registry of pools), so
    the next publish connects to the current URL."""
    from kombu import pools

    pools.reset()
    celery_app._pool = None
    celery_app.amqp._producer_pool = None


def test_email_published_while_broker_down_is_sent_by_the_requeue(
    member, mailoutbox, django_capture_on_commit_callbacks, broker_down
):
    with django_capture_on_commit_callbacks(execute=True):
        n = notify(
            member,
            template="clusters/email/invitation",
            context={"invitation": None, "link": "x"},
            attachments=[tuple(ICS)],
        )
    n.refresh_from_db()
    assert (n.email_status, n.email_attempts, len(mailoutbox)) == ("queued", 0, 0)
    assert n.email_attachments == [ICS]
    celery_app.conf.task_always_eager = True  # the broker is back: the worker runs tasks
    assert requeue_unsent_emails() == 0  # too recent: its task may still be on its way
    Notification.objects.filter(pk=n.pk).update(created=timezone.now() - timedelta(minutes=11))
    assert requeue_unsent_emails() == 1
    n.refresh_from_db()
    assert (n.email_status, n.email_attempts, n.email_lease_until) == ("sent", 1, None)
    assert [m.to for m in mailoutbox] == [[member.email]]
    assert mailoutbox[0].attachments[0][0] == "event.ics"
    assert requeue_unsent_emails() == 0  # sent: never again
    assert len(mailoutbox) == 1


def test_requeue_leaves_recent_old_and_attempted_emails(member, mailoutbox):
    queued(member, minutes_ago=5)  # its task may still be queued
    queued(member, minutes_ago=5 * 24 * 60)  # older than three days
    queued(member, minutes_ago=30, email_attempts=1)  # the task ran: Celery retries it
    queued(member, minutes_ago=30, email_lease_until=timezone.now() + timedelta(minutes=2))
    assert requeue_unsent_emails() == 0
    assert mailoutbox == []


def test_two_copies_of_the_task_send_one_email(member, mailoutbox):
    n = queued(member, minutes_ago=30)
    assert send_notification_email(n.pk) == "sent"
    assert send_notification_email(n.pk) == "skipped"
    assert len(mailoutbox) == 1


def test_a_leased_email_is_left_to_its_sender_until_the_lease_ends(member, mailoutbox):
    n = queued(member, minutes_ago=30, email_lease_until=timezone.now() + timedelta(minutes=1))
    assert send_notification_email(n.pk) == "skipped"
    assert mailoutbox == []
    Notification.objects.filter(pk=n.pk).update(
        email_lease_until=timezone.now() - timedelta(seconds=1)  # its worker died mid-send
    )
    assert send_notification_email(n.pk) == "sent"
    assert len(mailoutbox) == 1
