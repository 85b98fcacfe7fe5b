from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext_lazy as _

from portal.base.contrast import normalise_hex

from ..actions.introductions import MAX_MESSAGE
from ..branding import accent_problem
from ..enums import OrganisationKind, SizeBand, Visibility
from ..models import Cluster, Topic
from ..selectors import topic_aliases
from ..uploads import process_logo
from ..widgets import TopicPicker
from .membership import country_choices


class ClusterEditForm(forms.ModelForm):
    logo = forms.FileField(
        label=_("Logo"),
        required=False,
        help_text=_(
            "Shown in the page header of the cluster's pages and in its emails. PNG, JPEG, "
            "GIF or WebP, at most 2 MB; it is re-encoded and its metadata removed."
        ),
        widget=forms.ClearableFileInput(
            attrs={"accept": "image/png,image/jpeg,image/gif,image/webp"}
        ),
    )
    accent_colour = forms.CharField(
        label=_("Accent colour"),
        required=False,
        max_length=7,
        help_text=_(
            "As #rrggbb, e.g. #0b5d57; used for links, buttons and highlights on the "
            "cluster's pages. It must keep a contrast of 4.5:1 with white and the page "
            "background. Leave empty for the portal's colour."
        ),
        widget=forms.TextInput(attrs={"size": 8, "autocomplete": "off", "spellcheck": "false"}),
    )

    class Meta:
        model = Cluster
        fields = ["description", "focus"]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 6}),
            "focus": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["logo"].initial = self.instance.logo
        self.fields["accent_colour"].initial = self.instance.accent_colour

    def clean_logo(self):
        logo = self.cleaned_data.get("logo")
        if not isinstance(logo, UploadedFile):
            return logo  # False = clear; None or the stored file = unchanged
        return process_logo(logo, name_hint=f"{self.instance.slug}-logo")

    def clean_accent_colour(self):
        value = self.cleaned_data.get("accent_colour", "").strip()
        if not value:
            return ""
        try:
            value = normalise_hex(value)
        except ValueError:
            raise forms.ValidationError(
                _("Give the colour as # and six hexadecimal digits, e.g. #0b5d57."),
                code="invalid",
            ) from None
        problem = accent_problem(value)
        if problem:
            raise forms.ValidationError(problem, code="low_contrast")
        return value


class TopicChoiceField(forms.ModelMultipleChoiceField):
    """Topics of the curated taxonomy, labelled with their group, in a topic picker
    (a searchable multi-select over a native select; clusters/widgets.py)."""

    widget = TopicPicker

    def __init__(self, **kwargs):
        super().__init__(queryset=Topic.objects.order_by("group", "name"), required=False, **kwargs)

    def label_from_instance(self, obj):
        return f"{obj.label} ({obj.get_group_display()})"


class OrganisationProfileForm(forms.Form):
    name = forms.CharField(
        label=_("Organisation name"),
        max_length=200,
        widget=forms.TextInput(attrs={"autocomplete": "organization"}),
        help_text=_("The name other members see; the profile's address stays the same."),
    )
    description = forms.CharField(
        label=_("Description"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        max_length=4000,
    )
    kind = forms.ChoiceField(label=_("Kind of organisation"), choices=OrganisationKind.choices)
    size = forms.ChoiceField(
        label=_("Size"), choices=[("", _("Not given"))] + SizeBand.choices, required=False
    )
    country = forms.ChoiceField(label=_("Country"), choices=country_choices)
    city = forms.CharField(label=_("City"), max_length=120, required=False)
    website = forms.URLField(label=_("Website"), required=False, assume_scheme="https")
    logo = forms.FileField(
        label=_("Logo"),
        required=False,
        help_text=_(
            "PNG, JPEG, GIF or WebP, at most 2 MB. It is re-encoded and its metadata removed."
        ),
        widget=forms.ClearableFileInput(
            attrs={"accept": "image/png,image/jpeg,image/gif,image/webp"}
        ),
    )
    topics = TopicChoiceField(label=_("Expertise"))
    offers = forms.CharField(
        label=_("What we offer"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=4000,
    )
    offer_topics = TopicChoiceField(label=_("Topics we offer"))
    needs = forms.CharField(
        label=_("What we need"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=4000,
    )
    need_topics = TopicChoiceField(label=_("Topics we need"))
    visibility = forms.ChoiceField(
        label=_("Who sees this profile"), choices=Visibility.choices, widget=forms.RadioSelect
    )

    def __init__(self, *args, organisation, **kwargs):
        self.organisation = organisation
        kwargs.pop("initial", None)
        initial = {
            "name": organisation.name,
            "description": organisation.description,
            "kind": organisation.kind,
            "size": organisation.size,
            "country": organisation.country,
            "city": organisation.city,
            "website": organisation.website,
            "logo": organisation.logo,
            "topics": list(organisation.topics.all()),
            "offers": organisation.offers,
            "offer_topics": list(organisation.offer_topics.all()),
            "needs": organisation.needs,
            "need_topics": list(organisation.need_topics.all()),
            "visibility": organisation.visibility,
        }
        super().__init__(*args, initial=initial, **kwargs)
        aliases = SimpleLazyObject(topic_aliases)  # one query for the three pickers
        for name in ("topics", "offer_topics", "need_topics"):
            self.fields[name].widget.aliases = aliases

    def clean_name(self):
        return " ".join(self.cleaned_data["name"].split())

    def clean_logo(self):
        logo = self.cleaned_data.get("logo")
        if not isinstance(logo, UploadedFile):
            return logo  # False = clear; None or the stored file = unchanged
        return process_logo(logo, name_hint=self.organisation.slug)


class IntroductionForm(forms.Form):
    message = forms.CharField(
        label=_("Your message"),
        max_length=MAX_MESSAGE,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "Say who you are and why you would like to meet. Your name and email are only "
            "shared if they accept."
        ),
    )
