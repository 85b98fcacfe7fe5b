"""Forms of the manager pages: the mailing and its audience on one page."""

from django import forms
from django.utils.translation import gettext_lazy as _

from clusters.enums import MembershipStatus, OrganisationKind, OrgRole, SizeBand
from clusters.models import Topic

from .criteria import COUNTRY
from .models import Mailing


class MailingForm(forms.ModelForm):
    class Meta:
        model = Mailing
        fields = ["subject", "preheader", "topic", "language", "body_markdown"]
        widgets = {"body_markdown": forms.Textarea(attrs={"rows": 14})}


def _checkboxes(choices, label):
    return forms.MultipleChoiceField(
        label=label, choices=choices, required=False, widget=forms.CheckboxSelectMultiple
    )


class AudienceForm(forms.Form):
    """Who the mailing goes to; `clusters` offers what the manager may address."""

    clusters = forms.ModelMultipleChoiceField(
        label=_("Clusters"), queryset=None, widget=forms.CheckboxSelectMultiple
    )
    kinds = _checkboxes(OrganisationKind.choices, _("Organisation kinds (none: all)"))
    sizes = _checkboxes(SizeBand.choices, _("Sizes (none: all)"))
    countries = forms.CharField(
        label=_("Countries"),
        required=False,
        help_text=_("Two-letter codes separated by commas, such as FR, DE. Empty: all."),
    )
    topics = forms.ModelMultipleChoiceField(
        label=_("Topics (none: all)"),
        queryset=Topic.objects.all(),
        to_field_name="slug",
        required=False,
    )
    membership_status = _checkboxes(
        MembershipStatus.choices, _("Membership status (none: active members)")
    )
    roles = _checkboxes(OrgRole.choices, _("Roles in the organisation (none: all)"))

    def __init__(self, *args, clusters, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["clusters"].queryset = clusters

    def clean_countries(self):
        codes = [c.strip().upper() for c in self.cleaned_data["countries"].split(",") if c.strip()]
        bad = [c for c in codes if not COUNTRY.match(c)]
        if bad:
            raise forms.ValidationError(
                _("Not a two-letter country code: %(codes)s"), params={"codes": ", ".join(bad)}
            )
        return codes

    def criteria(self) -> dict:
        data = self.cleaned_data
        out = {
            "kinds": list(data["kinds"]),
            "sizes": list(data["sizes"]),
            "countries": data["countries"],
            "topics": [t.slug for t in data["topics"]],
            "membership_status": list(data["membership_status"]),
            "roles": list(data["roles"]),
        }
        return {k: v for k, v in out.items() if v}

    @classmethod
    def initial_for(cls, audience) -> dict:
        if audience is None:
            return {}
        c = audience.criteria or {}
        return {
            "clusters": list(audience.clusters.all()),
            "kinds": c.get("kinds", []),
            "sizes": c.get("sizes", []),
            "countries": ", ".join(c.get("countries", [])),
            "topics": list(Topic.objects.filter(slug__in=c.get("topics", []))),
            "membership_status": c.get("membership_status", []),
            "roles": c.get("roles", []),
        }


class ScheduleForm(forms.Form):
    scheduled_at = forms.DateTimeField(
        label=_("Send at"),
        required=False,
        help_text=_("Empty: now. In the cluster's time zone."),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
    )
