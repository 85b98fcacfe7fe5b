"""Topic aliases managers add in the admin reach partner matching (issue 18)."""

from __future__ import annotations

from django.contrib import admin

from clusters.admin import TopicAliasInline
from clusters.models import Topic, TopicAlias
from clusters.partners.actions import suggestions_recompute_all
from clusters.partners.selectors import matching_aliases

from .conftest import current, topics


def test_an_alias_added_in_the_admin_links_a_need_to_an_offer_in_other_words(make_org):
    neocell = make_org("NeoCell", need=["Cell therapy"], needs="Cell therapy manufacturing.")
    make_org("Bavaria Cells", kind="provider", offers="Wir bieten Zellbehandlung an.")
    suggestions_recompute_all()
    assert current(neocell) == []  # "Zellbehandlung" is in no table yet

    [cell] = topics("Cell therapy")
    TopicAlias.objects.create(topic=cell, language="de", alias="Zellbehandlung")
    suggestions_recompute_all()
    assert current(neocell) == ["Bavaria Cells"]


def test_matching_aliases_are_the_repository_table_plus_the_admin_ones(db):
    [cell] = topics("Cell therapy")
    TopicAlias.objects.create(topic=cell, language="it", alias="cellule terapeutiche")
    rows = matching_aliases()
    assert ("Cell therapy", "de", "Zelltherapie") in rows  # from the CSV
    assert rows[-1] == ("Cell therapy", "it", "cellule terapeutiche")


def test_topic_admin_edits_aliases_inline():
    assert TopicAliasInline in admin.site._registry[Topic].inlines
