import re

import pytest
from django.core.management import call_command
from django.urls import reverse

from clusters.models import Organisation, User
from clusters.partners.actions import suggestions_mark_shown, suggestions_recompute_all
from clusters.partners.models import PartnerSuggestion, SuggestionDismissal
from tests.factories.clusters import ClusterRoleFactory, IntroductionRequestFactory, UserFactory
from tests.partners.conftest import admin_of, current


def _names_in(html: str) -> list[str]:
    return re.findall(r'<h3><a href="/organisations/[\w-]+/">([^<]+)</a></h3>', html)


def _names(response) -> list[str]:
    return _names_in(response.content.decode())


def test_demo_sme_dashboard_shows_ten_suggestions_with_reasons(client, db):
    call_command("seed_demo", size=60, verbosity=0)
    me = User.objects.get(email="sme@demo.example")
    client.force_login(me)

    response = client.get(reverse("dashboard"))

    assert response.status_code == 200
    suggestions = response.context["partner_suggestions"]
    assert len(suggestions) == 10
    assert len(_names(response)) == 10
    html = response.content.decode()
    assert "Organisations you should meet" in html
    for s in suggestions:
        assert s.reasons, s
        assert s.reasons[0] in html.replace("&#x27;", "'")
        assert f'href="/organisations/{s.suggested.slug}/introduce/"' in html
        assert f'action="/partners/suggestions/{s.pk}/dismiss/"' in html
    # NeoCell needs GMP manufacturing, regulatory affairs and clinical trials:
    # those who offer them come first, and each says so; every suggestion names
    # something concrete the two share or exchange.
    needs = ("GMP manufacturing", "Regulatory affairs", "Clinical trials")
    for s in suggestions[:4]:
        assert s.meets_needs
        assert s.reasons[0].startswith("offers ") and s.reasons[0].endswith(", which you need")
        assert any(n in s.reasons[0] for n in needs)
    assert [s.rank for s in suggestions] == sorted(s.rank for s in suggestions)
    for s in suggestions:
        assert any(
            r.startswith(
                (
                    "offers ",
                    "needs ",
                    "their offer mentions ",
                    "their needs mention ",
                    "both work on ",
                    "both descriptions",
                )
            )
            for r in s.reasons
        )
    # The research institute NeoCell was introduced to is not suggested again.
    assert "Rhine Institute for Molecular Medicine" not in [s.suggested.name for s in suggestions]
    assert {s.suggested.visibility for s in suggestions} <= {"network", "clusters"}
    # Shown: marked once, for exactly these ten.
    shown = PartnerSuggestion.objects.filter(
        organisation=me.organisation, first_shown_at__isnull=False
    )
    assert set(shown.values_list("pk", flat=True)) == {s.pk for s in suggestions}


def test_seed_demo_twice_stores_the_same_suggestions(db):
    call_command("seed_demo", size=20, verbosity=0)
    first = sorted(
        PartnerSuggestion.objects.values_list("organisation_id", "suggested_id", "rank", "score")
    )
    call_command("seed_demo", size=20, verbosity=0)
    again = sorted(
        PartnerSuggestion.objects.values_list("organisation_id", "suggested_id", "rank", "score")
    )
    assert again == first
    assert len(first) > 100


@pytest.mark.parametrize("partners", [1, 3])
def test_dashboard_section_queries_do_not_grow_with_suggestions(
    rf, make_org, neocell, partners, django_assert_num_queries
):
    from django.template.loader import render_to_string

    from clusters.partners.actions import dashboard_section as dashboard_context

    for i in range(partners):
        make_org(f"CDMO {i}", kind="provider", offer=["GMP manufacturing"])
    suggestions_recompute_all()
    request = rf.get("/dashboard/")
    request.user = admin_of(neocell)
    # One SELECT (suggestions with their organisations and flags), one UPDATE
    # (first shown), and the portal context processor's unread-notification count.
    with django_assert_num_queries(3):
        ctx = dashboard_context(request.user)
        html = render_to_string("partners/_dashboard_section.html", ctx, request=request)
    assert len(_names_in(html)) == partners


def test_dashboard_page_queries_do_not_grow_with_suggestions(client, make_org, neocell):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def page_queries(n: int) -> int:
        for i in range(n - PartnerSuggestion.objects.filter(organisation=neocell).count()):
            make_org(f"CDMO {n}-{i}", kind="provider", offer=["GMP manufacturing"])
        suggestions_recompute_all()
        PartnerSuggestion.objects.update(first_shown_at=None)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(reverse("dashboard"))
        assert len(response.context["partner_suggestions"]) == n
        return len(queries)

    client.force_login(admin_of(neocell))
    assert page_queries(1) == page_queries(3)


