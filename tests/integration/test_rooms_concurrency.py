"""20 people book the same room at the same time over HTTP (real PostgreSQL, live
server threads): exactly one booking, 19 conflict messages, no server error.

Run twice: with the exclusion constraint, and with it dropped, to show that the
application lock (SELECT ... FOR UPDATE on the room row, then the overlap check)
holds on its own.
"""

import re
import secrets
import threading
from collections import Counter

import pytest
import requests
from django.db import connection
from django.test import Client
from django.urls import reverse

from services.rooms.models import Booking
from tests.factories.clusters import ClusterFactory, UserFactory
from tests.factories.rooms import RoomFactory
from tests.rooms.conftest import next_weekday

N = 20
JUST_TAKEN = "This time was just taken."
ALREADY_TAKEN = re.compile(r"This time is already taken \(14:00-16:00 on ")


def _session_cookie(user) -> str:
    client = Client()
    client.force_login(user)
    return client.cookies["sessionid"].value


def _rush(live_server) -> tuple[list[int], list[str], object]:
    cluster = ClusterFactory()
    room = RoomFactory(cluster=cluster, capacity=10)
    people = [UserFactory(email=f"rush{i}@example.org", member_of=cluster) for i in range(N)]
    sessions = [_session_cookie(p) for p in people]
    day = next_weekday(1)
    url = live_server.url + reverse("rooms:booking_create", args=[room.pk])
    barrier = threading.Barrier(N)
    results: list[tuple[int, str]] = []
    lock = threading.Lock()

    def book(cookie: str) -> None:
        csrf = secrets.token_hex(16)
        barrier.wait()
        r = requests.post(
            url,
            data={
                "csrfmiddlewaretoken": csrf,
                "title": "Same slot",
                "date": day.isoformat(),
                "start": "14:00",
                "end": "16:00",
                "attendees": "6",
            },
            cookies={"sessionid": cookie, "csrftoken": csrf},
            allow_redirects=False,
            timeout=60,
        )
        with lock:
            results.append((r.status_code, r.text))

    threads = [threading.Thread(target=book, args=(c,)) for c in sessions]
    for t in threads:
        t.start()
    for t in threads:
        t.join(90)
    return [s for s, _ in results], [t for _, t in results], room


def _check(statuses, bodies, room) -> Counter:
    assert len(statuses) == N
    assert 500 not in statuses
    assert sorted(statuses) == [200] * (N - 1) + [302]
    kinds = Counter()
    for status, body in zip(statuses, bodies, strict=True):
        if status == 302:
            continue
        if JUST_TAKEN in body:
            kinds["just taken"] += 1
        elif ALREADY_TAKEN.search(body):
            kinds["already taken"] += 1
        else:
            pytest.fail(f"a losing request got no conflict message: {body[:500]}")
        assert 'id="id_start_error"' in body  # shown at the start field
    assert Booking.objects.filter(room=room).count() == 1
    print(f"rooms concurrency: 1 booked, losers: {dict(kinds)}")  # shown with -s
    return kinds


def test_twenty_parallel_bookings_of_one_slot_make_one_booking(live_server, transactional_db):
    statuses, bodies, room = _rush(live_server)
    kinds = _check(statuses, bodies, room)
    # Losers that looked before the winner committed hear "just taken"; later ones
    # see the booking in the first check and hear "already taken".
    assert sum(kinds.values()) == N - 1


def test_application_lock_alone_prevents_double_booking(live_server, transactional_db):
    from services.rooms.models import Booking as B

    constraint = next(c for c in B._meta.constraints if c.name == "booking_no_overlap")
    with connection.cursor() as cursor:
        cursor.execute("ALTER TABLE rooms_booking DROP CONSTRAINT booking_no_overlap")
    try:
        statuses, bodies, room = _rush(live_server)
        kinds = _check(statuses, bodies, room)
        assert sum(kinds.values()) == N - 1
    finally:
        Booking.objects.all().delete()
        with connection.schema_editor() as editor:
            editor.add_constraint(B, constraint)
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_constraint WHERE conname = 'booking_no_overlap'")
        assert cursor.fetchone() == (1,)
