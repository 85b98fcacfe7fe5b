from django.urls import path, re_path

from .views import membership

app_name = "clusters"

urlpatterns = [
    path("apply/", membership.ApplicationCreateView.as_view(), name="application_create"),
    path("application/", membership.ApplicationStatusView.as_view(), name="application_status"),
    path("applications/", membership.ApplicationListView.as_view(), name="application_list"),
    re_path(
        r"^applications/(?P<pk>\d+)/(?P<decision>approve|decline)/$",
        membership.ApplicationDecideView.as_view(),
        name="application_decide",
    ),
    path(
        "organisation/people/",
        membership.OrganisationPeopleView.as_view(),
        name="organisation_people",
    ),
    path(
        "invitations/<str:token>/",
        membership.InvitationAcceptView.as_view(),
        name="invitation_accept",
    ),
]
