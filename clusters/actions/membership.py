"""Applications to join a cluster and invitations to join an organisation."""

from datetime import timedelta

from allauth.account.models import EmailAddress
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from portal.base.audit import audit
from portal.base.errors import ActionError
from portal.base.notifications import notify

from ..enums import MembershipStatus, OrgRole, StaffRole
from ..models import Cluster, ClusterRole, Invitation, Membership, Organisation, User


def unique_org_slug(name: str) -> str:
    base = slugify(name)[:200] or "organisation"
    slug, n = base, 2
    while Organisation.objects.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


@transaction.atomic
def membership_apply(
    *,
    user: User,
    name: str,
    kind: str,
    country: str,
    website: str,
    cluster: Cluster,
    message: str = "",
) -> Membership:
    """A newcomer creates their organisation and asks to join one cluster."""
    user = User.objects.select_for_update().get(pk=user.pk)
    if user.organisation_id:
        raise ActionError(_("You already belong to an organisation."))
    organisation = Organisation.objects.create(
        name=name, slug=unique_org_slug(name), kind=kind, country=country, website=website
    )
    user.organisation = organisation
    user.org_role = OrgRole.ADMIN
    user.save(update_fields=["organisation", "org_role"])
    membership = Membership.objects.create(
        organisation=organisation,
        cluster=cluster,
        status=MembershipStatus.PENDING,
        applied_by=user,
        applied_at=timezone.now(),
        message=message,
    )
    managers = User.objects.filter(
        cluster_roles__cluster=cluster, cluster_roles__role=StaffRole.MANAGER, is_active=True
    ).distinct()
    for manager in managers:
        notify(
            manager,
            template="clusters/email/application_received",
            context={"membership": membership},
            url=reverse("clusters:application_list"),
        )
    return membership


def _decide(*, actor: User, membership_id: int, status: str, note: str) -> Membership:
    with transaction.atomic():
        membership = (
            Membership.objects.select_for_update()
            .select_related("organisation", "cluster")
            .get(pk=membership_id)
        )
        if not actor.has_perm("clusters.decide_membership", membership):
            raise PermissionDenied
        if membership.status != MembershipStatus.PENDING:
            raise ActionError(_("This application has already been decided."))
        membership.status = status
        membership.decided_by = actor
        membership.decided_at = timezone.now()
        membership.decision_note = note
        if status == MembershipStatus.ACTIVE:
            membership.since = timezone.localdate(timezone=membership.cluster.tzinfo)
        membership.save(
            update_fields=["status", "decided_by", "decided_at", "decision_note", "since"]
        )
        audit(actor, "decide", membership, cluster_id=membership.cluster_id, detail=status)
        if membership.applied_by:
            notify(
                membership.applied_by,
                template="clusters/email/application_decided",
                context={"membership": membership, "approved": status == MembershipStatus.ACTIVE},
                url=reverse("clusters:application_status"),
            )
    return membership


def membership_approve(*, actor: User, membership_id: int) -> Membership:
    return _decide(
        actor=actor, membership_id=membership_id, status=MembershipStatus.ACTIVE, note=""
    )


def membership_decline(*, actor: User, membership_id: int, reason: str) -> Membership:
    if not reason.strip():
        raise ActionError(_("Please give the applicant a reason."), field="reason")
    return _decide(
        actor=actor, membership_id=membership_id, status=MembershipStatus.DECLINED, note=reason
    )


@transaction.atomic
def invitation_create(
    *, actor: User, organisation: Organisation, email: str, role: str
) -> Invitation:
    if not actor.has_perm("clusters.manage_organisation", organisation):
        raise PermissionDenied
    email = email.strip().lower()
    if User.objects.filter(email__iexact=email, organisation=organisation).exists():
        raise ActionError(_("This person is already in your organisation."), field="email")
    invitation = Invitation.objects.create(
        organisation=organisation,
        email=email,
        role=role,
        invited_by=actor,
        expires_at=timezone.now() + timedelta(days=settings.INVITATION_VALID_DAYS),
    )
    transaction.on_commit(lambda: _send_invitation_email(invitation.pk))
    return invitation


def _send_invitation_email(invitation_id: int) -> None:
    from .. import tasks

    tasks.send_invitation.delay(invitation_id)


@transaction.atomic
def invitation_accept(*, invitation_token: str, user: User) -> Invitation:
    """Bind `user` to the inviting organisation; the link works once and for 7 days."""
    invitation = (
        Invitation.objects.select_for_update()
        .select_related("organisation")
        .filter(token=invitation_token)
        .first()
    )
    if invitation is None:
        raise ActionError(_("This invitation link is not valid."))
    if invitation.accepted_at is not None:
        raise ActionError(_("This invitation has already been used."))
    if invitation.is_expired:
        raise ActionError(_("This invitation has expired. Ask your colleague to send a new one."))
    if user.email.lower() != invitation.email.lower():
        raise ActionError(_("This invitation was sent to another email address."))
    if user.organisation_id and user.organisation_id != invitation.organisation_id:
        raise ActionError(_("You already belong to another organisation."))
    user.organisation = invitation.organisation
    user.org_role = invitation.role
    user.save(update_fields=["organisation", "org_role"])
    invitation.accepted_at = timezone.now()
    invitation.accepted_by = user
    invitation.save(update_fields=["accepted_at", "accepted_by"])
    return invitation


def invitation_sign_up(
    *, invitation_token: str, password: str, first_name: str, last_name: str, language: str
) -> Invitation:
    """A newcomer opens their invitation: their account (the link proved the email
    address, so it is verified) and their joining, all or nothing. When the invitation
    refuses, no account stays behind."""
    with transaction.atomic():
        invitation = Invitation.objects.select_for_update().filter(token=invitation_token).first()
        if invitation is None:
            raise ActionError(_("This invitation link is not valid."))
        if User.objects.filter(email__iexact=invitation.email).exists():
            raise ActionError(
                _("You already have an account: please sign in, then open the link again.")
            )
        user = User.objects.create_user(
            email=invitation.email,
            password=password,
            first_name=first_name,
            last_name=last_name,
            language=language,
        )
        EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
        return invitation_accept(invitation_token=invitation_token, user=user)


def staff_role_grant(*, user: User, cluster: Cluster, role: str) -> ClusterRole:
    return ClusterRole.objects.get_or_create(user=user, cluster=cluster, role=role)[0]