def test_dashboard_without_organisation_has_no_section(client, manager):
    response = client.get(reverse("dashboard"))  # not signed in
    assert response.status_code == 302
    client.force_login(manager)
    response = client.get(reverse("dashboard"))
    assert response.context["partner_suggestions"] is None
    assert "Organisations you should meet" not in response.content.decode()
    assert f'href="/partners/clusters/{manager.cluster_roles.get().cluster.slug}/"' in (
        response.content.decode()
    )


def test_dashboard_says_when_there_are_no_suggestions_yet(client, neocell):
    client.force_login(admin_of(neocell))
    response = client.get(reverse("dashboard"))
    assert response.context["partner_suggestions"] == []
    assert "No suggestions yet." in response.content.decode()


def test_pending_introduction_replaces_the_button(client, neocell, gmp_cdmo):
    suggestions_recompute_all()
    IntroductionRequestFactory(from_user=admin_of(neocell), to_organisation=gmp_cdmo)
    client.force_login(admin_of(neocell))
    html = client.get(reverse("dashboard")).content.decode()
    assert "Introduction requested" in html
    assert f"/organisations/{gmp_cdmo.slug}/introduce/" not in html


def _dismiss_url(org, suggested):
    pk = PartnerSuggestion.objects.get(organisation=org, suggested=suggested).pk
    return reverse("partners:suggestion_dismiss", args=[pk])


def test_dismiss_with_htmx_returns_the_refreshed_list(client, neocell, gmp_cdmo, hospital):
    suggestions_recompute_all()
    me = admin_of(neocell)
    client.force_login(me)

    response = client.post(
        _dismiss_url(neocell, gmp_cdmo), {"next": "/dashboard/"}, HTTP_HX_REQUEST="true"
    )

    assert response.status_code == 200
    assert 'name="next" value="/dashboard/"' in response.content.decode()
    assert _names(response) == ["Lyon University Hospital"]
    assert 'id="partner-suggestions" aria-live="polite"' in response.content.decode()
    assert "<html" not in response.content.decode()
    assert SuggestionDismissal.objects.filter(organisation=neocell, suggested=gmp_cdmo).exists()
    assert _names(client.get(reverse("dashboard"))) == ["Lyon University Hospital"]
    suggestions_recompute_all()
    assert current(neocell) == ["Lyon University Hospital"]


def test_dismiss_refills_the_list_from_the_stored_top_twenty(client, make_org, neocell):
    for i in range(11):
        make_org(f"CDMO {i:02}", kind="provider", offer=["GMP manufacturing"])
    suggestions_recompute_all()
    client.force_login(admin_of(neocell))
    before = _names(client.get(reverse("dashboard")))
    assert len(before) == 10
    dismissed = PartnerSuggestion.objects.get(organisation=neocell, rank=1)

    response = client.post(
        reverse("partners:suggestion_dismiss", args=[dismissed.pk]), HTTP_HX_REQUEST="true"
    )

    after = _names(response)
    assert len(after) == 10
    assert after[:9] == before[1:]
    assert dismissed.suggested.name not in after


def test_dismiss_without_htmx_redirects_back(client, neocell, gmp_cdmo):
    suggestions_recompute_all()
    client.force_login(admin_of(neocell))
    url = _dismiss_url(neocell, gmp_cdmo)
    assert client.post(url, {"next": "/directory/"})["Location"] == "/directory/"
    assert SuggestionDismissal.objects.count() == 1
    # Twice is harmless; an unsafe next falls back to the dashboard.
    assert client.post(url, {"next": "https://evil.example/"})["Location"] == "/dashboard/"
    assert SuggestionDismissal.objects.count() == 1


def test_dismiss_of_another_organisations_suggestion_is_404(client, neocell, gmp_cdmo, cluster):
    suggestions_recompute_all()
    url = _dismiss_url(neocell, gmp_cdmo)
    client.force_login(admin_of(gmp_cdmo))
    assert client.post(url).status_code == 404
    client.force_login(UserFactory(member_of=cluster))
    assert client.post(url).status_code == 404
    assert client.post(reverse("partners:suggestion_dismiss", args=[999999])).status_code == 404
    assert SuggestionDismissal.objects.count() == 0


def test_dismiss_needs_post(client, neocell, gmp_cdmo):
    suggestions_recompute_all()
    client.force_login(admin_of(neocell))
    assert client.get(_dismiss_url(neocell, gmp_cdmo)).status_code == 405


