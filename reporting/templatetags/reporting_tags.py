"""What follow-up pages show: a contribution's state, the contribution form's fields."""

from django import template
from django.template.loader import get_template

from livskvalitet.core.text import render_text
from reporting.models import STATES
from reporting.report.citations import with_references

register = template.Library()


@register.filter
def state_badge(contribution, short=""):
    """A contribution's state in words and symbol (templates/reporting/_state.html). Takes
    a contribution or its display state (Contribution.display_state); with "short" the
    word is for screen readers only."""
    display_state = getattr(contribution, "display_state", contribution)
    label, symbol = STATES[display_state]
    return get_template("reporting/_state.html").render(
        {"state": display_state, "label": label, "symbol": symbol, "short": bool(short)}
    )


@register.simple_tag
def state_badges(short=""):
    """Every state's badge (state_badge), rendered once: a page of hundreds of cells (the
    submission overview) looks each one up instead of rendering it again."""
    return {state: state_badge(state, short) for state in STATES}


@register.filter
def get_indicator_field(form, indicator):
    """The bound comment field for an indicator in the contribution form."""
    return form[f"indicator_{indicator.pk}"]


@register.simple_tag(takes_context=True)
def cited(context, text):
    """A strategist's text in the report, its citations made references
    (reporting/report/citations.py): in Bilaga 2 of the document, or in the HTML
    edition the published contribution's page."""
    report = context["report"]
    links = report.reference_links(edition=bool(context.get("edition")))
    return with_references(render_text(text), report.references, links, report.reference_titles)
