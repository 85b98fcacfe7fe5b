from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from events.brokerage import actions
from events.brokerage.models import (
    BrokerageSettings,
    Meeting,
    MeetingRequest,
    Participant,
    ScheduleRun,
)
from tests.factories.brokerage import (
    BrokerageEventFactory,
    add_participant,
    agree_meeting,
    enable_brokerage,
)
from tests.factories.clusters import ClusterRoleFactory, UserFactory
from tests.factories.events import RegistrationFactory

CONFIRM = {"confirm": "yes"}  # the ticked confirmation box (portal/confirm.py)

pytestmark = pytest.mark.django_db


def _url(name, *args):
    return reverse(f"brokerage:{name}", args=args)


# --- who sees what -----------------------------------------------------------


def test_outsider_gets_404_on_every_event_url(client, event, alice, bob, outsider):
    meeting = agree_meeting(alice, bob)
    request = MeetingRequest.objects.get()
    client.force_login(outsider)
    gets = [
        _url("home", event.slug),
        _url("profile", event.slug),
        _url("participant_list", event.slug),
        _url("participant_detail", event.slug, bob.pk),
        _url("participant_agenda", event.slug, bob.pk),
        _url("request_list", event.slug),
        _url("agenda", event.slug),
        _url("agenda_ics", event.slug),
        _url("settings", event.slug),
        _url("schedule", event.slug),
        _url("grid", event.slug),
        _url("schedule_csv", event.slug),
        _url("feedback", meeting.pk),
    ]
    for url in gets:
        assert client.get(url).status_code == 404, url
    posts = [
        _url("request_create", event.slug, bob.pk),
        _url("request_decide", request.pk, "accept"),
        _url("request_decide", request.pk, "decline"),
        _url("schedule_run", event.slug),
        _url("publish", event.slug),
        _url("meeting_lock", meeting.pk),
        _url("meeting_cancel", meeting.pk),
        _url("feedback", meeting.pk),
    ]
    for url in posts:
        assert client.post(url, {"status": "final"}).status_code == 404, url
    assert Meeting.objects.get().locked is False
    assert MeetingRequest.objects.get().status == "accepted"
    assert BrokerageSettings.objects.get().agenda_status == ""


def test_participant_gets_404_on_manager_urls(client, event, alice, bob):
    meeting = agree_meeting(alice, bob)
    client.force_login(alice.user)
    for url in [
        _url("settings", event.slug),
        _url("schedule", event.slug),
        _url("grid", event.slug),
        _url("schedule_csv", event.slug),
        _url("participant_agenda", event.slug, bob.pk),
    ]:
        assert client.get(url).status_code == 404, url
    assert client.post(_url("meeting_lock", meeting.pk), {"locked": "1"}).status_code == 404
    assert client.post(_url("publish", event.slug), {"status": "final"}).status_code == 404


def test_manager_of_another_cluster_gets_404(client, event, brokerage):
    other = UserFactory(email="elsewhere@example.org")
    ClusterRoleFactory(user=other, role="manager")
    client.force_login(other)
    for url in [_url("settings", event.slug), _url("schedule", event.slug)]:
        assert client.get(url).status_code == 404


def test_other_participant_cannot_see_or_answer_someone_elses_request(
    client, event, alice, bob, cluster
):
    carol = add_participant(event, cluster=cluster)
    request = actions.meeting_request_create(actor=alice.user, event=event, to_participant=bob)
    client.force_login(carol.user)
    assert client.post(_url("request_decide", request.pk, "accept")).status_code == 404
    # The sender cannot accept their own request either.
    client.force_login(alice.user)
    assert client.post(_url("request_decide", request.pk, "accept")).status_code == 404
    request.refresh_from_db()
    assert request.status == "pending"
    meeting = agree_meeting(alice, carol)
    client.force_login(bob.user)
    assert client.get(_url("feedback", meeting.pk)).status_code == 404


def test_registrant_who_has_not_joined_sees_home_and_profile_not_the_list(
    client, event, brokerage, alice, cluster
):
    user = UserFactory(member_of=cluster)
    RegistrationFactory(event=event, user=user)
    client.force_login(user)
    assert client.get(_url("home", event.slug)).status_code == 200
    assert client.get(_url("profile", event.slug)).status_code == 200
    assert client.get(_url("participant_list", event.slug)).status_code == 404


