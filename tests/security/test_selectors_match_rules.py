"""One rule, one place: every visibility selector returns exactly what its rules
permission allows.

For each kind of object below, and each person of the security world (plus a few
more: a plain colleague of A, a person of the pending applicant, a deactivated person
of A, the two other brokerage participants; anonymous where the selector takes it):

    set(selector(person)) == {obj for obj in everything() if person.has_perm(perm, obj)}

The world (tests/security/world.py) only holds objects of A; `more_objects` adds what
tells the rules apart (B's and C's objects, hidden and 'clusters only' organisations,
drafts and every audience of events, an inactive room, a room open to the network...).

Superusers are left out: Django's `User.has_perm` answers True for an active superuser
without asking rules, so there is no predicate to compare with.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from clusters import models as cluster_models
from clusters import selectors as cluster_selectors
from clusters.enums import MembershipStatus, OrgRole, Visibility
from clusters.newsletters import models as newsletter_models
from clusters.newsletters import selectors as newsletter_selectors
from events import models as event_models
from events import selectors as event_selectors
from events.brokerage import models as brokerage_models
from events.brokerage import selectors as brokerage_selectors
from services.counselling import models as counselling_models
from services.counselling import rules as counselling_rules
from services.counselling import selectors as counselling_selectors
from services.rooms import models as room_models
from services.rooms import selectors as room_selectors
from tests.factories.brokerage import add_participant, agree_meeting
from tests.factories.clusters import (
    IntroductionRequestFactory,
    MembershipFactory,
    OrganisationFactory,
    UserFactory,
)
from tests.factories.events import EventFactory
from tests.factories.rooms import BookingFactory, RoomFactory
from tests.factories.services import CounsellingRequestFactory

from .world import ROLES as WORLD_ROLES

# --- selectors made of several selectors (what the person's pages put together) --------


def _brokerage_requests_on_my_pages(user):
    """Meeting requests on the person's brokerage pages: requests_of() of each participation."""
    found = []
    for participant in brokerage_selectors.participations_of(user):
        mine = brokerage_selectors.requests_of(participant)
        found += mine["incoming"] + mine["outgoing"]
    return found


def _meetings_on_my_agendas(user):
    found = []
    for participant in brokerage_selectors.participations_of(user):
        found += brokerage_selectors.agenda_of(participant)
    return found


def _meetings_on_my_pages(user):
    """Own agendas, and the schedule of every event with meetings the person manages."""
    found = _meetings_on_my_agendas(user)
    for event in event_selectors.events_managed_by(user):
        brokerage = brokerage_selectors.brokerage_for(event)
        if brokerage is not None:
            found += brokerage_selectors.scheduled_meetings(brokerage)
    return found


def _requests_worked_as_staff(user):
    """The queue of the clusters the person manages, and the requests assigned to them."""
    return list(counselling_selectors.queue_for(user)) + list(
        counselling_selectors.requests_assigned_to(user)
    )


def _attachments_on_request_pages(user):
    """What a request's page lists: its files, and those of the messages of its timeline
    (internal notes for staff only), for every request the person may open."""
    found = []
    for request in counselling_selectors.requests_visible_to(user):
        staff = bool(counselling_rules.request_roles(user, request) & {"manager", "advisor"})
        found += counselling_selectors.request_attachments(request)
        for entry in counselling_selectors.timeline(request, include_internal=staff):
            if entry.kind == "message":
                found += entry.item.attachments.all()
    return found


# --- the table ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Kind:
    name: str
    selector: Callable  # person -> iterable of objects
    perm: str
    everything: Callable  # () -> every object of the kind
    anonymous: bool  # the selector accepts a signed-out person


