from allauth.account.adapter import DefaultAccountAdapter
from django.urls import reverse


class AccountAdapter(DefaultAccountAdapter):
    def get_login_redirect_url(self, request):
        user = request.user
        if user.is_authenticated and not user.is_approved_member:
            return reverse("clusters:application_status")
        return super().get_login_redirect_url(request)

    def save_user(self, request, user, form, commit=True):
        user = super().save_user(request, user, form, commit=False)
        lang = getattr(request, "LANGUAGE_CODE", "") or "en"
        user.language = lang[:2] if lang[:2] in {"en", "de", "fr", "it", "es"} else "en"
        if commit:
            user.save()
        return user
