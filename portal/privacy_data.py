"""Personal data held by the portal and clusters core (see portal/privacy.py)."""

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.contrib.auth.hashers import make_password

from clusters.models import new_token


def export_personal_data(user) -> dict:
    return {
        "profile": {
            "email": user.email,
            "first_name": user.first_name,
            "last_name": user.last_name,
            "job_title": user.job_title,
            "language": user.language,
            "time_zone": user.time_zone,
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
    }


def anonymise_personal_data(user) -> None:
    user.notifications.all().delete()
    EmailAddress.objects.filter(user=user).delete()
    Authenticator.objects.filter(user=user).delete()
    user.cluster_roles.all().delete()
    user.email = f"former-member-{user.pk}@invalid.example"
    user.first_name = ""
    user.last_name = ""
    user.job_title = ""
    user.time_zone = ""
    user.is_active = False
    user.is_staff = False
    user.is_superuser = False
    user.is_network_admin = False
    # A new password hash also ends every session (Django checks the session auth hash).
    user.password = make_password(None)
    user.calendar_token = new_token()
    user.save()
