"""The issue's "Done when", on the demo data, as a new user would try it: a member
finds a room for 8 people with video conferencing next Tuesday afternoon, books
it weekly for 6 weeks with the one conflicting week skipped, subscribes to the
feed, and sees the manager's approval arrive."""

import re
from datetime import timedelta

import icalendar
import pytest
import vobject
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from clusters import demo as clusters_demo
from clusters.models import User
from portal.base.demo import DemoContext
from portal.base.models import Notification
from services.rooms import demo as rooms_demo
from services.rooms.models import Booking

TITLE = "NeoCell weekly partner meeting"


def ours(events):
    return [e for e in events if str(e["summary"]).startswith(TITLE)]


@pytest.fixture
def demo(db):
    ctx = DemoContext(size=12)
    clusters_demo.seed(ctx)
    rooms_demo.seed(ctx)
    return ctx


def test_member_books_weekly_and_sees_the_approval_arrive(
    demo, client, mailoutbox, django_capture_on_commit_callbacks
):
    member = User.objects.get(email="sme@demo.example")
    manager = User.objects.get(email="manager@demo.example")
    today = demo.anchor.date()
    tuesday = today + timedelta(days=7)
    while tuesday.weekday() != 1:
        tuesday += timedelta(days=1)
    client.force_login(member)

    # 1. Find a room for 8 with video conferencing, Tuesday 14:00-16:00.
    found = client.get(
        reverse("rooms:finder"),
        {
            "attendees": 8,
            "date": tuesday.isoformat(),
            "start": "14:00",
            "end": "16:00",
            "amenities": ["video"],
        },
    )
    results = {r["room"].name: r for r in found.context["results"]}
    assert "Salle Pasteur" in results
    assert "Salle Curie" not in results  # only 6 seats
    book_url = results["Salle Pasteur"]["book_url"]
    room = results["Salle Pasteur"]["room"]
    form_page = client.get(book_url)
    assert form_page.context["form"].initial == {
        "date": tuesday.isoformat(),
        "start": "14:00",
        "end": "16:00",
        "attendees": "8",
    }

    # 2. Weekly for 6 weeks: the preview shows the one clash (the board meeting).
    data = {
        "title": TITLE,
        "date": tuesday.isoformat(),
        "start": "14:00",
        "end": "16:00",
        "attendees": "8",
        "notes": "",
        "repeat": "weekly",
        "count": "6",
        "until": "",
    }
    preview = client.post(book_url.split("?")[0], data)
    checks = preview.context["checks"]
    assert [c.free for c in checks] == [True, True, False, True, True, True]
    assert re.match(
        r"This time is already taken \(14:00-16:00 on \d+ \w+\)\.", checks[2].problems[0].message
    )
    assert "Board meeting" not in preview.content.decode()  # another organisation's title

    with django_capture_on_commit_callbacks(execute=True):
        done = client.post(book_url.split("?")[0], {**data, "choice": "free"})
    assert done.status_code == 302
    mine = list(Booking.objects.filter(person=member, title=data["title"]).order_by("start"))
    assert [b.status for b in mine] == ["pending"] * 5
    assert [timezone.localtime(b.start, room.tzinfo).date() for b in mine] == [
        tuesday + timedelta(weeks=w) for w in (0, 1, 3, 4, 5)
    ]
    assert [m.to for m in mailoutbox] == [[manager.email]]  # the manager is asked once

    # 3. Subscribe to the feed (the address is on "My bookings").
    feed_url = client.get(reverse("rooms:booking_list")).context["feed_url"]
    anonymous = Client()
    feed = anonymous.get(feed_url.replace("http://testserver", ""))
    events = ours(icalendar.Calendar.from_ical(feed.content).walk("VEVENT"))
    assert [str(e["status"]) for e in events] == ["TENTATIVE"] * 5
    parsed = vobject.readOne(feed.content.decode()).vevent_list
    assert len([v for v in parsed if v.summary.value.startswith(TITLE)]) == 5

    # 4. The manager approves the whole series from the queue.
    manager_client = Client()
    manager_client.force_login(manager)
    queue = manager_client.get(reverse("rooms:approval_queue"))
    pending = set(
        Booking.objects.filter(status="pending", room__cluster=room.cluster).values_list(
            "pk", flat=True
        )
    )
    assert queue.context["page_obj"].paginator.count == len(pending)
    assert {b.pk for b in mine} <= pending
    with django_capture_on_commit_callbacks(execute=True):
        manager_client.post(
            reverse("rooms:booking_approve", args=[mine[0].pk]), {"whole_series": "on"}
        )
    assert set(
        Booking.objects.filter(pk__in=[b.pk for b in mine]).values_list("status", flat=True)
    ) == {"confirmed"}

    # 5. The member sees the approval arrive: notice, email with the calendar file, feed.
    notice = Notification.objects.filter(recipient=member).latest("pk")
    assert notice.subject == "Your booking of Salle Pasteur is confirmed"
    page = client.get(reverse("notification_list")).content.decode()
    assert "Your booking of Salle Pasteur is confirmed" in page
    approval_mail = mailoutbox[-1]
    assert approval_mail.to == [member.email]
    attached = icalendar.Calendar.from_ical(approval_mail.attachments[0][1])
    assert len(attached.walk("VEVENT")) == 5
    feed = anonymous.get(feed_url.replace("http://testserver", ""))
    events = ours(icalendar.Calendar.from_ical(feed.content).walk("VEVENT"))
    assert [str(e["status"]) for e in events] == ["CONFIRMED"] * 5
