"""The one sanitiser for text that users write: paragraphs, lists, bold and links only."""

import html

import markdown
import nh3
from django.utils.safestring import mark_safe

ALLOWED_TAGS = {"p", "br", "ul", "ol", "li", "strong", "b", "a"}
ALLOWED_ATTRIBUTES = {"a": {"href"}}
URL_SCHEMES = {"http", "https", "mailto"}


def _clean_html(text: str) -> str:
    return nh3.clean(
        text,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer",
    )


def clean_text(text: str) -> str:
    """What is stored: the user's text with every disallowed tag removed.

    Entities are decoded again so that "&" stays "&" in the form; repeating until
    nothing changes removes tags that were smuggled in as entities.
    """
    text = (text or "").replace("\r\n", "\n").strip()
    for _ in range(5):
        cleaned = html.unescape(_clean_html(text))
        if cleaned == text:
            break
        text = cleaned
    return text.strip()


def render_text(text: str) -> str:
    """HTML for display: Markdown-style paragraphs, lists, **bold** and links, sanitised."""
    if not text:
        return ""
    rendered = markdown.markdown(text, output_format="html")
    return mark_safe(_clean_html(rendered))  # noqa: S308 - sanitised just above
