"""The availability day grid: the slots of the cooperation profile as one fieldset per
event day (its date the legend), one native checkbox per slot labelled with its time.

CSS draws the checkboxes as toggle cells; static/js/daygrid.js adds "All day" and
"None" per day. Without JavaScript it is a plain, grouped list of checkboxes."""

from __future__ import annotations

from django import forms
from django.forms.renderers import TemplatesSetting
from django.utils.formats import date_format, time_format


class DayGridWidget(forms.CheckboxSelectMultiple):
    template_name = "brokerage/widgets/day_grid.html"

    def __init__(self, *args, tz=None, busy=frozenset(), **kwargs):
        """`tz`: the zone the times are shown in; `busy`: ids of the slots that hold
        one of the person's scheduled meetings (they cannot be dropped)."""
        super().__init__(*args, **kwargs)
        self.tz = tz
        self.busy = frozenset(busy)

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        days: list[dict] = []
        for _group, options, _index in context["widget"]["optgroups"]:
            for option in options:
                slot = option["value"].instance
                start, end = slot.start.astimezone(self.tz), slot.end.astimezone(self.tz)
                if not days or days[-1]["date"] != start.date():
                    days.append(
                        {
                            "date": start.date(),
                            "label": date_format(start, "WEEKDAY_DATE_FORMAT"),
                            "id": f"{attrs.get('id') or name}_day{len(days)}",
                            "options": [],
                        }
                    )
                option["time"] = f"{time_format(start, 'H:i')}–{time_format(end, 'H:i')}"
                option["busy"] = slot.pk in self.busy
                days[-1]["options"].append(option)
        context["widget"]["days"] = days
        return context

    def _render(self, template_name, context, renderer=None):
        # The project's engine: the template lives in templates/brokerage/ like the pages.
        return super()._render(template_name, context, TemplatesSetting())
