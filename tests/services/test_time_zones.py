"""A request's times in the person's zone when set, else the cluster's."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.urls import reverse

from services.counselling.models import CounsellingRequest

# 13:00 UTC on 15 January 2030: 2 p.m. CET in Paris, 8 a.m. EST in New York.
INSTANT = datetime(2030, 1, 15, 13, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def _clock_a_month_before():
    """The fixed instant above stays a month ahead, whatever day the suite runs on."""
    with time_machine.travel(INSTANT - timedelta(days=30), tick=True):
        yield


def _submitted(client, user, req) -> str:
    client.force_login(user)
    html = client.get(reverse("services:request_detail", args=[req.pk])).content.decode()
    return html.split("<dt>Submitted</dt><dd>", 1)[1].split("</dd>", 1)[0]


def test_request_times_in_the_persons_zone(client, member, submitted):
    CounsellingRequest.objects.filter(pk=submitted.pk).update(created=INSTANT)
    member.time_zone = "America/New_York"
    member.save()
    assert _submitted(client, member, submitted) == "15 January 2030, 08:00 EST"


def test_request_times_in_the_clusters_zone_otherwise(client, member, manager, submitted):
    CounsellingRequest.objects.filter(pk=submitted.pk).update(created=INSTANT)
    assert _submitted(client, member, submitted) == "15 January 2030, 14:00"
    manager.time_zone = "Europe/Paris"  # the cluster's own zone: no mark
    manager.save()
    assert _submitted(client, manager, submitted) == "15 January 2030, 14:00"