def test_cluster_advisor_sees_the_participant_list(client, event, alice, advisor):
    client.force_login(advisor)
    response = client.get(_url("participant_list", event.slug))
    assert response.status_code == 200
    assert list(response.context["participants"]) == [alice]


def test_participant_of_another_event_is_404(client, event, alice, bob, cluster, manager):
    other_event = BrokerageEventFactory(cluster=cluster)
    enable_brokerage(other_event, manager)
    stranger = add_participant(other_event, cluster=cluster)
    client.force_login(alice.user)
    assert client.get(_url("participant_detail", event.slug, stranger.pk)).status_code == 404
    assert client.post(_url("request_create", event.slug, stranger.pk)).status_code == 404


def test_event_without_meetings_is_404_for_members(client, cluster, member, manager):
    event = BrokerageEventFactory(cluster=cluster)
    RegistrationFactory(event=event, user=member)
    client.force_login(member)
    assert client.get(_url("home", event.slug)).status_code == 404
    assert client.get(_url("profile", event.slug)).status_code == 404
    client.force_login(manager)
    assert client.get(_url("home", event.slug)).status_code == 200
    assert client.get(_url("schedule", event.slug)).status_code == 302


# --- query counts --------------------------------------------------------------


@pytest.mark.parametrize("n", [1, 3])
def test_participant_list_query_count_does_not_grow(
    client, event, alice, n, django_assert_num_queries, cluster
):
    from tests.factories.clusters import TopicFactory

    topic = TopicFactory()
    alice.topics.add(topic)
    for i in range(n - 1):
        p = add_participant(event, cluster=cluster, offers=f"Offer {i}")
        p.topics.add(topic)
        actions.meeting_request_create(actor=alice.user, event=event, to_participant=p)
    client.force_login(alice.user)
    client.get(_url("participant_list", event.slug))
    with django_assert_num_queries(17):
        response = client.get(_url("participant_list", event.slug))
    assert len(response.context["participants"]) == n


@pytest.mark.parametrize("n", [1, 3])
def test_request_list_query_count_does_not_grow(
    client, event, alice, n, django_assert_num_queries, cluster
):
    for i in range(n):
        p = add_participant(event, cluster=cluster, offers=f"Offer {i}")
        actions.meeting_request_create(actor=p.user, event=event, to_participant=alice)
    client.force_login(alice.user)
    client.get(_url("request_list", event.slug))
    with django_assert_num_queries(10):
        response = client.get(_url("request_list", event.slug))
    assert len(response.context["requests"]["incoming"]) == n


@pytest.mark.parametrize("n", [1, 3])
def test_grid_query_count_does_not_grow(
    client, event, brokerage, alice, manager, n, django_assert_num_queries, cluster
):
    for _ in range(n):
        agree_meeting(alice, add_participant(event, cluster=cluster))
    actions.schedule_run_execute(actions.schedule_run_start(actor=manager, event=event).pk)
    client.force_login(manager)
    client.get(_url("grid", event.slug))
    with django_assert_num_queries(8):
        response = client.get(_url("grid", event.slug))
    assert sum(1 for row in response.context["rows"] for m in row["cells"] if m) == n


# --- pages and forms -------------------------------------------------------------


def test_settings_form_bad_length_shows_message_and_saves_nothing(client, event, manager):
    client.force_login(manager)
    start = event.start.astimezone(event.cluster.tzinfo)
    response = client.post(
        _url("settings", event.slug),
        {
            "meeting_minutes": 45,
            "tables": 5,
            "max_meetings": 5,
            "pending_expiry_hours": 24,
            "session_1_start": f"{start + timedelta(hours=1):%Y-%m-%dT%H:%M}",
            "session_1_end": f"{start + timedelta(hours=2):%Y-%m-%dT%H:%M}",
        },
    )
    assert response.status_code == 200
    assert "Ensure this value is less than or equal to 30." in response.content.decode()
    assert not BrokerageSettings.objects.exists()


def test_settings_form_session_outside_event_is_refused(client, event, manager):
    client.force_login(manager)
    start = event.start.astimezone(event.cluster.tzinfo)
    response = client.post(
        _url("settings", event.slug),
        {
            "meeting_minutes": 20,
            "tables": 5,
            "max_meetings": 5,
            "pending_expiry_hours": 24,
            "session_1_start": f"{start - timedelta(hours=2):%Y-%m-%dT%H:%M}",
            "session_1_end": f"{start - timedelta(hours=1):%Y-%m-%dT%H:%M}",
        },
    )
    assert response.status_code == 200
    assert "Sessions must lie within the event&#x27;s start and end." in response.content.decode()
    assert not BrokerageSettings.objects.exists()


