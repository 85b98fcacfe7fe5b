import pytest
from django.urls import reverse

from clusters.newsletters.enums import MailingStatus
from clusters.newsletters.models import Mailing
from tests.factories import ClusterRoleFactory, UserFactory

pytestmark = pytest.mark.django_db


def _post_data(cluster, **extra):
    data = {
        "m-subject": "Autumn news",
        "m-preheader": "Three things",
        "m-topic": "news",
        "m-language": "en",
        "m-body_markdown": "Hello **all**",
        "a-clusters": [cluster.pk],
        "a-kinds": ["sme"],
        "a-countries": "fr",
    }
    data.update(extra)
    return data


def test_manager_composes_a_mailing_with_its_audience(news_world, manager, client):
    cluster = news_world["cluster"]
    client.force_login(manager)
    response = client.post(
        reverse("newsletters:mailing_create", args=[cluster.slug]), _post_data(cluster)
    )
    mailing = Mailing.objects.get()
    assert response.url == reverse("newsletters:mailing_detail", args=[mailing.pk])
    assert (mailing.subject, mailing.status, mailing.created_by) == (
        "Autumn news",
        "draft",
        manager,
    )
    assert mailing.audience.criteria == {"kinds": ["sme"], "countries": ["FR"]}
    page = client.get(response.url)
    assert b"2 people would receive it now" in page.content
    assert b"Hello <strong>all</strong>" in page.content


def test_live_count_follows_the_criteria(news_world, manager, client):
    cluster = news_world["cluster"]
    client.force_login(manager)
    url = reverse("newsletters:audience_count", args=[cluster.slug])
    everyone = client.get(url, {"a-clusters": cluster.pk, "m-topic": "news"})
    assert b"6 people will receive it" in everyone.content
    admins = client.get(url, {"a-clusters": cluster.pk, "a-roles": "admin", "m-topic": "news"})
    assert b"3 people will receive it" in admins.content
    opt_in = client.get(url, {"a-clusters": cluster.pk, "m-topic": "fees"})
    assert b"0 people will receive it" in opt_in.content


def test_manager_cannot_address_another_cluster(news_world, manager, client):
    cluster = news_world["cluster"]
    client.force_login(manager)
    response = client.post(
        reverse("newsletters:mailing_create", args=[cluster.slug]),
        _post_data(cluster, **{"a-clusters": [cluster.pk, news_world["other"].pk]}),
    )
    assert response.status_code == 200
    assert Mailing.objects.count() == 0


def test_test_send_goes_to_oneself_only(news_world, mailing, manager, client, mailoutbox):
    client.force_login(manager)
    client.post(reverse("newsletters:mailing_test", args=[mailing.pk]))
    assert [m.to for m in mailoutbox] == [[manager.email]]
    assert mailoutbox[0].subject == "[Test] Spring news"
    assert mailing.deliveries.count() == 0


def test_schedule_then_beat_sends(news_world, mailing, manager, client, mailoutbox):
    from clusters.newsletters.tasks import start_due_mailings

    client.force_login(manager)
    client.post(reverse("newsletters:mailing_schedule", args=[mailing.pk]), {"scheduled_at": ""})
    mailing.refresh_from_db()
    assert mailing.status == MailingStatus.SCHEDULED
    start_due_mailings()
    assert len(mailoutbox) == 6


def test_other_clusters_manager_gets_404(news_world, mailing, client):
    stranger = UserFactory()
    ClusterRoleFactory(user=stranger, cluster=news_world["other"])
    client.force_login(stranger)
    for name in ("mailing_detail", "mailing_edit"):
        assert client.get(reverse(f"newsletters:{name}", args=[mailing.pk])).status_code == 404
    assert client.post(reverse("newsletters:mailing_test", args=[mailing.pk])).status_code == 404
    slug = news_world["cluster"].slug
    assert client.get(reverse("newsletters:mailing_list", args=[slug])).status_code == 404


def test_mailing_list_query_count_does_not_grow(
    news_world, manager, client, django_assert_max_num_queries
):
    cluster = news_world["cluster"]
    client.force_login(manager)
    url = reverse("newsletters:mailing_list", args=[cluster.slug])
    for n in (1, 3):
        Mailing.objects.all().delete()
        for i in range(n):
            Mailing.objects.create(cluster=cluster, subject=f"S{i}", body_markdown="x")
        with django_assert_max_num_queries(12):
            assert client.get(url).status_code == 200