# Cluster report -------------------------------------------------------------------


def _report(client, cluster):
    return client.get(reverse("partners:cluster_report", args=[cluster.slug]))


def test_cluster_report_counts_shown_suggestions_and_introductions(
    client, home, neocell, gmp_cdmo, hospital, bystander
):
    suggestions_recompute_all()
    suggestions_mark_shown(list(PartnerSuggestion.objects.filter(organisation=neocell)))
    suggestions_mark_shown(list(PartnerSuggestion.objects.filter(organisation=gmp_cdmo)))
    # After being shown: one request accepted, one pending; one sent the other way
    # (from the suggested organisation) does not count for NeoCell's suggestion.
    IntroductionRequestFactory(
        from_user=admin_of(neocell), to_organisation=gmp_cdmo, status="accepted"
    )
    IntroductionRequestFactory(from_user=admin_of(neocell), to_organisation=hospital)
    manager = UserFactory()
    ClusterRoleFactory(user=manager, cluster=home, role="manager")
    client.force_login(manager)

    report = _report(client, home).context["report"]

    shown = PartnerSuggestion.objects.filter(first_shown_at__isnull=False).count()
    assert shown == 3
    assert {k: report[k] for k in ("shown", "members_shown", "introduced", "accepted")} == {
        "shown": 3,
        "members_shown": 2,
        "introduced": 2,
        "accepted": 1,
    }
    assert (report["introduced_rate"], report["accepted_rate"]) == (67, 33)
    assert [(m["shown"], m["introduced"], m["accepted"]) for m in report["months"]] == [(3, 2, 1)]


def test_cluster_report_ignores_introductions_sent_before_the_suggestion_was_shown(
    client, home, neocell, gmp_cdmo, manager
):
    suggestions_recompute_all()
    IntroductionRequestFactory(from_user=admin_of(neocell), to_organisation=gmp_cdmo)
    suggestions_mark_shown(list(PartnerSuggestion.objects.filter(organisation=neocell)))
    home_manager = UserFactory()
    ClusterRoleFactory(user=home_manager, cluster=home, role="manager")
    client.force_login(home_manager)
    report = _report(client, home).context["report"]
    assert (report["shown"], report["introduced"]) == (1, 0)


@pytest.mark.parametrize("members", [1, 3])
def test_cluster_report_queries_do_not_grow(
    client, home, make_org, members, django_assert_num_queries
):
    for i in range(members):
        make_org(f"SME {i}", need=["GMP manufacturing"])
        make_org(f"CDMO {i}", kind="provider", offer=["GMP manufacturing"])
    suggestions_recompute_all()
    suggestions_mark_shown(list(PartnerSuggestion.objects.all()))
    manager = UserFactory()
    ClusterRoleFactory(user=manager, cluster=home, role="manager")
    client.force_login(manager)
    with django_assert_num_queries(7):
        response = _report(client, home)
    assert response.context["report"]["shown"] == PartnerSuggestion.objects.count()


def test_cluster_report_is_404_for_members_and_other_clusters_managers(
    client, home, abroad, neocell
):
    other_manager = UserFactory()
    ClusterRoleFactory(user=other_manager, cluster=abroad, role="manager")
    client.force_login(other_manager)
    assert _report(client, home).status_code == 404
    client.force_login(admin_of(neocell))
    assert _report(client, home).status_code == 404
    advisor = UserFactory()
    ClusterRoleFactory(user=advisor, cluster=home, role="advisor")
    client.force_login(advisor)
    assert _report(client, home).status_code == 404


def test_cluster_report_is_open_to_network_admins(client, home):
    client.force_login(UserFactory(is_network_admin=True))
    response = _report(client, home)
    assert response.status_code == 200
    report = response.context["report"]
    assert (report["shown"], report["introduced"], report["met"]) == (0, 0, 0)
    assert report["introduced_rate"] is None


# Profile panels (for the profile page to include) -------------------------------------


def test_profile_panels_render_could_help_and_similar_needs(rf, make_org, neocell, gmp_cdmo):
    from django.template.loader import render_to_string

    from clusters.partners.selectors import profile_context

    make_org("Other CAR-T SME", need=["GMP manufacturing", "Clinical trials"])
    suggestions_recompute_all()
    viewer = admin_of(gmp_cdmo)
    request = rf.get("/")
    request.user = viewer
    ctx = profile_context(viewer, neocell)
    assert [s.suggested.name for s in ctx["partners_could_help"]] == ["Rhone Biomanufacturing"]
    assert [(o.name, o.shared_needs) for o in ctx["partners_similar_needs"]] == [
        ("Other CAR-T SME", 2)
    ]
    html = render_to_string(
        "partners/_profile_panels.html",
        {**ctx, "organisation": neocell, "is_own": False},
        request=request,
    )
    assert "Could help NeoCell" in html
    assert "Rhone Biomanufacturing" in html
    assert "also needs: Clinical trials, GMP manufacturing" in html
    assert "Not interested" not in html  # no actions on someone else's list


