"""Personal data of the brokerage app (see portal/privacy.py)."""

from django.db.models import Q
from django.utils import timezone

from .enums import MeetingRequestStatus
from .models import Meeting, MeetingRequest, Participant

EXPORTED = {
    "brokerage.Participant.user": "participations",
    "brokerage.Meeting.feedback_by": "participations",
}
NOT_PERSONAL = {
    "brokerage.Participant.organisation": (
        "The organisation a participant represents; the participation itself is "
        "exported through user."
    ),
    "brokerage.ScheduleRun.created_by": (
        "The manager who ran the meeting scheduler: the event's work record, kept."
    ),
}


def export_personal_data(user) -> dict:
    participations = Participant.objects.filter(user=user).select_related("event")
    out = []
    for p in participations.prefetch_related("topics", "availability"):
        requests = MeetingRequest.objects.filter(
            Q(from_participant=p) | Q(to_participant=p)
        ).select_related("from_participant__user", "to_participant__user")
        meetings = (
            Meeting.objects.filter(Q(a=p) | Q(b=p))
            .select_related("slot", "a__user", "b__user")
            .order_by("pk")
        )
        out.append(
            {
                "event": p.event.title,
                "offers": p.offers,
                "requests": p.requests,
                "topics": [t.name for t in p.topics.all()],
                "available_slots": [s.start.isoformat() for s in p.availability.all()],
                "meeting_requests": [
                    {
                        "direction": "sent" if r.from_participant_id == p.pk else "received",
                        "other": (
                            r.to_participant
                            if r.from_participant_id == p.pk
                            else r.from_participant
                        ).user.display_name,
                        "message": r.message,
                        "status": r.status,
                        "created": r.created.isoformat(),
                    }
                    for r in requests
                ],
                "meetings": [
                    {
                        "partner": m.partner_of(p).user.display_name,
                        "start": m.slot.start.isoformat() if m.slot_id else None,
                        "table": m.table,
                        "held": m.held,
                        "usefulness": m.usefulness,
                        "follow_up": m.follow_up,
                    }
                    for m in meetings
                ],
            }
        )
    return {"participations": out}


def anonymise_personal_data(user) -> None:
    """Blank what the person wrote; call off their pending requests and upcoming
    meetings (their partners' slots become free); past meetings stay for the
    partners' history and the cluster's figures."""
    now = timezone.now()
    people = Participant.objects.filter(user=user)
    MeetingRequest.objects.filter(from_participant__in=people).update(message="")
    MeetingRequest.objects.filter(
        Q(from_participant__in=people) | Q(to_participant__in=people),
        status=MeetingRequestStatus.PENDING,
    ).update(status=MeetingRequestStatus.CANCELLED, decided_at=now)
    Meeting.objects.filter(Q(a__in=people) | Q(b__in=people), event__end__gt=now).delete()
    people.update(offers="", requests="")
    for p in people:
        p.topics.clear()
