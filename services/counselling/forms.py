"""Forms of counselling requests: every input passes one of these."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from clusters.models import Cluster, User
from services.catalogue.models import ServiceCategory, ServiceOffering

from .enums import PreferredFormat, Urgency
from .held_uploads import FIELD as HELD_FIELD
from .models import CounsellingRequest
from .selectors import assignable_staff
from .uploads import ACCEPT, MAX_FILES, validate_attachment


class MultipleFileInput(forms.ClearableFileInput):
    """Several files; below the input, the files kept from a submission that came
    back with errors (services.counselling.held_uploads), each with a ticked box."""

    allow_multiple_selected = True
    held: list[dict] = []

    def render(self, name, value, attrs=None, renderer=None):
        html = super().render(name, value, attrs, renderer)
        if not self.held:
            return html
        items = format_html_join(
            "",
            '<li><label><input type="checkbox" name="{}" value="{}" checked> {} ({})</label></li>',
            ((HELD_FIELD, h["id"], h["original"], filesizeformat(h["size"])) for h in self.held),
        )
        return format_html(
            '{}<fieldset class="kept-files"><legend>{}</legend><ul class="plain">{}</ul>'
            '<p class="help">{}</p></fieldset>',
            html,
            _("Files kept from your last try"),
            items,
            _("They are attached when you send the form; untick one to leave it out."),
        )


class AttachmentsField(forms.FileField):
    """Up to five files, each checked by content (services.counselling.uploads)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ACCEPT, "multiple": True}))
        kwargs.setdefault("required", False)
        kwargs.setdefault("label", _("Attachments"))
        kwargs.setdefault(
            "help_text",
            _("Up to 5 files: PDF, DOCX, XLSX, PPTX, PNG or JPEG, at most 10 MB each."),
        )
        super().__init__(**kwargs)

    def clean(self, data, initial=None):
        files = [f for f in (data if isinstance(data, list | tuple) else [data]) if f]
        if len(files) > MAX_FILES:
            raise ValidationError(_("Attach at most %(n)d files."), params={"n": MAX_FILES})
        errors = []
        for f in files:
            try:
                validate_attachment(f)
            except ValidationError as exc:
                errors.extend(exc.messages)
        if errors:
            raise ValidationError(errors)
        return files


class HeldAttachmentsMixin:
    """Adds the kept files (services.counselling.held_uploads) to the new ones, five at most."""

    def __init__(self, *args, held=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.held = held
        if held is not None:
            self.fields["attachments"].widget.held = held.entries()

    def clean(self):
        data = super().clean()
        if self.held is not None and self.is_bound and "attachments" in data:
            kept = self.held.files(self.data.getlist(HELD_FIELD))
            if len(kept) + len(data["attachments"]) > MAX_FILES:
                self.add_error(
                    "attachments",
                    _("Attach at most %(n)d files (with the kept ones).") % {"n": MAX_FILES},
                )
            else:
                data["attachments"] = kept + data["attachments"]
        return data


class RequestForm(HeldAttachmentsMixin, forms.Form):
    cluster = forms.ModelChoiceField(label=_("Cluster"), queryset=Cluster.objects.none())
    offering = forms.ModelChoiceField(
        label=_("Service"),
        queryset=ServiceOffering.objects.none(),
        required=False,
        help_text=_("Pick a service of the catalogue, or just a category below."),
    )
    category = forms.ModelChoiceField(
        label=_("Category"), queryset=ServiceCategory.objects.all(), required=False
    )
    subject = forms.CharField(label=_("Subject"), max_length=200)
    details = forms.CharField(
        label=_("What do you need?"), widget=forms.Textarea(attrs={"rows": 6}), max_length=10000
    )
    urgency = forms.ChoiceField(label=_("Urgency"), choices=Urgency.choices, initial="normal")
    preferred_format = forms.ChoiceField(
        label=_("Preferred format"), choices=PreferredFormat.choices, initial="online"
    )
    attachments = AttachmentsField()

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        cluster_ids = user.active_cluster_ids
        self.fields["cluster"].queryset = Cluster.objects.filter(pk__in=cluster_ids)
        self.fields["offering"].queryset = ServiceOffering.objects.filter(
            cluster_id__in=cluster_ids, is_active=True
        ).select_related("cluster")
        self.fields["offering"].label_from_instance = lambda o: f"{o.title} ({o.cluster.name})"
        if len(cluster_ids) == 1:
            self.fields["cluster"].initial = next(iter(cluster_ids))

    def clean(self):
        data = super().clean()
        offering, cluster = data.get("offering"), data.get("cluster")
        if offering and cluster and offering.cluster_id != cluster.pk:
            self.add_error("offering", _("This service is offered by another cluster."))
        if not offering and not data.get("category"):
            self.add_error("category", _("Choose a service or a category."))
        return data


class MessageForm(HeldAttachmentsMixin, forms.Form):
    body = forms.CharField(
        label=_("Message"), widget=forms.Textarea(attrs={"rows": 4}), max_length=10000
    )
    internal = forms.BooleanField(label=_("Internal note (cluster staff only)"), required=False)
    wait_for_member = forms.BooleanField(
        label=_("This is a question: wait for the member's answer"), required=False
    )
    attachments = AttachmentsField()

    def __init__(self, *args, staff: bool = False, can_ask: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if not staff:
            del self.fields["internal"]
        if not can_ask:
            del self.fields["wait_for_member"]


class MoveForm(forms.Form):
    note = forms.CharField(
        label=_("Note (the member sees it)"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        max_length=5000,
    )
    expected_status = forms.CharField(widget=forms.HiddenInput, required=False)
    assignee = forms.ModelChoiceField(
        label=_("Advisor"), queryset=User.objects.none(), required=False
    )

    def __init__(
        self, *args, counselling_request: CounsellingRequest | None = None, user=None, **kwargs
    ):
        super().__init__(*args, **kwargs)
        if counselling_request is not None:
            self.fields["assignee"].queryset = assignable_staff(
                counselling_request.cluster_id, user
            )


class RateForm(forms.Form):
    satisfaction = forms.TypedChoiceField(
        label=_("How helpful was it?"),
        choices=[(i, str(i)) for i in range(1, 6)],
        coerce=int,
        widget=forms.RadioSelect,
        help_text=_("1 = not at all, 5 = very helpful"),
    )
    comment = forms.CharField(
        label=_("Comment (optional)"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=2000,
    )
