"""Shared permission helpers: every object view goes through these.

Objects a person may not know exist answer 404, never 403.
"""

from django.contrib.auth.mixins import AccessMixin
from django.http import Http404
from django.shortcuts import get_object_or_404


def get_permitted_object_or_404(user, perm: str, queryset, **lookup):
    """Fetch an object and check a rules permission on it; 404 when either fails."""
    obj = get_object_or_404(queryset, **lookup)
    if not user.has_perm(perm, obj):
        raise Http404
    return obj


class MemberRequiredMixin(AccessMixin):
    """Signed in, and admitted (organisation in a cluster, or staff); else login/apply."""

    def dispatch(self, request, *args, **kwargs):
        user = request.user
        if not user.is_authenticated:
            return self.handle_no_permission()
        if not user.is_approved_member:
            from django.shortcuts import redirect

            return redirect("clusters:application_status")
        return super().dispatch(request, *args, **kwargs)


class SignInWhenHiddenMixin:
    """Pages that are public for some objects (a public event) and not for others: a
    signed-out person who gets 404 is sent to the login page and back instead, for
    any slug or id alike, so nothing is revealed and a link from an email works."""

    def dispatch(self, request, *args, **kwargs):
        try:
            return super().dispatch(request, *args, **kwargs)
        except Http404:
            if request.user.is_authenticated:
                raise
            from django.contrib.auth.views import redirect_to_login

            return redirect_to_login(request.get_full_path())


class ObjectPermissionMixin:
    """For DetailView-like views: `permission_required` checked on the object, 404 if not."""

    permission_required: str = ""

    def get_object(self, queryset=None):
        obj = super().get_object(queryset)
        if not self.request.user.has_perm(self.permission_required, obj):
            raise Http404
        return obj


class PermissionRequiredMixin(AccessMixin):
    """A global (not object) rule; anonymous people go to login, others get 404."""

    permission_required: str = ""

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        if not request.user.has_perm(self.permission_required, self.get_permission_object()):
            raise Http404
        return super().dispatch(request, *args, **kwargs)

    def get_permission_object(self):
        return None
