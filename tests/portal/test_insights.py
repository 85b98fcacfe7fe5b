"""Dashboard figures on hand-made data whose answers are known."""

import csv
import io
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from portal.dashboards import figures
from portal.dashboards.periods import Period
from services.catalogue.demo import seed as seed_categories
from services.catalogue.models import ServiceCategory
from services.counselling.models import CounsellingRequest
from tests.factories import ClusterFactory, ClusterRoleFactory, OrganisationFactory, UserFactory
from tests.factories.events import EventFactory, RegistrationFactory
from tests.factories.rooms import BookingFactory, RoomFactory

PARIS = ZoneInfo("Europe/Paris")
PERIOD = Period(
    date(2026, 1, 1), date(2026, 6, 30), "Europe/Paris"
)  # 181 days, Thu 1 Jan .. Tue 30 Jun


def at(day: date, hour: int = 10) -> datetime:
    return datetime.combine(day, time(hour), tzinfo=PARIS)


def make_request(cluster, org, slug, created, first_h=None, resolved_h=None, satisfaction=None):
    number = CounsellingRequest.objects.count() + 1
    return CounsellingRequest.objects.create(
        reference=f"T-{number}",
        number=number,
        cluster=cluster,
        requester_organisation=org,
        category=ServiceCategory.objects.get(slug=slug),
        subject="s",
        details="d",
        due_date=created.date() + timedelta(days=14),
        created=created,
        first_response_at=created + timedelta(hours=first_h) if first_h is not None else None,
        resolved_at=created + timedelta(hours=resolved_h) if resolved_h is not None else None,
        satisfaction=satisfaction,
        status="resolved" if resolved_h else "submitted",
    )


@pytest.fixture
def world(db):
    seed_categories(None)
    cluster = ClusterFactory(name="Known Cluster", slug="known", time_zone="Europe/Paris")
    other = ClusterFactory(name="Other Cluster", slug="other")
    sme = OrganisationFactory(kind="sme")
    lab = OrganisationFactory(kind="research")
    idle = OrganisationFactory(kind="sme")
    for org in (sme, lab, idle):
        org.memberships.create(cluster=cluster, status="active")
    # In the period: 3 legal (soft), 1 business (soft), 1 infrastructure (hard).
    make_request(
        cluster, sme, "legal", at(date(2026, 1, 5)), first_h=2, resolved_h=10, satisfaction=5
    )
    make_request(
        cluster, sme, "legal", at(date(2026, 1, 20)), first_h=4, resolved_h=20, satisfaction=3
    )
    make_request(cluster, lab, "legal", at(date(2026, 2, 3)), first_h=12)
    make_request(
        cluster, sme, "business", at(date(2026, 3, 3)), first_h=1, resolved_h=5, satisfaction=4
    )
    make_request(cluster, lab, "infrastructure", at(date(2026, 3, 10)))
    # Previous period (Jul-Dec 2025): 2 hard. Another cluster: never counted.
    make_request(cluster, sme, "infrastructure", at(date(2025, 9, 1)))
    make_request(cluster, sme, "infrastructure", at(date(2025, 10, 1)))
    make_request(other, OrganisationFactory(), "legal", at(date(2026, 2, 2)))
    # Events: 4 confirmed (3 attended) and 2 waitlisted at a past event in the period.
    event = EventFactory(
        cluster=cluster, start=at(date(2026, 4, 2), 18), end=at(date(2026, 4, 2), 20)
    )
    people = [UserFactory(organisation=sme if i < 3 else lab) for i in range(6)]
    for i, person in enumerate(people):
        RegistrationFactory(
            event=event,
            user=person,
            status="confirmed" if i < 4 else "waitlisted",
            attended_at=at(date(2026, 4, 2), 18) if i < 3 else None,
        )
    # Rooms: open Mon-Fri 08:00-19:00 (11 h); one 2-hour and one 4-hour confirmed booking.
    room = RoomFactory(cluster=cluster, name="Salle Pasteur")
    BookingFactory(
        room=room, organisation=sme, start=at(date(2026, 2, 2), 9), end=at(date(2026, 2, 2), 11)
    )
    BookingFactory(
        room=room, organisation=sme, start=at(date(2026, 2, 3), 14), end=at(date(2026, 2, 3), 18)
    )
    BookingFactory(
        room=room,
        organisation=lab,
        status="cancelled",
        start=at(date(2026, 2, 4), 9),
        end=at(date(2026, 2, 4), 12),
    )
    return {"cluster": cluster, "other": other, "sme": sme, "lab": lab, "room": room}


