"""Writes of the services app (catalogue and counselling requests)."""

from .offerings import offering_create, offering_update
from .requests import (
    request_auto_close,
    request_message_post,
    request_move,
    request_rate,
    request_submit,
    send_overdue_digests,
)

__all__ = [
    "offering_create",
    "offering_update",
    "request_auto_close",
    "request_message_post",
    "request_move",
    "request_rate",
    "request_submit",
    "send_overdue_digests",
]
