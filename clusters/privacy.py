"""Personal data of the clusters app: membership applications, invitations,
introductions (see portal/privacy.py). The profile itself is the portal's part."""

from django.db.models import Q

from .models import IntroductionRequest, Invitation, Membership

EXPORTED = {
    "clusters.Membership.applied_by": "membership_applications",
    "clusters.Invitation.invited_by": "invitations_sent",
    "clusters.Invitation.accepted_by": "invitations_received",
    "clusters.IntroductionRequest.from_user": "introductions_sent",
    "clusters.IntroductionRequest.to_organisation": "introductions_received",
    "clusters.IntroductionRequest.decided_by": "introductions_received",
}
NOT_PERSONAL = {
    "clusters.Membership.organisation": (
        "An organisation's membership of a cluster; the applications this person "
        "filed are exported through applied_by."
    ),
    "clusters.Membership.decided_by": (
        "A cluster manager's decision on an organisation's application: the cluster's "
        "work record, kept and shown as decided by former member."
    ),
    "clusters.Invitation.organisation": (
        "An organisation's invitations; those this person sent or accepted are "
        "exported through invited_by and accepted_by."
    ),
    "clusters.IntroductionRequest.from_organisation": (
        "An organisation's outgoing introductions; the ones this person wrote are "
        "exported through from_user."
    ),
}


def _iso(value):
    return value.isoformat() if value else None


def export_personal_data(user) -> dict:
    applications = (
        Membership.objects.filter(applied_by=user).select_related("cluster", "organisation")
    ).order_by("pk")
    sent = Invitation.objects.filter(invited_by=user).select_related("organisation")
    received = Invitation.objects.filter(
        Q(accepted_by=user) | Q(email__iexact=user.email)
    ).select_related("organisation")
    intros_sent = IntroductionRequest.objects.filter(from_user=user).select_related(
        "to_organisation"
    )
    intros_received = (
        IntroductionRequest.objects.filter(
            Q(to_organisation_id=user.organisation_id) | Q(decided_by=user)
            if user.organisation_id
            else Q(decided_by=user)
        )
        .select_related("from_organisation", "from_user")
        .distinct()
    )
    return {
        "membership_applications": [
            {
                "organisation": m.organisation.name,
                "cluster": m.cluster.name,
                "status": m.status,
                "applied_at": _iso(m.applied_at),
                "message": m.message,
                "decided_at": _iso(m.decided_at),
                "reason": m.decision_note,
            }
            for m in applications
        ],
        "invitations_sent": [
            {
                "organisation": i.organisation.name,
                "email": i.email,
                "role": i.role,
                "sent": i.created.isoformat(),
                "accepted_at": _iso(i.accepted_at),
            }
            for i in sent.order_by("created", "pk")
        ],
        "invitations_received": [
            {
                "organisation": i.organisation.name,
                "role": i.role,
                "sent": i.created.isoformat(),
                "accepted_at": _iso(i.accepted_at),
            }
            for i in received.order_by("created", "pk")
        ],
        "introductions_sent": [
            {
                "to": i.to_organisation.name,
                "message": i.message,
                "status": i.status,
                "sent": i.created.isoformat(),
                "answered": _iso(i.decided_at),
            }
            for i in intros_sent.order_by("created", "pk")
        ],
        "introductions_received": [
            {
                "from": i.from_organisation.name,
                # The sender's name only once the introduction is accepted, as on the page.
                "from_person": i.from_user.display_name if i.is_accepted else None,
                "message": i.message,
                "status": i.status,
                "sent": i.created.isoformat(),
                "answered": _iso(i.decided_at),
                "answered_by_you": i.decided_by_id == user.pk,
            }
            for i in intros_received.order_by("created", "pk")
        ],
    }


def anonymise_personal_data(user) -> None:
    """Applications and introductions are the organisation's correspondence and
    stay (signed "former member"); an accepted invitation no longer names the
    person's address."""
    Invitation.objects.filter(accepted_by=user).update(
        email=f"former-member-{user.pk}@invalid.example"
    )
