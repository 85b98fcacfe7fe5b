import re

import pytest
from django.urls import reverse

from clusters.enums import MembershipStatus, Visibility
from tests.factories.clusters import ClusterFactory, ClusterRoleFactory, TopicFactory, UserFactory

URL = reverse("clusters:directory")
# session, user, the person's clusters and staff roles, cluster and topic choices,
# unread notifications, the page, the page's topics and clusters, the topics' aliases
# (searched by the topic picker); plus the count when there is more than one page.
DIRECTORY_QUERIES = 10
DIRECTORY_QUERIES_PAGED = 11


def names(response) -> list[str]:
    return re.findall(
        r'<h3><a href="/organisations/[\w-]+/">([^<]+)</a></h3>', response.content.decode()
    )


def count_shown(response) -> int:
    return int(re.search(r"<strong>(\d+) organisations?</strong>", response.content.decode())[1])


@pytest.fixture
def network(cluster, member, make_org):
    """member's org (in `cluster`) sees: itself, Bravo (network, other cluster),
    Charlie (clusters-only, same cluster). It must not see Delta (clusters-only,
    other cluster), Echo (hidden, same cluster), Foxtrot (network, application
    pending) or Golf (network, membership ended)."""
    other = ClusterFactory(name="Other Cluster", country="BE")
    member.organisation.name = "Alpha Member"
    member.organisation.save()
    return {
        "other": other,
        "bravo": make_org("Bravo Bio", clusters=[other], country="BE"),
        "charlie": make_org("Charlie Labs", clusters=[cluster], visibility=Visibility.CLUSTERS),
        "delta": make_org("Delta Pharma", clusters=[other], visibility=Visibility.CLUSTERS),
        "echo": make_org("Echo Hidden", clusters=[cluster], visibility=Visibility.HIDDEN),
        "foxtrot": make_org("Foxtrot", clusters=[other], status=MembershipStatus.PENDING),
        "golf": make_org("Golf Gone", clusters=[other], status=MembershipStatus.ENDED),
    }


def test_directory_shows_exactly_what_visibility_allows(client, member, network):
    client.force_login(member)
    response = client.get(URL)
    assert response.status_code == 200
    assert names(response) == ["Alpha Member", "Bravo Bio", "Charlie Labs"]
    assert count_shown(response) == 3


def test_directory_staff_see_clusters_only_profiles_of_their_cluster_never_hidden(
    client, network, cluster
):
    advisor = UserFactory()
    ClusterRoleFactory(user=advisor, cluster=network["other"], role="advisor")
    client.force_login(advisor)
    assert names(client.get(URL)) == ["Alpha Member", "Bravo Bio", "Delta Pharma"]


def test_directory_network_admin_sees_all_listed_but_not_hidden(client, network):
    admin = UserFactory(is_network_admin=True)
    client.force_login(admin)
    assert names(client.get(URL)) == ["Alpha Member", "Bravo Bio", "Charlie Labs", "Delta Pharma"]


def test_directory_filters_by_country_kind_cluster_and_text(client, member, network, cluster):
    client.force_login(member)
    assert names(client.get(URL, {"country": "BE"})) == ["Bravo Bio"]
    assert names(client.get(URL, {"cluster": network["other"].pk})) == ["Bravo Bio"]
    assert names(client.get(URL, {"cluster": cluster.pk, "q": "charlie"})) == ["Charlie Labs"]
    assert names(client.get(URL, {"kind": ["sme", "startup"], "country": ["FR", "BE"]})) == [
        "Alpha Member",
        "Bravo Bio",
        "Charlie Labs",
    ]
    assert names(client.get(URL, {"q": "echo"})) == []
    assert count_shown(client.get(URL, {"q": "echo"})) == 0


def test_directory_topic_filters_are_multi_select(client, member, network):
    rna, ra, gmp = (TopicFactory(name=n, slug=n.lower()) for n in ("mRNA", "Regulatory", "GMP"))
    network["bravo"].topics.add(rna)
    network["bravo"].offer_topics.add(ra)
    network["charlie"].offer_topics.add(gmp)
    network["charlie"].need_topics.add(ra)
    network["echo"].offer_topics.add(ra)  # hidden: never found
    client.force_login(member)
    assert names(client.get(URL, {"offers": [ra.pk]})) == ["Bravo Bio"]
    assert names(client.get(URL, {"offers": [ra.pk, gmp.pk]})) == ["Bravo Bio", "Charlie Labs"]
    assert names(client.get(URL, {"needs": [ra.pk]})) == ["Charlie Labs"]
    assert names(client.get(URL, {"topic": [rna.pk]})) == ["Bravo Bio"]
    assert names(client.get(URL, {"offers": [ra.pk], "needs": [ra.pk]})) == []


