"""Reminder emails, built fast: one MIME template per (event, offset, language,
seat type, the person's own time zone), copied per recipient.

Rendering templates and flattening a MIME tree cost a few milliseconds per
message in Python, which alone would cap one worker below the throughput the
reminders need (20,000 due at once). Everything in a reminder is the same for
every recipient of one event, offset, language, seat type and time zone except the
greeting's name, the To address, the Message-ID and the reminder reference
header. So the message is rendered and flattened once with placeholders and
each recipient's copy is made by substituting those bytes. The placeholders
contain non-ASCII characters so the text parts are declared 8bit, which the
substituted names may need.
"""

from __future__ import annotations

from email import encoders
from email.mime.base import MIMEBase
from email.utils import make_msgid

from django.core.mail import EmailMessage, EmailMultiAlternatives
from django.utils import translation
from django.utils.html import escape

from portal.base.email_layout import render_email

NAME_TEXT = "\u27e6name\u27e7"  # ⟦name⟧
NAME_HTML = "\u27e6hname\u27e7"
TO = "recipient@placeholder.invalid"
MSGID = "<message-id@placeholder.invalid>"
REF = "reminder-ref-placeholder"


class PlaceholderPerson:
    """Stands for the recipient in the wrapper templates."""

    def __init__(self, display_name: str, language: str, time_zone: str = ""):
        self.display_name = display_name
        self.language = language
        self.time_zone = time_zone


class _RawMessage:
    """What backends need from `EmailMessage.message()`: the bytes."""

    def __init__(self, raw: bytes):
        self.raw = raw

    def as_bytes(self, unixfrom: bool = False, linesep: str = "\n") -> bytes:
        return self.raw if linesep == "\n" else self.raw.replace(b"\n", linesep.encode())

    def as_string(self, unixfrom: bool = False, linesep: str = "\n") -> str:
        return self.as_bytes(linesep=linesep).decode()

    def get_charset(self):
        return None


class PreparedEmail(EmailMessage):
    """An EmailMessage whose MIME bytes were prepared already."""

    def __init__(self, raw: bytes, **kwargs):
        super().__init__(**kwargs)
        self._raw = raw

    def message(self, *, policy=None):
        return _RawMessage(self._raw)


class ReminderTemplate:
    def __init__(
        self,
        *,
        subject: str,
        body: str,
        url: str,
        language: str,
        ics: bytes,
        filename: str,
        brand: dict | None = None,
    ):
        self.subject = subject
        self.body = body
        self.url = url
        self.filename = filename
        self.ics = ics
        with translation.override(language):
            self.text, _html = render_email(
                recipient=PlaceholderPerson(NAME_TEXT, language),
                subject=subject,
                body=body,
                url=url,
                brand=brand,
            )
            _text, html = render_email(
                recipient=PlaceholderPerson(NAME_HTML, language),
                subject=subject,
                body=body,
                url=url,
                brand=brand,
            )
        msg = EmailMultiAlternatives(
            subject, self.text, to=[TO], headers={"Message-ID": MSGID, "X-Portal-Reminder": REF}
        )
        msg.attach_alternative(html, "text/html")
        self.html = html
        part = MIMEBase("text", "calendar", method="PUBLISH", charset="utf-8")
        part.set_payload(ics)
        encoders.encode_base64(part)
        part.add_header("Content-Disposition", "attachment", filename=filename)
        msg.attach(part)
        self.raw = msg.message().as_bytes()
        assert self.raw.count(MSGID.encode()) == 1 and self.raw.count(TO.encode()) == 1

    def email_for(self, *, name: str, email: str, ref: str, connection) -> EmailMessage:
        if not email.isascii():
            return self._slow(name=name, email=email, ref=ref, connection=connection)
        raw = (
            self.raw.replace(TO.encode(), email.encode(), 1)
            .replace(MSGID.encode(), make_msgid(domain="biocluster-portal").encode(), 1)
            .replace(REF.encode(), ref.encode(), 1)
            .replace(NAME_TEXT.encode(), name.encode())
            .replace(NAME_HTML.encode(), escape(name).encode())
        )
        return PreparedEmail(
            raw,
            subject=self.subject,
            body=self.text.replace(NAME_TEXT, name),
            to=[email],
            headers={"X-Portal-Reminder": ref},
            attachments=[(self.filename, self.ics.decode(), "text/calendar")],
            connection=connection,
        )

    def _slow(self, *, name, email, ref, connection) -> EmailMessage:
        """The ordinary way, for addresses that need encoding."""
        msg = EmailMultiAlternatives(
            self.subject,
            self.text.replace(NAME_TEXT, name),
            to=[email],
            headers={"X-Portal-Reminder": ref},
            connection=connection,
        )
        msg.attach_alternative(self.html.replace(NAME_HTML, escape(name)), "text/html")
        msg.attach(self.filename, self.ics.decode(), "text/calendar")
        return msg
