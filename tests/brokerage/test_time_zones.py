"""Meeting times in the person's zone; the manager's settings form stays in the cluster's."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.urls import reverse

from tests.factories.brokerage import BrokerageEventFactory, add_participant, enable_brokerage

# 09:00 UTC on 15 January 2030 is 10:00 in Paris; the first session starts an hour later.
START = datetime(2030, 1, 15, 9, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def _clock_a_month_before():
    """The fixed instant above stays a month ahead, whatever day the suite runs on."""
    with time_machine.travel(START - timedelta(days=30), tick=True):
        yield


@pytest.fixture
def winter(cluster, manager):
    event = BrokerageEventFactory(cluster=cluster, start=START)
    enable_brokerage(event, manager, sessions=((60, 120),))
    return event


def test_availability_slots_listed_in_the_persons_zone(client, member, winter):
    add_participant(winter, member)
    member.time_zone = "America/New_York"
    member.save()
    client.force_login(member)
    response = client.get(reverse("brokerage:profile", args=[winter.slug]))
    labels = [label for _value, label in response.context["form"].fields["availability"].choices]
    assert labels[0] == "Tuesday 15 January 2030, 05:00–05:20"
    assert "Times in America/New_York." in response.content.decode()


def test_settings_form_stays_in_the_clusters_zone(client, manager, winter):
    manager.time_zone = "America/New_York"
    manager.save()
    client.force_login(manager)
    response = client.get(reverse("brokerage:settings", args=[winter.slug]))
    assert response.context["form"]["session_1_start"].value().strftime("%H:%M") == "11:00"
    assert "Times in Europe/Paris. Slots follow" in response.content.decode()
