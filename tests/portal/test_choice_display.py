"""portal.base.choices: get_FOO_display() gives Django's answer in every language."""

import pytest
from django.apps import apps
from django.db import models
from django.utils import translation

from portal.base.choices import ChoiceDisplayMixin
from services.counselling.enums import RequestStatus
from services.counselling.models import CounsellingRequest

MODELS = [m for m in apps.get_models() if issubclass(m, ChoiceDisplayMixin)]


def test_the_hot_models_use_the_mixin():
    names = {m.__name__ for m in MODELS}
    assert {"CounsellingRequest", "Organisation", "Membership", "Booking", "Registration"} <= names


@pytest.mark.parametrize("language", ["en", "de", "fr"])
def test_every_choice_field_answers_as_django_does(language):
    checked = 0
    with translation.override(language):
        for model in MODELS:
            for field in model._meta.concrete_fields:
                if not field.choices:
                    continue
                obj = model()
                for value in [*(v for v, _label in field.flatchoices), "not-a-choice", None]:
                    setattr(obj, field.attname, value)
                    ours = getattr(obj, f"get_{field.name}_display")()
                    assert ours == models.Model._get_FIELD_display(obj, field), (model, value)
                    checked += 1
    assert checked > 100


def test_the_label_is_in_the_active_language():
    request = CounsellingRequest(status=RequestStatus.SUBMITTED)
    with translation.override("de"):
        german = request.get_status_display()
    with translation.override("en"):
        english = request.get_status_display()
    assert english == "Submitted" and german != english