def test_directory_text_search_covers_offers_and_needs_and_sorts_by_relevance(
    client, member, cluster, make_org
):
    make_org("Zulu Regulatory", clusters=[cluster])
    make_org("Acme", clusters=[cluster], offers="Regulatory affairs for medical devices")
    make_org("Beta", clusters=[cluster], needs="help with regulatory affairs")
    make_org("Gamma", clusters=[cluster], description="Nothing related")
    client.force_login(member)
    relevance = names(client.get(URL, {"q": "regulatory affairs"}))
    assert sorted(relevance) == ["Acme", "Beta"]
    assert names(client.get(URL, {"q": "regulatory", "sort": "name"})) == [
        "Acme",
        "Beta",
        "Zulu Regulatory",
    ]
    # The name match ranks first.
    assert names(client.get(URL, {"q": "regulatory", "sort": "relevance"}))[0] == "Zulu Regulatory"


def test_directory_htmx_request_gets_the_results_partial(client, member, network):
    client.force_login(member)
    full = client.get(URL, {"country": "BE"})
    partial = client.get(URL, {"country": "BE"}, headers={"HX-Request": "true"})
    assert "<html" in full.content.decode()
    assert 'hx-push-url="true"' in full.content.decode()
    assert "<html" not in partial.content.decode()
    assert names(partial) == ["Bravo Bio"]
    assert "HX-Request" in partial["Vary"]


def test_directory_paginates_25_and_keeps_filters_in_page_links(client, member, cluster, make_org):
    for i in range(30):
        make_org(f"Org {i:02d}", clusters=[cluster], admin=False)
    member.organisation.name = "Alpha"
    member.organisation.save()
    client.force_login(member)
    first = client.get(URL, {"country": "FR", "sort": "name"})
    assert len(names(first)) == 25
    assert count_shown(first) == 31
    assert "?country=FR&amp;sort=name&amp;page=2" in first.content.decode()
    second = client.get(URL, {"country": "FR", "sort": "name", "page": 2})
    assert names(second) == ["Org 24", "Org 25", "Org 26", "Org 27", "Org 28", "Org 29"]


def test_directory_needs_an_approved_member(client, db, network):
    assert client.get(URL)["Location"].startswith(reverse("account_login"))
    client.force_login(UserFactory())
    assert client.get(URL)["Location"] == reverse("clusters:application_status")


@pytest.mark.parametrize("rows", [1, 3])
def test_directory_query_count_does_not_grow_with_rows(
    client, member, cluster, make_org, rows, django_assert_num_queries
):
    topic = TopicFactory()
    for i in range(rows):
        org = make_org(f"Row {i}", clusters=[cluster, ClusterFactory()], country="DE")
        org.topics.add(topic)
        org.offer_topics.add(topic)
        org.need_topics.add(topic)
    client.force_login(member)
    with django_assert_num_queries(DIRECTORY_QUERIES):
        response = client.get(URL, {"country": "DE"})
    assert len(names(response)) == rows


@pytest.mark.parametrize(
    "params",
    [
        {},
        {"q": "row", "sort": "relevance"},
        {"q": "row", "country": ["DE", "FR"], "kind": ["sme"], "size": ["1-9", "10-49", ""]},
        {"cluster": "CLUSTER", "topic": "TOPIC", "offers": "TOPIC", "needs": "TOPIC"},
    ],
)
def test_directory_query_count_on_a_full_page_does_not_grow_with_filters(
    client, member, cluster, make_org, params, django_assert_num_queries
):
    topic = TopicFactory()
    for i in range(26):
        org = make_org(f"Row {i}", clusters=[cluster], size="1-9", admin=False)
        org.topics.add(topic)
        org.offer_topics.add(topic)
        org.need_topics.add(topic)
    params = {
        k: {"CLUSTER": cluster.pk, "TOPIC": topic.pk}.get(v, v) if isinstance(v, str) else v
        for k, v in params.items()
    }
    client.force_login(member)
    with django_assert_num_queries(DIRECTORY_QUERIES_PAGED):
        response = client.get(URL, params)
    assert len(names(response)) == 25


