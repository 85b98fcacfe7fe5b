from allauth.account.adapter import DefaultAccountAdapter
from django.urls import reverse
from django.utils import translation

from portal.base.site import current_site


class AccountAdapter(DefaultAccountAdapter):
    def login(self, request, user):
        """Sign in, then go on in the person's saved language: the "signed in"
        message is written during this request, before UserLanguageMiddleware
        sees the person (it would be in the browser's language)."""
        super().login(request, user)
        if getattr(user, "language", ""):
            translation.activate(user.language)
            request.LANGUAGE_CODE = user.language

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

    def format_email_subject(self, subject: str) -> str:
        return f"[{current_site().name}] {subject}"

    def send_mail(self, template_prefix: str, email: str, context: dict) -> None:
        # allauth's emails name the portal from settings, not the request's host.
        super().send_mail(template_prefix, email, {**context, "current_site": current_site()})
