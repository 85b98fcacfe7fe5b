from django.db import transaction

from portal.base.models import Notification
from portal.base.notifications import notify
from tests.integration.conftest import wait_until


def test_real_worker_sends_notification_email_after_commit(celery_worker_factory, member, tmp_path):
    celery_worker_factory()
    with transaction.atomic():
        n = notify(
            member, template="clusters/email/invitation", context={"invitation": None, "link": "x"}
        )
    wait_until(lambda: Notification.objects.get(pk=n.pk).email_status == "sent")
    mails = list((tmp_path / "mail").glob("*.log"))
    assert len(mails) == 1
    assert f"To: {member.email}" in mails[0].read_text()
