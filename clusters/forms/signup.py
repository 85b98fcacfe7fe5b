"""Fields allauth's sign-up form adds to its own (ACCOUNT_SIGNUP_FORM_CLASS)."""

from django import forms
from django.utils.translation import gettext_lazy as _


class SignupNamesForm(forms.Form):
    """First and last name, asked first; allauth's adapter stores them on the user."""

    field_order = ["first_name", "last_name", "email", "password1", "password2"]

    first_name = forms.CharField(
        label=_("First name"),
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "given-name"}),
    )
    last_name = forms.CharField(
        label=_("Last name"),
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "family-name"}),
    )

    def signup(self, request, user) -> None:
        """allauth calls this after saving; DefaultAccountAdapter.save_user set the names."""
