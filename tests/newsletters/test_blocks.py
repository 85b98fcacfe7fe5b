import pytest

from clusters.newsletters import blocks
from clusters.newsletters.rendering import body_parts, render_mailing
from tests.factories.events import EventFactory

pytestmark = pytest.mark.django_db


def test_events_registers_its_block_from_its_app_config():
    assert [b.name for b in blocks.registered()] == ["upcoming_events"]


def test_upcoming_events_block_lists_public_and_network_events_only(cluster):
    EventFactory(cluster=cluster, title="Open day", slug="open-day", audience="public")
    EventFactory(cluster=cluster, title="Members' dinner", slug="dinner", audience="cluster")
    html, text = body_parts(
        "Intro\n\n[[block:upcoming_events]]\n\nBye", cluster=cluster, language="en"
    )
    assert html.startswith("<p>Intro</p>\n\n<h2>Upcoming events</h2>")
    assert '/events/open-day/">Open day</a>' in html
    assert "dinner" not in html.lower()
    assert html.endswith("<p>Bye</p>\n")
    assert "- Open day, " in text and "/events/open-day/" in text


def test_unknown_block_is_dropped(cluster):
    html, text = body_parts("[[block:nothing_here]]\n\nHello", cluster=cluster, language="en")
    assert (html, text) == ("<p>Hello</p>\n", "Hello")


def test_block_in_a_sent_mailing(news_world, mailing):
    EventFactory(
        cluster=news_world["cluster"], title="Open day", slug="open-day", audience="network"
    )
    mailing.body_markdown = "[[block:upcoming_events]]"
    rendered = render_mailing(mailing, news_world["people"]["sme_fr_admin"])
    assert "Open day" in rendered.html and "Open day" in rendered.text
