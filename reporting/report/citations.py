"""Citations: a strategist's text points to the approved contribution a statement rests on.

A citation is written in the text as typed, ``[#123]`` for contribution 123, or with the
words quoted from it, ``[#123: utsläppen minskade]``; the pages offer a picker that
inserts one. Saving checks each against the cycle's approved contributions (the quoted
words must be whole words of one text the approved contribution wrote, on one line; what
looks like a citation but is not one is refused) and keeps which approved version was
cited (Citation), so that a citation whose contribution changed or was withdrawn since is
listed before the report is compiled. In the report a citation is a numbered reference to
the contribution in Bilaga 2 (its page in print); in the HTML edition a link to the
published contribution's page.
"""

import re
from dataclasses import dataclass

from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from livskvalitet.core.text import PARAGRAPH_BREAK, URL, as_typed

from ..content import ContributionContent
from ..models import Citation, ContributionVersion, Cycle
from ..selectors import latest_approvals
from ..workflow import WorkflowError

# In the text as typed; the same pattern finds it in the text made safe for display,
# where the quoted words are escaped.
MARKER = re.compile(r"\[#(\d+)(?::\s*([^\[\]]*?))?\s*\]")
# What a strategist typing a citation may have meant as one: "[", perhaps spaces, "#" and
# a space or a digit ("[# 12]", "[ #12]", "[#12 : ord]", "[#12: no end"). Where MARKER
# does not match there, it would be printed as typed; "[#hashtagg]" is left alone.
LOOKS_LIKE = re.compile(r"\[\s*#(?=[\s\d])")
# The tags of HTML made by render_text: user text in it is escaped, so every "<" is ours.
TAG = re.compile(r"(<[^>]*>)")
LINK_START = re.compile(r"<a[\s>]", re.IGNORECASE)
LINK_END = re.compile(r"</a\s*>", re.IGNORECASE)


@dataclass(frozen=True)
class Cited:
    contribution_id: int
    excerpt: str


def cited_in(text: str) -> list[Cited]:
    return [Cited(int(m.group(1)), (m.group(2) or "").strip()) for m in MARKER.finditer(text)]


def with_public_ids(text: str, printed: dict[int, int]) -> str:
    """The text as typed with each citation naming its contribution by its public id: the
    approved version the report printed (``printed``: contribution id → version id), as
    the open data lists a report's contributions. Only the id changes, the quoted words
    stay as written; a contribution not in the report keeps no id ("[#: words]")."""

    def public(match: re.Match) -> str:
        number = printed.get(int(match.group(1)))
        whole = match.group(0)
        start, end = match.start(1) - match.start(), match.end(1) - match.start()
        return whole[:start] + ("" if number is None else str(number)) + whole[end:]

    return MARKER.sub(public, text)


def uncited_paragraphs(text: str) -> int:
    """How many paragraphs of the text cite no contribution."""
    paragraphs = [p for p in PARAGRAPH_BREAK.split(as_typed(text)) if p.strip()]
    return sum(1 for p in paragraphs if not MARKER.search(p))


def _words(text: str) -> str:
    return " ".join(text.split())


def approved_texts(version: ContributionVersion) -> list[str]:
    """Every text an approved version shows in the organisation's words, one a field
    (ContributionContent.words), its whitespace runs as one space: where a quote is
    looked for."""
    return [_words(text) for text in ContributionContent.from_json(version.data).words()]


def quotes(texts: list[str], excerpt: str) -> bool:
    """Whether the excerpt is whole words of one of the texts: a quote joining the end of
    one field to the start of the next, or beginning or ending inside a word, was never
    written so. Whitespace runs count as one space. The first letter may be small where
    the text has a capital (or the other way): quoted mid-sentence, Swedish writes it so."""
    words = _words(excerpt)
    first = words[:1]
    words = (
        f"[{re.escape(first.lower())}{re.escape(first.upper())}]{re.escape(words[1:])}"
        if first.lower() != first.upper() and len(first.upper()) == 1
        else re.escape(words)
    )
    pattern = re.compile(rf"(?<![^\W_]){words}(?![^\W_])")  # no letter or digit around it
    return any(pattern.search(text) for text in texts)


def _as_typed_near(text: str, start: int) -> str:
    """What was typed from ``start``: up to the first "]" on its line, or the line's
    first 40 characters."""
    line = text[start:].split("\n", 1)[0]
    end = line.find("]")
    if end >= 0:
        return line[: end + 1]
    return line if len(line) <= 40 else line[:40] + "…"


def _shown(marker: re.Match) -> str:
    """A citation as the strategist meant it, its spacing made plain: "[#12: ord]"."""
    number, excerpt = marker.group(1), _words(marker.group(2) or "")
    return f"[#{number}: {excerpt}]" if excerpt else f"[#{number}]"


def _not_written_right(text: str) -> list[str]:
    """What in the text looks like a citation but is not one, or is one the report cannot
    show as written: a quote of nothing, over a line break (shown, a line or paragraph of
    its own: the citation would be split), or holding a web address (shown, a link)."""
    problems = []
    for start in (m.start() for m in LOOKS_LIKE.finditer(text)):
        marker = MARKER.match(text, start)
        excerpt = marker.group(2) if marker else None
        if marker is None or (excerpt is not None and not excerpt.strip()):
            problems.append(
                _(
                    "“%(typed)s” looks like a citation but is not one: write [#123] or "
                    "[#123: quoted words], with the contribution's number right after the #."
                )
                % {"typed": marker.group(0) if marker else _as_typed_near(text, start)}
            )
        elif "\n" in marker.group(0):
            problems.append(
                _(
                    "The citation “%(citation)s” runs over a line break: write it on one line, "
                    "quoting words of one paragraph."
                )
                % {"citation": _shown(marker)}
            )
        elif excerpt and URL.search(excerpt):
            problems.append(
                _(
                    "The quoted words “%(excerpt)s” hold a web address, which the report "
                    "makes a link: quote the words before or after it."
                )
                % {"excerpt": excerpt.strip()}
            )
    return problems