def test_directory_card_shows_clusters_and_topics(client, member, cluster, make_org):
    regulatory = TopicFactory(name="Regulatory affairs", slug="regulatory-affairs")
    gmp = TopicFactory(name="GMP manufacturing", slug="gmp")
    org = make_org("Card Co", clusters=[cluster, ClusterFactory(name="Aardvark Cluster")])
    org.offer_topics.add(regulatory, gmp)
    org.need_topics.add(gmp)
    client.force_login(member)
    body = client.get(URL, {"q": "card"}).content.decode()
    assert '<p class="muted">Aardvark Cluster, Genopole Test</p>' in body
    assert (
        '<ul class="topics" aria-label="Topics offered"><li>GMP manufacturing</li>'
        "<li>Regulatory affairs</li></ul>"
    ) in body
    assert '<ul class="topics" aria-label="Topics needed"><li>GMP manufacturing</li></ul>' in body


def test_directory_filter_form_keeps_the_selection(client, member, network):
    client.force_login(member)
    body = client.get(URL, {"kind": "sme", "country": ["BE"]}).content.decode()
    assert (
        '<label for="id_kind_0"><input type="checkbox" name="kind" value="sme" id="id_kind_0"'
        " checked> SME</label>"
    ) in body
    assert '<label for="id_kind_1"><input type="checkbox" name="kind" value="startup"' in body
    assert '<option value="BE" selected>Belgium</option>' in body
    assert '<option value="FR">France</option>' in body
    assert '<select id="id_country" name="country" multiple>' in body


def test_directory_count_is_capped_for_broad_searches(
    client, member, cluster, make_org, monkeypatch
):
    from clusters.views import directory

    monkeypatch.setattr(directory, "COUNT_CAP", 30)
    for i in range(31):
        make_org(f"Org {i:02d}", clusters=[cluster], admin=False)
    client.force_login(member)
    first = client.get(URL)
    assert "More than 30 organisations" in first.content.decode()
    assert first.context["page_obj"].paginator.num_pages == 2
    # Asking beyond the last page gives the last page.
    assert names(client.get(URL, {"page": 5})) == [f"Org {i}" for i in range(25, 31)]


def test_directory_sort_suggested_puts_stored_suggestions_first(
    client, member, network, django_assert_num_queries
):
    from clusters.partners.models import PartnerSuggestion

    org = member.organisation
    PartnerSuggestion.objects.create(
        organisation=org, suggested=network["charlie"], score=0.9, rank=1
    )
    PartnerSuggestion.objects.create(
        organisation=org, suggested=network["bravo"], score=0.5, rank=2
    )
    PartnerSuggestion.objects.create(organisation=org, suggested=network["echo"], score=0.8, rank=3)
    client.force_login(member)
    # No topics here, so the topic pickers look up no aliases.
    with django_assert_num_queries(DIRECTORY_QUERIES - 1):
        response = client.get(URL, {"sort": "suggested"})
    # Hidden Echo stays hidden; the rest follow by name.
    assert names(response) == ["Charlie Labs", "Bravo Bio", "Alpha Member"]
    assert '<option value="suggested" selected>Suggested for you</option>' in (
        response.content.decode()
    )
    staff = UserFactory(is_network_admin=True)
    client.force_login(staff)
    body = client.get(URL, {"sort": "suggested"}).content.decode()
    assert "Suggested for you" not in body


@pytest.mark.parametrize("extra,shown,pages", [(24, 25, 1), (25, 26, 2)])
def test_directory_count_at_the_page_boundary(
    client, member, cluster, make_org, extra, shown, pages
):
    for i in range(extra):
        make_org(f"Org {i:02d}", clusters=[cluster], admin=False)
    client.force_login(member)
    response = client.get(URL)
    assert count_shown(response) == shown
    assert response.context["page_obj"].paginator.num_pages == pages
    assert len(names(response)) == 25
