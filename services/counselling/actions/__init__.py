"""Writes of counselling requests (the catalogue's are in services/catalogue/actions.py)."""

from .requests import (
    request_auto_close,
    request_message_post,
    request_move,
    request_rate,
    request_submit,
    send_overdue_digests,
)

__all__ = [
    "request_auto_close",
    "request_message_post",
    "request_move",
    "request_rate",
    "request_submit",
    "send_overdue_digests",
]
