import csv
import io
from datetime import date

from django.urls import reverse

from clusters.enums import MembershipStatus, Visibility
from tests.factories.clusters import (
    ClusterFactory,
    ClusterRoleFactory,
    MembershipFactory,
    UserFactory,
)


def url(cluster):
    return reverse("clusters:cluster_members_export", args=[cluster.slug])


def rows(response):
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


def test_manager_exports_own_cluster_members(client, cluster, manager, make_org):
    a = make_org(
        "Acme Bio",
        clusters=[],
        kind="sme",
        size="10-49",
        city="Paris",
        website="https://acme.example",
    )
    MembershipFactory(organisation=a, cluster=cluster, since=date(2024, 3, 1))
    make_org("Hidden Co", clusters=[cluster], visibility=Visibility.HIDDEN, kind="hospital")
    make_org("Applicant", clusters=[cluster], status=MembershipStatus.PENDING)
    make_org("Refused", clusters=[cluster], status=MembershipStatus.DECLINED)
    make_org("=HYPERLINK(evil)", clusters=[cluster])
    make_org("Elsewhere", clusters=[ClusterFactory()])
    client.force_login(manager)
    response = client.get(url(cluster))
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith(
        'attachment; filename="genopole-test-members-'
    )
    assert rows(response) == [
        [
            "organisation",
            "kind",
            "size",
            "country",
            "city",
            "website",
            "status",
            "since",
            "admin contact name",
            "admin contact email",
        ],
        [
            "'=HYPERLINK(evil)",
            "SME",
            "",
            "FR",
            "",
            "",
            "Active member",
            "",
            "Admin =HYPERLINK(evil)",
            "admin@hyperlinkevil.example",
        ],
        [
            "Acme Bio",
            "SME",
            "10-49",
            "FR",
            "Paris",
            "https://acme.example",
            "Active member",
            "2024-03-01",
            "Admin Acme Bio",
            "admin@acme-bio.example",
        ],
        [
            "Applicant",
            "SME",
            "",
            "FR",
            "",
            "",
            "Application pending",
            "",
            "Admin Applicant",
            "admin@applicant.example",
        ],
        [
            "Hidden Co",
            "Hospital",
            "",
            "FR",
            "",
            "",
            "Active member",
            "",
            "Admin Hidden Co",
            "admin@hidden-co.example",
        ],
    ]


def test_export_is_404_for_non_managers(client, cluster, member, advisor):
    other_manager = UserFactory()
    ClusterRoleFactory(user=other_manager, cluster=ClusterFactory(), role="manager")
    for user in (member, advisor, other_manager):
        client.force_login(user)
        assert client.get(url(cluster)).status_code == 404
    client.logout()
    assert client.get(url(cluster))["Location"].startswith(reverse("account_login"))


def test_export_query_count_does_not_grow(
    client, cluster, manager, make_org, django_assert_num_queries
):
    make_org("One", clusters=[cluster])
    client.force_login(manager)
    with django_assert_num_queries(7):  # 6 to read, 1 audit entry
        client.get(url(cluster))
    make_org("Two", clusters=[cluster])
    make_org("Three", clusters=[cluster])
    with django_assert_num_queries(7):
        assert len(rows(client.get(url(cluster)))) == 4
