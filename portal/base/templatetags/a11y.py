"""Accessibility building blocks shared by the templates."""

from django import template
from django.utils.html import format_html

register = template.Library()


class ScrollRegionNode(template.Node):
    def __init__(self, labelledby, nodelist):
        self.labelledby = labelledby
        self.nodelist = nodelist

    def render(self, context):
        return format_html(
            '<div class="table-scroll" role="region" aria-labelledby="{}" tabindex="0">{}</div>',
            self.labelledby.resolve(context),
            self.nodelist.render(context),
        )


@register.tag
def scrollregion(parser, token):
    """{% scrollregion "caption-id" %}<table>…</table>{% endscrollregion %}

    A wide data table scrolls sideways inside this box instead of the whole page
    (WCAG 1.4.10 exempts data tables): the box is a region named by the element
    with the given id (the table's caption or its section heading) and a Tab stop,
    so keyboard users can scroll it with the arrow keys.
    """
    bits = token.split_contents()
    if len(bits) != 2:
        raise template.TemplateSyntaxError("{% scrollregion %} takes the id of its label")
    nodelist = parser.parse(("endscrollregion",))
    parser.delete_first_token()
    return ScrollRegionNode(parser.compile_filter(bits[1]), nodelist)


@register.inclusion_tag("portal/_error_summary.html")
def error_summary(form):
    """The summary at the top of a form sent with errors (WCAG 3.3.1, 3.3.3): the
    errors not tied to a visible field as text, then one link per field error."""
    if not form.errors:
        return {"show": False}
    general = list(form.non_field_errors())
    fields = []
    for field in form:
        if field.is_hidden:
            general += [f"{field.label}: {e}" for e in field.errors]
            continue
        # Radio and checkbox groups have no single control: link to the first option.
        target = f"{field.auto_id}_0" if field.use_fieldset else field.id_for_label
        fields += [(target, field.label, e) for e in field.errors]
    prefix = form.prefix or "form"
    return {
        "show": True,
        "summary_id": f"{prefix}-error-summary",
        "general": general,
        "fields": fields,
    }