def test_settings_form_suggests_tables(client, event, brokerage, alice, bob, manager):
    agree_meeting(alice, bob)
    client.force_login(manager)
    response = client.get(_url("settings", event.slug))
    # 1 meeting over 12 slots, plus 15 %: 1 table.
    assert "Suggested: 1 (expected meetings per slot plus 15%)." in response.content.decode()
    assert actions.suggested_tables(400, 12) == 39


def test_profile_prefilled_from_organisation(client, event, brokerage, member):
    member.organisation.offers = "Mass spectrometry"
    member.organisation.needs = "Clinical partners"
    member.organisation.save()
    RegistrationFactory(event=event, user=member)
    client.force_login(member)
    form = client.get(_url("profile", event.slug)).context["form"]
    assert form.initial["offers"] == "Mass spectrometry"
    assert form.initial["requests"] == "Clinical partners"
    assert len(form.initial["availability"]) == 12


def test_profile_empty_shows_message_and_saves_nothing(client, event, brokerage, member):
    RegistrationFactory(event=event, user=member)
    client.force_login(member)
    response = client.post(_url("profile", event.slug), {"offers": "", "requests": ""})
    assert response.status_code == 200
    assert "Say what you offer or what you are looking for." in response.content.decode()
    assert not Participant.objects.exists()


def test_request_to_yourself_is_refused_with_message(client, event, alice):
    client.force_login(alice.user)
    response = client.post(
        _url("request_create", event.slug, alice.pk), {"message": "me"}, follow=True
    )
    assert "You cannot ask yourself for a meeting." in response.content.decode()
    assert not MeetingRequest.objects.exists()


def test_request_through_the_page_notifies_the_other(
    client, event, alice, bob, mailoutbox, django_capture_on_commit_callbacks
):
    client.force_login(alice.user)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            _url("request_create", event.slug, bob.pk), {"message": "About antibodies"}
        )
    assert response.status_code == 302
    request = MeetingRequest.objects.get()
    assert (request.from_participant, request.to_participant, request.message) == (
        alice,
        bob,
        "About antibodies",
    )
    assert [m.to for m in mailoutbox] == [[bob.user.email]]
    assert "About antibodies" in mailoutbox[0].body


def test_participant_list_filters(client, event, alice, bob):
    bob.offers = "Zebrafish models"
    bob.save()
    client.force_login(alice.user)
    response = client.get(_url("participant_list", event.slug), {"q": "zebrafish"})
    assert list(response.context["participants"]) == [bob]
    response = client.get(_url("participant_list", event.slug), {"kind": "investor"})
    assert list(response.context["participants"]) == []


def test_schedule_page_shows_polling_progress_while_running(client, event, brokerage, manager):
    run = actions.schedule_run_start(actor=manager, event=event)
    client.force_login(manager)
    html = client.get(_url("schedule", event.slug)).content.decode()
    assert f'hx-get="{_url("run_progress", event.slug, run.pk)}"' in html
    assert 'hx-trigger="every 1s"' in html
    assert 'aria-valuenow="0"' in html
    assert 'aria-live="polite"' in html
    partial = client.get(_url("run_progress", event.slug, run.pk)).content.decode()
    assert "<progress" in partial


def test_csv_export(client, event, brokerage, alice, bob, manager):
    agree_meeting(alice, bob)
    actions.schedule_run_execute(actions.schedule_run_start(actor=manager, event=event).pk)
    client.force_login(manager)
    response = client.get(_url("schedule_csv", event.slug))
    lines = response.content.decode().strip().splitlines()
    assert len(lines) == 2
    m = Meeting.objects.get()
    local = m.slot.start.astimezone(event.cluster.tzinfo)
    assert lines[1].startswith(f"{m.slot.index + 1},{local:%Y-%m-%d %H:%M},")
    assert alice.user.display_name in lines[1] and bob.user.display_name in lines[1]
    from portal.base.models import AuditEntry

    entry = AuditEntry.objects.get()
    assert (entry.action, entry.object_id, entry.detail) == (
        "export",
        str(event.pk),
        "meeting schedule CSV, 1 rows",
    )


