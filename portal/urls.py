from django.conf import settings
from django.contrib import admin
from django.urls import include, path, re_path
from django.views.static import serve

from clusters import urls as clusters_urls

from .views import account, calendar, cluster_page, dashboard, health, insights, pages, preferences
from .views.admin_login import admin_login

handler500 = "portal.views.errors.server_error"

# The admin signs in through allauth's login, so its rate limits protect it too.
admin.site.login = admin_login


# A cluster's public page gathers services and events, so the composition layer adds it
# to the clusters namespace (clusters itself imports no other feature app).
clusters_pages = [
    *clusters_urls.urlpatterns,
    path(
        "clusters/<slug:slug>/",
        cluster_page.ClusterDetailView.as_view(),
        name="cluster_detail",
    ),
]

urlpatterns = [
    path("", pages.HomeView.as_view(), name="home"),
    path("dashboard/", dashboard.DashboardView.as_view(), name="dashboard"),
    path("healthz", health.healthz, name="healthz"),
    path("insights/", insights.ManagerDashboardView.as_view(), name="insights"),
    path("insights/network/", insights.NetworkView.as_view(), name="insights_network"),
    path(
        "insights/network/<slug:table>.csv",
        insights.NetworkCsvView.as_view(),
        name="insights_network_csv",
    ),
    path("insights/trends/", insights.TrendsView.as_view(), name="insights_trends"),
    path(
        "insights/trends/<slug:table>.csv",
        insights.TrendsCsvView.as_view(),
        name="insights_trends_csv",
    ),
    path(
        "insights/<slug:table>.csv", insights.ManagerDashboardCsvView.as_view(), name="insights_csv"
    ),
    path("help/", pages.HelpView.as_view(), name="help"),
    path("notifications/", pages.NotificationListView.as_view(), name="notification_list"),
    path("notifications/read/", pages.NotificationReadView.as_view(), name="notification_read_all"),
    path(
        "notifications/<int:pk>/read/",
        pages.NotificationReadView.as_view(),
        name="notification_read",
    ),
    path("account/privacy/", account.PrivacyView.as_view(), name="privacy"),
    path(
        "account/privacy/export.json",
        account.PersonalDataExportView.as_view(),
        name="privacy_export",
    ),
    path("account/delete/", account.AccountDeleteView.as_view(), name="account_delete"),
    path("audit/", account.AuditLogView.as_view(), name="audit_log"),
    path(
        "account/columns/<str:list_key>/",
        preferences.ColumnsSaveView.as_view(),
        name="columns_save",
    ),
    path("accounts/", include("allauth.urls")),
    path("i18n/setlang/", account.set_language, name="set_language"),
    path("admin/", admin.site.urls),
    path("", include((clusters_pages, "clusters"))),
    path("partners/", include("clusters.partners.urls")),
    path("newsletters/", include("clusters.newsletters.urls")),
    path("services/", include("services.counselling.urls")),
    path("rooms/", include("services.rooms.urls")),
    path("events/", include("events.urls")),
    path("brokerage/", include("events.brokerage.urls")),
    path("fees/", include("clusters.memberships.urls")),
    path("calendar/<str:token>.ics", calendar.calendar_feed, name="calendar_feed"),
    path("calendar/reset/", calendar.CalendarTokenResetView.as_view(), name="calendar_reset"),
]

# Public uploads (logos, room photos); confidential files never live here.
urlpatterns += [
    re_path(r"^media/(?P<path>.*)$", serve, {"document_root": settings.MEDIA_ROOT}),
]
