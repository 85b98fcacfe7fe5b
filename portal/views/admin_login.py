from django.contrib.auth.views import redirect_to_login
from django.http import Http404
from django.urls import reverse


def admin_login(request, extra_context=None):
    """Replaces the admin's own (unthrottled) login form with allauth's."""
    if request.user.is_authenticated:
        raise Http404  # signed in without admin rights
    next_url = request.GET.get("next") or reverse("admin:index")
    return redirect_to_login(next_url, login_url=reverse("account_login"))
