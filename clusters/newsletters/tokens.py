"""Unsubscribe links: a signed token naming the person, the cluster and the topic.

Signed with the SECRET_KEY under a salt of its own (django.core.signing), so a token
made for another purpose, or altered in one character, does not verify. It carries
no expiry: an unsubscribe link in an old mail must keep working.
"""

from __future__ import annotations

from typing import NamedTuple

from django.core import signing

SALT = "clusters.newsletters.unsubscribe"


class Unsubscribe(NamedTuple):
    person_id: int
    cluster_id: int
    topic: str


def make_token(person_id: int, cluster_id: int, topic: str) -> str:
    return signing.dumps([person_id, cluster_id, topic], salt=SALT)


def read_token(token: str) -> Unsubscribe | None:
    """The token's content, or None when it is forged, altered or malformed."""
    try:
        person_id, cluster_id, topic = signing.loads(token, salt=SALT)
    except (signing.BadSignature, ValueError, TypeError):
        return None
    if not (isinstance(person_id, int) and isinstance(cluster_id, int) and isinstance(topic, str)):
        return None
    return Unsubscribe(person_id, cluster_id, topic)
