from datetime import timedelta

import factory
from django.utils import timezone

from events.enums import EventFormat, EventKind, EventStatus, RegistrationStatus, SeatType
from events.models import Event, Registration
from tests.factories.clusters import ClusterFactory, UserFactory


class EventFactory(factory.django.DjangoModelFactory):
    """A published in-person event of 10 seats, a week ahead, open to the host cluster."""

    class Meta:
        model = Event

    cluster = factory.SubFactory(ClusterFactory)
    title = factory.Sequence(lambda n: f"Networking evening {n}")
    slug = factory.Sequence(lambda n: f"networking-evening-{n}")
    kind = EventKind.NETWORKING
    format = EventFormat.IN_PERSON
    start = factory.LazyFunction(
        lambda: (timezone.now() + timedelta(days=7)).replace(second=0, microsecond=0)
    )
    end = factory.LazyAttribute(lambda o: o.start + timedelta(hours=2))
    address = "1 rue de l'Innovation, Évry"
    capacity = 10
    online_capacity = 0
    status = EventStatus.PUBLISHED
    audience = "cluster"


class RegistrationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Registration

    event = factory.SubFactory(EventFactory)
    user = factory.SubFactory(UserFactory)
    seat_type = SeatType.IN_PERSON
    status = RegistrationStatus.CONFIRMED
