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
                    f'<option value="{conditional_escape(v)}"{sel}>{conditional_escape(label)}</option>'
                )
            if group is not None:
                out.append("</optgroup>")
        out.append("</select>")
        return mark_safe("".join(out))  # noqa: S308  # nosec B308 B703


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
