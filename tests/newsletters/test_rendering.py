import pytest

from clusters.newsletters.models import MailingVersion
from clusters.newsletters.rendering import render_mailing
from clusters.newsletters.sanitise import html_to_text, markdown_to_html

pytestmark = pytest.mark.django_db


def test_typed_html_is_text_not_markup():
    html = markdown_to_html('Hi <script>alert(1)</script> <img src=x onerror="alert(1)">')
    assert html == (
        '<p>Hi &lt;script&gt;alert(1)&lt;/script&gt; &lt;img src=x onerror="alert(1)"&gt;</p>\n'
    )


def test_javascript_links_lose_their_target():
    html = markdown_to_html("[click](javascript:alert(1)) and [ok](https://example.org/a)")
    # markdown-it refuses the link (it stays text); nh3 would drop the href anyway.
    assert html == (
        '<p>[click](javascript:alert(1)) and <a href="https://example.org/a" '
        'rel="noopener noreferrer">ok</a></p>\n'
    )
    assert 'href="javascript' not in markdown_to_html("<a href='javascript:x'>x</a>")


def test_allow_list_keeps_formatting_and_drops_the_rest():
    from clusters.newsletters.sanitise import clean_html

    dirty = (
        '<h1>Big</h1><p onclick="x" style="color:red">a <strong>b</strong> <em>c</em></p>'
        '<script>evil()</script><a href="javascript:x">j</a><a href="mailto:a@b.org">m</a>'
        '<img src="http://plain.org/i.png" alt="p"><img src="https://safe.org/i.png" '
        'onerror="x" alt="s"><iframe src="https://x.org"></iframe>'
    )
    assert clean_html(dirty) == (
        'Big<p>a <strong>b</strong> <em>c</em></p><a rel="noopener noreferrer">j</a>'
        '<a href="mailto:a@b.org" rel="noopener noreferrer">m</a><img alt="p">'
        '<img src="https://safe.org/i.png" alt="s">'
    )


def test_plain_text_keeps_link_targets_and_lists():
    html = markdown_to_html("## News\n\nSee [the site](https://example.org).\n\n- one\n- two\n")
    assert html_to_text(html) == "News\n\nSee the site (https://example.org).\n\n- one\n- two"


def test_mail_in_the_recipients_language_with_footer(news_world, mailing):
    person = news_world["people"]["sme_fr_admin"]
    person.language = "fr"
    MailingVersion.objects.create(
        mailing=mailing,
        language="fr",
        subject="Nouvelles",
        preheader="Mars",
        body_markdown="Bonjour",
    )
    rendered = render_mailing(mailing, person)
    assert rendered.subject == "Nouvelles"
    assert "<p>Bonjour</p>" in rendered.html
    assert "Mars" in rendered.html  # the hidden preheader
    assert rendered.unsubscribe_url in rendered.html
    assert rendered.unsubscribe_url in rendered.text
    assert "Bonjour" in rendered.text


def test_language_without_version_falls_back_to_the_mailing(news_world, mailing):
    person = news_world["people"]["sme_fr_admin"]
    person.language = "de"
    rendered = render_mailing(mailing, person)
    assert rendered.subject == "Spring news"
    assert "<h2>Hello</h2>" in rendered.html
    assert "We moved. See our site (https://example.org)." in rendered.text
    assert news_world["cluster"].name in rendered.html