# fmt: off
KINDS = [
    #    kind                           selector                                                       permission                      every object
    Kind("organisation",                lambda u: cluster_selectors.viewable_organisations(u),         "clusters.view_organisation",   lambda: cluster_models.Organisation.objects.all(), anonymous=True),  # noqa: E501
    Kind("introduction",                lambda u: cluster_selectors.introductions_for(u),              "clusters.view_introduction",   lambda: cluster_models.IntroductionRequest.objects.all(), anonymous=True),  # noqa: E501
    Kind("counselling request",         lambda u: counselling_selectors.requests_visible_to(u),        "services.view_request",        lambda: counselling_models.CounsellingRequest.objects.all(), anonymous=True),  # noqa: E501
    Kind("counselling request (staff)", _requests_worked_as_staff,                                     "services.view_internal_notes", lambda: counselling_models.CounsellingRequest.objects.all(), anonymous=False),  # noqa: E501
    Kind("counselling request (own)",   lambda u: counselling_selectors.requests_of_organisation(u),   "services.rate_request",        lambda: counselling_models.CounsellingRequest.objects.all(), anonymous=False),  # noqa: E501
    Kind("request attachment",          _attachments_on_request_pages,                                 "services.view_attachment",     lambda: counselling_models.RequestAttachment.objects.all(), anonymous=True),  # noqa: E501
    Kind("room (bookable)",             lambda u: room_selectors.rooms_bookable_by(u),                 "rooms.book_room",              lambda: room_models.Room.objects.all(), anonymous=True),  # noqa: E501
    Kind("room (managed)",              lambda u: room_selectors.rooms_managed_by(u),                  "rooms.manage_room",            lambda: room_models.Room.objects.all(), anonymous=False),  # noqa: E501
    Kind("booking",                     lambda u: room_selectors.bookings_visible_to(u),               "rooms.view_booking",           lambda: room_models.Booking.objects.all(), anonymous=True),  # noqa: E501
    Kind("booking (managed)",           lambda u: room_selectors.bookings_managed_by(u),               "rooms.decide_booking",         lambda: room_models.Booking.objects.all(), anonymous=False),  # noqa: E501
    Kind("event",                       lambda u: event_selectors.events_visible_to(u),                "events.view_event",            lambda: event_models.Event.objects.all(), anonymous=True),  # noqa: E501
    Kind("event (managed)",             lambda u: event_selectors.events_managed_by(u),                "events.manage_event",          lambda: event_models.Event.objects.all(), anonymous=False),  # noqa: E501
    Kind("event (meetings managed)",    lambda u: event_selectors.events_managed_by(u),                "brokerage.manage",             lambda: event_models.Event.objects.all(), anonymous=False),  # noqa: E501
    Kind("meeting request",             _brokerage_requests_on_my_pages,                               "brokerage.view_request",       lambda: brokerage_models.MeetingRequest.objects.all(), anonymous=False),  # noqa: E501
    Kind("meeting (own agenda)",        _meetings_on_my_agendas,                                       "brokerage.give_feedback",      lambda: brokerage_models.Meeting.objects.all(), anonymous=False),  # noqa: E501
    Kind("mailing",                     lambda u: newsletter_selectors.mailings_visible_to(u),         "newsletters.change_mailing",   lambda: newsletter_models.Mailing.objects.all(), anonymous=True),  # noqa: E501
    Kind("meeting",                     _meetings_on_my_pages,                                         "brokerage.view_meeting",       lambda: brokerage_models.Meeting.objects.all(), anonymous=False),  # noqa: E501
]
# fmt: on

# People of the world, then the ones this module adds.
ROLES = (*WORLD_ROLES, "member_c", "participant_x", "participant_y") + (
    "colleague_a",
    "applicant",
    "inactive_a",
)

# Known differences between a selector and its rule: (kind, role) -> the exact difference.
# Each one is an xfail(strict=True): when the owner aligns the two, the test says so.
MISMATCHES: dict[tuple[str, str], str] = {}


def _cases():
    for kind in KINDS:
        for role in ROLES:
            if role == "anonymous" and not kind.anonymous:
                continue
            marks = ()
            if (kind.name, role) in MISMATCHES:
                marks = pytest.mark.xfail(strict=True, reason=MISMATCHES[(kind.name, role)])
            yield pytest.param(kind, role, id=f"{kind.name}-{role}", marks=marks)


CASES = list(_cases())


# --- objects that tell the rules apart ---------------------------------------------------


@dataclass
class More:
    users: dict


