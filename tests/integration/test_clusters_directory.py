"""Directory and introductions on a real PostgreSQL with a real worker."""

import threading

from django.db import connection, connections
from django.urls import reverse

from clusters.actions.introductions import introduction_request
from clusters.enums import OrgRole
from clusters.models import IntroductionRequest, Organisation
from portal.base.errors import ActionError
from portal.base.models import Notification
from tests.factories.clusters import MembershipFactory, OrganisationFactory, UserFactory
from tests.integration.conftest import wait_until


def _org(name, cluster, **fields):
    org = OrganisationFactory(name=name, **fields)
    MembershipFactory(organisation=org, cluster=cluster)
    UserFactory(email=f"admin@{org.slug}.example", organisation=org, org_role=OrgRole.ADMIN)
    return org


def test_trigger_keeps_search_vector_and_directory_ranks(client, member, cluster):
    acme = _org("Acme Regulatory", cluster, offers="Clinical trials")
    beta = _org("Beta", cluster, description="We also do regulatory work")
    Organisation.objects.bulk_create(
        [Organisation(name="Bulk Regulatory", slug="bulk-reg", kind="sme", country="FR")]
    )
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM clusters_organisation WHERE search_vector IS NULL")
        assert cursor.fetchone()[0] == 0
    client.force_login(member)
    response = client.get(reverse("clusters:directory"), {"q": "regul", "sort": "relevance"})
    assert [o.name for o in response.context["organisations"]] == [acme.name, beta.name]
    beta.description = "Nothing to see"
    beta.save(update_fields=["description"])
    response = client.get(reverse("clusters:directory"), {"q": "regul"})
    assert [o.name for o in response.context["organisations"]] == [acme.name]


def test_introduction_email_goes_through_a_real_worker(
    celery_worker_factory, member, cluster, tmp_path
):
    celery_worker_factory()
    target = _org("Target", cluster)
    intro = introduction_request(actor=member, to_organisation=target, message="Hello there")
    wait_until(
        lambda: Notification.objects.filter(
            recipient__organisation=target, email_status="sent"
        ).exists()
    )
    mails = list((tmp_path / "mail").glob("*.log"))
    assert len(mails) == 1
    text = mails[0].read_text()
    assert "To: admin@target.example" in text or f"To: admin@{target.slug}.example" in text
    assert "Hello there" in text
    assert member.email not in text
    assert IntroductionRequest.objects.get(pk=intro.pk).status == "pending"


def test_daily_limit_holds_under_parallel_requests(transactional_db, cluster):
    sender = UserFactory(member_of=cluster)
    sender.org_role = OrgRole.ADMIN
    sender.save()
    targets = [_org(f"T{i}", cluster) for i in range(14)]
    results = []

    def ask(target):
        try:
            introduction_request(actor=sender, to_organisation=target, message="Hi")
            results.append("ok")
        except ActionError:
            results.append("refused")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=ask, args=(t,)) for t in targets]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(results) == ["ok"] * 10 + ["refused"] * 4
    assert IntroductionRequest.objects.filter(from_user=sender).count() == 10
