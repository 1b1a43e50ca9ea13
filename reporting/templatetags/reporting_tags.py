from django import template

from ..richtext import render_text

register = template.Library()


@register.filter
def richtext(text):
    """User text as sanitised HTML: paragraphs, lists, bold and links only."""
    return render_text(text)
