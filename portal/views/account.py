import django_filters
from django import forms
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.paginator import Paginator
from django.http import FileResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import FormView, TemplateView
from django.views.i18n import set_language as django_set_language

from portal.base.filtering import filter_results
from portal.base.models import AuditAction, AuditEntry
from portal.base.permissions import PermissionRequiredMixin
from portal.base.views import REFUSED, run_action
from portal.base.zones import own_zone, zone_choices

from ..privacy import account_delete, personal_data_archive


def set_language(request):
    """Django's set_language, plus: remember the choice on the account."""
    response = django_set_language(request)
    language = request.POST.get("language", "")
    user = request.user
    if user.is_authenticated and language in dict(user._meta.get_field("language").choices):
        user.language = language
        user.save(update_fields=["language"])
    return response


class TimeZoneForm(forms.Form):
    time_zone = forms.ChoiceField(
        label=gettext_lazy("Time zone"),
        required=False,
        help_text=gettext_lazy(
            "Times are shown in this zone. Room booking forms keep the room's local time."
        ),
        error_messages={
            "invalid_choice": gettext_lazy(
                "“%(value)s” is not a time zone we know. Choose one from the list."
            )
        },
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["time_zone"].choices = zone_choices()


class PrivacyView(LoginRequiredMixin, FormView):
    """The account page: time zone, personal data, calendar feed, deletion."""

    template_name = "portal/privacy.html"
    form_class = TimeZoneForm

    def get_initial(self):
        return {"time_zone": own_zone(self.request.user)}

    def form_valid(self, form):
        user = self.request.user
        user.time_zone = form.cleaned_data["time_zone"]
        user.save(update_fields=["time_zone"])
        messages.success(self.request, _("Your time zone was saved."))
        return redirect("privacy")


class PersonalDataExportView(LoginRequiredMixin, View):
    """A zip: the JSON of everything the portal holds on the person, and their files."""

    def get(self, request):
        stamp = timezone.now().strftime("%Y%m%d")
        response = FileResponse(
            personal_data_archive(user=request.user),
            as_attachment=True,
            filename=f"my-portal-data-{stamp}.zip",
            content_type="application/zip",
        )
        response["Cache-Control"] = "private, no-store"
        return response


class AccountDeleteForm(forms.Form):
    password = forms.CharField(
        label=gettext_lazy("Your password, to confirm"), widget=forms.PasswordInput
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_password(self):
        if not self.user.check_password(self.cleaned_data["password"]):
            raise forms.ValidationError(gettext_lazy("This is not your current password."))
        return self.cleaned_data["password"]


class AccountDeleteView(LoginRequiredMixin, FormView):
    template_name = "portal/account_delete.html"
    form_class = AccountDeleteForm

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user}

    def form_valid(self, form):
        if run_action(account_delete, errors_to=form, user=self.request.user) is REFUSED:
            return self.form_invalid(form)
        logout(self.request)
        messages.success(
            self.request, _("Your account was deleted and your personal data removed.")
        )
        return redirect("home")


class AuditFilter(django_filters.FilterSet):
    actor = django_filters.CharFilter(
        field_name="actor_label", lookup_expr="icontains", label=gettext_lazy("Staff email")
    )
    object_type = django_filters.CharFilter(
        lookup_expr="icontains", label=gettext_lazy("Object type")
    )
    action = django_filters.ChoiceFilter(choices=AuditAction.choices, label=gettext_lazy("Action"))

    class Meta:
        model = AuditEntry
        fields = ["actor", "object_type", "action"]


class AuditLogView(PermissionRequiredMixin, TemplateView):
    template_name = "portal/audit_log.html"
    permission_required = "portal.view_audit_log"

    def get_context_data(self, **kwargs):
        f = AuditFilter(self.request.GET, queryset=AuditEntry.objects.all())
        page = Paginator(filter_results(f), 50).get_page(self.request.GET.get("page"))
        query = self.request.GET.copy()
        query.pop("page", None)
        return {
            **super().get_context_data(**kwargs),
            "filter": f,
            "page_obj": page,
            "querystring": query.urlencode(),
        }
