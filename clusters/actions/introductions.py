"""Introduction requests between organisations.

A person asks another organisation for an introduction; its admins hear of it
by email and in-app, and accept or decline. Only after acceptance does either
side see the other's contact person and email.
"""

from __future__ import annotations

from datetime import timedelta

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.base.errors import ActionError
from portal.base.notifications import notify

from ..enums import IntroductionStatus, OrgRole
from ..models import IntroductionRequest, Organisation, User

DAILY_LIMIT = 10
MAX_MESSAGE = 1000


def introductions_sent_last_day(user: User) -> int:
    since = timezone.now() - timedelta(days=1)
    return IntroductionRequest.objects.filter(from_user=user, created__gte=since).count()


def introduction_request(
    *, actor: User, to_organisation: Organisation, message: str
) -> IntroductionRequest:
    message = (message or "").strip()
    if not message:
        raise ActionError(_("Write a short message so they know why you get in touch."), "message")
    if len(message) > MAX_MESSAGE:
        raise ActionError(
            _("Keep the message under %(n)d characters.") % {"n": MAX_MESSAGE}, "message"
        )
    with transaction.atomic():
        # Lock the sender so two requests at once cannot both pass the daily limit.
        actor = User.objects.select_for_update().get(pk=actor.pk)
        if not actor.organisation_id or not actor.has_perm(
            "clusters.request_introduction", to_organisation
        ):
            raise PermissionDenied
        if introductions_sent_last_day(actor) >= DAILY_LIMIT:
            raise ActionError(
                _(
                    "You have sent %(n)d introduction requests in the last 24 hours, the "
                    "most allowed. Please try again tomorrow."
                )
                % {"n": DAILY_LIMIT}
            )
        if IntroductionRequest.objects.filter(
            from_organisation_id=actor.organisation_id,
            to_organisation=to_organisation,
            status=IntroductionStatus.PENDING,
        ).exists():
            raise ActionError(
                _("Your organisation already has a request waiting for %(org)s's answer.")
                % {"org": to_organisation.name}
            )
        admins = list(
            to_organisation.people.filter(org_role=OrgRole.ADMIN, is_active=True).order_by("pk")
        )
        if not admins:
            raise ActionError(
                _("%(org)s has no administrator on the portal yet, so it cannot answer.")
                % {"org": to_organisation.name}
            )
        try:
            with transaction.atomic():
                intro = IntroductionRequest.objects.create(
                    from_user=actor,
                    from_organisation_id=actor.organisation_id,
                    to_organisation=to_organisation,
                    message=message,
                )
        except IntegrityError as exc:  # a concurrent request for the same pair won
            raise ActionError(
                _("Your organisation already has a request waiting for %(org)s's answer.")
                % {"org": to_organisation.name}
            ) from exc
        intro = IntroductionRequest.objects.select_related(
            "from_organisation", "to_organisation"
        ).get(pk=intro.pk)
        url = reverse("clusters:introduction_detail", args=[intro.pk])
        for admin in admins:
            notify(
                admin,
                template="clusters/email/introduction_received",
                context={"introduction": intro},
                url=url,
            )
    return intro


def _decide(*, actor: User, introduction_id: int, status: str) -> IntroductionRequest:
    with transaction.atomic():
        intro = (
            IntroductionRequest.objects.select_for_update()
            .select_related("from_user", "from_organisation", "to_organisation")
            .get(pk=introduction_id)
        )
        if not actor.has_perm("clusters.decide_introduction", intro):
            raise PermissionDenied
        if intro.status != IntroductionStatus.PENDING:
            raise ActionError(_("This introduction request has already been answered."))
        intro.status = status
        intro.decided_at = timezone.now()
        intro.decided_by = actor
        intro.save(update_fields=["status", "decided_at", "decided_by"])
        notify(
            intro.from_user,
            template="clusters/email/introduction_decided",
            context={"introduction": intro, "accepted": status == IntroductionStatus.ACCEPTED},
            url=reverse("clusters:introduction_detail", args=[intro.pk]),
        )
    return intro


def introduction_accept(*, actor: User, introduction_id: int) -> IntroductionRequest:
    return _decide(actor=actor, introduction_id=introduction_id, status=IntroductionStatus.ACCEPTED)


def introduction_decline(*, actor: User, introduction_id: int) -> IntroductionRequest:
    return _decide(actor=actor, introduction_id=introduction_id, status=IntroductionStatus.DECLINED)
