"""Personal data of the newsletters (see portal/privacy.py): a person's consent
choices, their history and the mailings sent to them."""

from .enums import DeliveryStatus
from .models import ConsentChange, ConsentChoice, Delivery

EXPORTED = {
    "newsletters.ConsentChoice.person": "consent",
    "newsletters.ConsentChange.person": "consent_changes",
    "newsletters.Delivery.person": "mailings_received",
}
NOT_PERSONAL = {
    "newsletters.Mailing.created_by": (
        "The manager who wrote a cluster's mailing: the cluster's work record."
    ),
}


def _iso(value):
    return value.isoformat() if value else None


def export_personal_data(user) -> dict:
    choices = ConsentChoice.objects.filter(person=user).select_related("cluster")
    changes = ConsentChange.objects.filter(person=user).select_related("cluster")
    deliveries = Delivery.objects.filter(person=user).select_related("mailing__cluster")
    return {
        "consent": [
            {"cluster": c.cluster.name, "topic": c.topic, "subscribed": c.subscribed}
            for c in choices.order_by("cluster__name", "topic")
        ],
        "consent_changes": [
            {
                "cluster": c.cluster.name,
                "topic": c.topic,
                "old": c.old,
                "new": c.new,
                "time": c.time.isoformat(),
                "origin": c.origin,
            }
            for c in changes.order_by("time", "pk")
        ],
        "mailings_received": [
            {
                "cluster": d.mailing.cluster.name,
                "subject": d.mailing.subject,
                "status": d.status,
                "sent": _iso(d.sent_at),
            }
            for d in deliveries.order_by("pk")
        ],
    }


def anonymise_personal_data(user) -> None:
    """No more mail: pending deliveries, choices and their history go; the sent
    deliveries stay for the mailing's figures, pointing at "former member"."""
    Delivery.objects.filter(person=user, status=DeliveryStatus.PENDING).delete()
    ConsentChoice.objects.filter(person=user).delete()
    ConsentChange.objects.filter(person=user).delete()