def test_demand_counts_shares_and_ranking(world):
    d = figures.demand([world["cluster"].pk], PERIOD)
    assert d["total"] == 5
    assert (d["soft"], d["hard"]) == (4, 1)
    assert d["soft_share"] == 0.8
    assert d["by_month"] == {
        "2026-01": {"legal": 2},
        "2026-02": {"legal": 1},
        "2026-03": {"business": 1, "infrastructure": 1},
    }
    assert [(r["slug"], r["requests"], r["survey_rank"]) for r in d["ranking"][:3]] == [
        ("legal", 3, 2),
        ("business", 1, 1),
        ("infrastructure", 1, 6),
    ]
    assert (d["previous"]["total"], d["previous"]["hard"]) == (2, 2)


def test_who_asks_by_kind_and_active_share(world):
    w = figures.who_asks([world["cluster"].pk], PERIOD)
    rows = {r["kind"]: (r["requests"], r["attendance"]) for r in w["rows"]}
    assert rows["sme"] == (3, 3)
    assert rows["research"] == (2, 0)
    assert (w["members"], w["active_members"]) == (3, 2)


def test_responsiveness_medians_and_p90(world):
    r = figures.responsiveness([world["cluster"].pk], PERIOD)
    legal = next(row for row in r["rows"] if row["slug"] == "legal")
    assert legal["requests"] == 3
    assert legal["first_p50_h"] == 4.0
    assert legal["first_p90_h"] == 10.4  # interpolated between 4 h and 12 h, as PERCENTILE_CONT
    assert legal["resolve_p50_h"] == 15.0
    assert legal["satisfaction"] == 4.0
    assert r["satisfaction"] == 4.0
    assert r["ratings"] == 3


def test_events_figures(world):
    e = figures.events([world["cluster"].pk], PERIOD)
    assert e["registrations"] == 6
    assert e["attended"] == 3
    assert e["attendance_rate"] == 0.75
    assert e["turned_away"] == 2


def test_room_utilisation(world):
    r = figures.rooms([world["cluster"].pk], PERIOD)
    # 129 weekdays from 1 Jan to 30 Jun 2026, 11 open hours each.
    assert r["rows"] == [
        {
            "room": "Salle Pasteur",
            "cluster": "Known Cluster",
            "booked_hours": 6.0,
            "open_hours": 1419.0,
            "utilisation": 6 / 1419,
        },
    ]
    assert r["heatmap"] == {(1, 9): 2.0, (2, 14): 4.0}


def test_dashboard_page_csv_matches_table(client, world):
    manager = UserFactory()
    ClusterRoleFactory(user=manager, cluster=world["cluster"])
    client.force_login(manager)
    query = "?start=2026-01-01&end=2026-06-30"
    page = client.get(reverse("insights") + query)
    assert page.status_code == 200
    html = page.content.decode()
    assert "Dashboard: Known Cluster" in html
    assert "<svg" in html
    response = client.get(reverse("insights_csv", args=["soft_hard"]) + query)
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows == [
        ["Kind", "Requests", "Share %", "Previous period", "Previous share %"],
        ["Soft", "4", "80.0", "0", "0.0"],
        ["Hard", "1", "20.0", "2", "100.0"],
    ]


def test_dashboard_is_for_managers_of_the_cluster_only(client, world, member):
    client.force_login(member)
    assert client.get(reverse("insights")).status_code == 404
    other_manager = UserFactory()
    ClusterRoleFactory(user=other_manager, cluster=world["other"])
    client.force_login(other_manager)
    assert client.get(reverse("insights") + "?cluster=known").status_code == 404
    assert "Dashboard: Other Cluster" in client.get(reverse("insights")).content.decode()


