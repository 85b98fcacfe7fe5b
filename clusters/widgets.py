"""Choice widgets that render their options in Python.

Django renders every <option> and checkbox through its own template; the
directory's filter form has some 200 of them, which cost more than all of the
page's queries together (bench/directory). These widgets produce the same
markup as Django's (ids, labels, optgroups) with plain string building.
"""

from __future__ import annotations

from django import forms
from django.forms.utils import flatatt
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _


def _groups(choices):
    """(group label or None, [(value, label), ...]) in order."""
    loose: list = []
    for value, label in choices:
        if isinstance(label, list | tuple):
            if loose:
                yield None, loose
                loose = []
            yield value, list(label)
        else:
            loose.append((value, label))
    if loose:
        yield None, loose


def _selected(widget, value) -> set[str]:
    return {str(v) for v in widget.format_value(value)}


class _EmptyIsNothing:
    """Submitted values without empty ones: an empty value means "nothing chosen",
    not an unknown choice (portal.base.filtering names unknown ones)."""

    def value_from_datadict(self, data, files, name):
        values = super().value_from_datadict(data, files, name)
        return [v for v in values if v != ""] if isinstance(values, list) else values


class FastSelect(forms.Select):
    """One choice, as Django's Select renders it: the first option whose value is
    the field's value is selected (the empty one when nothing is chosen)."""

    def render(self, name, value, attrs=None, renderer=None):
        final = self.build_attrs(self.attrs, attrs)
        selected = _selected(self, value)
        out = [f'<select name="{conditional_escape(name)}"{flatatt(final)}>']
        found = False
        for group, options in _groups(self.choices):
            if group is not None:
                out.append(format_html('<optgroup label="{}">', group))
            for v, label in options:
                sel = ""
                if not found and str(v) in selected:
                    sel, found = " selected", True
                out.append(
                    f'<option value="{conditional_escape(v)}"{sel}>{conditional_escape(label)}</option>'
                )
            if group is not None:
                out.append("</optgroup>")
        out.append("</select>")
        return mark_safe("".join(out))  # noqa: S308  # nosec B308 B703


class FastSelectMultiple(_EmptyIsNothing, forms.SelectMultiple):
    def option_extra(self, value) -> str:
        """More attributes of one <option> (already escaped), for subclasses."""
        return ""

    def render(self, name, value, attrs=None, renderer=None):
        final = self.build_attrs(self.attrs, attrs)
        final["name"] = name
        selected = _selected(self, value)
        out = [f"<select{flatatt(final)} multiple>"]
        for group, options in _groups(self.choices):
            if group is not None:
                out.append(format_html('<optgroup label="{}">', group))
            for v, label in options:
                sel = " selected" if str(v) in selected else ""
                out.append(
                    f'<option value="{conditional_escape(v)}"{self.option_extra(v)}{sel}>'
                    f"{conditional_escape(label)}</option>"
                )
            if group is not None:
                out.append("</optgroup>")
        out.append("</select>")
        return mark_safe("".join(out))  # noqa: S308  # nosec B308 B703


class TopicPicker(FastSelectMultiple):
    """A native <select multiple> of topics that static/js/topicpicker.js turns into a
    searchable combobox with chips (docs/design.md, "Topic picker"). The select stays
    in the form and is what is submitted; without JavaScript it is used as it is.

    `aliases`: topic id -> other names (in every language), searched as well as the
    label; a mapping or a lazy object, read once when the widget is drawn.
    """

    def __init__(self, attrs=None, aliases=None):
        super().__init__(attrs)
        self.aliases = aliases if aliases is not None else {}

    def __deepcopy__(self, memo):
        copied = super().__deepcopy__(memo)
        copied.aliases = self.aliases  # shared: a lazy lookup is run once per form
        return copied

    def option_extra(self, value) -> str:
        key = getattr(value, "value", value)  # ModelChoiceIteratorValue or a plain id
        try:
            names = self.aliases.get(int(key), ())
        except (TypeError, ValueError):
            names = ()
        if not names:
            return ""
        return f' data-aliases="{conditional_escape(" | ".join(names))}"'

    def render(self, name, value, attrs=None, renderer=None):
        select = super().render(name, value, attrs, renderer)
        texts = {
            "data-remove": _("Remove %(topic)s"),
            "data-none": _("No topic selected"),
            "data-one": _("1 topic selected"),
            "data-many": _("%(count)s topics selected"),
            "data-nomatch": _("No topic matches “%(query)s”."),
            "data-chosen": _("Chosen topics"),
            "data-hint": _(
                "Type to search, Down arrow to browse, Enter to choose or remove a topic."
            ),
        }
        return format_html(
            '<div class="topic-picker" data-topic-picker{}>{}</div>', flatatt(texts), select
        )


class FastCheckboxSelectMultiple(_EmptyIsNothing, forms.CheckboxSelectMultiple):
    def render(self, name, value, attrs=None, renderer=None):
        final = self.build_attrs(self.attrs, attrs)
        base_id = final.get("id", "")
        selected = _selected(self, value)
        out = [f'<div id="{conditional_escape(base_id)}">' if base_id else "<div>"]
        index = 0
        for group, options in _groups(self.choices):
            if group is not None:
                out.append(format_html("<div><label>{}</label>", group))
            for v, label in options:
                oid = f"{base_id}_{index}" if base_id else ""
                checked = " checked" if str(v) in selected else ""
                id_attr = f' id="{conditional_escape(oid)}"' if oid else ""
                for_attr = f' for="{conditional_escape(oid)}"' if oid else ""
                out.append(
                    f'<div><label{for_attr}><input type="checkbox" name="{conditional_escape(name)}"'
                    f' value="{conditional_escape(v)}"{id_attr}{checked}> '
                    f"{conditional_escape(label)}</label></div>"
                )
                index += 1
            if group is not None:
                out.append("</div>")
        out.append("</div>")
        return mark_safe("".join(out))  # noqa: S308  # nosec B308 B703
