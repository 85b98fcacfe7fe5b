"""30 people register at the same moment over HTTP for 10 seats (real PostgreSQL,
live server threads): exactly 10 confirmed, 20 waitlisted in order 1..20."""

import secrets
import threading

import requests
from django.test import Client
from django.urls import reverse

from events.models import Registration
from events.selectors import with_waitlist_position
from tests.factories.clusters import ClusterFactory, UserFactory
from tests.factories.events import EventFactory


def _session_cookie(user) -> str:
    client = Client()
    client.force_login(user)
    return client.cookies["sessionid"].value


def test_thirty_parallel_registrations_for_ten_seats(live_server, transactional_db):
    cluster = ClusterFactory()
    event = EventFactory(cluster=cluster, capacity=10, waitlist_enabled=True)
    people = [UserFactory(email=f"rush{i}@example.org", member_of=cluster) for i in range(30)]
    sessions = [_session_cookie(p) for p in people]
    url = live_server.url + reverse("events:registration_create", args=[event.slug])
    barrier = threading.Barrier(len(people))
    statuses: list[int] = []

    def register(cookie: str) -> None:
        csrf = secrets.token_hex(16)  # 32 characters: a valid unmasked CSRF secret
        barrier.wait()
        r = requests.post(
            url,
            data={"seat_type": "in_person", "csrfmiddlewaretoken": csrf},
            cookies={"sessionid": cookie, "csrftoken": csrf},
            allow_redirects=False,
            timeout=60,
        )
        statuses.append(r.status_code)

    threads = [threading.Thread(target=register, args=(c,)) for c in sessions]
    for t in threads:
        t.start()
    for t in threads:
        t.join(90)

    assert statuses == [302] * 30
    regs = list(with_waitlist_position(Registration.objects.filter(event=event)).order_by("id"))
    assert len(regs) == 30
    confirmed = [r for r in regs if r.status == "confirmed"]
    waitlisted = [r for r in regs if r.status == "waitlisted"]
    assert len(confirmed) == 10
    assert [r.position for r in waitlisted] == list(range(1, 21))
    # In order: every confirmed registration came before every waitlisted one, and
    # the waitlist follows the order in which the requests were served.
    assert max(r.id for r in confirmed) < min(r.id for r in waitlisted)
    assert [r.created for r in waitlisted] == sorted(r.created for r in waitlisted)
    assert len({r.user_id for r in regs}) == 30
