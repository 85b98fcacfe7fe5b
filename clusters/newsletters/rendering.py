"""What a mailing looks like in one recipient's mail: subject, HTML in the cluster's
layout, and the plain-text part, in the recipient's language."""

from __future__ import annotations

from typing import NamedTuple
from urllib.parse import quote

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.safestring import mark_safe

from portal.base.site import site_name

from . import blocks
from .models import Mailing
from .sanitise import html_to_text, markdown_to_html
from .tokens import make_token


class Rendered(NamedTuple):
    subject: str
    html: str
    text: str
    unsubscribe_url: str
    unsubscribe_mailto: str


def unsubscribe_url(token: str) -> str:
    return settings.SITE_URL.rstrip("/") + reverse("newsletters:unsubscribe", args=[token])


def unsubscribe_mailto(token: str) -> str:
    return f"mailto:{settings.NEWSLETTER_UNSUBSCRIBE_EMAIL}?subject={quote('unsubscribe ' + token)}"


def body_parts(markdown: str, *, cluster, language: str) -> tuple[str, str]:
    """The body as (safe HTML, plain text): Markdown segments sanitised, block lines
    (`[[block:name]]`) replaced by the registered block's output."""
    html, text = [], []
    pos = 0
    for match in blocks.LINE.finditer(markdown):
        segment = markdown_to_html(markdown[pos : match.start()])
        html.append(segment)
        text.append(html_to_text(segment))
        block = blocks.get(match.group(1))
        if block is not None:
            out = block.render(cluster=cluster, language=language)
            html.append(out.html)
            text.append(out.text)
        pos = match.end()
    segment = markdown_to_html(markdown[pos:])
    html.append(segment)
    text.append(html_to_text(segment))
    return "\n".join(h for h in html if h), "\n\n".join(t for t in text if t)


def render_mailing(mailing: Mailing, person) -> Rendered:
    language = person.language or mailing.language
    version = mailing.version_for(language)
    token = make_token(person.pk, mailing.cluster_id, mailing.topic)
    with translation.override(language):
        body_html, body_text = body_parts(
            version.body_markdown, cluster=mailing.cluster, language=language
        )
        context = {
            "mailing": mailing,
            "subject": version.subject,
            "preheader": version.preheader,
            "cluster": mailing.cluster,
            "topic_label": mailing.get_topic_display(),
            "person": person,
            "language": language,
            "body_html": mark_safe(body_html),  # noqa: S308  # nosec B308 B703 (sanitised above)
            "body_text": body_text,
            "unsubscribe_url": unsubscribe_url(token),
            "preferences_url": settings.SITE_URL.rstrip("/") + reverse("newsletters:preferences"),
            "site_name": site_name(),
        }
        html = render_to_string("newsletters/email/mailing.html", context)
        text = render_to_string("newsletters/email/mailing.txt", context)
    return Rendered(
        " ".join(version.subject.split()),
        html,
        text,
        context["unsubscribe_url"],
        unsubscribe_mailto(token),
    )
