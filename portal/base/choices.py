"""get_FOO_display() at the cost of one translation, not one per choice.

Django's ``Model._get_FIELD_display`` builds ``dict(make_hashable(field.flatchoices))``
on every call; making each ``(value, label)`` pair hashable hashes the label, and a
lazy label's hash translates it. A field with eight choices costs eight gettext
calls per display, and a list page shows hundreds (the queue: status and urgency
of 50 rows, a fifth of its CPU). This mixin looks the value up in a dict keyed by
the hashable values only and translates just the label it returns: the same
answer, in the active language, for every value.

Put it before ``models.Model`` in a model's bases: fields take the method from the
class they are added to, so it works for every choices field of that model.
"""

from __future__ import annotations

from django.utils.encoding import force_str
from django.utils.hashable import make_hashable


class ChoiceDisplayMixin:
    def _get_FIELD_display(self, field):
        value = getattr(self, field.attname)
        labels = {make_hashable(choice): label for choice, label in field.flatchoices}
        # force_str() to coerce lazy strings (as Django does).
        return force_str(labels.get(make_hashable(value), value), strings_only=True)
