"""The topic picker's server side: a native <select multiple> (what the form sends,
with or without JavaScript) in a wrapper that topicpicker.js enhances, each option
carrying the other names it is found by."""

import re

import pytest
from django.urls import reverse

from clusters.models import TopicAlias
from clusters.selectors import topic_aliases
from clusters.widgets import TopicPicker
from tests.factories.clusters import TopicFactory

pytestmark = pytest.mark.django_db


def test_topic_aliases_holds_the_english_name_the_curated_table_and_admin_aliases():
    cell = TopicFactory(name="Cell therapy", slug="cell-therapy")
    TopicAlias.objects.create(topic=cell, language="de", alias="Zellbehandlung")
    plain = TopicFactory(name="Some new topic", slug="some-new-topic")
    names = topic_aliases()
    assert names[plain.pk] == ["Some new topic"]
    assert names[cell.pk][0] == "Cell therapy"
    assert {"Zelltherapie", "thérapie cellulaire", "Zellbehandlung"} <= set(names[cell.pk])


def test_topic_picker_renders_a_native_select_with_aliases_and_texts():
    widget = TopicPicker(aliases={7: ["Cell therapy", "Zelltherapie"]})
    widget.choices = [("7", "Zelltherapie (Technologie)"), ("8", "Oncology <b>")]
    html = widget.render("need_topics", ["7"], attrs={"id": "id_need_topics"})
    assert html.startswith('<div class="topic-picker" data-topic-picker ')
    assert ' data-remove="Remove %(topic)s"' in html
    assert (
        '<select id="id_need_topics" name="need_topics" multiple>'
        '<option value="7" data-aliases="Cell therapy | Zelltherapie" selected>'
        "Zelltherapie (Technologie)</option>"
        '<option value="8">Oncology &lt;b&gt;</option></select></div>'
    ) in html
    assert 'data-many="%(count)s topics selected"' in html


def test_profile_edit_page_loads_the_picker_and_saves_without_javascript(client, member):
    cell = TopicFactory(name="Cell therapy", slug="cell-therapy")
    onco = TopicFactory(name="Oncology", slug="oncology")
    client.force_login(member)
    org = member.organisation
    url = reverse("clusters:organisation_edit", args=[org.slug])
    page = client.get(url).content.decode()
    assert '<script src="/static/js/topicpicker.js" defer></script>' in page
    assert page.count("data-topic-picker") == 3
    assert re.search(rf'<option value="{cell.pk}" data-aliases="[^"]*Zelltherapie[^"]*">', page)
    # What a browser without JavaScript sends: the select's chosen options.
    response = client.post(
        url,
        {
            "name": org.name,
            "kind": org.kind,
            "country": org.country,
            "visibility": org.visibility,
            "need_topics": [cell.pk, onco.pk],
        },
    )
    assert response.status_code == 302
    assert sorted(org.need_topics.values_list("name", flat=True)) == ["Cell therapy", "Oncology"]
