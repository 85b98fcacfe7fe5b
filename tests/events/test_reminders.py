import os
import socket
from datetime import timedelta

import icalendar
import pytest
from django.utils import timezone

from events import reminders
from events.enums import DeliveryStatus
from events.models import ReminderDelivery
from events.tasks import send_due_reminders
from portal.base.models import Notification
from tests.factories.clusters import UserFactory
from tests.factories.events import EventFactory, RegistrationFactory


@pytest.fixture
def soon(cluster):
    """Starts in 30 minutes: the 24h and 1h reminders are both due."""
    start = timezone.now() + timedelta(minutes=30)
    return EventFactory(
        cluster=cluster,
        start=start,
        end=start + timedelta(hours=2),
        created=timezone.now() - timedelta(days=5),
    )


def _register(event, n, ago=timedelta(days=3), **kw):
    return [
        RegistrationFactory(
            event=event,
            user=UserFactory(member_of=event.cluster),
            created=timezone.now() - ago,
            **kw,
        )
        for _ in range(n)
    ]


def _reminder_mails(outbox):
    return [m for m in outbox if "X-Portal-Reminder" in m.extra_headers]


def test_each_due_reminder_sent_once_with_ics(soon, mailoutbox):
    regs = _register(soon, 3)
    send_due_reminders()
    mails = _reminder_mails(mailoutbox)
    assert sorted(m.extra_headers["X-Portal-Reminder"] for m in mails) == sorted(
        f"{r.pk}:{o}" for r in regs for o in (1440, 60)
    )
    assert {m.subject for m in mails} == {
        f"Reminder: {soon.title} starts in 24 hours",
        f"Reminder: {soon.title} starts in 1 hour",
    }
    cal = icalendar.Calendar.from_ical(mails[0].attachments[0][1])
    assert str(cal.walk("VEVENT")[0]["SUMMARY"]) == soon.title
    assert ReminderDelivery.objects.filter(status="sent").count() == 6
    assert (
        Notification.objects.filter(subject__startswith="Reminder:", email_status="sent").count()
        == 6
    )


def test_running_again_sends_nothing(soon, mailoutbox):
    _register(soon, 2)
    send_due_reminders()
    first = len(_reminder_mails(mailoutbox))
    send_due_reminders()
    assert (first, len(_reminder_mails(mailoutbox))) == (4, 4)


def test_chunks_of_small_size_cover_everyone_once(soon, mailoutbox):
    _register(soon, 7)
    send_due_reminders(chunk_size=3)
    assert len(_reminder_mails(mailoutbox)) == 14


def test_not_yet_due_offset_is_not_sent(cluster, mailoutbox):
    start = timezone.now() + timedelta(hours=5)
    event = EventFactory(cluster=cluster, start=start, end=start + timedelta(hours=1))
    _register(event, 1)
    send_due_reminders()
    assert [m.subject for m in _reminder_mails(mailoutbox)] == [
        f"Reminder: {event.title} starts in 24 hours"
    ]


def test_registration_after_due_time_gets_none_for_that_offset(soon, mailoutbox):
    # Registered 45 minutes ago: after the 24h reminder's time, before the 1h one (30 min ago).
    (reg,) = _register(soon, 1, ago=timedelta(minutes=45))
    send_due_reminders()
    assert [m.extra_headers["X-Portal-Reminder"] for m in _reminder_mails(mailoutbox)] == [
        f"{reg.pk}:60"
    ]


def test_cancelled_registration_waitlisted_and_cancelled_event_get_none(soon, cluster, mailoutbox):
    _register(soon, 1, status="cancelled")
    _register(soon, 1, status="waitlisted")
    start = timezone.now() + timedelta(minutes=30)
    off = EventFactory(
        cluster=cluster, start=start, end=start + timedelta(hours=1), status="cancelled"
    )
    _register(off, 2)
    draft = EventFactory(
        cluster=cluster, start=start, end=start + timedelta(hours=1), status="draft"
    )
    _register(draft, 1)
    send_due_reminders()
    assert _reminder_mails(mailoutbox) == []
    assert ReminderDelivery.objects.count() == 0


def test_started_event_gets_none(cluster, mailoutbox):
    start = timezone.now() - timedelta(minutes=5)
    event = EventFactory(cluster=cluster, start=start, end=start + timedelta(hours=2))
    _register(event, 2)
    send_due_reminders()
    assert _reminder_mails(mailoutbox) == []


