from datetime import time

import factory

from services.rooms.models import Booking, ClosedDate, OpeningHours, Room
from tests.factories.clusters import ClusterFactory


class RoomFactory(factory.django.DjangoModelFactory):
    """A meeting room open Monday to Friday 08:00-19:00 (pass opening=False for none)."""

    class Meta:
        model = Room
        skip_postgeneration_save = True

    cluster = factory.SubFactory(ClusterFactory)
    name = factory.Sequence(lambda n: f"Room {n}")
    kind = "meeting"
    capacity = 10
    amenities = factory.LazyFunction(lambda: ["video", "screen"])
    location = "Building A, 2nd floor"
    min_minutes = 30
    max_minutes = 480
    buffer_minutes = 0
    advance_days = 90

    @factory.post_generation
    def opening(obj, create, extracted, **kwargs):
        if not create or extracted is False:
            return
        hours = extracted or {wd: [(time(8), time(19))] for wd in range(5)}
        OpeningHours.objects.bulk_create(
            OpeningHours(room=obj, weekday=wd, opens=o, closes=c)
            for wd, spans in hours.items()
            for o, c in spans
        )


class ClosedDateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ClosedDate

    room = factory.SubFactory(RoomFactory)
    reason = "Public holiday"


class BookingFactory(factory.django.DjangoModelFactory):
    """A booking written directly (no rule checks): for setting up a scene."""

    class Meta:
        model = Booking

    room = factory.SubFactory(RoomFactory)
    person = None
    organisation = factory.LazyAttribute(lambda o: o.person.organisation if o.person else None)
    title = factory.Sequence(lambda n: f"Meeting {n}")
    attendees = 4
    status = "confirmed"