def test_dashboard_queries_do_not_grow_with_data(client, world, django_assert_max_num_queries):
    from django.core.cache import cache

    manager = UserFactory()
    ClusterRoleFactory(user=manager, cluster=world["cluster"])
    client.force_login(manager)
    url = reverse("insights") + "?start=2026-01-01&end=2026-06-30"
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for i in range(20):
        make_request(
            world["cluster"], world["sme"], "fundraising", at(date(2026, 5, 1 + i)), first_h=3
        )
    cache.clear()
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(url)


def test_network_side_by_side_and_trends(client, world):
    from portal.dashboards.network import clusters_side_by_side, trends

    rows = {r["cluster"]: r for r in clusters_side_by_side(PERIOD)}
    known = rows["Known Cluster"]
    assert (known["requests"], known["soft_share"], known["first_p50_h"]) == (5, 0.8, 3.0)
    assert (known["registrations"], known["attendance_rate"]) == (6, 0.75)
    assert known["room_utilisation"] == 6 / 1419
    assert rows["Other Cluster"]["requests"] == 1
    t = trends(PERIOD)
    assert t["months"] == {
        "2026-01": {"soft": 2, "hard": 0},
        "2026-02": {"soft": 2, "hard": 0},
        "2026-03": {"soft": 1, "hard": 1},
    }
    assert [(r["slug"], r["requests"]) for r in t["ranking"][:2]] == [("legal", 4), ("business", 1)]
    assert t["kinds"][0]["kind"] == "sme"
    assert (t["sme_top_clusters"], t["clusters_with_activity"]) == (2, 2)


def test_network_pages_are_for_network_admins(client, world, manager):
    client.force_login(manager)
    assert client.get(reverse("insights_network")).status_code == 404
    assert client.get(reverse("insights_trends")).status_code == 404
    admin = UserFactory(is_network_admin=True)
    client.force_login(admin)
    page = client.get(
        reverse("insights_trends") + "?start=2026-01-01&end=2026-06-30"
    ).content.decode()
    assert "23 of 25 managers named SMEs their most active members" in page
    rows = list(
        csv.reader(
            io.StringIO(
                client.get(
                    reverse("insights_network_csv", args=["clusters"])
                    + "?start=2026-01-01&end=2026-06-30"
                ).content.decode("utf-8-sig")
            )
        )
    )
    assert rows[0][:4] == ["Cluster", "Country", "Innovation group", "Requests"]
    assert rows[1 + [r[0] for r in rows[1:]].index("Known Cluster")][:4] == [
        "Known Cluster",
        "FR",
        "—",
        "5",
    ]


def test_bad_period_input_shows_field_message(client, world):
    admin = UserFactory(is_network_admin=True)
    client.force_login(admin)
    page = client.get(
        reverse("insights") + "?cluster=known&start=2026-06-30&end=2026-01-01"
    ).content.decode()
    assert "The end date must be on or after the start date." in page


def test_a_cache_outage_never_blocks_a_save(world, monkeypatch):
    from django.core.cache import cache
    from redis.exceptions import ConnectionError as RedisConnectionError

    def down(*args, **kwargs):
        raise RedisConnectionError("Connection refused")

    monkeypatch.setattr(cache, "incr", down)
    request = make_request(world["cluster"], world["sme"], "legal", at(date(2026, 6, 1)))
    assert CounsellingRequest.objects.filter(pk=request.pk).exists()


@pytest.mark.parametrize(
    "query",
    ["end=9999-12-31", "start=9999-12-01", "start=0001-01-01&end=0001-12-31", "end=1899-01-01"],
)
def test_far_off_period_dates_get_a_message_not_an_error(client, world, query):
    admin = UserFactory(is_network_admin=True)
    client.force_login(admin)
    response = client.get(reverse("insights") + "?cluster=known&" + query)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Choose a date" in page
