"""What programme pages show: indicator charts, assessments, addresses in an edition."""

from django import template
from django.urls import reverse

from programme.charts import line_chart_svg
from programme.models import ASSESSMENT_SYMBOLS, Assessment

register = template.Library()


@register.simple_tag
def indicator_chart(view, prefix):
    """The indicator's series as an accessible SVG line chart, with ids unique on the page."""
    return line_chart_svg(
        title=view.indicator.title,
        unit=view.indicator.unit,
        series=view.series,
        chart_id=f"chart-{prefix}-{view.indicator.pk}",
    )


@register.filter
def assessment_symbol(value):
    return ASSESSMENT_SYMBOLS.get(value, "")


@register.filter
def assessment_label(value):
    return dict(Assessment.choices).get(value, "")


@register.simple_tag
def programme_url(name, programme, *args):
    """A programme page's address in the edition shown: the short address for the edition
    in force, ``/program/<edition>/…`` for any other, so that a link never silently comes
    to mean another edition's page when a new one takes effect."""
    if programme is None or programme.is_current:
        return reverse(name, args=args)
    return reverse(name, args=[programme.slug, *args])
