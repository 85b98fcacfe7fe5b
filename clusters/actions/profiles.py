"""Writes to cluster pages and organisation profiles."""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.base.errors import ActionError

from ..branding import accent_problem
from ..models import Cluster, Organisation, Topic, User
from ..selectors import organisations_named_like

PROFILE_FIELDS = [
    "name",
    "description",
    "kind",
    "size",
    "country",
    "city",
    "website",
    "offers",
    "needs",
    "visibility",
]


@transaction.atomic
def cluster_profile_update(
    *,
    actor: User,
    cluster: Cluster,
    description: str,
    focus: str,
    accent_colour: str | None = None,
    logo: ContentFile | None = None,
    remove_logo: bool = False,
) -> Cluster:
    """A cluster's managers keep its description and focus up to date, and its
    branding: `accent_colour` (#rrggbb, "" for the portal's; None = unchanged) must
    pass the contrast check, `logo` is an already re-encoded image
    (clusters.uploads.process_logo)."""
    if not actor.has_perm("clusters.manage_cluster", cluster):
        raise PermissionDenied
    cluster = Cluster.objects.select_for_update().get(pk=cluster.pk)
    cluster.description = description.strip()
    cluster.focus = focus.strip()
    update_fields = ["description", "focus"]
    if accent_colour is not None and accent_colour != cluster.accent_colour:
        problem = accent_problem(accent_colour) if accent_colour else ""
        if problem:
            raise ActionError(problem, field="accent_colour")
        cluster.accent_colour = accent_colour
        update_fields.append("accent_colour")
    old_logo = cluster.logo.name if cluster.logo else ""
    if logo is not None:
        cluster.logo.save(logo.name or "logo", logo, save=False)
        update_fields.append("logo")
    elif remove_logo and old_logo:
        cluster.logo = ""
        update_fields.append("logo")
    if len(update_fields) > 2:
        cluster.brand_updated = timezone.now()
        update_fields.append("brand_updated")
    cluster.save(update_fields=update_fields)
    if old_logo and "logo" in update_fields:
        storage = cluster.logo.storage
        transaction.on_commit(lambda: storage.delete(old_logo))
    return cluster


@transaction.atomic
def organisation_profile_update(
    *,
    actor: User,
    organisation: Organisation,
    data: dict,
    topics: Iterable[Topic],
    offer_topics: Iterable[Topic],
    need_topics: Iterable[Topic],
    logo: ContentFile | None = None,
    remove_logo: bool = False,
) -> Organisation:
    """An organisation admin edits the profile; `logo` is an already validated,
    re-encoded image (see clusters.uploads.process_logo)."""
    if not actor.has_perm("clusters.manage_organisation", organisation):
        raise PermissionDenied
    org = Organisation.objects.select_for_update().get(pk=organisation.pk)
    if "name" in data:
        data = {**data, "name": " ".join(data["name"].split())}
        if not data["name"]:
            raise ActionError(_("Please give the organisation's name."), field="name")
        if data["name"] != org.name:
            taken = organisations_named_like({org.pk: data["name"]})[org.pk]
            if taken:
                raise ActionError(
                    _(
                        "Another organisation in the portal is already called “%(name)s”. "
                        "Please choose a name that tells the two apart."
                    )
                    % {"name": taken[0].name},
                    field="name",
                )
    for field in PROFILE_FIELDS:
        if field in data:
            value = data[field]
            setattr(org, field, value.strip() if isinstance(value, str) else value)
    update_fields = [f for f in PROFILE_FIELDS if f in data] + ["updated"]
    old_logo = org.logo.name if org.logo else ""
    if logo is not None:
        org.logo.save(logo.name or "logo", logo, save=False)
        update_fields.append("logo")
    elif remove_logo and old_logo:
        org.logo = ""
        update_fields.append("logo")
    org.save(update_fields=update_fields)
    org.topics.set(topics)
    org.offer_topics.set(offer_topics)
    org.need_topics.set(need_topics)
    if old_logo and "logo" in update_fields:
        storage = org.logo.storage
        transaction.on_commit(lambda: storage.delete(old_logo))
    return org


def person_name_update(*, actor: User, first_name: str, last_name: str) -> User:
    """A person sets the name the portal shows for them (instead of their email address)."""
    first_name, last_name = " ".join(first_name.split()), " ".join(last_name.split())
    if not first_name or not last_name:
        raise ActionError(_("Please give your first and last name."))
    actor.first_name, actor.last_name = first_name, last_name
    actor.save(update_fields=["first_name", "last_name"])
    return actor
