"""The audit log of staff actions on members' data."""

from .models import AuditEntry


def audit(actor, action: str, obj, *, cluster_id: int | None = None, detail: str = "") -> None:
    """Record that `actor` did `action` (an AuditAction: view, change, decide, download,
    export) on `obj`.

    Only staff access is logged: a member reading their own data is not an event.
    """
    if actor is None or not getattr(actor, "is_authenticated", False):
        return
    if not (actor.is_network_admin or actor.is_superuser or actor.is_cluster_staff):
        return
    AuditEntry.objects.create(
        actor=actor,
        actor_label=actor.email,
        action=action,
        object_type=obj._meta.label,
        object_id=str(obj.pk),
        object_label=str(obj)[:250],
        cluster_id=cluster_id,
        detail=detail,
    )
