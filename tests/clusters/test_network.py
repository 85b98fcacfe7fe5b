import re

import pytest
from django.urls import reverse

from clusters.enums import MembershipStatus, Visibility
from tests.factories.clusters import ClusterFactory, ClusterRoleFactory, UserFactory

LIST = reverse("clusters:cluster_list")


def detail(cluster):
    return reverse("clusters:cluster_detail", args=[cluster.slug])


def cluster_names(response) -> list[str]:
    return re.findall(
        r'<th scope="row"><a href="/clusters/[\w-]+/">([^<]+)</a>', response.content.decode()
    )


@pytest.fixture
def three(db):
    return [
        ClusterFactory(name="BioWin", slug="biowin", country="BE", focus="Biotech, medtech"),
        ClusterFactory(
            name="Genopole", slug="genopole", country="FR", focus="Genomics, biotherapies"
        ),
        ClusterFactory(name="Medicen", slug="medicen", country="FR", focus="Medical imaging, AI"),
    ]


def test_network_page_is_public_and_filters_by_country_and_focus(client, three):
    assert cluster_names(client.get(LIST)) == ["BioWin", "Genopole", "Medicen"]
    assert cluster_names(client.get(LIST, {"country": "FR"})) == ["Genopole", "Medicen"]
    assert cluster_names(client.get(LIST, {"focus": "biotech"})) == ["BioWin"]
    assert cluster_names(client.get(LIST, {"country": "FR", "focus": "imaging"})) == ["Medicen"]
    response = client.get(LIST, {"country": "XX"})
    assert response.context["filter"].form.errors["country"] == ["Unknown value for Country: XX"]
    assert cluster_names(response) == []


@pytest.mark.parametrize("n", [1, 3])
def test_network_page_query_count_does_not_grow(client, db, n, django_assert_num_queries):
    for i in range(n):
        ClusterFactory(name=f"C{i}")
    with django_assert_num_queries(1):
        response = client.get(LIST)
    assert len(cluster_names(response)) == n


def test_cluster_page_counts_active_visible_members_by_kind(client, cluster, make_org):
    make_org("A", clusters=[cluster], kind="sme")
    make_org("B", clusters=[cluster], kind="sme", visibility=Visibility.CLUSTERS)
    make_org("C", clusters=[cluster], kind="hospital")
    make_org("D", clusters=[cluster], kind="sme", visibility=Visibility.HIDDEN)
    make_org("E", clusters=[cluster], kind="hospital", status=MembershipStatus.PENDING)
    make_org("F", clusters=[cluster], kind="investor", status=MembershipStatus.ENDED)
    make_org("G", clusters=[ClusterFactory()], kind="investor")
    response = client.get(detail(cluster))
    assert response.status_code == 200
    assert response.context["member_counts"] == [("SME", 2), ("Hospital", 1)]
    assert response.context["member_total"] == 3
    body = response.content.decode()
    assert "3 member organisations" in body
    assert "Genopole Test" in body


def test_cluster_page_shows_the_facts(client, db):
    cluster = ClusterFactory(
        name="LifetecZONe",
        slug="lifeteczone",
        country="NL",
        region="Noord-Brabant",
        city="Eindhoven",
        website="lifeteczone.nl",
        focus="Medtech",
        innovation_group="Leader",
        description="Medtech cluster of the Brainport region.",
    )
    body = client.get(detail(cluster)).content.decode()
    for text in (
        "Noord-Brabant",
        "Eindhoven",
        'href="https://lifeteczone.nl"',
        "Medtech",
        "Leader",
        "Medtech cluster of the Brainport region.",
    ):
        assert text in body
    assert client.get("/clusters/no-such-cluster/").status_code == 404


def test_cluster_page_lists_services_and_events_from_their_apps(client, cluster, monkeypatch):
    import events.selectors

    calls = []

    def fake_events(c, limit=5, user=None):
        calls.append((c, limit, user))
        return ["Brokerage day"]

    monkeypatch.setattr(events.selectors, "upcoming_events_for_cluster", fake_events)
    body = client.get(detail(cluster)).content.decode()
    assert "Brokerage day" in body
    assert calls == [(cluster, 5, None)]


def test_cluster_link_partial_links_to_the_cluster_page(client, cluster):
    assert (
        f'<a href="/clusters/{cluster.slug}/">{cluster.name}</a>'
        in client.get(reverse("home")).content.decode()
    )


def edit(cluster):
    return reverse("clusters:cluster_edit", args=[cluster.slug])


def test_cluster_manager_edits_description_and_focus(client, cluster, manager):
    client.force_login(manager)
    assert detail(cluster) and client.get(detail(cluster)).context["can_manage"] is True
    response = client.post(edit(cluster), {"description": " New text ", "focus": "Gene therapy"})
    assert response["Location"] == detail(cluster)
    cluster.refresh_from_db()
    assert (cluster.description, cluster.focus) == ("New text", "Gene therapy")


def test_cluster_edit_is_404_for_everyone_else(client, cluster, member, advisor):
    other_manager = UserFactory()
    ClusterRoleFactory(user=other_manager, cluster=ClusterFactory(), role="manager")
    for user in (member, advisor, other_manager):
        client.force_login(user)
        assert client.get(edit(cluster)).status_code == 404
        assert client.post(edit(cluster), {"description": "x", "focus": "y"}).status_code == 404
    client.logout()
    assert client.get(edit(cluster))["Location"].startswith(reverse("account_login"))
    cluster.refresh_from_db()
    assert cluster.focus == "Biotech"


def test_cluster_page_lists_the_services_app_offerings(client, cluster):
    from services.catalogue.models import ServiceCategory, ServiceOffering

    category = ServiceCategory.objects.first() or ServiceCategory.objects.create(
        name="Legal counselling", kind="soft", importance=4
    )
    ServiceOffering.objects.create(cluster=cluster, category=category, title="IP clinic")
    body = client.get(detail(cluster)).content.decode()
    assert "IP clinic" in body
    assert category.name in body