def test_feedback_form(client, event, alice, bob):
    meeting = agree_meeting(alice, bob)
    event.start = timezone.now() - timedelta(hours=3)
    event.end = timezone.now() - timedelta(hours=1)
    event.save()
    client.force_login(alice.user)
    response = client.post(_url("feedback", meeting.pk), {"held": "yes", "usefulness": ""})
    assert "Rate how useful the meeting was." in response.content.decode()
    response = client.post(
        _url("feedback", meeting.pk), {"held": "yes", "usefulness": "4", "follow_up": "on"}
    )
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert (meeting.held, meeting.usefulness, meeting.follow_up, meeting.feedback_by) == (
        True,
        4,
        True,
        alice.user,
    )


def test_my_meetings_page(client, event, alice, manager):
    client.force_login(alice.user)
    response = client.get(_url("my_meetings"))
    assert [p.event for p in response.context["participations"]] == [event]
    client.force_login(manager)
    response = client.get(_url("my_meetings"))
    assert response.context["managed"] == [event]
    assert "My meetings" in response.content.decode()


def test_home_shows_the_participants_meetings(client, event, alice, bob, manager):
    agree_meeting(alice, bob)
    actions.schedule_run_execute(actions.schedule_run_start(actor=manager, event=event).pk)
    actions.agenda_publish(actor=manager, event=event, status="final")
    client.force_login(alice.user)
    response = client.get(_url("home", event.slug))
    html = response.content.decode()
    assert [m.partner for m in response.context["agenda"]] == [bob]
    assert "Agenda (Final)" in html
    assert _url("participant_detail", event.slug, bob.pk) in html
    assert _url("settings", event.slug) not in html


def test_participant_calls_a_meeting_off(
    client, event, alice, bob, cluster, manager, mailoutbox, django_capture_on_commit_callbacks
):
    meeting = agree_meeting(alice, bob)
    actions.schedule_run_execute(actions.schedule_run_start(actor=manager, event=event).pk)
    carol = add_participant(event, cluster=cluster)
    client.force_login(carol.user)
    assert client.post(_url("meeting_cancel", meeting.pk), CONFIRM).status_code == 404
    client.force_login(alice.user)
    assert (
        _url("meeting_cancel", meeting.pk)
        in client.get(_url("agenda", event.slug)).content.decode()
    )
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        unticked = client.post(_url("meeting_cancel", meeting.pk))
        assert unticked.status_code == 302 and Meeting.objects.exists()  # nothing called off
        response = client.post(_url("meeting_cancel", meeting.pk), CONFIRM)
    assert response.status_code == 302
    assert not Meeting.objects.exists()
    assert MeetingRequest.objects.get().status == "cancelled"
    assert [m.to for m in mailoutbox] == [[bob.user.email]]
    # The pair may agree again later.
    agree_meeting(bob, alice)
    assert Meeting.objects.count() == 1


def test_participant_list_marks_matchmaking_suggestions(client, event, alice, bob, cluster):
    from clusters.partners.models import PartnerSuggestion

    carol = add_participant(event, cluster=cluster)
    PartnerSuggestion.objects.create(
        organisation=alice.organisation, suggested=bob.organisation, score=0.9, rank=1
    )
    # No longer suggested (rank empty): not marked.
    PartnerSuggestion.objects.create(
        organisation=alice.organisation, suggested=carol.organisation, score=0.5, rank=None
    )
    client.force_login(alice.user)
    response = client.get(_url("participant_list", event.slug))
    assert response.context["suggested_org_ids"] == {bob.organisation_id}
    assert response.content.decode().count("Suggested for you") == 1
    response = client.get(_url("participant_list", event.slug), {"suggested": "on"})
    assert list(response.context["participants"]) == [bob]


def _settings_payload(event, **over):
    start = event.start.astimezone(event.cluster.tzinfo)
    data = {
        "meeting_minutes": 20,
        "tables": 5,
        "max_meetings": 5,
        "pending_expiry_hours": 24,
        "session_1_start": f"{start + timedelta(minutes=30):%Y-%m-%dT%H:%M}",
        "session_1_end": f"{start + timedelta(hours=1, minutes=30):%Y-%m-%dT%H:%M}",
    }
    data.update(over)
    return data


def test_settings_form_request_deadline_after_the_event_is_refused(client, event, manager):
    client.force_login(manager)
    after = event.end.astimezone(event.cluster.tzinfo) + timedelta(days=2)
    response = client.post(
        _url("settings", event.slug),
        _settings_payload(event, request_deadline=f"{after:%Y-%m-%dT%H:%M}"),
    )
    assert response.status_code == 200
    (error,) = response.context["form"].errors["request_deadline"]
    assert error.startswith("The request deadline must be no later than the end of the event (")
    assert not BrokerageSettings.objects.exists()