def checked(cycle: Cycle, text: str) -> list[tuple[Cited, ContributionVersion]]:
    """The text's citations with the approved versions they cite; WorkflowError naming,
    each once, every one that is not an approved contribution of the cycle or quotes words
    its approved text does not hold, and what looks like a citation but is not one (or
    that the report could not show as written). Nothing is saved then: the text stays as
    typed."""
    problems = _not_written_right(text)
    citations = cited_in(text)
    if not citations and not problems:
        return []
    approved = latest_approvals(cycle) if citations else {}
    found = []
    for cited in citations:
        version = approved.get(cited.contribution_id)
        if version is None:
            problems.append(
                _("[#%(id)d] is not an approved contribution of this follow-up.")
                % {"id": cited.contribution_id}
            )
        elif cited.excerpt and not quotes(approved_texts(version), cited.excerpt):
            problems.append(
                _(
                    "The quoted words “%(excerpt)s” are not in %(organisation)s's approved "
                    "contribution on %(code)s."
                )
                % {
                    "excerpt": cited.excerpt,
                    "organisation": version.contribution.organisation.name,
                    "code": version.contribution.focus_area.code,
                }
            )
        else:
            found.append((cited, version))
    if problems:
        raise CitationsRefused(list(dict.fromkeys(problems)))  # one typed twice: said once
    return found


class CitationsRefused(WorkflowError):
    """What in a text does not hold as a citation, each named once (``problems``): a page
    shows them as the error of the field the text was typed in."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__(" ".join([_("Nothing was saved."), *problems]))


def keep(source: dict, found: list[tuple[Cited, ContributionVersion]], cycle: Cycle) -> None:
    """Record which approved versions a saved text cites (``source``: synthesis= or
    report_text=), replacing what it cited before."""
    Citation.objects.filter(**source).delete()
    Citation.objects.bulk_create(
        Citation(cycle=cycle, version=version, excerpt=cited.excerpt, **source)
        for cited, version in found
    )


def outdated(cycle: Cycle) -> list[Citation]:
    """Citations whose contribution was withdrawn, is no longer approved, or was approved
    again (changed) after the citation was written."""
    approved = latest_approvals(cycle)
    return [
        citation
        for citation in Citation.objects.filter(cycle=cycle).select_related(
            "version__contribution__organisation",
            "version__contribution__focus_area",
            "synthesis__focus_area",
            "report_text__direction",
        )
        if approved.get(citation.version.contribution_id) != citation.version
    ]


def with_references(
    html: SafeString, numbers: dict[int, int], links: dict[int, str], titles: dict[int, str]
) -> str:
    """Display HTML (made safe by render_text) with each citation as its reference: the
    quoted words in quotation marks and the contribution's number in Bilaga 2, linked to
    ``links[contribution id]`` and titled with whose contribution on what (the Word file's
    footnote, the PDF's description of the link); a contribution not in the report is said
    so. A screen reader names the link by its number, then says so too ("[9] Källa: Bilaga
    2, bidrag 9: Miljönämnden, 2.1 ..."): "[9]" alone says nothing out of its sentence."""

    def reference(match: re.Match) -> str:
        contribution = int(match.group(1))
        excerpt = match.group(2)  # a piece of the HTML: escaped already
        quoted = f"”{excerpt.strip()}” " if excerpt and excerpt.strip() else ""
        if contribution not in numbers:
            return quoted + format_html("[{}]", _("contribution not in the report"))
        number = numbers[contribution]
        name = _("[%(number)d] Source: %(contribution)s") % {
            "number": number,
            "contribution": titles[contribution],
        }
        link = '<a class="cite" href="{}" title="{}" data-page="{}" aria-label="{}">[{}]</a>'
        page = pgettext("reference", "page")
        # escape(): a title is text, even one marked safe.
        title = escape(titles[contribution])
        return quoted + format_html(link, links[contribution], title, page, name, number)

    # Only the text between tags, outside links: a citation inside a tag (an address's
    # href) or a link's words would split what we made. Saving refuses a citation that
    # render_text would split over a line break or a link (checked).
    pieces = TAG.split(str(html))
    in_link = 0
    for index, piece in enumerate(pieces):
        if index % 2:  # a tag
            if LINK_START.match(piece):
                in_link += 1
            elif LINK_END.match(piece):
                in_link = max(in_link - 1, 0)
        elif not in_link:
            pieces[index] = MARKER.sub(reference, piece)
    # mark_safe stays: the pieces are the given HTML cut at its tags (a slice of a SafeString
    # is a plain str, and Django has no safe way to cut one) with the references made by
    # format_html above; nothing else is added. Without it, references would have to be made
    # of the text as typed, inside render_text, before it is escaped.
    return mark_safe("".join(pieces))  # noqa: S308 - the given HTML's pieces, format_html's
