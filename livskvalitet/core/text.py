"""The one rule for what users type: stored as typed, made safe when shown.

Nothing is removed or rewritten on save; what a user typed is what the next person reads,
``<Miljöplan 2030>`` and ``x<y`` included. When it is shown, everything is escaped, so no
markup of the user's ever runs; the text keeps its shape without any syntax to learn:

- a blank line starts a new paragraph, a single line break stays a line break;
- lines that start with "- ", "* ", "• " or "–" form a bulleted list, lines that start
  with "1. " or "1)" a numbered one;
- web addresses (http, https) become links.

User text may hold bidirectional control characters (U+202E turns the rest of a line
around). Every block carries ``dir="auto"`` and inline text is wrapped in ``<bdi>``; in the
PDF each ``<bdi>`` also gets the isolating characters FSI … PDI, which WeasyPrint's text
engine honours. User text can never reverse the app's own words around it.

A title or a name is one line (``one_line``): its field cannot take a line break, but a
form sent by hand or an imported cell can. Such a text is refused, never rewritten.
"""

import re
import unicodedata

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils import translation
from django.utils.formats import number_format
from django.utils.html import escape, format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

BULLET = re.compile(r"^\s*(?:[-*•–])\s+(.*)$")
NUMBERED = re.compile(r"^\s*\d{1,3}[.)]\s+(.*)$")
PARAGRAPH_BREAK = re.compile(r"\n[ \t]*\n+")
# In the text as typed: an address runs to whitespace or to "[", which begins a
# strategist's citation typed right after an address ("…/sida[#12]"): inside the link it
# would be made markup in the href (reporting/report/citations.py). "<", ">", '"' and "'"
# are part of it, escaped in its href ("https://x.se/&lt;a&gt;"); the punctuation of
# TRAILING at its end is the sentence's, not the address's (_line).
URL = re.compile(r"\bhttps?://[^\s\[]+", re.IGNORECASE)
TRAILING = ".,;:!?)]}’”"
FIRST_STRONG_ISOLATE, POP_DIRECTIONAL_ISOLATE = "\u2068", "\u2069"
BDI_START = re.compile(r'<bdi(?: lang="[a-z-]+")?>')


def content_language() -> str:
    """The language users write in ("sv") where the page is in another one, else "": the
    programme's texts and the organisations' reports are Swedish, and screen readers
    must read them so."""
    content = settings.LANGUAGE_CODE
    active = translation.get_language() or content
    return "" if active.split("-")[0] == content.split("-")[0] else content


def _content_language() -> str:
    """' lang="sv"' where the page is in another language than its content (above)."""
    lang = content_language()
    return format_html(' lang="{}"', lang) if lang else ""


def as_typed(text) -> str:
    """What is stored: the text exactly as typed, with line endings made one kind.

    Browsers send a textarea's line breaks as CR LF; that is transport, not text.
    """
    return (text or "").replace("\r\n", "\n").replace("\r", "\n")


# Line breaks (LF, CR, VT, FF, NEL, U+2028, U+2029), tabs and the other C0 and C1 control
# characters. Bidirectional and joining characters (format characters) stay allowed.
NOT_ONE_LINE = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")


# What a text cannot hold, typed or sent by hand: the C0 control characters but tab, line
# feed and carriage return. PostgreSQL cannot store a NUL, and none of them can be written
# to an XLSX file (XML 1.0 has no such characters); a text is never more than a line break.
NOT_STORABLE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def storable(value) -> None:
    """Validator of every text users write (TypedText) and the services' check of the texts
    they are handed (reporting.services.within_limit): a character that cannot be stored is
    refused, never removed (text is kept as typed)."""
    if value and NOT_STORABLE.search(str(value)):
        raise ValidationError(
            _(
                "The text holds an invisible control character (such as NUL, a vertical "
                "tab or a form feed, which a pasted text can bring along) that cannot be "
                "stored. Remove it and try again."
            ),
            code="control_character",
        )