@pytest.fixture(scope="module")
def more_objects(world, django_db_blocker):
    """Built inside the world's module transaction, so rolled back with it."""
    cluster, other = world.cluster, world.other_cluster
    org_a, org_b = world.org_a, world.org_b
    member_a, member_b = world.users["member_a"], world.users["member_b"]
    member_c, advisor = world.users["member_c"], world.users["advisor"]
    with django_db_blocker.unblock():
        # people
        colleague_a = UserFactory(
            email="colleague@alpha.example", organisation=org_a, org_role=OrgRole.MEMBER
        )
        applicant_org = world.obj["application"].organisation
        applicant = UserFactory(
            email="someone@applicant.example", organisation=applicant_org, org_role=OrgRole.ADMIN
        )
        inactive_a = UserFactory(
            email="gone@alpha.example", organisation=org_a, org_role=OrgRole.MEMBER
        )
        type(inactive_a).objects.filter(pk=inactive_a.pk).update(is_active=False)

        # organisations: every visibility, in the cluster and elsewhere, and one admitted nowhere
        for name, visibility, where in (
            ("Hidden Bio", Visibility.HIDDEN, cluster),
            ("Delta Bio", Visibility.CLUSTERS, other),
            ("Epsilon Bio", Visibility.HIDDEN, other),
            ("Zeta Bio", Visibility.NETWORK, other),
        ):
            org = OrganisationFactory(name=name, visibility=visibility)
            MembershipFactory(organisation=org, cluster=where)
        declined = OrganisationFactory(name="Declined Bio")
        MembershipFactory(organisation=declined, cluster=cluster, status=MembershipStatus.DECLINED)

        # introductions to A and between others
        IntroductionRequestFactory(from_user=member_b, to_organisation=org_a)
        IntroductionRequestFactory(from_user=member_c, to_organisation=org_b)

        # counselling requests of B (unassigned), of C (other cluster), of A in the other cluster
        b_request = CounsellingRequestFactory(cluster=cluster, number=101, requester=member_b)
        CounsellingRequestFactory(cluster=other, number=102, requester=member_c)
        CounsellingRequestFactory(cluster=other, number=103, requester=member_a, assignee=advisor)

        # attachments of a message and of an internal note on A's request, one on B's
        attachment_of = counselling_models.RequestAttachment.objects.create
        for request, internal, name in (
            (world.obj["request"], False, "minutes.pdf"),
            (world.obj["request"], True, "advisor-notes.pdf"),
            (b_request, False, "beta.pdf"),
        ):
            message = counselling_models.RequestMessage.objects.create(
                request=request, author=advisor, body="See the file.", internal=internal
            )
            attachment_of(
                request=request,
                message=message,
                stored_name=f"more/{name}",
                original_name=name,
                content_type="application/pdf",
                size=1,
                uploaded_by=advisor,
            )

        # rooms: inactive in the cluster; open to the network and cluster-only elsewhere
        RoomFactory(cluster=cluster, name="Closed wing", is_active=False)
        network_room = RoomFactory(cluster=other, name="Network hall", who_may_book="network")
        other_room = RoomFactory(cluster=other, name="Other lab")
        RoomFactory(cluster=other, name="Old hall", who_may_book="network", is_active=False)

        # a mailing of the other cluster (the world holds one of the cluster)
        newsletter_models.Mailing.objects.create(
            cluster=other, subject="Other news", body_markdown="Hello"
        )

        # bookings of B, of a person without organisation, of C elsewhere
        start = timezone.now() + timedelta(days=12)
        room = world.obj["room"]
        for where, person in (
            (room, member_b),
            (room, advisor),
            (network_room, member_c),
            (other_room, member_c),
        ):
            BookingFactory(room=where, person=person, start=start, end=start + timedelta(hours=1))
            start += timedelta(hours=2)

        # events: every audience and status, in the cluster and elsewhere
        for where, audience, status in (
            (cluster, "cluster", "draft"),
            (cluster, "cluster", "cancelled"),
            (cluster, "network", "published"),
            (cluster, "public", "published"),
            (cluster, "public", "draft"),
            (other, "cluster", "published"),
            (other, "network", "published"),
            (other, "network", "draft"),
            (other, "public", "cancelled"),
        ):
            EventFactory(cluster=where, audience=audience, status=status)

        # a meeting request between two other participants
        event = world.obj["brokerage_event"]
        participant_z = add_participant(event, cluster=cluster)
        brokerage_models.MeetingRequest.objects.create(
            event=event,
            from_participant=participant_z,
            to_participant=world.obj["participant_x"],
            message="Zed wants to talk",
        )
        agree_meeting(participant_z, world.obj["meeting"].partner_of(world.obj["participant_a"]))

    participant_y = world.obj["meeting"].partner_of(world.obj["participant_a"])
    return More(
        users={
            "participant_x": world.obj["participant_x"].user,
            "participant_y": participant_y.user,
            "colleague_a": colleague_a,
            "applicant": applicant,
            "inactive_a": inactive_a,
        }
    )


def person(world, more, role):
    """A fresh copy from the database (no cached roles or memberships), as a request gets."""
    if role == "anonymous":
        return AnonymousUser()
    user = world.users.get(role) or more.users[role]
    return type(user).objects.get(pk=user.pk)


def _label(obj) -> str:
    return f"{type(obj).__name__} #{obj.pk} {str(obj)[:60]!r}"


@pytest.mark.parametrize(("kind", "role"), CASES)
def test_selector_returns_what_the_rule_allows(db, world, more_objects, kind, role):
    user = person(world, more_objects, role)
    selected = {obj.pk: obj for obj in kind.selector(user)}
    allowed = {obj.pk: obj for obj in kind.everything() if user.has_perm(kind.perm, obj)}
    only_selector = sorted(_label(selected[pk]) for pk in selected.keys() - allowed.keys())
    only_rule = sorted(_label(allowed[pk]) for pk in allowed.keys() - selected.keys())
    assert (only_selector, only_rule) == ([], []), (
        f"{kind.name} as {role}: the selector and {kind.perm} disagree\n"
        f"  only the selector returns: {only_selector}\n"
        f"  only the rule allows:      {only_rule}"
    )


def test_the_world_has_objects_of_every_kind(db, world, more_objects):
    """Each kind is compared over more than a single object (else equality proves little)."""
    assert {k.name: k.everything().count() > 1 for k in KINDS} == {k.name: True for k in KINDS}
