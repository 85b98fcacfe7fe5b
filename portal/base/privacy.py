"""Personal data held by the portal: the profile, sign-in methods, notifications,
staff actions (see portal/privacy.py)."""

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.contrib.admin.models import LogEntry
from django.contrib.auth.hashers import make_password

from .models import AuditEntry
from .tokens import new_token

EXPORTED = {
    "clusters.User.organisation": "profile",
    "clusters.ClusterRole.user": "profile",
    "account.EmailAddress.user": "email_addresses",
    "mfa.Authenticator.user": "sign_in_methods",
    "portal.Notification.recipient": "notifications",
    "portal.AuditEntry.actor": "staff_actions",
    "admin.LogEntry.user": "admin_changes",
}
NOT_PERSONAL: dict[str, str] = {}


def export_personal_data(user) -> dict:
    return {
        "profile": {
            "email": user.email,
            "first_name": user.first_name,
            "last_name": user.last_name,
            "job_title": user.job_title,
            "language": user.language,
            "time_zone": user.time_zone,
            "columns_shown_in_lists": user.list_columns,
            "organisation": user.organisation.name if user.organisation_id else None,
            "role_in_organisation": user.org_role,
            "date_joined": user.date_joined.isoformat(),
            "last_login": user.last_login.isoformat() if user.last_login else None,
            "cluster_roles": [
                {"cluster": r.cluster.name, "role": r.role}
                for r in user.cluster_roles.select_related("cluster")
            ],
        },
        "notifications": [
            {
                "subject": n.subject,
                "body": n.body,
                "created": n.created.isoformat(),
                "read": bool(n.read_at),
            }
            for n in user.notifications.all()
        ],
        "email_addresses": [
            {"email": e.email, "verified": e.verified, "primary": e.primary}
            for e in EmailAddress.objects.filter(user=user).order_by("pk")
        ],
        # The kind and dates only: the secrets stay out of the file.
        "sign_in_methods": [
            {
                "type": a.type,
                "created": a.created_at.isoformat(),
                "last_used": a.last_used_at.isoformat() if a.last_used_at else None,
            }
            for a in Authenticator.objects.filter(user=user).order_by("pk")
        ],
        "staff_actions": [
            {
                "action": e.action,
                "object_type": e.object_type,
                "object": e.object_label,
                "detail": e.detail,
                "when": e.created.isoformat(),
            }
            for e in AuditEntry.objects.filter(actor=user).order_by("created", "pk")
        ],
        "admin_changes": [
            {
                "when": e.action_time.isoformat(),
                "object": e.object_repr,
                "change": e.get_change_message(),
            }
            for e in LogEntry.objects.filter(user=user).order_by("action_time", "pk")
        ],
    }


def anonymise_personal_data(user) -> None:
    """The audit log and the admin's change log stay: they are the record of what
    staff did with members' data, which network admins must still be able to read."""
    user.notifications.all().delete()
    EmailAddress.objects.filter(user=user).delete()
    Authenticator.objects.filter(user=user).delete()
    user.cluster_roles.all().delete()
    user.email = f"former-member-{user.pk}@invalid.example"
    user.first_name = ""
    user.last_name = ""
    user.job_title = ""
    user.time_zone = ""
    user.list_columns = {}
    user.is_active = False
    user.is_staff = False
    user.is_superuser = False
    user.is_network_admin = False
    # A new password hash also ends every session (Django checks the session auth hash).
    user.password = make_password(None)
    user.calendar_token = new_token()
    user.save()
