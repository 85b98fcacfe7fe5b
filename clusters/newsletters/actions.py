"""Writes of the newsletters: consent, audiences and mailings (sending is in
sending.py)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta

import rules
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from clusters.models import Cluster, User
from portal.base.errors import ActionError

from .criteria import validate_criteria
from .enums import ConsentOrigin, ConsentTopic, MailingStatus
from .models import Audience, ConsentChange, ConsentChoice, Mailing
from .selectors import consent_of
from .tokens import read_token


def consent_set(
    *, person: User, cluster: Cluster, topic: str, subscribed: bool, origin: str
) -> bool:
    """Record a person's choice for a cluster's topic; returns whether it changed.
    Every change leaves a ConsentChange row saying where it came from."""
    if topic not in ConsentTopic.values:
        raise ActionError(_("Unknown topic."))
    if origin not in ConsentOrigin.values:
        raise ActionError(_("Unknown origin."))
    with transaction.atomic():
        choice = (
            ConsentChoice.objects.select_for_update()
            .filter(person=person, cluster=cluster, topic=topic)
            .first()
        )
        if choice is not None and choice.subscribed == subscribed:
            return False
        # None: the person never chose, the cluster's default applied until now.
        old = choice.subscribed if choice is not None else None
        if choice is None:
            ConsentChoice.objects.create(
                person=person, cluster=cluster, topic=topic, subscribed=subscribed
            )
        else:
            choice.subscribed = subscribed
            choice.updated = timezone.now()
            choice.save(update_fields=["subscribed", "updated"])
        ConsentChange.objects.create(
            person=person, cluster=cluster, topic=topic, old=old, new=subscribed, origin=origin
        )
        return True


def audience_save(
    *,
    actor: User,
    owner: Cluster,
    name: str,
    clusters: Iterable[Cluster],
    criteria: dict,
    saved: bool = False,
    audience: Audience | None = None,
) -> Audience:
    """Create or change an audience. A cluster manager addresses their own clusters
    only; a network admin any number of clusters."""
    clusters = list(clusters)
    if not actor.has_perm("newsletters.manage_mailings", owner):
        raise PermissionDenied
    if not clusters:
        raise ActionError(_("Choose at least one cluster."), field="clusters")
    if not rules.has_perm("newsletters.address_clusters", actor, clusters):
        raise ActionError(_("You may only address the clusters you manage."), field="clusters")
    try:
        validate_criteria(criteria)
    except ValidationError as exc:
        raise ActionError(" ".join(exc.messages), field="criteria") from exc
    with transaction.atomic():
        if audience is None:
            audience = Audience.objects.create(
                owner=owner, name=name, criteria=criteria, saved=saved
            )
        else:
            audience.name, audience.criteria, audience.saved = name, criteria, saved
            audience.save(update_fields=["name", "criteria", "saved"])
        audience.clusters.set(clusters)
    return audience


def _check_sendable(actor: User, mailing: Mailing) -> None:
    if not actor.has_perm("newsletters.change_mailing", mailing):
        raise PermissionDenied
    if mailing.status not in (MailingStatus.DRAFT, MailingStatus.SCHEDULED):
        raise ActionError(_("This mailing has already been sent."))
    if mailing.audience is None:
        raise ActionError(_("Choose an audience first."), field="audience")
    if not rules.has_perm(
        "newsletters.address_clusters", actor, list(mailing.audience.clusters.all())
    ):
        raise ActionError(_("You may only address the clusters you manage."), field="audience")


def mailing_schedule(*, actor: User, mailing: Mailing, when: datetime | None) -> Mailing:
    """Schedule the mailing for `when` (None: now). The beat task starts it when due;
    the audience is evaluated then."""
    _check_sendable(actor, mailing)
    when = when or timezone.now()
    if when < timezone.now() - timedelta(minutes=5):
        raise ActionError(_("Choose a time in the future."), field="scheduled_at")
    with transaction.atomic():
        locked = Mailing.objects.select_for_update().get(pk=mailing.pk)
        if locked.status not in (MailingStatus.DRAFT, MailingStatus.SCHEDULED):
            raise ActionError(_("This mailing has already been sent."))
        locked.status, locked.scheduled_at = MailingStatus.SCHEDULED, when
        locked.save(update_fields=["status", "scheduled_at"])
    mailing.status, mailing.scheduled_at = locked.status, locked.scheduled_at
    return mailing


def mailing_unschedule(*, actor: User, mailing: Mailing) -> Mailing:
    if not actor.has_perm("newsletters.change_mailing", mailing):
        raise PermissionDenied
    updated = Mailing.objects.filter(pk=mailing.pk, status=MailingStatus.SCHEDULED).update(
        status=MailingStatus.DRAFT, scheduled_at=None
    )
    if not updated:
        raise ActionError(_("Only a scheduled mailing can go back to draft."))
    mailing.status, mailing.scheduled_at = MailingStatus.DRAFT, None
    return mailing


def unsubscribe_by_token(*, token: str) -> tuple[Cluster, str]:
    """Unsubscribe the person the signed token names from its cluster's topic; a
    forged or altered token (or one of a deleted account) changes nothing."""
    data = read_token(token)
    person = User.objects.filter(pk=data.person_id, is_active=True).first() if data else None
    cluster = Cluster.objects.filter(pk=data.cluster_id).first() if data else None
    if data is None or person is None or cluster is None or data.topic not in ConsentTopic.values:
        raise ActionError(_("This unsubscribe link is not valid. Nothing was changed."))
    consent_set(
        person=person,
        cluster=cluster,
        topic=data.topic,
        subscribed=False,
        origin=ConsentOrigin.UNSUBSCRIBE,
    )
    return cluster, data.topic


def preferences_save(*, actor: User, wanted: dict[tuple[int, str], bool]) -> int:
    """Save a person's choices from their preferences page ((cluster id, topic) ->
    subscribed); returns how many changed."""
    clusters = {c.pk: c for c in Cluster.objects.filter(pk__in={cid for cid, _t in wanted})}
    # Only what differs from what counts now is recorded: a default left as it is
    # stays a default (and follows the cluster's default if it changes).
    current = consent_of(actor, clusters.values())
    changed = 0
    for (cluster_id, topic), subscribed in wanted.items():
        if cluster_id in clusters and current[cluster_id][topic] != subscribed:
            changed += consent_set(
                person=actor,
                cluster=clusters[cluster_id],
                topic=topic,
                subscribed=subscribed,
                origin=ConsentOrigin.PAGE,
            )
    return changed


def mailing_save(
    *,
    actor: User,
    cluster: Cluster,
    fields: dict,
    audience_clusters: Iterable[Cluster],
    criteria: dict,
    mailing: Mailing | None = None,
) -> Mailing:
    """Create or change a draft (or scheduled) mailing with its own audience."""
    if not actor.has_perm("newsletters.manage_mailings", cluster):
        raise PermissionDenied
    if mailing is not None and mailing.status not in (MailingStatus.DRAFT, MailingStatus.SCHEDULED):
        raise ActionError(_("This mailing has already been sent."))
    with transaction.atomic():
        audience = audience_save(
            actor=actor,
            owner=cluster,
            name=fields["subject"][:200],
            clusters=audience_clusters,
            criteria=criteria,
            audience=mailing.audience if mailing is not None else None,
        )
        if mailing is None:
            mailing = Mailing(cluster=cluster, created_by=actor)
        for name, value in fields.items():
            setattr(mailing, name, value)
        mailing.audience = audience
        mailing.save()
    return mailing


def mailing_test_send(*, actor: User, mailing: Mailing) -> None:
    """Send the mailing to the person writing it, as they would receive it."""
    from django.core.mail import EmailMultiAlternatives

    from .rendering import render_mailing

    if not actor.has_perm("newsletters.change_mailing", mailing):
        raise PermissionDenied
    rendered = render_mailing(mailing, actor)
    message = EmailMultiAlternatives(
        subject="[" + _("Test") + "] " + rendered.subject, body=rendered.text, to=[actor.email]
    )
    message.attach_alternative(rendered.html, "text/html")
    message.send()
