"""One small "world" shared by every case of the permission matrix.

Organisation A and organisation B are active members of the same cluster; every
object the matrix points at belongs to A (or to the cluster), so "member of B gets
404 on A's objects" is checked on every object URL.
"""

from dataclasses import dataclass, field
from datetime import timedelta

from django.test import Client
from django.utils import timezone

from clusters.enums import MembershipStatus, OrgRole, Visibility
from clusters.memberships.billing import organisation_billing_save
from clusters.memberships.invoicing import credit_note_create
from clusters.models import Invitation
from clusters.newsletters.models import Mailing
from clusters.partners.models import PartnerSuggestion
from events.brokerage.actions import agenda_publish, schedule_run_execute
from events.brokerage.enums import AgendaStatus
from events.brokerage.models import Meeting, MeetingRequest, ScheduleRun
from portal.base.models import Notification
from services.counselling.actions import request_submit
from services.counselling.models import RequestAttachment
from services.rooms.models import BookingSeries, ClosedDate
from tests.factories.brokerage import (
    BrokerageEventFactory,
    add_participant,
    agree_meeting,
    enable_brokerage,
)
from tests.factories.clusters import (
    ClusterFactory,
    ClusterRoleFactory,
    IntroductionRequestFactory,
    MembershipFactory,
    OrganisationFactory,
    UserFactory,
)
from tests.factories.events import EventFactory, RegistrationFactory
from tests.factories.memberships import (
    billing_for,
    draft_invoice,
    fee_membership,
    plan_for,
)
from tests.factories.rooms import BookingFactory, RoomFactory
from tests.factories.services import (
    ServiceCategoryFactory,
    ServiceOfferingFactory,
    png_bytes,
    upload,
)

ROLES = (
    "anonymous",
    "member_a",
    "member_b",
    "advisor",
    "other_manager",
    "manager",
    "network_admin",
)


@dataclass
class World:
    cluster: object
    other_cluster: object
    org_a: object
    org_b: object
    users: dict = field(default_factory=dict)  # role -> User (no "anonymous")
    obj: dict = field(default_factory=dict)  # name -> object of A / of the cluster
    secrets: tuple = ()  # texts only A (and the cluster's staff) may read


# Confidential texts of A: no page answered 200 to member B or to the manager of another
# cluster may contain them (test_permission_matrix checks every such page).
SECRETS = (
    "Licence agreement (confidential)",  # A's counselling request
    "plan.png",  # A's attachment
    "Alpha secret board meeting",  # A's booking
    "Alpha booking notes",
    "Alpha weekly secret stand-up",  # A's booking series
    "Private to A",  # A's notification
    "Alpha would like to meet Gamma",  # A's introduction request
    "colleague@alpha.example",  # A's invitation
    "a@alpha.example",  # A's person
    "Alpha wants to talk",  # A's meeting request
    "1 Alpha Invoice Street",  # A's billing address, on A's invoice
    "Alpha joined late",  # the reason of the credit note on A's invoice
)


