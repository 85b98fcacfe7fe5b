"""Topic names are reference data, translated through the catalogues (issue 15, 2.13)."""

import re

from django.urls import reverse
from django.utils import translation

from clusters.demo_data import TOPICS
from clusters.reference import marked_topic_names, topic_name
from tests.factories.clusters import TopicFactory


def test_every_seeded_topic_has_a_translation_entry():
    seeded = {name for names in TOPICS.values() for name in names}
    assert seeded - marked_topic_names() == set()


def test_topic_names_are_translated_and_unknown_ones_kept():
    with translation.override("de"):
        assert topic_name("Clinical trials") == "Klinische Studien"
        assert topic_name("Space biology") == "Space biology"
        assert topic_name("") == ""
    with translation.override("it"):
        assert topic_name("Clinical trials") == "Sperimentazioni cliniche"


def test_directory_in_german_shows_german_topic_names(client, member):
    trials = TopicFactory(name="Clinical trials", slug="clinical-trials", group="service")
    member.organisation.offer_topics.set([trials])
    member.language = "de"
    member.save()
    client.force_login(member)
    html = client.get(reverse("clusters:directory")).content.decode()
    assert "<li>Klinische Studien</li>" in html  # on the card
    assert re.search(rf'<option value="{trials.pk}"[^>]*>Klinische Studien</option>', html)
    # The English name stays only as a search term of the topic picker, not shown.
    assert "Clinical trials" not in re.sub(r' data-aliases="[^"]*"', "", html)


def test_profile_form_offers_topics_in_german(client, member):
    TopicFactory(name="Clinical trials", slug="clinical-trials", group="service")
    member.language = "de"
    member.save()
    client.force_login(member)
    url = reverse("clusters:organisation_edit", args=[member.organisation.slug])
    form = client.get(url).context["form"]
    labels = [label for _value, label in form.fields["offer_topics"].choices]
    assert any(label.startswith("Klinische Studien (") for label in labels)
    assert not any(label.startswith("Clinical trials") for label in labels)
