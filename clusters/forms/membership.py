import unicodedata

from django import forms
from django.utils.translation import gettext_lazy as _

from ..enums import OrganisationKind, OrgRole
from ..models import Cluster
from .signup import PersonNameForm

COUNTRY_CHOICES = [
    ("AT", _("Austria")),
    ("BE", _("Belgium")),
    ("CH", _("Switzerland")),
    ("CZ", _("Czechia")),
    ("DE", _("Germany")),
    ("DK", _("Denmark")),
    ("EE", _("Estonia")),
    ("ES", _("Spain")),
    ("FI", _("Finland")),
    ("FR", _("France")),
    ("GB", _("United Kingdom")),
    ("GR", _("Greece")),
    ("HU", _("Hungary")),
    ("IE", _("Ireland")),
    ("IT", _("Italy")),
    ("LT", _("Lithuania")),
    ("LU", _("Luxembourg")),
    ("LV", _("Latvia")),
    ("NL", _("Netherlands")),
    ("NO", _("Norway")),
    ("PL", _("Poland")),
    ("PT", _("Portugal")),
    ("RO", _("Romania")),
    ("SE", _("Sweden")),
    ("SI", _("Slovenia")),
    ("SK", _("Slovakia")),
]
COUNTRY_NAMES = dict(COUNTRY_CHOICES)


def collation_key(text: str) -> tuple[str, str]:
    """Sort key close to the reader's alphabet without a locale: accents and case
    count only to break ties (Österreich between Norwegen and Polen, Écosse by E)."""
    folded = unicodedata.normalize("NFKD", str(text)).casefold()
    base = "".join(c for c in folded if not unicodedata.combining(c))
    return base, folded


def country_choices() -> list[tuple[str, str]]:
    """The countries sorted by their name in the active language (called per form)."""
    return sorted(
        ((code, str(name)) for code, name in COUNTRY_CHOICES), key=lambda c: collation_key(c[1])
    )


def country_choices_with_prompt() -> list[tuple[str, str]]:
    """An empty first choice, so that no country is chosen for the person."""
    return [("", _("Choose a country")), *country_choices()]


class ApplicationForm(forms.Form):
    # autocomplete: WCAG 1.3.5, the browser may fill in the applicant's own details.
    name = forms.CharField(
        label=_("Organisation name"),
        max_length=200,
        widget=forms.TextInput(attrs={"autocomplete": "organization"}),
    )
    # Nothing is chosen for the applicant: each list starts with an empty prompt.
    kind = forms.ChoiceField(
        label=_("Kind of organisation"),
        choices=[("", _("Choose a kind")), *OrganisationKind.choices],
    )
    country = forms.ChoiceField(
        label=_("Country"),
        choices=country_choices_with_prompt,
        widget=forms.Select(attrs={"autocomplete": "country"}),
    )
    website = forms.URLField(
        label=_("Website"),
        required=False,
        assume_scheme="https",
        widget=forms.URLInput(attrs={"autocomplete": "url"}),
    )
    cluster = forms.ModelChoiceField(
        label=_("Cluster you want to join"),
        queryset=Cluster.objects.all(),
        empty_label=_("Choose a cluster"),
    )
    message = forms.CharField(
        label=_("Message to the cluster managers"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )


class DeclineForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000
    )


class InvitationForm(forms.Form):
    email = forms.EmailField(label=_("Colleague's email address"))
    role = forms.ChoiceField(label=_("Role"), choices=OrgRole.choices, initial=OrgRole.MEMBER)


class InvitationSignupForm(PersonNameForm):
    password1 = forms.CharField(
        label=_("Password"),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        strip=False,
    )
    password2 = forms.CharField(
        label=_("Password (again)"),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        strip=False,
    )

    def __init__(self, *args, email: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.email = email

    def clean_password1(self):
        from django.contrib.auth.password_validation import validate_password

        from ..models import User

        password = self.cleaned_data["password1"]
        validate_password(password, User(email=self.email))
        return password

    def clean(self):
        data = super().clean()
        if data.get("password1") and data.get("password1") != data.get("password2"):
            self.add_error("password2", _("The two passwords differ."))
        return data
