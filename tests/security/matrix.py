"""The permission matrix: the expected answer of every portal URL for every role.

Each URL name is declared ONCE in MATRIX, with the answer for each role and a
kwargs builder pointing at objects of organisation A / the cluster (see world.py).
tests/security/test_permission_matrix.py walks the URL resolver and fails on any
URL name that is neither declared here nor excluded (EXCLUDED_PREFIXES / EXCLUDED).

Answers:
    200, 403, 404, 405    the status code (405: POST-only view answering GET)
    LOGIN                 302 to the login page with ?next=<the URL>
    to("name", ...)       302 to that URL by design (e.g. home -> dashboard)
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from django.urls import URLPattern, URLResolver, get_resolver, reverse

from .world import ROLES

LOGIN = "login"


@dataclass(frozen=True)
class Redirect:
    """302 to a named URL; `kwargs` is a builder taking the world (or None)."""

    name: str
    kwargs: Callable | None = None

    def url(self, world) -> str:
        return reverse(self.name, kwargs=self.kwargs(world) if self.kwargs else None)

    def __repr__(self) -> str:
        return f"302->{self.name}"


def to(name: str, kwargs: Callable | None = None) -> Redirect:
    return Redirect(name, kwargs)


@dataclass(frozen=True)
class View:
    answers: dict
    kwargs: Callable = field(default=lambda w: {})
    capability: str = ""  # why whoever holds the URL may read A's data (a secret token)


def view(anon, a, b, advisor, other, manager, admin, *, kwargs=None, capability: str = "") -> View:
    """One row of the matrix, in the order of ROLES: anonymous, member of A, member of B
    (same cluster), advisor of the cluster, manager of another cluster, manager of the
    cluster, network admin."""
    answers = dict(zip(ROLES, (anon, a, b, advisor, other, manager, admin), strict=True))
    return View(answers=answers, kwargs=kwargs or (lambda w: {}), capability=capability)


# Redirects by design
DASH = to("dashboard")  # home: signed-in people go to their dashboard
APPLY = to("clusters:application_status")  # apply: an admitted organisation sees its status
ASSIGN = to("services:assigned")  # request list: staff have no organisation, see their work
# fees home: a manager of one cluster goes straight to its invoices
FEES = to("memberships:invoice_list", lambda w: {"slug": w.cluster.slug})
FEES_OTHER = to("memberships:invoice_list", lambda w: {"slug": w.other_cluster.slug})


# Capability URLs: the unguessable token in the URL is the permission
INVITE = "the invitation link (mailed to the invitee) shows whom A invited"
FEED = "the personal .ics feed URL is the secret; calendar_reset issues a new one"
UNSUBSCRIBE = "the signed unsubscribe link (mailed to A) can only turn A's mail off"


# --- kwargs builders: every object belongs to organisation A or to the cluster ---------


def pk(key: str, **extra):
    return lambda w: {"pk": w.obj[key].pk, **extra}


def slug_pk(slug_key: str, pk_key: str):
    return lambda w: {"slug": w.obj[slug_key].slug, "pk": w.obj[pk_key].pk}


def cluster_slug(w):
    return {"slug": w.cluster.slug}


def org_a_slug(w):
    return {"slug": w.org_a.slug}


def event_slug(w):
    return {"slug": w.obj["event"].slug}


def brokerage_slug(w):
    return {"slug": w.obj["brokerage_event"].slug}


def cluster_pk(key: str, note_key: str = ""):
    def build(w):
        found = {"slug": w.cluster.slug, "pk": w.obj[key].pk}
        return {**found, "note": w.obj[note_key].pk} if note_key else found

    return build


OWN_A = to("clusters:organisation_detail", org_a_slug)  # "Our profile": one's own organisation
OWN_B = to("clusters:organisation_detail", lambda w: {"slug": w.org_b.slug})


def invitation_token(w):
    return {"token": w.obj["invitation"].token}


def a_calendar_token(w):
    return {"token": w.users["member_a"].calendar_token}


def a_unsubscribe_token(w):
    from clusters.newsletters.tokens import make_token

    return {"token": make_token(w.users["member_a"].pk, w.cluster.pk, "news")}


# --- exclusions ------------------------------------------------------------------------

EXCLUDED_PREFIXES = {
    "admin/": "Django admin: test_admin_* checks anonymous -> login and a member is kept out",
    "accounts/": "allauth (third party): covered by tests/portal/test_accounts.py and "
    "test_security.py",
    "^media/": "public media files served by django.views.static.serve (no permission)",
}

EXCLUDED = {
    "set_language": "i18n setlang: POST-only language switch, no data; CSRF-protected",
}


# --- walking the resolver -------------------------------------------------------------


@dataclass(frozen=True)
class Route:
    name: str | None  # "namespace:name", None for an unnamed pattern
    route: str  # the pattern text, for messages


def walk(resolver=None, prefix: str = "", namespace: str | None = None) -> list[Route]:
    """Every URL pattern of the project, recursively, with namespaced names."""
    resolver = resolver or get_resolver()
    routes = []
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            ns = namespace
            if pattern.namespace:
                ns = f"{namespace}:{pattern.namespace}" if namespace else pattern.namespace
            routes += walk(pattern, prefix + str(pattern.pattern), ns)
        elif isinstance(pattern, URLPattern):
            name = pattern.name
            if name and namespace:
                name = f"{namespace}:{name}"
            routes.append(Route(name, prefix + str(pattern.pattern)))
    return routes


def exclusion_reason(route: Route) -> str | None:
    for prefix, reason in EXCLUDED_PREFIXES.items():
        if route.route.startswith(prefix):
            return reason
    return EXCLUDED.get(route.name)


def portal_routes() -> list[Route]:
    """The routes the matrix must cover (walk minus exclusions), one per name."""
    seen, out = set(), []
    for route in walk():
        if exclusion_reason(route) is not None:
            continue
        key = route.name or route.route
        if key not in seen:
            seen.add(key)
            out.append(route)
    return out


# --- the declarations -----------------------------------------------------------------

# fmt: off
MATRIX: dict[str, View] = {
    # --- portal ------------------------------------------------------------------------------
    #                                      anon    A       B       advisor other   manager admin
    "home":                           view(200,    DASH,   DASH,   DASH,   DASH,   DASH,   DASH),
    "dashboard":                      view(LOGIN,  200,    200,    200,    200,    200,    200),
    "healthz":                        view(200,    200,    200,    200,    200,    200,    200),
    "help":                           view(200,    200,    200,    200,    200,    200,    200),
    "insights":                       view(LOGIN,  404,    404,    404,    200,    200,    200),
    "insights_network":               view(LOGIN,  404,    404,    404,    404,    404,    200),
    "insights_network_csv":           view(LOGIN,  404,    404,    404,    404,    404,    200,
                                          kwargs=lambda w: {"table": "clusters"}),
    "insights_trends":                view(LOGIN,  404,    404,    404,    404,    404,    200),
    "insights_trends_csv":            view(LOGIN,  404,    404,    404,    404,    404,    200,
                                          kwargs=lambda w: {"table": "soft_hard_over_time"}),
    "insights_csv":                   view(LOGIN,  404,    404,    404,    200,    200,    200,
                                          kwargs=lambda w: {"table": "soft_hard"}),
    "notification_list":              view(LOGIN,  200,    200,    200,    200,    200,    200),
    "notification_read_all":          view(LOGIN,  405,    405,    405,    405,    405,    405),
    "notification_read":              view(LOGIN,  405,    405,    405,    405,    405,    405,
                                          kwargs=pk("notification")),
    "privacy":                        view(LOGIN,  200,    200,    200,    200,    200,    200),
    "privacy_export":                 view(LOGIN,  200,    200,    200,    200,    200,    200),
    "account_delete":                 view(LOGIN,  200,    200,    200,    200,    200,    200),
    "audit_log":                      view(LOGIN,  404,    404,    404,    404,    404,    200),
    "columns_save":                   view(LOGIN,  405,    405,    405,    405,    405,    405,
                                          kwargs=lambda w: {"list_key": "counselling.queue"}),

    # --- clusters ----------------------------------------------------------------------------
    #                                      anon    A       B       advisor other   manager admin
    "clusters:application_create":    view(LOGIN,  APPLY,  APPLY,  200,    200,    200,    200),
    "clusters:application_status":    view(LOGIN,  200,    200,    200,    200,    200,    200),
    "clusters:application_list":      view(LOGIN,  404,    404,    404,    200,    200,    200),
    "clusters:application_decide":    view(LOGIN,  404,    404,    404,    405,    405,    405,
                                          kwargs=pk("application", decision="approve")),
    "clusters:organisation_people":   view(LOGIN,  200,    200,    404,    404,    404,    404),
    "clusters:organisation_own":      view(LOGIN,  OWN_A,  OWN_B,  404,    404,    404,    404),
    "clusters:person_name":           view(LOGIN,  200,    200,    200,    200,    200,    200),
    "clusters:invitation_accept":     view(200,    200,    200,    200,    200,    200,    200,
                                          kwargs=invitation_token, capability=INVITE),
    "clusters:cluster_list":          view(200,    200,    200,    200,    200,    200,    200),
    "clusters:cluster_detail":        view(200,    200,    200,    200,    200,    200,    200,
                                          kwargs=cluster_slug),
    # The accent colour of a public cluster page: public like the page itself.
    "clusters:cluster_brand_css":     view(200,    200,    200,    200,    200,    200,    200,
                                          kwargs=cluster_slug),
    "clusters:cluster_edit":          view(LOGIN,  404,    404,    404,    404,    200,    200,
                                          kwargs=cluster_slug),
    "clusters:cluster_members_export": view(LOGIN,  404,    404,    404,    404,    200,    200,
                                          kwargs=cluster_slug),
    "clusters:directory":             view(LOGIN,  200,    200,    200,    200,    200,    200),
    "clusters:organisation_detail":   view(LOGIN,  200,    200,    200,    404,    200,    200,
                                          kwargs=org_a_slug),
    "clusters:organisation_edit":     view(LOGIN,  200,    404,    404,    404,    404,    404,
                                          kwargs=org_a_slug),
    "clusters:introduction_create":   view(LOGIN,  404,    200,    404,    404,    404,    404,
                                          kwargs=org_a_slug),
    "clusters:introduction_list":     view(LOGIN,  200,    200,    200,    200,    200,    200),
    "clusters:introduction_sent":     view(LOGIN,  200,    200,    200,    200,    200,    200),
    "clusters:introduction_detail":   view(LOGIN,  200,    404,    404,    404,    404,    404,
                                          kwargs=pk("introduction")),
    "clusters:introduction_decide":   view(LOGIN,  405,    405,    405,    405,    405,    405,
                                          kwargs=pk("introduction", decision="accept")),

    # --- partners ----------------------------------------------------------------------------
    #                                      anon    A       B       advisor other   manager admin
    "partners:suggestion_dismiss":    view(LOGIN,  405,    405,    405,    405,    405,    405,
                                          kwargs=pk("suggestion")),
    "partners:cluster_report":        view(LOGIN,  404,    404,    404,    404,    200,    200,
                                          kwargs=cluster_slug),

    # --- newsletters -------------------------------------------------------------------------
    #                                      anon    A       B       advisor other   manager admin
    "newsletters:unsubscribe":        view(200,    200,    200,    200,    200,    200,    200,
                                          kwargs=a_unsubscribe_token, capability=UNSUBSCRIBE),
    "newsletters:preferences":        view(LOGIN,  200,    200,    200,    200,    200,    200),
    "newsletters:mailing_list":       view(LOGIN,  404,    404,    404,    404,    200,    200,
                                          kwargs=cluster_slug),
    "newsletters:mailing_create":     view(LOGIN,  404,    404,    404,    404,    200,    200,
                                          kwargs=cluster_slug),
    "newsletters:audience_count":     view(LOGIN,  404,    404,    404,    404,    200,    200,
                                          kwargs=cluster_slug),
    "newsletters:mailing_detail":     view(LOGIN,  404,    404,    404,    404,    200,    200,
                                          kwargs=pk("mailing")),
    "newsletters:mailing_edit":       view(LOGIN,  404,    404,    404,    404,    200,    200,
                                          kwargs=pk("mailing")),
    "newsletters:mailing_test":       view(LOGIN,  405,    405,    405,    405,    405,    405,
                                          kwargs=pk("mailing")),
    "newsletters:mailing_schedule":   view(LOGIN,  405,    405,    405,    405,    405,    405,
                                          kwargs=pk("mailing")),

    # --- services ----------------------------------------------------------------------------
    #                                      anon    A       B       advisor other   manager admin
    "services:catalogue":             view(200,    200,    200,    200,    200,    200,    200),
    "services:cluster_catalogue":     view(200,    200,    200,    200,    200,    200,    200,
                                          kwargs=cluster_slug),
    "services:offering_create":       view(LOGIN,  404,    404,    404,    404,    200,    200,
                                          kwargs=cluster_slug),
    "services:offering_edit":         view(LOGIN,  404,    404,    404,    404,    200,    200,
                                          kwargs=pk("offering")),
    "services:request_list":          view(LOGIN,  200,    200,    ASSIGN, ASSIGN, ASSIGN, ASSIGN),
    "services:request_create":        view(LOGIN,  200,    200,    404,    404,    404,    404),
    "services:assigned":              view(LOGIN,  404,    404,    200,    200,    200,    200),
    "services:request_detail":        view(LOGIN,  200,    404,    200,    404,    200,    200,
                                          kwargs=pk("request")),
    "services:request_move":          view(405,    405,    405,    405,    405,    405,    405,
                                          kwargs=pk("request", move="withdraw")),
    "services:request_message":       view(405,    405,    405,    405,    405,    405,    405,
                                          kwargs=pk("request")),
    "services:request_rate":          view(405,    405,    405,    405,    405,    405,    405,
                                          kwargs=pk("request")),
    "services:attachment":            view(LOGIN,  200,    404,    200,    404,    200,    200,
                                          kwargs=pk("attachment")),
    "services:queue":                 view(LOGIN,  404,    404,    404,    200,    200,    200),
    "services:queue_export":          view(LOGIN,  404,    404,    404,    200,    200,    200),

    # --- rooms -------------------------------------------------------------------------------
    #                                      anon    A       B       advisor other   manager admin
    "rooms:finder":                   view(LOGIN,  200,    200,    200,    200,    200,    200),
    "rooms:room_detail":              view(LOGIN,  200,    200,    404,    404,    200,    200,
                                          kwargs=pk("room")),
    "rooms:booking_create":           view(LOGIN,  200,    200,    404,    404,    200,    200,
                                          kwargs=pk("room")),
    "rooms:booking_list":             view(LOGIN,  200,    200,    200,    200,    200,    200),
    "rooms:booking_detail":           view(LOGIN,  200,    404,    404,    404,    200,    200,
                                          kwargs=pk("booking")),
    "rooms:booking_cancel":           view(LOGIN,  405,    405,    405,    405,    405,    405,
                                          kwargs=pk("booking")),
    "rooms:booking_ics":              view(LOGIN,  200,    404,    404,    404,    200,    200,
                                          kwargs=pk("booking")),
    "rooms:booking_approve":          view(LOGIN,  405,    405,    405,    405,    405,    405,
                                          kwargs=pk("booking")),
    "rooms:booking_reject":           view(LOGIN,  405,    405,    405,    405,    405,    405,
                                          kwargs=pk("booking")),
    "rooms:series_cancel":            view(LOGIN,  405,    405,    405,    405,    405,    405,
                                          kwargs=pk("series")),
    "rooms:room_manage_list":         view(LOGIN,  404,    404,    404,    200,    200,    200),
    "rooms:room_create":              view(LOGIN,  404,    404,    404,    200,    200,    200),
    "rooms:room_update":              view(LOGIN,  404,    404,    404,    404,    200,    200,
                                          kwargs=pk("room")),
    "rooms:room_delete":              view(LOGIN,  404,    404,    404,    405,    405,    405,
                                          kwargs=pk("room")),
    "rooms:closed_add":               view(LOGIN,  404,    404,    404,    405,    405,    405,
                                          kwargs=pk("room")),
    "rooms:closed_delete":            view(LOGIN,  404,    404,    404,    405,    405,    405,
                                          kwargs=pk("closed")),
    "rooms:booking_manage_list":      view(LOGIN,  404,    404,    404,    200,    200,    200),
    "rooms:approval_queue":           view(LOGIN,  404,    404,    404,    200,    200,    200),
    "rooms:utilisation":              view(LOGIN,  404,    404,    404,    200,    200,    200),

    # --- events ------------------------------------------------------------------------------
    #                                      anon    A       B       advisor other   manager admin
    "events:event_list":              view(200,    200,    200,    200,    200,    200,    200),
    "events:event_create":            view(LOGIN,  404,    404,    404,    200,    200,    200),
    "events:event_manage":            view(LOGIN,  404,    404,    404,    200,    200,    200),
    "events:registration_list":       view(LOGIN,  200,    200,    200,    200,    200,    200),
    "events:registration_cancel":     view(LOGIN,  405,    405,    405,    405,    405,    405,
                                          kwargs=pk("registration")),
    "events:event_detail":            view(LOGIN,  200,    200,    200,    404,    200,    200,
                                          kwargs=event_slug),
    "events:event_ics":               view(LOGIN,  200,    200,    200,    404,    200,    200,
                                          kwargs=event_slug),
    "events:event_update":            view(LOGIN,  404,    404,    404,    404,    200,    200,
                                          kwargs=event_slug),
    "events:event_publish":           view(LOGIN,  405,    405,    405,    405,    405,    405,
                                          kwargs=event_slug),
    "events:event_cancel":            view(LOGIN,  404,    404,    404,    404,    200,    200,
                                          kwargs=event_slug),
    "events:registration_create":     view(LOGIN,  405,    405,    405,    405,    405,    405,
                                          kwargs=event_slug),
    "events:attendee_list":           view(LOGIN,  404,    404,    404,    404,    200,    200,
                                          kwargs=event_slug),
    "events:attendee_csv":            view(LOGIN,  404,    404,    404,    404,    200,    200,
                                          kwargs=event_slug),
    "events:checkin":                 view(LOGIN,  404,    404,    404,    404,    200,    200,
                                          kwargs=event_slug),
    "events:checkin_toggle":          view(LOGIN,  405,    405,    405,    405,    405,    405,
                                          kwargs=slug_pk("event", "registration")),

    # --- brokerage ---------------------------------------------------------------------------
    #                                      anon    A       B       advisor other   manager admin
    "brokerage:my_meetings":          view(LOGIN,  200,    200,    200,    200,    200,    200),
    "brokerage:request_decide":       view(LOGIN,  405,    405,    405,    405,    405,    405,
                                          kwargs=pk("meeting_request", decision="cancel")),
    "brokerage:feedback":             view(LOGIN,  200,    404,    404,    404,    404,    404,
                                          kwargs=pk("meeting")),
    "brokerage:meeting_cancel":       view(LOGIN,  405,    405,    405,    405,    405,    405,
                                          kwargs=pk("meeting")),
    "brokerage:meeting_lock":         view(LOGIN,  405,    405,    405,    405,    405,    405,
                                          kwargs=pk("meeting")),
    "brokerage:home":                 view(LOGIN,  200,    404,    404,    404,    200,    200,
                                          kwargs=brokerage_slug),
    "brokerage:profile":              view(LOGIN,  200,    404,    404,    404,    404,    404,
                                          kwargs=brokerage_slug),
    "brokerage:participant_list":     view(LOGIN,  200,    404,    200,    404,    200,    200,
                                          kwargs=brokerage_slug),
    "brokerage:participant_detail":   view(LOGIN,  200,    404,    200,    404,    200,    200,
                                          kwargs=slug_pk("brokerage_event", "participant_a")),
    "brokerage:request_create":       view(LOGIN,  405,    404,    404,    404,    404,    404,
                                          kwargs=slug_pk("brokerage_event", "participant_a")),
    "brokerage:participant_agenda":   view(LOGIN,  404,    404,    404,    404,    200,    200,
                                          kwargs=slug_pk("brokerage_event", "participant_a")),
    "brokerage:request_list":         view(LOGIN,  200,    404,    404,    404,    404,    404,
                                          kwargs=brokerage_slug),
    "brokerage:agenda":               view(LOGIN,  200,    404,    404,    404,    404,    404,
                                          kwargs=brokerage_slug),
    "brokerage:agenda_ics":           view(LOGIN,  200,    404,    404,    404,    404,    404,
                                          kwargs=brokerage_slug),
    "brokerage:settings":             view(LOGIN,  404,    404,    404,    404,    200,    200,
                                          kwargs=brokerage_slug),
    "brokerage:schedule":             view(LOGIN,  404,    404,    404,    404,    200,    200,
                                          kwargs=brokerage_slug),
    "brokerage:schedule_run":         view(LOGIN,  404,    404,    404,    404,    405,    405,
                                          kwargs=brokerage_slug),
    "brokerage:run_progress":         view(LOGIN,  404,    404,    404,    404,    200,    200,
                                          kwargs=slug_pk("brokerage_event", "run")),
    "brokerage:grid":                 view(LOGIN,  404,    404,    404,    404,    200,    200,
                                          kwargs=brokerage_slug),
    "brokerage:schedule_csv":         view(LOGIN,  404,    404,    404,    404,    200,    200,
                                          kwargs=brokerage_slug),
    "brokerage:publish":              view(LOGIN,  404,    404,    404,    404,    405,    405,
                                          kwargs=brokerage_slug),

    # --- memberships (fees and invoices) -------------------------------------------------------
    #                                      anon    A       B       advisor other   manager admin
    "memberships:home":               view(LOGIN,  404,    404,    404,    FEES_OTHER, FEES, 200),
    "memberships:own_membership":     view(LOGIN,  200,    200,    404,    404,    404,    404),
    "memberships:own_billing":        view(LOGIN,  200,    200,    404,    404,    404,    404),
    "memberships:own_invoice_detail": view(LOGIN,  200,    404,    404,    404,    404,    404,
                                          kwargs=pk("invoice")),
    "memberships:own_invoice_pdf":    view(LOGIN,  200,    404,    404,    404,    404,    404,
                                          kwargs=pk("invoice")),
    "memberships:own_credit_note_pdf": view(LOGIN, 200,    404,    404,    404,    404,    404,
                                          kwargs=lambda w: {"pk": w.obj["invoice"].pk,
                                                          "note": w.obj["credit_note"].pk}),
    "memberships:invoice_pdf":        view(LOGIN,  404,    404,    404,    404,    200,    200,
                                          kwargs=cluster_pk("invoice")),
    "memberships:credit_note_pdf":    view(LOGIN,  404,    404,    404,    404,    200,    200,
                                          kwargs=cluster_pk("invoice", "credit_note")),
    "memberships:plan_list":          view(LOGIN,  404,    404,    404,    404,    200,    200,
                                          kwargs=cluster_slug),
    "memberships:plan_create":        view(LOGIN,  404,    404,    404,    404,    200,    200,
                                          kwargs=cluster_slug),
    "memberships:plan_update":        view(LOGIN,  404,    404,    404,    404,    200,    200,
                                          kwargs=cluster_pk("plan")),
    "memberships:billing":            view(LOGIN,  404,    404,    404,    404,    200,    200,
                                          kwargs=cluster_slug),
    "memberships:membership_list":    view(LOGIN,  404,    404,    404,    404,    200,    200,
                                          kwargs=cluster_slug),
    "memberships:invoice_draft_create": view(LOGIN, 404,   404,    404,    404,    405,    405,
                                          kwargs=cluster_pk("fee_membership")),
    "memberships:invoice_list":       view(LOGIN,  404,    404,    404,    404,    200,    200,
                                          kwargs=cluster_slug),
    "memberships:accounting_csv":     view(LOGIN,  404,    404,    404,    404,    200,    200,
                                          kwargs=cluster_slug),
    "memberships:invoice_detail":     view(LOGIN,  404,    404,    404,    404,    200,    200,
                                          kwargs=cluster_pk("invoice")),
    "memberships:invoice_issue":      view(LOGIN,  404,    404,    404,    404,    405,    405,
                                          kwargs=cluster_pk("invoice")),
    "memberships:payment_record":     view(LOGIN,  404,    404,    404,    404,    200,    200,
                                          kwargs=cluster_pk("invoice")),
    "memberships:credit_note_create": view(LOGIN,  404,    404,    404,    404,    200,    200,
                                          kwargs=cluster_pk("invoice")),
    "memberships:fees_overview":      view(LOGIN,  404,    404,    404,    404,    200,    200,
                                          kwargs=cluster_slug),
    "memberships:fees_overview_csv":  view(LOGIN,  404,    404,    404,    404,    200,    200,
                                          kwargs=cluster_slug),

    # --- portal ------------------------------------------------------------------------------
    #                                      anon    A       B       advisor other   manager admin
    "calendar_feed":                  view(200,    200,    200,    200,    200,    200,    200,
                                          kwargs=a_calendar_token, capability=FEED),
    "calendar_reset":                 view(LOGIN,  405,    405,    405,    405,    405,    405),
}
# fmt: on
