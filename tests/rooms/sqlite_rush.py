"""Run by test_concurrency.py in a child process on a file SQLite database:
N threads book the same slot at once; prints the outcomes as JSON."""

import json
import os
import sys
import threading

import django


def main(n: int) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
    django.setup()
    from django.db import connections

    from portal.base.errors import ActionError
    from services.rooms.actions.bookings import booking_create
    from services.rooms.models import Booking
    from tests.factories import ClusterFactory, UserFactory
    from tests.factories.rooms import RoomFactory
    from tests.rooms.conftest import local_dt, next_weekday

    cluster = ClusterFactory()
    room = RoomFactory(cluster=cluster)
    people = [UserFactory(member_of=cluster) for _ in range(n)]
    day = next_weekday(1)
    connections.close_all()
    barrier = threading.Barrier(n)
    outcomes: list[str] = []
    lock = threading.Lock()

    def book(person):
        try:
            barrier.wait()
            booking_create(
                actor=person,
                room=room,
                start=local_dt(room, day, 14),
                end=local_dt(room, day, 16),
                title="Rush",
                attendees=2,
            )
            result = "booked"
        except ActionError as exc:
            result = exc.message
        except Exception as exc:  # noqa: BLE001 - reported to the test
            result = f"ERROR {type(exc).__name__}: {exc}"
        finally:
            connections.close_all()
        with lock:
            outcomes.append(result)

    threads = [threading.Thread(target=book, args=(p,)) for p in people]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    rows = Booking.objects.filter(room=room).count()
    print(json.dumps({"outcomes": outcomes, "rows": rows, "vendor": connections["default"].vendor}))


if __name__ == "__main__":
    main(int(sys.argv[1]))