def test_online_link_only_for_online_seats(soon, mailoutbox):
    soon.format = "hybrid"
    soon.online_capacity = 10
    soon.online_link = "https://meet.example/secret"
    soon.reminder_offsets = [60]
    soon.save()
    (in_person,) = _register(soon, 1, seat_type="in_person")
    (online,) = _register(soon, 1, seat_type="online")
    send_due_reminders()
    by_reg = {m.extra_headers["X-Portal-Reminder"]: m for m in _reminder_mails(mailoutbox)}
    assert "https://meet.example/secret" in by_reg[f"{online.pk}:60"].body
    assert "https://meet.example/secret" not in by_reg[f"{in_person.pk}:60"].body


def test_claim_held_by_live_worker_is_left_alone(soon, mailoutbox):
    (reg,) = _register(soon, 1)
    soon.reminder_offsets = [60]
    soon.save()
    # Held by this very (live) process: another run must not send it.
    ReminderDelivery.objects.create(
        registration=reg,
        offset_minutes=60,
        status=DeliveryStatus.CLAIMED,
        claim_token="other",
        claimed_by=reminders.worker_identity(),
        claimed_at=timezone.now(),
    )
    send_due_reminders()
    assert _reminder_mails(mailoutbox) == []
    assert ReminderDelivery.objects.get().claim_token == "other"


def test_claim_of_dead_worker_is_taken_over(soon, mailoutbox):
    (reg,) = _register(soon, 1)
    soon.reminder_offsets = [60]
    soon.save()
    ReminderDelivery.objects.create(
        registration=reg,
        offset_minutes=60,
        status=DeliveryStatus.CLAIMED,
        claim_token="dead",
        claimed_by=f"{socket.gethostname()}:{2**22 + 12345}:1",  # no such process
        claimed_at=timezone.now(),
    )
    send_due_reminders()
    assert len(_reminder_mails(mailoutbox)) == 1
    assert ReminderDelivery.objects.get().status == "sent"


def test_claim_of_other_host_is_taken_over_after_stale_limit(soon, mailoutbox, settings):
    (reg,) = _register(soon, 1)
    soon.reminder_offsets = [60]
    soon.save()
    d = ReminderDelivery.objects.create(
        registration=reg,
        offset_minutes=60,
        status=DeliveryStatus.CLAIMED,
        claim_token="far",
        claimed_by="another-host:1:1",
        claimed_at=timezone.now(),
    )
    send_due_reminders()
    assert _reminder_mails(mailoutbox) == []
    ReminderDelivery.objects.filter(pk=d.pk).update(
        claimed_at=timezone.now() - timedelta(seconds=601)
    )
    send_due_reminders()
    assert len(_reminder_mails(mailoutbox)) == 1


def test_reused_pid_is_not_mistaken_for_the_claimant(soon):
    me = reminders.worker_identity()
    host, pid, start = me.split(":")
    assert pid == str(os.getpid())
    now = timezone.now()
    assert reminders.claim_abandoned(me, now, now) is False
    assert reminders.claim_abandoned(f"{host}:{pid}:{int(start) + 1}", now, now) is True


def test_smtp_failure_releases_claims_for_next_run(soon, mailoutbox, monkeypatch):
    _register(soon, 2)
    soon.reminder_offsets = [60]
    soon.save()
    from django.core.mail.backends.locmem import EmailBackend

    calls = {"n": 0}
    real = EmailBackend.send_messages

    def flaky(self, messages):
        calls["n"] += 1
        if calls["n"] == 2:
            raise ConnectionError("smtp down")
        return real(self, messages)

    monkeypatch.setattr(EmailBackend, "send_messages", flaky)
    send_due_reminders()  # the chunk task fails (eager: the error is logged, not raised)
    assert ReminderDelivery.objects.filter(status="sent").count() == 1
    send_due_reminders()
    assert len(_reminder_mails(mailoutbox)) == 2
    assert ReminderDelivery.objects.filter(status="sent").count() == 2
    # One in-app notice per reminder, even across the retry.
    assert Notification.objects.filter(subject__startswith="Reminder:").count() == 2


def test_offset_text():
    assert [reminders.offset_text(m) for m in (1440, 60, 90, 2880, 30)] == [
        "24 hours",
        "1 hour",
        "90 minutes",
        "2 days",
        "30 minutes",
    ]


def test_beat_runs_the_reminder_task_every_minute(settings):
    entry = settings.CELERY_BEAT_SCHEDULE["events-send-due-reminders"]
    assert (entry["task"], entry["schedule"]) == ("events.send_due_reminders", 60.0)
