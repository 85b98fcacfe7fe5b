import json

from django.urls import reverse


def test_healthz_ok(client, db):
    response = client.get(reverse("healthz"))
    body = json.loads(response.content)
    assert response.status_code == 200
    assert body["checks"] == {"database": "ok", "broker": "ok", "cache": "ok"}


def test_healthz_503_when_broker_unreachable(client, db, settings):
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:1/0"
    response = client.get(reverse("healthz"))
    body = json.loads(response.content)
    assert response.status_code == 503
    assert body["status"] == "error"
    assert body["checks"]["database"] == "ok"
    assert body["checks"]["broker"].startswith("error")
