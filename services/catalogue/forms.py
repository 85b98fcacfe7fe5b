"""Forms of the service catalogue."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from clusters.enums import MembershipStatus, StaffRole
from clusters.models import Cluster, Organisation, User

from .models import ServiceOffering

RESPONSE_DAYS_ERROR = _("Enter a number of working days from 1 to 60.")


class OfferingForm(forms.ModelForm):
    # The database allows 1-60 (offering_response_days_1_60); the form says so and
    # stops anything else, including numbers too large for the column.
    response_days = forms.IntegerField(
        label=_("expected response time (working days)"),
        min_value=ServiceOffering.RESPONSE_DAYS_MIN,
        max_value=ServiceOffering.RESPONSE_DAYS_MAX,
        initial=5,
        help_text=_("From 1 to 60 working days."),
        error_messages={"min_value": RESPONSE_DAYS_ERROR, "max_value": RESPONSE_DAYS_ERROR},
    )

    class Meta:
        model = ServiceOffering
        fields = [
            "title",
            "category",
            "description",
            "provider_advisor",
            "provider_organisation",
            "terms",
            "price_note",
            "response_days",
            "is_active",
        ]
        widgets = {"description": forms.Textarea(attrs={"rows": 5})}

    def __init__(self, *args, cluster: Cluster, **kwargs):
        super().__init__(*args, **kwargs)
        self.cluster = cluster
        self.fields["provider_advisor"].queryset = User.objects.filter(
            cluster_roles__cluster=cluster, cluster_roles__role=StaffRole.ADVISOR, is_active=True
        ).distinct()
        self.fields["provider_organisation"].queryset = Organisation.objects.filter(
            memberships__cluster=cluster, memberships__status=MembershipStatus.ACTIVE
        ).order_by("name")

    def validate_unique(self):
        # The cluster is set by the action; uniqueness is reported by it too.
        pass

    def _post_clean(self):
        # Constraints involve the cluster, which the action sets; the action reports them.
        opts = self._meta
        try:
            self.instance = forms.models.construct_instance(
                self, self.instance, opts.fields, opts.exclude
            )
        except ValidationError as e:
            self._update_errors(e)
