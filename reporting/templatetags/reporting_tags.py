"""What follow-up pages show: a contribution's state, the contribution form's fields."""

from django import template
from django.template.loader import get_template

from reporting.models import STATES

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


@register.filter
def get_indicator_field(form, indicator):
    """The bound comment field for an indicator in the contribution form."""
    return form[f"indicator_{indicator.pk}"]
