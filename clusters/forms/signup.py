"""A person's first and last name: asked at sign-up (allauth's ACCOUNT_SIGNUP_FORM_CLASS
adds these fields to its own form) and editable later."""

from django import forms
from django.utils.translation import gettext_lazy as _


class PersonNameForm(forms.Form):
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


class SignupNamesForm(PersonNameForm):
    """First and last name, asked first; allauth's adapter stores them on the user."""

    field_order = ["first_name", "last_name", "email", "password1", "password2"]

    def signup(self, request, user) -> None:
        """allauth calls this after saving; DefaultAccountAdapter.save_user set the names."""