def test_settings_form_request_deadline_in_year_1_is_refused(client, event, manager):
    client.force_login(manager)
    response = client.post(
        _url("settings", event.slug), _settings_payload(event, request_deadline="0001-01-01T00:30")
    )
    assert response.status_code == 200
    assert "request_deadline" in response.context["form"].errors
    assert not BrokerageSettings.objects.exists()


def test_settings_form_100000_tables_is_refused_with_the_limit(client, event, manager):
    client.force_login(manager)
    response = client.get(_url("settings", event.slug))
    assert "At most 500." in str(response.context["form"]["tables"].help_text)
    response = client.post(_url("settings", event.slug), _settings_payload(event, tables=100000))
    assert response.status_code == 200
    assert response.context["form"].errors["tables"] == [
        "Ensure this value is less than or equal to 500."
    ]
    assert not BrokerageSettings.objects.exists()
    response = client.post(_url("settings", event.slug), _settings_payload(event, tables=500))
    assert BrokerageSettings.objects.get().tables == 500


def test_configure_action_refuses_more_than_500_tables_and_late_deadline(event, manager):
    from portal.base.errors import ActionError

    kwargs = dict(
        actor=manager,
        event=event,
        sessions=[(event.start, event.start + timedelta(hours=1))],
        meeting_minutes=20,
        tables=501,
        max_meetings=5,
        requires_acceptance=True,
        pending_expiry_hours=24,
    )
    with pytest.raises(ActionError) as exc:
        actions.brokerage_configure(**kwargs)
    assert exc.value.field == "tables"
    with pytest.raises(ActionError) as exc:
        actions.brokerage_configure(
            **{**kwargs, "tables": 10, "request_deadline": event.end + timedelta(minutes=1)}
        )
    assert exc.value.field == "request_deadline"
    assert not BrokerageSettings.objects.exists()


def test_configure_action_refuses_more_slots_than_the_scheduler_takes(manager, cluster):
    from events import scheduling
    from portal.base.errors import ActionError
    from tests.factories.brokerage import BrokerageEventFactory

    start = timezone.now().replace(microsecond=0) + timedelta(days=5)
    long_event = BrokerageEventFactory(cluster=cluster, start=start, end=start + timedelta(days=20))
    with pytest.raises(ActionError) as exc:
        actions.brokerage_configure(
            actor=manager,
            event=long_event,
            sessions=[(start, start + timedelta(minutes=15 * (scheduling.MAX_SLOTS + 1)))],
            meeting_minutes=15,
            tables=10,
            max_meetings=5,
            requires_acceptance=True,
            pending_expiry_hours=24,
        )
    assert exc.value.message == (
        "These sessions make 1001 meeting slots; the scheduler takes at most 1000."
    )
    assert not BrokerageSettings.objects.exists()


# --- the manager's steps after publication (issue 15, 2.8) ---------------------------------


def _scheduled_and_final(event, manager, alice, bob):
    agree_meeting(alice, bob)
    actions.schedule_run_execute(actions.schedule_run_start(actor=manager, event=event).pk)
    actions.agenda_publish(actor=manager, event=event, status="final")


def test_schedule_all_after_final_asks_first(
    client, event, brokerage, alice, bob, manager, mailoutbox, django_capture_on_commit_callbacks
):
    _scheduled_and_final(event, manager, alice, bob)
    client.force_login(manager)
    page = client.get(_url("schedule", event.slug)).content.decode()
    run_form = page.split(f'action="{_url("schedule_run", event.slug)}"')[1].split("</form>")[0]
    assert 'name="confirm" value="yes" required' in run_form
    runs = ScheduleRun.objects.count()
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(_url("schedule_run", event.slug), follow=True)
    assert ScheduleRun.objects.count() == runs
    assert mailoutbox == []
    assert "Nothing was changed: the final agendas are published" in response.content.decode()
    client.post(_url("schedule_run", event.slug), {"confirm": "yes"})
    assert ScheduleRun.objects.count() == runs + 1


