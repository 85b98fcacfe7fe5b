"""People: the user account, staff roles in clusters and invitations to join an
organisation."""

from django.conf import settings
from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from portal.base.choices import ChoiceDisplayMixin
from portal.base.tokens import new_token

from ..enums import MembershipStatus, OrgRole, StaffRole
from .network import Cluster, Membership, Organisation


class PortalUserManager(UserManager):
    def _create_user(self, username, email, password, **extra_fields):
        email = self.normalize_email(email)
        user = self.model(email=email, **extra_fields)
        user.password = ""
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email=None, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(None, email, password, **extra_fields)

    def create_superuser(self, email=None, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", True)
        extra_fields.setdefault("is_superuser", True)
        extra_fields.setdefault("is_network_admin", True)
        return self._create_user(None, email, password, **extra_fields)


class User(ChoiceDisplayMixin, AbstractUser):
    """A person. Signs in by email; belongs to at most one organisation."""

    username = None
    email = models.EmailField(_("email address"), unique=True)
    organisation = models.ForeignKey(
        Organisation,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="people",
        verbose_name=_("organisation"),
    )
    org_role = models.CharField(
        _("role in the organisation"), max_length=10, choices=OrgRole.choices, blank=True
    )
    job_title = models.CharField(_("job title"), max_length=120, blank=True)
    language = models.CharField(
        _("language"), max_length=8, choices=settings.LANGUAGES, default="en"
    )
    time_zone = models.CharField(_("time zone"), max_length=64, blank=True)
    is_network_admin = models.BooleanField(_("network admin"), default=False)
    calendar_token = models.CharField(max_length=64, default=new_token, unique=True)
    list_columns = models.JSONField(
        _("columns shown in lists"),
        default=dict,
        blank=True,
        help_text=_("Per list, the columns the person chose (portal/base/columns.py)."),
    )

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []
    objects = PortalUserManager()

    class Meta:
        ordering = ["last_name", "first_name", "email"]
        verbose_name = _("person")
        verbose_name_plural = _("people")
        constraints = [
            models.CheckConstraint(
                condition=Q(organisation__isnull=True) | ~Q(org_role=""),
                name="user_org_role_when_in_org",
            )
        ]

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        if not self.is_active and self.email.startswith("former-member-"):
            return str(_("former member"))
        return self.get_full_name() or self.email

    @property
    def is_org_admin(self) -> bool:
        return self.organisation_id is not None and self.org_role == OrgRole.ADMIN

    @cached_property
    def staff_roles(self) -> dict[int, set[str]]:
        """cluster id -> roles held there (cached per request object)."""
        roles: dict[int, set[str]] = {}
        for cluster_id, role in self.cluster_roles.values_list("cluster_id", "role"):
            roles.setdefault(cluster_id, set()).add(role)
        return roles

    @property
    def managed_cluster_ids(self) -> set[int]:
        return {cid for cid, roles in self.staff_roles.items() if StaffRole.MANAGER in roles}

    @property
    def advised_cluster_ids(self) -> set[int]:
        return {cid for cid, roles in self.staff_roles.items() if StaffRole.ADVISOR in roles}

    @property
    def is_cluster_staff(self) -> bool:
        return bool(self.staff_roles)

    @cached_property
    def active_cluster_ids(self) -> set[int]:
        """Clusters the person's organisation is an active member of, and whose fee
        membership (if any) has not lapsed or ended (clusters.memberships.standing)."""
        if not self.organisation_id:
            return set()
        # Imported here: the fee memberships app builds on these models.
        from clusters.memberships.standing import unpaid_cluster_ids

        return set(
            Membership.objects.filter(
                organisation_id=self.organisation_id, status=MembershipStatus.ACTIVE
            )
            .exclude(cluster_id__in=unpaid_cluster_ids(self.organisation_id))
            .values_list("cluster_id", flat=True)
        )

    @property
    def is_approved_member(self) -> bool:
        """May use member pages: in an organisation admitted to a cluster, or staff."""
        return bool(self.active_cluster_ids) or self.is_cluster_staff or self.is_network_admin


class ClusterRole(ChoiceDisplayMixin, models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="cluster_roles"
    )
    cluster = models.ForeignKey(Cluster, on_delete=models.CASCADE, related_name="staff_roles")
    role = models.CharField(_("role"), max_length=10, choices=StaffRole.choices)

    class Meta:
        verbose_name = _("cluster staff role")
        verbose_name_plural = _("cluster staff roles")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "cluster", "role"], name="clusterrole_unique_user_cluster_role"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.get_role_display()} @ {self.cluster}"


class Invitation(ChoiceDisplayMixin, models.Model):
    """An organisation admin invites a colleague; the link works once, for 7 days."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="invitations"
    )
    email = models.EmailField(_("email address"))
    role = models.CharField(_("role"), max_length=10, choices=OrgRole.choices, default="member")
    token = models.CharField(max_length=64, unique=True, default=new_token)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        ordering = ["-created"]
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")

    def __str__(self) -> str:
        return f"{self.email} → {self.organisation}"

    @property
    def is_expired(self) -> bool:
        return timezone.now() >= self.expires_at

    @property
    def is_usable(self) -> bool:
        return self.accepted_at is None and not self.is_expired