# Before NOT_STORABLE refused them, such characters could be stored (and an admin's or an
# import's text may still hold one): an XLSX cell cannot, and openpyxl refuses the whole
# file. OOXML writes such a character as _xHHHH_, which Excel reads back as the character,
# so nothing is lost; an "_" that begins what reads as such an escape is itself written
# _x005F_, so that a text holding "_x0041_" is read back as typed, not as "A".
XLSX_ESCAPED = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]|_(?=x[0-9A-Fa-f]{4}_)")


def xlsx_text(value):
    """A cell's value as an XLSX file can hold it: text with every character it cannot
    written as OOXML's escape (lossless); anything else as it is."""
    if not isinstance(value, str):
        return value
    return XLSX_ESCAPED.sub(lambda match: f"_x{ord(match.group(0)):04X}_", value)


XLSX_ESCAPE = re.compile(r"_x([0-9A-Fa-f]{4})_")


def xlsx_read(value):
    """A cell read from an XLSX file as Excel reads it (openpyxl leaves OOXML's escapes in
    cell values): _xHHHH_ is the character U+HHHH, the inverse of xlsx_text."""
    if not isinstance(value, str):
        return value
    return XLSX_ESCAPE.sub(lambda match: chr(int(match.group(1), 16)), value)


def one_line(value) -> None:
    """Validator of the one-line fields (titles, names): no line break, tab or other
    control character, which would break a heading, a mail's subject or a file's row."""
    if value and NOT_ONE_LINE.search(str(value)):
        raise ValidationError(
            _("Write the text on one line, without line breaks or tabs."), code="one_line"
        )


