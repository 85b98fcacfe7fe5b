"""Files chosen in a form that came back with errors are kept (WCAG 3.3.7)."""

import re
from datetime import timedelta

from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.urls import reverse
from django.utils import timezone

from services.counselling.held_uploads import SESSION_KEY, STAMP, delete_stale_held_uploads
from services.counselling.models import CounsellingRequest, RequestAttachment
from tests.factories.services import pdf_bytes, png_bytes, upload

KEPT = re.compile(r'name="attachments_kept" value="(\w+)" checked> ([^<]+) \(')


def payload(cluster, category, **extra):
    data = {
        "cluster": cluster.pk,
        "category": category.pk,
        "subject": "IP strategy",
        "details": "We need a freedom-to-operate review.",
        "urgency": "normal",
        "preferred_format": "online",
    }
    data.update(extra)
    return data


def held_names() -> list[str]:
    try:
        return storages["private"].listdir("held")[1]
    except FileNotFoundError:
        return []


def test_files_survive_an_error_and_are_attached_on_the_next_try(client, member, cluster, category):
    client.force_login(member)
    url = reverse("services:request_create")
    first = client.post(
        url,
        payload(
            cluster,
            category,
            subject="",
            attachments=[upload("plan.pdf", pdf_bytes()), upload("chart.png", png_bytes())],
        ),
    )
    assert first.status_code == 200 and "subject" in first.context["form"].errors
    kept = KEPT.findall(first.text)
    assert [name for _id, name in kept] == ["plan.pdf", "chart.png"]
    assert "Files kept from your last try" in first.text
    assert len(held_names()) == 2
    # The member fixes the subject, leaves the chart out and chooses nothing new.
    second = client.post(url, payload(cluster, category, attachments_kept=[kept[0][0]]))
    req = CounsellingRequest.objects.get()
    assert second["Location"] == reverse("services:request_detail", args=[req.pk])
    attachment = RequestAttachment.objects.get()
    assert attachment.original_name == "plan.pdf"
    with storages["private"].open(attachment.stored_name) as fh:
        assert fh.read() == pdf_bytes()
    assert held_names() == []  # copied, then released
    assert SESSION_KEY not in client.session or not client.session[SESSION_KEY]


def test_kept_and_new_files_count_together(client, member, cluster, category):
    client.force_login(member)
    url = reverse("services:request_create")
    files = [upload(f"{i}.pdf", pdf_bytes()) for i in range(4)]
    first = client.post(url, payload(cluster, category, subject="", attachments=files))
    ids = [i for i, _name in KEPT.findall(first.text)]
    assert len(ids) == 4
    more = [upload("5.pdf", pdf_bytes()), upload("6.pdf", pdf_bytes())]
    second = client.post(url, payload(cluster, category, attachments_kept=ids, attachments=more))
    assert second.context["form"].errors["attachments"] == [
        "Attach at most 5 files (with the kept ones)."
    ]
    assert CounsellingRequest.objects.count() == 0


def test_another_session_cannot_use_kept_files(client, member, other_member, cluster, category):
    client.force_login(member)
    url = reverse("services:request_create")
    first = client.post(
        url, payload(cluster, category, subject="", attachments=[upload("secret.pdf", pdf_bytes())])
    )
    ((held_id, _name),) = KEPT.findall(first.text)
    client.force_login(other_member)
    client.post(url, payload(cluster, category, attachments_kept=[held_id]))
    assert RequestAttachment.objects.count() == 0  # the id means nothing in this session


def test_a_fresh_form_lets_go_of_an_abandoned_try(client, member, cluster, category):
    client.force_login(member)
    url = reverse("services:request_create")
    client.post(
        url, payload(cluster, category, subject="", attachments=[upload("plan.pdf", pdf_bytes())])
    )
    assert len(held_names()) == 1
    assert "Files kept" not in client.get(url).text
    assert held_names() == []


def test_message_form_keeps_files_too(client, member, submitted):
    client.force_login(member)
    url = reverse("services:request_message", args=[submitted.pk])
    first = client.post(url, {"body": "", "attachments": [upload("minutes.pdf", pdf_bytes())]})
    ((held_id, name),) = KEPT.findall(first.text)
    assert name == "minutes.pdf"
    client.post(url, {"body": "Here are the minutes.", "attachments_kept": [held_id]})
    assert [a.original_name for a in submitted.attachments.all()] == ["minutes.pdf"]


def test_stale_held_files_are_deleted(db):
    storage = storages["private"]
    # Named with the portal's clock at holding time, as HeldUploads.update names them.
    name = storage.save(f"held/{timezone.now().strftime(STAMP)}-old.pdf", ContentFile(pdf_bytes()))
    assert delete_stale_held_uploads(now=timezone.now()) == 0
    assert delete_stale_held_uploads(now=timezone.now() + timedelta(days=2)) == 1
    assert not storage.exists(name)


def test_an_ordinary_visit_does_not_write_the_session(client, member):
    client.force_login(member)
    response = client.get(reverse("services:request_create"))
    assert response.status_code == 200
    assert "sessionid" not in response.cookies  # the session was not modified (no write)