def test_schedule_all_before_publication_needs_no_box(
    client, event, brokerage, alice, bob, manager
):
    agree_meeting(alice, bob)
    client.force_login(manager)
    page = client.get(_url("schedule", event.slug)).content.decode()
    run_form = page.split(f'action="{_url("schedule_run", event.slug)}"')[1].split("</form>")[0]
    assert 'name="confirm"' not in run_form
    client.post(_url("schedule_run", event.slug))
    assert ScheduleRun.objects.count() == 1


def test_publish_final_asks_first(
    client, event, brokerage, alice, bob, manager, mailoutbox, django_capture_on_commit_callbacks
):
    agree_meeting(alice, bob)
    actions.schedule_run_execute(actions.schedule_run_start(actor=manager, event=event).pk)
    client.force_login(manager)
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(_url("publish", event.slug), {"status": "final"}, follow=True)
    brokerage.refresh_from_db()
    assert brokerage.agenda_status == ""
    assert mailoutbox == []
    assert "Nothing was published: tick the box to confirm first." in response.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(_url("publish", event.slug), {"status": "final", "confirm": "yes"})
    brokerage.refresh_from_db()
    assert brokerage.agenda_status == "final"
    assert sorted(m.to[0] for m in mailoutbox) == sorted([alice.user.email, bob.user.email])


def test_publish_preliminary_not_offered_after_final(client, event, brokerage, alice, bob, manager):
    agree_meeting(alice, bob)
    actions.schedule_run_execute(actions.schedule_run_start(actor=manager, event=event).pk)
    client.force_login(manager)
    assert 'value="preliminary"' in client.get(_url("schedule", event.slug)).content.decode()
    actions.agenda_publish(actor=manager, event=event, status="final")
    assert 'value="preliminary"' not in client.get(_url("schedule", event.slug)).content.decode()
    response = client.post(_url("publish", event.slug), {"status": "preliminary"}, follow=True)
    assert "The final agendas are published; they cannot become preliminary again." in (
        response.content.decode()
    )
    brokerage.refresh_from_db()
    assert brokerage.agenda_status == "final"


def test_meeting_placed_after_publication_emails_its_ics(
    event, brokerage, alice, bob, manager, cluster, mailoutbox, django_capture_on_commit_callbacks
):
    import icalendar

    _scheduled_and_final(event, manager, alice, bob)
    carol = add_participant(event, cluster=cluster)
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        late = agree_meeting(alice, carol)
    late.refresh_from_db()
    assert late.slot_id is not None
    confirmations = [m for m in mailoutbox if "Meeting agreed" in m.subject]
    assert sorted(m.to[0] for m in confirmations) == sorted([alice.user.email, carol.user.email])
    for mail in confirmations:
        ((name, content, mimetype),) = mail.attachments
        assert (name, mimetype) == (f"meeting-{late.pk}.ics", "text/calendar")
        (vevent,) = icalendar.Calendar.from_ical(content).walk("VEVENT")
        assert vevent.decoded("dtstart") == late.slot.start
        assert f"Table {late.table}" in str(vevent["location"])


def test_meeting_accepted_before_publication_has_no_ics(
    event, brokerage, alice, bob, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        agree_meeting(alice, bob)
    assert len(mailoutbox) >= 2
    assert all(m.attachments == [] for m in mailoutbox)


def test_progress_moves_in_several_stages(event, brokerage, alice, bob, manager, cluster):
    import re

    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    agree_meeting(alice, bob)
    carol = add_participant(event, cluster=cluster)
    agree_meeting(alice, carol)
    run = actions.schedule_run_start(actor=manager, event=event)
    with CaptureQueriesContext(connection) as ctx:
        actions.schedule_run_execute(run.pk, time_limit=2)
    written = [
        int(v)
        for q in ctx.captured_queries
        if q["sql"].startswith('UPDATE "brokerage_schedulerun"')
        for v in re.findall(r'"progress" = (\d+)', q["sql"])
    ]
    assert written == sorted(written)
    assert written[0] == 0 and written[-1] == 100
    assert len(set(written) - {0, 100}) >= 3, written


def test_idle_gaps_explained_where_shown(client, event, brokerage, alice, bob, manager):
    agree_meeting(alice, bob)
    actions.schedule_run_execute(actions.schedule_run_start(actor=manager, event=event).pk)
    client.force_login(manager)
    for url in (_url("schedule", event.slug),):
        html = client.get(url).content.decode()
        assert 'aria-describedby="idle-gaps-help"' in html
        assert (
            '<p id="idle-gaps-help" class="muted">Idle gaps: free slots a participant waits between'
            in html
        )
