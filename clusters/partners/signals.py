"""Queue one organisation's recomputation after its matching input changes.

Connected in PartnersConfig.ready(). Every handler queues on commit, and
suggestions_queue_recompute() lets only one task wait per organisation.
"""

from __future__ import annotations

from django.db.models.signals import m2m_changed, post_delete, post_save

from clusters.models import IntroductionRequest, Membership, Organisation

from .actions import queue_on_commit

# What changes when an Organisation row is saved but does not feed the matching.
_IRRELEVANT_FIELDS = frozenset({"logo", "updated", "name", "slug", "city", "website", "size"})


def organisation_saved(sender, instance, created, update_fields=None, raw=False, **kwargs):
    if raw:
        return
    if update_fields is not None and set(update_fields) <= _IRRELEVANT_FIELDS:
        return
    queue_on_commit(instance.pk)


def topics_changed(sender, instance, action, reverse, pk_set, **kwargs):
    if action not in {"post_add", "post_remove", "post_clear"}:
        return
    if not reverse:
        queue_on_commit(instance.pk)
    else:  # topic.experts.add(org, ...): each organisation changed
        for pk in pk_set or ():
            queue_on_commit(pk)


def membership_changed(sender, instance, raw=False, **kwargs):
    if not raw:
        queue_on_commit(instance.organisation_id)


def introduction_saved(sender, instance, raw=False, **kwargs):
    # Accepted introductions count as connected: both lists lose the other.
    if not raw and instance.status == "accepted":
        queue_on_commit(instance.from_organisation_id)


def connect() -> None:
    uid = "partners"
    post_save.connect(organisation_saved, sender=Organisation, dispatch_uid=f"{uid}-org")
    for field in ("topics", "offer_topics", "need_topics"):
        m2m_changed.connect(
            topics_changed,
            sender=getattr(Organisation, field).through,
            dispatch_uid=f"{uid}-{field}",
        )
    post_save.connect(membership_changed, sender=Membership, dispatch_uid=f"{uid}-ms-save")
    post_delete.connect(membership_changed, sender=Membership, dispatch_uid=f"{uid}-ms-del")
    post_save.connect(introduction_saved, sender=IntroductionRequest, dispatch_uid=f"{uid}-intro")
