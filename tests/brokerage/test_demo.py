from django.apps import apps
from django.core.management import call_command

from events.brokerage import selectors
from events.brokerage.models import BrokerageSettings, Meeting, MeetingRequest, Participant


def _counts() -> dict[str, int]:
    return {m._meta.label: m.objects.count() for m in apps.get_app_config("brokerage").get_models()}


def test_seed_demo_brokerage_is_deterministic_and_idempotent(db):
    call_command("seed_demo", size=60, verbosity=0)
    first = _counts()
    snapshot = sorted(
        MeetingRequest.objects.values_list(
            "from_participant__user__email", "to_participant__user__email", "status"
        )
    )
    call_command("seed_demo", size=60, verbosity=0)
    assert _counts() == first
    if not BrokerageSettings.objects.exists():
        # The events demo has no upcoming brokerage-kind event: nothing is created.
        assert set(first.values()) == {0}
        return
    brokerage = BrokerageSettings.objects.get()
    assert brokerage.event.kind == "brokerage"
    assert brokerage.sessions.count() == 2
    assert brokerage.slots.count() == 18
    assert first["brokerage.Participant"] == 40
    assert Participant.objects.filter(user__email="sme@demo.example").exists()
    assert MeetingRequest.objects.filter(
        status="pending", to_participant__user__email="sme@demo.example"
    ).exists()
    assert Meeting.objects.count() == MeetingRequest.objects.filter(status="accepted").count() > 40
    # Every participant is a confirmed registrant of the event.
    event = brokerage.event
    assert set(Participant.objects.values_list("user_id", flat=True)) <= set(
        event.registrations.filter(status="confirmed").values_list("user_id", flat=True)
    )
    # Nothing is scheduled until the manager runs the scheduler.
    assert selectors.live_stats(brokerage)["scheduled"] == 0
    assert snapshot == sorted(
        MeetingRequest.objects.values_list(
            "from_participant__user__email", "to_participant__user__email", "status"
        )
    )
