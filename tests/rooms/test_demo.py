from collections import defaultdict
from datetime import timedelta

from clusters import demo as clusters_demo
from portal.base.demo import DemoContext
from services.rooms import demo as rooms_demo
from services.rooms.models import Booking, ClosedDate, OpeningHours, Room


def counts():
    return tuple(m.objects.count() for m in (Room, OpeningHours, ClosedDate, Booking))


def test_demo_rooms_are_deterministic_idempotent_and_never_overlap(db):
    ctx = DemoContext(size=12)
    clusters_demo.seed(ctx)
    rooms_demo.seed(ctx)
    first = counts()
    rooms_demo.seed(DemoContext(size=12))
    assert counts() == first
    by_cluster = defaultdict(list)
    for room in Room.objects.select_related("cluster"):
        by_cluster[room.cluster.name].append(room)
    assert sorted(r.name for r in by_cluster["Genopole"]) == [
        "Auditorium Genopole",
        "Espace co-working",
        "Salle Curie",
        "Salle Pasteur",
    ]
    assert len(by_cluster["BioWin"]) == 3
    pasteur = Room.objects.get(name="Salle Pasteur")
    assert (pasteur.capacity, "video" in pasteur.amenities, pasteur.needs_approval) == (
        10,
        True,
        True,
    )
    assert Room.objects.get(name="Auditorium Genopole").capacity == 80
    assert {(h.weekday, h.opens.hour, h.closes.hour) for h in pasteur.opening_hours.all()} == {
        (wd, 8, 19) for wd in range(5)
    }
    starts = Booking.objects.order_by("start").values_list("start", flat=True)
    assert starts.first() < ctx.anchor - timedelta(days=500)
    assert starts.last() > ctx.anchor + timedelta(days=30)
    active = Booking.objects.filter(status__in=["pending", "confirmed"]).order_by("room", "start")
    previous = {}
    for b in active:
        if b.room_id in previous:
            assert previous[b.room_id] <= b.start
        previous[b.room_id] = b.end
