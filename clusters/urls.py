from django.urls import path, re_path

from .views import brand, directory, export, introductions, membership, network, profiles

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
    path("organisation/", profiles.OwnOrganisationView.as_view(), name="organisation_own"),
    path("account/name/", profiles.PersonNameView.as_view(), name="person_name"),
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
    # Network and cluster pages (public); managers edit and export.
    path("clusters/", network.ClusterListView.as_view(), name="cluster_list"),
    path("clusters/<slug:slug>/edit/", network.ClusterEditView.as_view(), name="cluster_edit"),
    path("clusters/<slug:slug>/brand.css", brand.brand_stylesheet, name="cluster_brand_css"),
    path(
        "clusters/<slug:slug>/members.csv",
        export.ClusterMembersExportView.as_view(),
        name="cluster_members_export",
    ),
    # Organisation profiles and the member directory.
    path("directory/", directory.DirectoryView.as_view(), name="directory"),
    path(
        "organisations/<slug:slug>/",
        profiles.OrganisationDetailView.as_view(),
        name="organisation_detail",
    ),
    path(
        "organisations/<slug:slug>/edit/",
        profiles.OrganisationEditView.as_view(),
        name="organisation_edit",
    ),
    path(
        "organisations/<slug:slug>/introduce/",
        introductions.IntroductionCreateView.as_view(),
        name="introduction_create",
    ),
    # Introductions.
    path(
        "introductions/",
        introductions.IntroductionListView.as_view(box="received"),
        name="introduction_list",
    ),
    path(
        "introductions/sent/",
        introductions.IntroductionListView.as_view(box="sent"),
        name="introduction_sent",
    ),
    path(
        "introductions/<int:pk>/",
        introductions.IntroductionDetailView.as_view(),
        name="introduction_detail",
    ),
    re_path(
        r"^introductions/(?P<pk>\d+)/(?P<decision>accept|decline)/$",
        introductions.IntroductionDecideView.as_view(),
        name="introduction_decide",
    ),
]
