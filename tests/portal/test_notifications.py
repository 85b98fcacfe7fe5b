from django.urls import reverse

from portal.base.models import Notification
from portal.base.notifications import notify


def test_notify_records_in_app_and_sends_email_in_recipients_language(
    member, mailoutbox, django_capture_on_commit_callbacks
):
    member.language = "en"
    member.save()
    with django_capture_on_commit_callbacks(execute=True):
        n = notify(
            member,
            template="clusters/email/invitation",
            context={"invitation": None, "link": "x"},
            url="/dashboard/",
        )
    assert Notification.objects.get(pk=n.pk).email_status == "sent"
    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == [member.email]
    assert mailoutbox[0].alternatives[0][1] == "text/html"


def test_unread_count_and_mark_read(client, member):
    Notification.objects.create(
        recipient=member, subject="Hello there", body="b", url="/dashboard/"
    )
    client.force_login(member)
    page = client.get(reverse("notification_list")).content.decode()
    assert "Hello there" in page
    assert '<span class="badge">1<' in page
    n = Notification.objects.get()
    response = client.post(reverse("notification_read", args=[n.pk]))
    assert response["Location"] == "/dashboard/"
    n.refresh_from_db()
    assert n.read_at is not None


def test_cannot_read_someone_elses_notification(client, member, other_member):
    n = Notification.objects.create(recipient=member, subject="Private", body="b")
    client.force_login(other_member)
    assert client.post(reverse("notification_read", args=[n.pk])).status_code == 404
