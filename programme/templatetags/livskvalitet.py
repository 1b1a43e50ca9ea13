from crispy_forms.templatetags.crispy_forms_filters import as_crispy_field, as_crispy_form
from django import template
from django.template.loader import get_template
from django.urls import reverse

from livskvalitet.text import isolated, render_text

register = template.Library()


@register.filter
def richtext(text):
    """User text as blocks: escaped, with its paragraphs, lists and links (text.py)."""
    return render_text(text)


@register.filter
def bdi(text):
    """User text inline among the app's words: escaped and bidi-isolated."""
    return isolated(text)


@register.filter
def person(user):
    """Who did something: full name or user name, isolated; a dash for nobody."""
    if user is None:
        return "–"
    return isolated(user.get_full_name() or user.get_username())


@register.filter
def lookup(mapping, key):
    """mapping[key], or the key itself where the mapping has none."""
    if not mapping:
        return key
    return mapping.get(key, key)


@register.filter
def spreadsheet_row(number):
    """The row number a user sees in a spreadsheet, with the header as row 1."""
    try:
        return int(number) + 1
    except (TypeError, ValueError):
        return number


@register.simple_tag
def indicator_chart(view, prefix):
    """The indicator's series as an accessible SVG line chart, with ids unique on the page."""
    from programme.charts import line_chart_svg

    return line_chart_svg(
        title=view.indicator.title,
        unit=view.indicator.unit,
        series=view.series,
        chart_id=f"chart-{prefix}-{view.indicator.pk}",
    )


@register.filter
def assessment_symbol(value):
    from programme.models import ASSESSMENT_SYMBOLS

    return ASSESSMENT_SYMBOLS.get(value, "")


@register.filter
def assessment_label(value):
    from programme.models import Assessment

    return dict(Assessment.choices).get(value, "")


@register.filter
def get_indicator_field(form, indicator):
    """The bound comment field for an indicator in the contribution form."""
    return form[f"indicator_{indicator.pk}"]


@register.simple_tag
def programme_url(name, programme, *args):
    """A programme page's address in the edition shown: the short address for the edition
    in force, ``/program/<edition>/…`` for any other, so that a link never silently comes
    to mean another edition's page when a new one takes effect."""
    if programme is None or programme.is_current:
        return reverse(name, args=args)
    return reverse(name, args=[programme.slug, *args])


@register.filter
def state_badge(contribution, short=""):
    """A contribution's state in words and symbol (templates/reporting/_state.html). Takes
    a contribution or its display state (Contribution.display_state); with "short" the
    word is for screen readers only."""
    display_state = getattr(contribution, "display_state", contribution)
    return state_badge_of(display_state, short=bool(short))


def state_badge_of(display_state: str, *, short: bool = False):
    """state_badge for a display state, for views that still make rows in Python (the
    cycle page, until it is redone)."""
    from reporting.models import STATES

    label, symbol = STATES[display_state]
    return get_template("reporting/_state.html").render(
        {"state": display_state, "label": label, "symbol": symbol, "short": short}
    )


# crispy's own filters under the names the cycle page still uses; being replaced there by
# crispy's names (issue 18), after which these two go.
@register.filter
def as_field(field):
    """``field|as_crispy_field``."""
    return as_crispy_field(field)


@register.filter
def as_form(form):
    """``form|crispy``."""
    return as_crispy_form(form)
