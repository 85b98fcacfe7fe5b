"""Writes of counselling requests (the catalogue's are in services/catalogue/actions.py):
submission, workflow moves, the conversation and rating, the managers' digests."""

from .conversation import request_message_post, request_rate
from .digests import send_overdue_digests
from .moves import request_auto_close, request_move
from .submission import due_date_for, request_submit

__all__ = [
    "due_date_for",
    "request_auto_close",
    "request_message_post",
    "request_move",
    "request_rate",
    "request_submit",
    "send_overdue_digests",
]
