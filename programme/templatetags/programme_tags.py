"""What programme pages show: indicator charts, assessments, addresses in an edition."""

from urllib.parse import urlencode

from django import template
from django.urls import reverse

from programme.charts import line_chart_svg
from programme.comparison import comparison_rule as _comparison_rule
from programme.models import ASSESSMENT_SYMBOLS, Assessment
from programme.targets import target_rule as _target_rule

register = template.Library()


@register.simple_tag
def indicator_chart(view, prefix):
    """The indicator's series as an accessible SVG line chart, with ids unique on the page."""
    return line_chart_svg(
        title=view.indicator.title,
        unit=view.indicator.unit_shown,
        series=view.series,
        chart_id=f"chart-{prefix}-{view.indicator.pk}",
        decimals=view.indicator.decimals,
        targets=[
            (j.target.year, j.target.value, (j.base_year, j.base) if j.base_year else None)
            for j in view.targets
        ],
    )


@register.simple_tag
def target_rule():
    return _target_rule()


@register.simple_tag
def comparison_rule():
    return _comparison_rule()


@register.filter
def focus_areas_for(levels, count):
    """What the programme calls one focus area or several (``levels``: Programme.levels),
    for a sentence that counts them: its plural forms then name the level alike."""
    return levels.focus_area if count == 1 else levels.focus_areas


@register.filter
def any_targets(views):
    return any(view.targets for view in views)


@register.filter
def any_comparisons(views):
    return any(view.comparison for view in views)


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


@register.simple_tag
def open_data_url(name, programme, *args, **query):
    """An open data address for the edition shown: the API answers for the edition in
    force unless asked for another with ``?edition=``; ``query`` adds filters."""
    if programme is not None and not programme.is_current:
        query = {"edition": programme.slug, **query}
    url = reverse(name, args=args)
    return f"{url}?{urlencode(query)}" if query else url
