"""What follow-up pages show: a contribution's state, the contribution form's fields."""

import functools

from django import template
from django.utils import translation
from django.utils.html import format_html

from reporting.models import STATES

register = template.Library()


@register.filter
def state_badge(contribution, short=""):
    """A contribution's state in words and symbol (reporting.models.STATES), so that no
    state rests on colour alone. With "short" the word is for screen readers only."""
    return state_badge_of(contribution.display_state, short=bool(short))


def state_badge_of(display_state: str, *, short: bool = False):
    """state_badge for a display state (Contribution.display_state_of), for pages that
    list many contributions as values."""
    return _state_badge(display_state, short, translation.get_language())


@functools.lru_cache(maxsize=64)
def _state_badge(display_state: str, short: bool, language: str | None):
    label, symbol = STATES[display_state]
    if short:
        label = format_html('<span class="visually-hidden">{}</span>', label)
    return format_html(
        '<span class="state state-{}"><span aria-hidden="true">{}</span> {}</span>',
        display_state,
        symbol,
        label,
    )


@register.filter
def get_indicator_field(form, indicator):
    """The bound comment field for an indicator in the contribution form."""
    return form[f"indicator_{indicator.pk}"]
