"""Event reminders, sent exactly once.

How it works (see docs/events.md):

1. `find_due()` (run by the beat task every minute) lists, per event and
   offset, the confirmed registrations whose reminder is due (due time passed,
   event not started, registration made before the due time) and that have no
   delivery row yet, or only a claim. The beat task fans them out in chunks.
2. `deliver_chunk()` CLAIMS each reminder by inserting a ReminderDelivery row
   (unique on registration + offset; INSERT ... ON CONFLICT DO NOTHING) carrying
   a fresh claim token, then selects the rows holding its token: a reminder
   claimed by another run is left alone. Claims abandoned by a dead worker
   (same host and its process is gone, or older than the stale limit) are taken
   over by moving them to the new token.
3. Each claimed reminder is sent over the chunk's single SMTP connection, then
   at once marked sent (only if the row still holds our token) (one statement that also
   records the in-app notice). A crash before the mark leaves the row
   "claimed" and it is sent again by a later run; the only window for a
   duplicate is a kill between the mail server accepting the message and
   PostgreSQL receiving the mark, a few microseconds of Python.

Modules: due (1.), claims (2.), rendering and delivery (3.).
"""

from .claims import claim, claim_abandoned, stale_after, worker_identity
from .delivery import deliver_chunk
from .due import CHUNK_SIZE, MAX_OFFSET, DueGroup, chunks, find_due
from .rendering import Notice, Renderer, offset_text

__all__ = [
    "CHUNK_SIZE",
    "MAX_OFFSET",
    "DueGroup",
    "Notice",
    "Renderer",
    "chunks",
    "claim",
    "claim_abandoned",
    "deliver_chunk",
    "find_due",
    "offset_text",
    "stale_after",
    "worker_identity",
]