def test_profile_context_hides_what_the_viewer_may_not_see(make_org, neocell, gmp_cdmo, abroad):
    from clusters.partners.selectors import profile_context

    outsider = make_org("Outsider", clusters=[abroad])
    make_org("Private SME", need=["GMP manufacturing"], visibility="clusters")
    suggestions_recompute_all()
    ctx = profile_context(admin_of(outsider), neocell)
    assert ctx["partners_similar_needs"] == []
    assert [s.suggested.name for s in ctx["partners_could_help"]] == ["Rhone Biomanufacturing"]


def test_cached_profile_panels_still_hide_what_each_viewer_may_not_see(
    make_org, neocell, gmp_cdmo, abroad, django_assert_max_num_queries
):
    from clusters.partners.selectors import profile_context

    outsider = make_org("Outsider", clusters=[abroad])
    make_org("Private SME", need=["GMP manufacturing"], visibility="clusters")
    suggestions_recompute_all()
    insider = profile_context(admin_of(gmp_cdmo), neocell)  # fills the cache
    assert [o.name for o in insider["partners_similar_needs"]] == ["Private SME"]
    viewer = admin_of(outsider)
    assert viewer.is_approved_member and viewer.staff_roles == {}  # loaded as on any page
    with django_assert_max_num_queries(1):  # cached candidates, one visibility check
        ctx = profile_context(viewer, neocell)
    assert ctx["partners_similar_needs"] == []
    assert [s.suggested.name for s in ctx["partners_could_help"]] == ["Rhone Biomanufacturing"]
    Organisation.objects.filter(name="Rhone Biomanufacturing").update(visibility="hidden")
    again = profile_context(admin_of(outsider), neocell)  # cached, but checked live
    assert again["partners_could_help"] == []


def test_profile_panels_without_a_cache(settings, make_org, neocell, gmp_cdmo):
    """A Redis outage (nothing listens on port 9): the panels are computed, not lost."""
    from clusters.partners.selectors import profile_context

    suggestions_recompute_all()
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:9/0",
        }
    }
    ctx = profile_context(admin_of(gmp_cdmo), neocell)
    assert [s.suggested.name for s in ctx["partners_could_help"]] == ["Rhone Biomanufacturing"]


def test_suggestion_rank_annotation_sorts_the_directory(neocell, gmp_cdmo, hospital, bystander):
    from django.db.models import F

    from clusters.models import Organisation
    from clusters.partners.selectors import with_suggestion_rank

    suggestions_recompute_all()
    qs = with_suggestion_rank(Organisation.objects.exclude(pk=neocell.pk), neocell).order_by(
        F("partner_rank").asc(nulls_last=True), "name"
    )
    assert [(o.name, o.partner_rank) for o in qs] == [
        ("Rhone Biomanufacturing", 1),
        ("Lyon University Hospital", 2),
        ("Quiet Diagnostics", None),
    ]


def test_cluster_report_counts_brokerage_meetings_after_the_suggestion_was_shown(
    client, home, neocell, gmp_cdmo, hospital
):
    from tests.factories.brokerage import (
        BrokerageEventFactory,
        add_participant,
        agree_meeting,
        enable_brokerage,
    )

    suggestions_recompute_all()
    suggestions_mark_shown(list(PartnerSuggestion.objects.filter(organisation=neocell)))
    manager = UserFactory()
    ClusterRoleFactory(user=manager, cluster=home, role="manager")
    event = BrokerageEventFactory(cluster=home)
    enable_brokerage(event, manager)
    me = add_participant(event, admin_of(neocell))
    agree_meeting(me, add_participant(event, admin_of(gmp_cdmo)))
    # A meeting with someone who was not suggested does not count.
    agree_meeting(me, add_participant(event, cluster=home))
    client.force_login(manager)

    response = _report(client, home)

    report = response.context["report"]
    assert (report["meetings_available"], report["shown"], report["met"]) == (True, 2, 1)
    assert report["met_rate"] == 50
    assert "Met at a brokerage event" in response.content.decode()
