from django.core.management import call_command
from django.utils import timezone

from events.demo import GENOPOLE_BROKERAGE, GENOPOLE_INFO_DAY, GENOPOLE_NETWORKING, GENOPOLE_WEBINAR
from events.models import Event, Registration


def _counts():
    return (
        Event.objects.count(),
        Registration.objects.count(),
        Registration.objects.filter(attended_at__isnull=False).count(),
        sorted(Event.objects.values_list("slug", flat=True)),
    )


def test_demo_events_deterministic_and_idempotent(db):
    call_command("seed_demo", size=30, verbosity=0)
    first = _counts()
    call_command("seed_demo", size=30, verbosity=0)
    assert _counts() == first
    now = timezone.now()
    past = Event.objects.filter(end__lt=now)
    assert past.count() == 25 * 10
    assert past.order_by("start").first().start > now - timezone.timedelta(days=18 * 31)
    assert Registration.objects.filter(event__in=past, attended_at__isnull=False).count() > 100

    networking = Event.objects.get(slug=GENOPOLE_NETWORKING)
    assert (networking.format, networking.capacity, networking.status) == (
        "hybrid",
        10,
        "published",
    )
    assert networking.cluster.name == "Genopole"
    assert 20 <= (networking.start - now).days <= 45
    assert networking.room is not None and networking.room_booking.status == "confirmed"
    assert Event.objects.get(slug=GENOPOLE_INFO_DAY).audience == "public"
    assert Event.objects.get(slug=GENOPOLE_WEBINAR).format == "online"
    assert Event.objects.get(slug=GENOPOLE_BROKERAGE).kind == "brokerage"
