from datetime import UTC, datetime

from django.template import Context, Template
from django.urls import reverse
from django.utils import timezone

from portal.base.models import Notification
from portal.base.zones import zone_choices, zone_for

# A winter instant: Paris is UTC+1 (CET), New York UTC-5 (EST).
INSTANT = datetime(2030, 1, 15, 13, 0, tzinfo=UTC)


# The account setting ---------------------------------------------------------------------


def test_account_page_offers_the_cluster_zone_then_europe_first(client, member):
    client.force_login(member)
    response = client.get(reverse("privacy"))
    choices = response.context["form"].fields["time_zone"].choices
    assert choices[0] == ("", "My cluster's time zone")
    assert [str(group) for group, _ in choices[1:3]] == ["Europe", "Africa"]
    assert ("Europe/Paris", "Paris") in choices[1][1]
    html = response.content.decode()
    assert '<option value="" selected>My cluster&#x27;s time zone</option>' in html


def test_account_saves_a_valid_zone(client, member):
    client.force_login(member)
    response = client.post(reverse("privacy"), {"time_zone": "America/New_York"})
    assert response.status_code == 302
    assert response["Location"] == reverse("privacy")
    member.refresh_from_db()
    assert member.time_zone == "America/New_York"
    page = client.get(reverse("privacy")).content.decode()
    assert '<option value="America/New_York" selected>New York</option>' in page


def test_account_blank_zone_means_the_clusters(client, member):
    member.time_zone = "Asia/Tokyo"
    member.save()
    client.force_login(member)
    client.post(reverse("privacy"), {"time_zone": ""})
    member.refresh_from_db()
    assert member.time_zone == ""


def test_account_refuses_an_unknown_zone_and_changes_nothing(client, member):
    member.time_zone = "Europe/Berlin"
    member.language = "en"
    member.save()
    client.force_login(member)
    response = client.post(reverse("privacy"), {"time_zone": "Mars/Olympus_Mons"})
    assert response.status_code == 200
    assert response.context["form"].errors == {
        "time_zone": ["“Mars/Olympus_Mons” is not a time zone we know. Choose one from the list."]
    }
    member.refresh_from_db()
    assert (member.time_zone, member.language) == ("Europe/Berlin", "en")


# The helpers ------------------------------------------------------------------------------


def test_zone_for_prefers_the_persons_known_zone(member):
    assert zone_for(member, "Europe/Paris") == "Europe/Paris"
    member.time_zone = "America/New_York"
    assert zone_for(member, "Europe/Paris") == "America/New_York"
    member.time_zone = "Not/AZone"  # e.g. typed in the admin
    assert zone_for(member, "Europe/Paris") == "Europe/Paris"
    assert zone_for(None, "Europe/Paris") == "Europe/Paris"


def test_zone_mark_only_when_the_shown_zone_is_not_the_clusters(member):
    template = Template(
        "{% load tz zones %}{% timezone person|shown_zone:home %}"
        '{{ t|date:"H:i" }}{{ t|zone_mark:home }}{% endtimezone %}'
    )
    ctx = {"t": INSTANT, "home": "Europe/Paris", "person": member}
    assert template.render(Context(ctx)) == "14:00"
    member.time_zone = "America/New_York"
    assert template.render(Context(ctx)) == "08:00 EST"


def test_every_offered_zone_is_known():
    from zoneinfo import ZoneInfo

    offered = [zone for _group, zones in zone_choices()[1:] for zone, _label in zones]
    assert len(offered) == len(set(offered)) > 400
    for zone in offered:
        ZoneInfo(zone)


# The middleware: pages without a cluster -------------------------------------------------


def _notification_time(client, member) -> str:
    n = Notification.objects.create(recipient=member, subject="Hello", body="x")
    Notification.objects.filter(pk=n.pk).update(created=INSTANT)
    client.force_login(member)
    html = client.get(reverse("notification_list")).content.decode()
    return html.split('<p class="muted">', 1)[1].split("</p>", 1)[0]


def test_notification_times_in_the_persons_zone(client, member):
    member.time_zone = "America/New_York"
    member.save()
    assert _notification_time(client, member) == "15 January 2030, 08:00"
    # The request's zone does not leak into the next piece of work on this thread.
    assert timezone.get_current_timezone_name() == "Europe/Brussels"


def test_notification_times_default_to_the_portals_zone(client, member):
    assert _notification_time(client, member) == "15 January 2030, 14:00"
