from datetime import timedelta

import pytest
from django.utils import timezone

from events.brokerage import actions
from events.brokerage.models import Meeting, MeetingRequest, Participant
from portal.privacy import account_delete, personal_data_export
from tests.factories.brokerage import add_participant, agree_meeting

pytestmark = pytest.mark.django_db


def test_export_lists_profile_requests_and_meetings(event, alice, bob, cluster):
    agree_meeting(alice, bob)
    carol = add_participant(event, cluster=cluster)
    actions.meeting_request_create(actor=carol.user, event=event, to_participant=alice)
    data = personal_data_export(user=alice.user)["events.brokerage"]["participations"]
    assert len(data) == 1
    entry = data[0]
    assert (entry["event"], entry["offers"]) == (event.title, "Antibody platform")
    assert sorted((r["direction"], r["other"]) for r in entry["meeting_requests"]) == [
        ("received", carol.user.display_name),
        ("sent", bob.user.display_name),
    ]
    assert [m["partner"] for m in entry["meetings"]] == [bob.user.display_name]


def test_account_deletion_calls_off_upcoming_and_keeps_past(event, alice, bob, cluster, manager):
    upcoming = agree_meeting(alice, bob)
    carol = add_participant(event, cluster=cluster)
    pending = actions.meeting_request_create(actor=alice.user, event=event, to_participant=carol)
    account_delete(user=alice.user)
    assert not Meeting.objects.filter(pk=upcoming.pk).exists()
    pending.refresh_from_db()
    assert (pending.status, pending.message) == ("cancelled", "")
    alice.refresh_from_db()
    assert (alice.offers, alice.requests) == ("", "")
    # A past meeting stays (the partner's history, the cluster's figures).
    other = add_participant(event, cluster=cluster)
    past = agree_meeting(bob, other)
    type(event).objects.filter(pk=event.pk).update(
        start=timezone.now() - timedelta(days=2), end=timezone.now() - timedelta(days=1)
    )
    account_delete(user=other.user)
    assert Meeting.objects.filter(pk=past.pk).exists()
    assert Participant.objects.filter(pk=other.pk).exists()
    assert MeetingRequest.objects.filter(pk=past.request_id).exists()