def build_world() -> World:
    cluster = ClusterFactory(name="Matrix Cluster", slug="matrix-cluster")
    other_cluster = ClusterFactory(name="Other Cluster", slug="other-cluster")

    org_a = OrganisationFactory(name="Alpha Bio", slug="alpha-bio", visibility=Visibility.CLUSTERS)
    org_b = OrganisationFactory(name="Beta Bio", slug="beta-bio")
    org_c = OrganisationFactory(name="Gamma Bio", slug="gamma-bio")  # elsewhere in the network
    MembershipFactory(organisation=org_a, cluster=cluster)
    MembershipFactory(organisation=org_b, cluster=cluster)
    MembershipFactory(organisation=org_c, cluster=other_cluster)
    applicant = OrganisationFactory(name="Applicant Bio", slug="applicant-bio")
    application = MembershipFactory(
        organisation=applicant, cluster=cluster, status=MembershipStatus.PENDING
    )

    member_a = UserFactory(email="a@alpha.example", organisation=org_a, org_role=OrgRole.ADMIN)
    member_b = UserFactory(email="b@beta.example", organisation=org_b, org_role=OrgRole.ADMIN)
    member_c = UserFactory(email="c@gamma.example", organisation=org_c, org_role=OrgRole.ADMIN)
    advisor = UserFactory(email="advisor@matrix.example")
    ClusterRoleFactory(user=advisor, cluster=cluster, role="advisor")
    manager = UserFactory(email="manager@matrix.example")
    ClusterRoleFactory(user=manager, cluster=cluster, role="manager")
    other_manager = UserFactory(email="manager@other.example")
    ClusterRoleFactory(user=other_manager, cluster=other_cluster, role="manager")
    network_admin = UserFactory(email="netadmin@example.org", is_network_admin=True)

    # services: a request of A (assigned to the cluster's advisor) with an attachment
    category = ServiceCategoryFactory()
    offering = ServiceOfferingFactory(
        cluster=cluster, category=category, title="Contract review", provider_advisor=advisor
    )
    request = request_submit(
        actor=member_a,
        cluster=cluster,
        offering=offering,
        subject=SECRETS[0],
        details="Clause 7.",
        attachments=[upload("plan.png", png_bytes())],
    )
    type(request).objects.filter(pk=request.pk).update(assignee=advisor)
    attachment = RequestAttachment.objects.get(request=request)

    # rooms: a room of the cluster, a booking and a series of A, a closed date
    room = RoomFactory(cluster=cluster, name="Pasteur room")
    start = (timezone.now() + timedelta(days=10)).replace(minute=0, second=0, microsecond=0)
    booking = BookingFactory(
        room=room,
        person=member_a,
        start=start,
        end=start + timedelta(hours=1),
        title="Alpha secret board meeting",
        notes="Alpha booking notes",
    )
    series = BookingSeries.objects.create(
        room=room,
        organisation=org_a,
        person=member_a,
        title="Alpha weekly secret stand-up",
        frequency="weekly",
        count=2,
    )
    BookingFactory(
        room=room,
        person=member_a,
        series=series,
        start=start + timedelta(days=1),
        end=start + timedelta(days=1, hours=1),
    )
    closed = ClosedDate.objects.create(room=room, date=(start + timedelta(days=30)).date())

    # events: an event of the cluster, A registered
    event = EventFactory(cluster=cluster, title="Matrix networking", slug="matrix-networking")
    registration = RegistrationFactory(event=event, user=member_a)

    # brokerage: A's participant, a pending request A -> X, a meeting A <-> Y
    brokerage_event = BrokerageEventFactory(
        cluster=cluster, title="Matrix partnering", slug="matrix-partnering"
    )
    enable_brokerage(brokerage_event, manager)
    participant_a = add_participant(brokerage_event, member_a)
    participant_x = add_participant(brokerage_event, cluster=cluster)
    participant_y = add_participant(brokerage_event, cluster=cluster)
    meeting_request = MeetingRequest.objects.create(
        event=brokerage_event,
        from_participant=participant_a,
        to_participant=participant_x,
        message="Alpha wants to talk",
    )
    meeting = agree_meeting(participant_a, participant_y)
    assert isinstance(meeting, Meeting)
    run = ScheduleRun.objects.create(event=brokerage_event, created_by=manager)
    schedule_run_execute(run.pk)
    agenda_publish(actor=manager, event=brokerage_event, status=AgendaStatus.PRELIMINARY)

    # clusters: an introduction sent by A, an invitation of A, a suggestion for A
    introduction = IntroductionRequestFactory(
        from_user=member_a, to_organisation=org_c, message="Alpha would like to meet Gamma"
    )
    invitation = Invitation.objects.create(
        organisation=org_a,
        email="colleague@alpha.example",
        invited_by=member_a,
        expires_at=timezone.now() + timedelta(days=7),
    )
    suggestion = PartnerSuggestion.objects.create(
        organisation=org_a, suggested=org_c, score=0.9, rank=1
    )
    notification = Notification.objects.create(
        recipient=member_a, subject="Hello A", body="Private to A", url="/"
    )
    mailing = Mailing.objects.create(
        cluster=cluster, subject="Cluster news", body_markdown="Hello", created_by=manager
    )

    # fees: the cluster's billing details and plan, A's fee membership and issued invoice
    # (with A's billing address and a credit note), and A's next invoice in preparation
    billing_for(cluster, manager)
    plan = plan_for(cluster, name="Matrix plan")
    fee_membership_a = fee_membership(org_a, plan)
    first = draft_invoice(fee_membership_a, manager)
    organisation_billing_save(
        actor=member_a,
        organisation=org_a,
        name="Alpha Bio SA",
        address="1 Alpha Invoice Street",
        country="FR",
        vat_number="",
    )
    invoice = _issue(first)
    credit_note = credit_note_create(
        actor=manager,
        invoice=invoice,
        reason="Alpha joined late",
        issue_date=invoice.issue_date,
        gross_cents=1200,
    )

    return World(
        cluster=cluster,
        other_cluster=other_cluster,
        org_a=org_a,
        org_b=org_b,
        secrets=SECRETS,
        users={
            "member_a": member_a,
            "member_b": member_b,
            "advisor": advisor,
            "other_manager": other_manager,
            "manager": manager,
            "network_admin": network_admin,
            "member_c": member_c,
        },
        obj={
            "mailing": mailing,
            "application": application,
            "offering": offering,
            "category": category,
            "request": request,
            "attachment": attachment,
            "room": room,
            "booking": booking,
            "series": series,
            "closed": closed,
            "event": event,
            "registration": registration,
            "brokerage_event": brokerage_event,
            "participant_a": participant_a,
            "participant_x": participant_x,
            "meeting_request": meeting_request,
            "meeting": meeting,
            "run": run,
            "introduction": introduction,
            "invitation": invitation,
            "suggestion": suggestion,
            "notification": notification,
            "plan": plan,
            "fee_membership": fee_membership_a,
            "invoice": invoice,
            "credit_note": credit_note,
        },
    )


def _issue(draft):
    from clusters.memberships.actions import invoice_issue

    return invoice_issue(invoice_id=draft.pk, issue_date=timezone.localdate())


def client_for(world: World, role: str) -> Client:
    """A test client signed in as the role's person (anonymous: not signed in)."""
    client = Client()
    if role != "anonymous":
        client.force_login(world.users[role])
    return client
