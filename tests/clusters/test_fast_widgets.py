"""clusters.widgets: the same markup as Django's widgets, built without templates."""

import pytest
from django import forms
from django.test.html import parse_html

from clusters.widgets import FastSelect, FastSelectMultiple

CHOICES = [("", "Any"), ("a", "Apple & pear"), ("b", "<b>Bold</b>"), (3, "Three")]
GROUPED = [("", "Any"), ("Fruit", [("a", "Apple"), ("b", "Banana")]), ("c", "Cherry")]


def html(widget, value, attrs=None):
    return parse_html(widget.render("field", value, attrs=attrs))


@pytest.mark.parametrize("choices", [CHOICES, GROUPED])
@pytest.mark.parametrize("value", [None, "", "a", "b", 3, "3", "unknown"])
def test_select_matches_django(choices, value):
    attrs = {"id": "id_field", "aria-describedby": "id_field_helptext", "required": True}
    ours = html(FastSelect(choices=choices), value, attrs)
    assert ours == html(forms.Select(choices=choices), value, attrs)


def test_select_marks_only_the_first_matching_option():
    choices = [("x", "One"), ("x", "Again")]
    assert html(FastSelect(choices=choices), "x") == html(forms.Select(choices=choices), "x")


@pytest.mark.parametrize("value", [None, [], ["a"], ["a", "c"]])
def test_select_multiple_matches_django(value):
    attrs = {"id": "id_field"}
    ours = html(FastSelectMultiple(choices=GROUPED[1:]), value, attrs)
    assert ours == html(forms.SelectMultiple(choices=GROUPED[1:]), value, attrs)


def test_select_of_a_model_choice_field(db):
    from clusters.models import Cluster

    a = Cluster.objects.create(name="Alpha", slug="alpha", country="FR")
    Cluster.objects.create(name="Beta", slug="beta", country="BE")
    field = forms.ModelChoiceField(Cluster.objects.order_by("name"), empty_label="All")
    fast = forms.ModelChoiceField(Cluster.objects.order_by("name"), widget=FastSelect)
    fast.empty_label = "All"
    for value in (None, a.pk, str(a.pk)):
        assert parse_html(fast.widget.render("c", value)) == parse_html(
            field.widget.render("c", value)
        )
