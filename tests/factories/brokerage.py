"""Brokerage factories. `brokerage_with_sessions()` builds an event with meetings on,
sessions and slots through the real action, so slots are what managers get."""

from datetime import timedelta

import factory

from events.brokerage import actions
from events.brokerage.models import Meeting, MeetingRequest, Participant
from events.enums import EventKind
from tests.factories.clusters import UserFactory
from tests.factories.events import EventFactory, RegistrationFactory


class BrokerageEventFactory(EventFactory):
    kind = EventKind.BROKERAGE
    title = factory.Sequence(lambda n: f"Partnering day {n}")
    slug = factory.Sequence(lambda n: f"partnering-day-{n}")
    capacity = 200
    end = factory.LazyAttribute(lambda o: o.start + timedelta(hours=8))


def enable_brokerage(event, manager, *, sessions=((60, 180), (240, 360)), **overrides):
    """Turn meetings on; `sessions` are (start, end) minutes after the event start."""
    kwargs = {
        "meeting_minutes": 20,
        "tables": 10,
        "max_meetings": 12,
        "requires_acceptance": True,
        "pending_expiry_hours": 72,
        "request_deadline": None,
    }
    kwargs.update(overrides)
    return actions.brokerage_configure(
        actor=manager,
        event=event,
        sessions=[
            (event.start + timedelta(minutes=a), event.start + timedelta(minutes=b))
            for a, b in sessions
        ],
        **kwargs,
    )


def add_participant(
    event,
    user=None,
    *,
    cluster=None,
    offers="Antibody platform",
    requests="Partners",
    available=None,
):
    """A confirmed registrant who joined the meetings (every slot unless `available`)."""
    if user is None:
        user = UserFactory(member_of=cluster or event.cluster)
    RegistrationFactory(event=event, user=user)
    return actions.participant_save(
        actor=user,
        event=event,
        offers=offers,
        requests=requests,
        available_slots=available,
    )


def agree_meeting(a: Participant, b: Participant) -> Meeting:
    """A request from a to b, accepted by b (through the actions)."""
    request = actions.meeting_request_create(
        actor=a.user, event=a.event, to_participant=b, message="Let us meet"
    )
    request.refresh_from_db()
    if request.status == "pending":
        return actions.meeting_request_accept(actor=b.user, meeting_request=request)
    return request.meeting


class MeetingRequestFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MeetingRequest

    event = factory.LazyAttribute(lambda o: o.from_participant.event)
    message = "Hello"