def _line(text: str) -> SafeString:
    """A line of user text escaped, its web addresses links."""
    parts, start = [], 0  # the text before an address, the address (its href and words)
    for match in URL.finditer(text):
        address = match.group(0).rstrip(TRAILING)
        parts += [text[start : match.start()], address, address]
        start = match.start() + len(address)
    if not parts:
        return escape(text)
    link = '{}<a href="{}" rel="noopener noreferrer nofollow">{}</a>'
    return format_html(link * (len(parts) // 3) + "{}", *parts, text[start:])


def _joined(pieces, between: str = "") -> SafeString:
    """The pieces, each escaped unless it is HTML already, with ``between`` (markup of
    ours, never user text) between them."""
    pieces = list(pieces)
    return format_html(between.join(["{}"] * len(pieces)), *pieces) if pieces else SafeString("")


# Each kind of block: its markup around its lines, and what stands between two lines.
BLOCK = {
    "p": ('<p dir="auto">{}</p>', "<br>"),
    "ul": ('<ul><li dir="auto">{}</li></ul>', '</li><li dir="auto">'),
    "ol": ('<ol><li dir="auto">{}</li></ol>', '</li><li dir="auto">'),
}


def _kind_of(line: str) -> tuple[str, str]:
    """("ul", item), ("ol", item) or ("p", line)."""
    for kind, pattern in (("ul", BULLET), ("ol", NUMBERED)):
        match = pattern.match(line)
        if match:
            return kind, match.group(1)
    return "p", line


def _blocks(paragraph: str):
    """The runs of a paragraph: ("p", lines), ("ul", items) or ("ol", items)."""
    runs = []
    for line in paragraph.split("\n"):
        kind, item = _kind_of(line)
        if runs and runs[-1][0] == kind:
            runs[-1][1].append(item)
        else:
            runs.append((kind, [item]))
    return runs


def render_text(text) -> SafeString:
    """HTML for display, in pages and in the PDF alike."""
    text = as_typed(text).strip("\n")
    if not text.strip():
        return SafeString("")
    html = []
    for paragraph in PARAGRAPH_BREAK.split(text):
        for kind, lines in _blocks(paragraph):
            markup, between = BLOCK[kind]
            html.append(format_html(markup, _joined(map(_line, lines), between)))
    lang = _content_language()
    return format_html("<div{}>{}</div>", lang, _joined(html)) if lang else _joined(html)


def isolated(text) -> SafeString:
    """User text inline, beside the app's own words: escaped and bidi-isolated."""
    if text is None or text == "":
        return SafeString("")
    # escape(), not format_html's conditional_escape: text marked safe is shown as text too.
    return format_html("<bdi{}>{}</bdi>", _content_language(), escape(text))


def isolated_for_print(html: str) -> str:
    """The HTML with every <bdi> also isolated by FSI … PDI, for WeasyPrint.

    WeasyPrint does not implement unicode-bidi, but its text engine (Pango with FriBidi)
    honours the isolating characters. User text is escaped, so every <bdi> here is ours.
    """
    return BDI_START.sub(lambda m: m.group(0) + FIRST_STRONG_ISOLATE, html).replace(
        "</bdi>", POP_DIRECTIONAL_ISOLATE + "</bdi>"
    )


WORD_OR_SPACE = re.compile(r"\s+|[^\s]+")


def changed_words(old, new, *, deleted: str, inserted: str) -> tuple[SafeString, SafeString]:
    """Two texts as HTML with the words that changed marked: in the old one ``<del>`` around
    what went, in the new one ``<ins>`` around what came, each opened with a visually hidden
    word (``deleted``, ``inserted``) that screen readers read out. Escaped; line breaks kept."""
    from difflib import SequenceMatcher

    before = WORD_OR_SPACE.findall(as_typed(old))
    after = WORD_OR_SPACE.findall(as_typed(new))

    def html(tokens, tag=None, hint=""):
        words = "".join(tokens)
        text = _joined(words.split("\n"), "<br>")
        if not tag or not words.strip():
            return text
        # escape(), not conditional_escape: a hint marked safe is shown as text too.
        hidden = '<{}><span class="visually-hidden">{} </span>{}</{}>'
        return format_html(hidden, tag, escape(hint), text, tag)

    old_html, new_html = [], []
    matcher = SequenceMatcher(None, before, after, autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            old_html.append(html(before[i1:i2]))
            new_html.append(html(after[j1:j2]))
            continue
        if i2 > i1:
            old_html.append(html(before[i1:i2], "del", deleted))
        if j2 > j1:
            new_html.append(html(after[j1:j2], "ins", inserted))
    wrap = '<div dir="auto"{} class="changed-words">{}</div>'
    lang = _content_language()
    return format_html(wrap, lang, _joined(old_html)), format_html(wrap, lang, _joined(new_html))


# Swedish order: case does not matter, other accents neither (é as e, ü as y), and å, ä,
# ö come after z (æ as ä, ø as ö).
_SWEDISH_LAST = str.maketrans({"å": "{", "ä": "|", "æ": "|", "ö": "}", "ø": "}", "ü": "y"})


def swedish_order(text: str) -> tuple[str, str]:
    """A sort key that puts names as a Swedish reader looks for them: "iCapital AB"
    among the I's, "Öresundskraft AB" after "Vård- och omsorgsnämnden"."""
    folded = unicodedata.normalize("NFC", str(text)).casefold().translate(_SWEDISH_LAST)
    plain = "".join(c for c in unicodedata.normalize("NFD", folded) if not unicodedata.combining(c))
    return plain, str(text)


def size_and_limit(size: int, limit: int) -> dict[str, str]:
    """A refused size beside its limit, for a message: "10,0 MB" beside "10,0 MB" would say
    nothing, so where the two read alike both are said in bytes."""
    shown, most = filesizeformat(size), filesizeformat(limit)
    if shown == most:
        shown, most = (
            _("%(count)s bytes") % {"count": number_format(n, force_grouping=True)}
            for n in (size, limit)
        )
    return {"size": shown, "limit": most}
