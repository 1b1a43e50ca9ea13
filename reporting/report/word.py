"""The report as a Word file, for the tjänsteskrivelse.

Built from the report's own HTML (the same HTML the PDF is printed from), so the three
editions cannot drift apart: headings become Word headings, paragraphs and lists stay
paragraphs and lists, tables stay tables (their header row repeats on every page), a
citation (reporting/report/citations.py) becomes a footnote naming the contribution in
Bilaga 2, a reference to a contribution ("Bilaga 2, bidrag 9") a link to its heading there,
a chart an image (drawn from its SVG by CairoSVG) with the chart's title and
description as its alternative text, beside the table of its values.
"""

import datetime
import io
import itertools
import re
from dataclasses import dataclass, field
from html import unescape
from html.parser import HTMLParser
from xml.sax.saxutils import escape

from docx import Document
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.opc.constants import RELATIONSHIP_TYPE
from docx.opc.packuri import PackURI
from docx.opc.part import Part
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor

from programme.logos import logo_type

SKIPPED = {"head", "script", "style", "svg", "figure", "nav"}
HEADINGS = {"h1": 1, "h2": 2, "h3": 3, "h4": 4}
PARAGRAPH_STYLES = {
    "paragraph": None,
    "demo": None,
    "bullet": "List Bullet",
    "number": "List Number",
}
INVISIBLE = str.maketrans("", "", "\u2066\u2067\u2068\u2069")
# Where a footnote's reference goes in a block's text: its number between NULs; and a link
# to a heading of the document (<a class="ref">): the heading's id, then the link's words.
FOOTNOTE = re.compile("\x00(\\d+)\x00")
LINK = re.compile("\x01([^\x02]*)\x02([^\x03]*)\x03")
MARKS = re.compile(f"{FOOTNOTE.pattern}|{LINK.pattern}")
FOOTNOTES = "application/vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml"
WORDML = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
# Tables' text, as the PDF's (static/css/report.css): 9 pt, or 8 pt where a table's words
# do not fit at 9 (Bilaga 3's), without the space after a paragraph of the body's text.
TABLE_STYLES = {Pt(9): "Table Text", Pt(8): "Table Text Small"}
# A character's width in em, roughly, in the fonts Word and LibreOffice set the text in
# (Cambria, Noto Serif): to lay a table's columns out by the words in them.
NARROW = frozenset("fijlrtI.,:;!|'()[]- ")
WIDE = frozenset("mwMW")
PADDING = Mm(4.5)  # a cell's margins (Table Grid: 1.9 mm either side) and a little air
# docProps/app.xml: which application wrote the file, instead of the template's "Microsoft
# Macintosh Word" and its made-up counts of pages and words.
APP_XML = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties">'
    "<Application>Livskvalitet</Application></Properties>"
)


@dataclass
class Block:
    kind: str  # "heading", "title", "paragraph", "bullet", "number", "table", "chart", "toc"
    text: str = ""  # a chart's: its alternative text
    svg: str = ""
    level: int = 0
    # tables: [(is_header, [(text, columns it spans), ...]), ...]
    rows: list = field(default_factory=list)
    caption: str = ""
    anchor: str = ""  # a heading's id, where a link (<a class="ref">) leads to it


def _lines(text: str) -> str:
    """The text's white space as HTML shows it, but its line breaks (<br>) kept."""
    return "\n".join(" ".join(line.split()) for line in text.split("\n")).strip()


class _Reader(HTMLParser):
    """The report's HTML as a flat list of blocks."""

    def __init__(self, html: str):
        super().__init__(convert_charrefs=True)
        self.html = html
        self.line_starts = [0] + [m.end() for m in re.finditer("\n", html)]
        self.chart_from: int | None = None
        self.blocks: list[Block] = []
        self.skipping = 0
        self.lists: list[str] = []
        self.current: Block | None = None
        self.table: Block | None = None
        self.row = None
        self.cell = None
        self.span = 1
        self.in_thead = False
        self.in_caption = False
        self.footnotes: list[str] = []
        self.in_citation = False
        self.in_link = False
        self.linked: set[str] = set()  # the ids links lead to

    def _write(self, text: str) -> None:
        if self.cell is not None:
            self.cell.append(text)
        elif self.current is not None:
            self.current.text += text

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        classes = (attrs.get("class") or "").split()
        if self.skipping:
            self.skipping += tag in SKIPPED
            return
        if tag in SKIPPED:
            if tag == "nav" and "toc" in attrs.get("class", ""):
                self.blocks.append(Block("toc"))  # Word's own table of contents goes here
            if tag == "figure" and "indicator-chart" in attrs.get("class", ""):
                self.chart_from = self._offset()
            self.skipping = 1
            return
        if tag == "a" and attrs.get("class") == "cite" and self.current is not None:
            self.footnotes.append(attrs.get("title", ""))
            self.current.text += f"\x00{len(self.footnotes)}\x00"
            self.in_citation = True  # its "[1]" is the footnote's number in Word
        elif tag == "a" and "ref" in classes and attrs.get("href", "").startswith("#"):
            # A reference to a contribution in Bilaga 2: a link to its heading, in the
            # words of its data-reference ("Bilaga 2, bidrag 9") where it has them.
            anchor = attrs["href"][1:]
            self.linked.add(anchor)
            self._write(f"\x01{anchor}\x02{attrs.get('data-reference', '')}")
            self.in_link = True
            self.in_citation = bool(attrs.get("data-reference"))  # instead of its text
        elif tag in ("ul", "ol"):
            self.lists.append(tag)
        elif tag == "table":
            self.table = Block("table")
        elif self.table is not None:
            if tag == "thead":
                self.in_thead = True
            elif tag == "caption":
                self.in_caption = True
            elif tag == "tr":
                self.row = (self.in_thead, [])
            elif tag in ("th", "td"):
                self.cell = []
                self.span = int(attrs.get("colspan") or 1)
            elif self.cell is not None and (tag == "br" or "follow-up-note" in classes):
                self.cell.append("\n")  # a line of its own, as in print
        elif tag in HEADINGS and "cover-title" in classes:
            self.current = Block("title")  # the document's title, not a chapter
        elif tag in HEADINGS:
            self.current = Block("heading", level=HEADINGS[tag], anchor=attrs.get("id") or "")
        elif tag == "p":
            # The report's DEMO mark is also every page's footer in Word.
            demo = "demo-note" in classes
            self.current = Block("demo" if demo else "paragraph")
        elif tag == "li":
            kind = "number" if self.lists and self.lists[-1] == "ol" else "bullet"
            self.current = Block(kind)
        elif tag == "br" and self.current is not None:
            self.current.text += "\n"

    def _offset(self) -> int:
        line, column = self.getpos()
        return self.line_starts[line - 1] + column

    def handle_endtag(self, tag):
        if self.skipping:
            if tag in SKIPPED:
                self.skipping -= 1
            if not self.skipping and tag == "figure" and self.chart_from is not None:
                self._chart(self.html[self.chart_from : self._offset()])
                self.chart_from = None
            return
        if tag == "a":
            self.in_citation = False
            if self.in_link:
                self._write("\x03")
                self.in_link = False
        elif tag in ("ul", "ol") and self.lists:
            self.lists.pop()
        elif tag == "table" and self.table is not None:
            self.blocks.append(self.table)
            self.table = None
        elif self.table is not None:
            if tag == "thead":
                self.in_thead = False
            elif tag == "caption":
                self.in_caption = False
            elif tag == "tr" and self.row is not None:
                self.table.rows.append(self.row)
                self.row = None
            elif tag in ("th", "td") and self.cell is not None and self.row is not None:
                self.row[1].append((_lines("".join(self.cell)), self.span))
                self.cell = None
        elif self.current is not None and (tag in HEADINGS or tag in ("p", "li")):
            self.current.text = _lines(self.current.text)
            if self.current.text:
                self.blocks.append(self.current)
            self.current = None

    def handle_data(self, data):
        if self.skipping or self.in_citation:
            return
        data = data.translate(INVISIBLE)
        if self.table is not None:
            if self.in_caption:
                self.table.caption += data
            elif self.cell is not None:
                self.cell.append(data)
        elif self.current is not None:
            self.current.text += data

    def _chart(self, figure: str) -> None:
        """A chart (programme/charts.py) becomes an image whose alternative text is the
        chart's title and description, as screen readers hear the SVG."""
        svg = re.search(r"<svg\b.*?</svg>", figure, re.S)
        if svg is None:
            return
        said = [
            unescape(re.sub(r"<[^>]+>", "", match))
            for match in re.findall(r"<(?:title|desc)\b[^>]*>(.*?)</(?:title|desc)>", svg[0], re.S)
        ]
        self.blocks.append(Block("chart", text=". ".join(said), svg=svg[0]))


def blocks_of(html: str) -> tuple[list[Block], list[str]]:
    """The HTML's blocks, and the texts of its footnotes (numbered from 1). A heading's
    anchor is kept only where a link leads to it (the table of contents leads to those of
    its levels)."""
    reader = _Reader(html)
    reader.feed(html)
    reader.close()
    linked = set(reader.linked)
    if any(block.kind == "toc" for block in reader.blocks):
        linked |= {block.anchor for block in reader.blocks if _in_contents(block)}
    for block in reader.blocks:
        if block.anchor not in linked:
            block.anchor = ""
    return reader.blocks, reader.footnotes


def _in_contents(block: Block) -> bool:
    """Whether Word's table of contents lists the block (its field's \\o "1-2")."""
    return block.kind == "heading" and block.level <= 2


def _bookmark_name(anchor: str) -> str:
    """A Word bookmark's name for an HTML id: letters, digits and _, at most 40."""
    return re.sub(r"\W", "_", anchor, flags=re.ASCII)[:40]


def _add_bookmark(paragraph, anchor: str, number: int) -> None:
    """The paragraph as the bookmark a link to ``anchor`` leads to."""
    start = OxmlElement("w:bookmarkStart")
    start.set(qn("w:id"), str(number))
    start.set(qn("w:name"), _bookmark_name(anchor))
    end = OxmlElement("w:bookmarkEnd")
    end.set(qn("w:id"), str(number))
    paragraph._p.insert(1 if paragraph._p.pPr is not None else 0, start)
    paragraph._p.append(end)


def _add_text(paragraph, text: str, anchors: frozenset = frozenset()) -> None:
    """The block's text as runs, each footnote's reference a superscript mark, each link
    to a heading of ``anchors`` a link to its bookmark (the words alone where it has none)."""
    at = 0
    for mark in MARKS.finditer(text):
        if mark.start() > at:
            paragraph.add_run(text[at : mark.start()])
        at = mark.end()
        footnote, anchor, words = mark.groups()
        if footnote:
            run = paragraph.add_run()
            run.font.superscript = True
            reference = OxmlElement("w:footnoteReference")
            reference.set(qn("w:id"), footnote)
            run._r.append(reference)
        elif anchor in anchors:
            link = OxmlElement("w:hyperlink")
            link.set(qn("w:anchor"), _bookmark_name(anchor))
            link.set(qn("w:history"), "1")
            link.append(paragraph.add_run(words, style="Hyperlink")._r)
            paragraph._p.append(link)
        elif words:
            paragraph.add_run(words)
    if at < len(text):
        paragraph.add_run(text[at:])


def _add_footnotes(document, notes: list[str]) -> None:
    """Word's footnotes part: the two separators Word expects, then one note per
    reference (python-docx has no footnotes of its own)."""
    notes_xml = "".join(
        f'<w:footnote w:id="{number}"><w:p><w:r><w:rPr><w:vertAlign w:val="superscript"/>'
        f'</w:rPr><w:footnoteRef/></w:r><w:r><w:t xml:space="preserve"> {escape(text)}</w:t>'
        "</w:r></w:p></w:footnote>"
        for number, text in enumerate(notes, 1)
    )
    xml = (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:footnotes xmlns:w="{WORDML}">'
        '<w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p>'
        '</w:footnote><w:footnote w:type="continuationSeparator" w:id="0"><w:p><w:r>'
        "<w:continuationSeparator/></w:r></w:p></w:footnote>"
        f"{notes_xml}</w:footnotes>"
    )
    part = Part(PackURI("/word/footnotes.xml"), FOOTNOTES, xml.encode(), document.part.package)
    document.part.relate_to(part, RELATIONSHIP_TYPE.FOOTNOTES)


def _repeat_header(row) -> None:
    properties = row._tr.get_or_add_trPr()
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    properties.append(header)


def _ems(text: str, bold: bool) -> float:
    """How wide the text is, in em, roughly."""
    width = sum(0.33 if c in NARROW else 0.9 if c in WIDE else 0.62 for c in text)
    return width * (1.06 if bold else 1)


def _column_widths(rows: list, available: int, font: int) -> tuple[list[int], bool]:
    """Each column's width (EMU) for a table as wide as ``available``, as a browser lays
    out a table: every column at least as wide as its longest word, and what is left
    shared by how much more its longest line would need (a cell spanning columns counts
    for none of them); and whether that keeps every word whole at ``font``."""
    columns = max(sum(span for _text, span in cells) for _header, cells in rows)
    least, most = [PADDING] * columns, [PADDING] * columns
    for is_header, cells in rows:
        column = 0
        for text, span in cells:
            if span == 1 and text.strip():
                word = max(_ems(word, is_header) for word in text.split())
                line = max(_ems(line, is_header) for line in text.split("\n"))
                least[column] = max(least[column], PADDING + int(word * font))
                most[column] = max(most[column], PADDING + int(line * font))
            column += span
    if sum(most) <= available:  # every line on one line; the table as wide as the text
        spare = available - sum(most)
        return [width + spare * width // sum(most) for width in most], True
    if sum(least) <= available:  # no word broken; the rest by how much more each needs
        spare, wanted = available - sum(least), sum(most) - sum(least)
        return [
            low + spare * (high - low) // wanted for low, high in zip(least, most, strict=True)
        ], True
    return [available * width // sum(least) for width in least], False  # in proportion


def _add_table(document, rows: list, anchors: frozenset) -> None:
    """A table at the first of TABLE_STYLES' sizes its words fit in, its columns as wide
    as their words need (_column_widths), a cell spanning columns merged across them, its
    header rows repeated on every page."""
    section = document.sections[-1]
    available = section.page_width - section.left_margin - section.right_margin
    for font in TABLE_STYLES:  # the first size at which every word fits, else the last
        widths, fits = _column_widths(rows, available, font)
        if fits:
            break
    style = TABLE_STYLES[font]
    table = document.add_table(rows=0, cols=len(widths))
    table.style = "Table Grid"
    table.autofit = False  # the widths below, not Word's guess from the content
    for column, width in zip(table.columns, widths, strict=True):
        column.width = width
    for is_header, cells in rows:
        row = table.add_row()
        column = 0
        for text, span in cells:
            cell = row.cells[column]
            if span > 1 and column + span <= len(widths):
                cell = cell.merge(row.cells[column + span - 1])
            cell.paragraphs[0].style = document.styles[style]
            _add_text(cell.paragraphs[0], text, anchors)
            if is_header:
                for run in cell.paragraphs[0].runs:
                    run.bold = True
            column += span
        for cell, width in zip(row.cells, widths, strict=True):
            cell.width = width  # Word reads each cell's width, LibreOffice the grid's
        if is_header:
            _repeat_header(row)


def _set_properties(
    document, *, title: str, subject: str, author: str, language: str, when
) -> None:
    """The file's properties say what the report says: its title, what it is (the PDF's
    subject), its author, its language and when it was compiled; nothing of python-docx's
    template ("generated by python-docx", 2013, "Microsoft Macintosh Word", its blank
    thumbnail)."""
    properties = document.core_properties
    properties.title = title
    properties.author = author
    properties.language = language
    properties.comments = ""
    properties.subject = subject
    properties.keywords = ""
    properties.category = ""
    properties.last_modified_by = author
    properties.revision = 1
    when = (when or datetime.datetime.now(datetime.UTC)).astimezone(datetime.UTC)
    properties.created = properties.modified = when.replace(tzinfo=None)
    package = document.part.package
    for rel_id, rel in list(package.rels.items()):
        if rel.reltype == RELATIONSHIP_TYPE.THUMBNAIL:
            del package.rels[rel_id]
        elif rel.reltype == RELATIONSHIP_TYPE.EXTENDED_PROPERTIES:
            rel.target_part._blob = APP_XML.encode()


def _set_language(document, language: str) -> None:
    """The text's language in the document's defaults: the template's one ``w:lang``
    (en-US) says ``language`` instead, since a second one is not valid OOXML."""
    styles = document.styles.element
    defaults = styles.find(qn("w:docDefaults"))
    run_properties = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
    lang = run_properties.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        run_properties.append(lang)
    lang.set(qn("w:val"), language)


def _field_char(paragraph, kind: str) -> None:
    run = paragraph.add_run()
    element = OxmlElement("w:fldChar")
    element.set(qn("w:fldCharType"), kind)
    run._r.append(element)


def _field_begin(paragraph, code: str) -> None:
    """A Word field's code in the paragraph; what it shows follows, up to _field_char
    "end" (in this paragraph or a later one)."""
    _field_char(paragraph, "begin")
    instruction = OxmlElement("w:instrText")
    instruction.set(qn("xml:space"), "preserve")
    instruction.text = f" {code} "
    paragraph.add_run()._r.append(instruction)
    _field_char(paragraph, "separate")


def _field(paragraph, code: str, shown: str = "") -> None:
    """A Word field (PAGE, NUMPAGES …) in the paragraph; ``shown`` until Word (or
    LibreOffice) updates it."""
    _field_begin(paragraph, code)
    paragraph.add_run(shown)
    _field_char(paragraph, "end")


def _add_contents(document, entries: list, anchors: frozenset, empty: str) -> None:
    """Word's table of contents of the headings of levels 1 and 2 (``entries``: level,
    text, anchor): a field Word fills in again, with page numbers, when the file is opened.
    Until then, and where nothing updates it (LibreOffice, Word on the web), it lists the
    chapters, each a link to its heading; ``empty`` where there are none."""
    code = 'TOC \\o "1-2" \\h \\z \\u'
    if not entries:
        _field(document.add_paragraph(), code, empty)
        return
    for level in {level for level, _text, _anchor in entries}:
        name = f"toc {level}"  # Word's own styles of a table of contents
        if name not in {style.name for style in document.styles}:
            style = document.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
            style.base_style = document.styles["Normal"]
            style.paragraph_format.left_indent = Mm(6 * (level - 1))
            style.paragraph_format.space_after = Pt(2)
    paragraphs = []
    for number, (level, text, anchor) in enumerate(entries):
        paragraph = document.add_paragraph(style=f"toc {level}")
        if number == 0:
            _field_begin(paragraph, code)
        _add_text(paragraph, f"\x01{anchor}\x02{text}\x03" if anchor else text, anchors)
        paragraphs.append(paragraph)
    _field_char(paragraphs[-1], "end")


def _page_setup(document, *, title: str, demo: str, page_words: tuple[str, str]) -> None:
    """A4 with the PDF's margins (static/css/report.css), the title in the header, and
    in the footer "Sida X av Y" and the DEMO mark where it applies; Word updates the
    fields (the table of contents too) when the file is opened."""
    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.right_margin = Mm(22), Mm(20)
    section.bottom_margin, section.left_margin = Mm(22), Mm(22)
    header = section.header.paragraphs[0]
    header.add_run(title).font.size = Pt(8.5)
    footer = section.footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    if demo:
        mark = footer.add_run(f"{demo} · ")
        mark.bold = True
    footer.add_run(f"{page_words[0]} ")
    _field(footer, "PAGE", "1")
    footer.add_run(f" {page_words[1]} ")
    _field(footer, "NUMPAGES", "1")
    document.styles["Heading 1"].paragraph_format.page_break_before = True  # as in print
    update = OxmlElement("w:updateFields")
    update.set(qn("w:val"), "true")
    document.settings.element.append(update)


def _raster(logo: bytes) -> bytes:
    """Word shows PNG and JPEG; an SVG logo is drawn as a PNG, as the charts are."""
    if logo_type(logo) != "image/svg+xml":
        return logo
    import cairosvg  # loads Cairo: only where a report has an SVG logo or charts

    return cairosvg.svg2png(bytestring=logo, output_height=300)


def write_docx(
    html: str,
    *,
    title: str,
    author: str,
    subject: str = "",
    language: str = "sv-SE",
    page_words: tuple[str, str] = ("Page", "of"),
    contents: tuple[str, str] = ("Contents", "Update the field to see the contents."),
    logo=None,
    compiled_at: datetime.datetime | None = None,
) -> bytes:
    """The Word edition of the report's HTML (a report of demo data carries its DEMO mark
    in every page's footer): ``page_words`` are the words of "Page X of Y", ``contents``
    the heading of the table of contents and what it says until Word fills it in,
    ``logo`` the cover's logo (the bytes of an SVG, PNG or JPEG image), and
    ``compiled_at`` when the report was compiled (the file's created and modified)."""
    document = Document()
    _set_properties(
        document,
        title=title,
        subject=subject,
        author=author,
        language=language,
        when=compiled_at,
    )
    _set_language(document, language)
    blocks, footnotes = blocks_of(html)
    demo = next((block.text for block in blocks if block.kind == "demo"), "")
    anchors = frozenset(block.anchor for block in blocks if block.anchor)
    for size, name in TABLE_STYLES.items():
        table_text = document.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
        table_text.base_style = document.styles["Normal"]
        table_text.font.size = size
        table_text.paragraph_format.space_after = Pt(0)
        table_text.paragraph_format.line_spacing = 1.0
    bookmarks = itertools.count(1)
    if anchors:
        link_style = document.styles.add_style("Hyperlink", WD_STYLE_TYPE.CHARACTER)
        link_style.font.color.rgb = RGBColor(0x05, 0x63, 0xC1)
        link_style.font.underline = True
    _page_setup(document, title=title, demo=demo, page_words=page_words)
    if logo:
        document.add_picture(io.BytesIO(_raster(logo)), height=Mm(25))
    for block in blocks:
        if block.kind == "toc":  # Word's own, filled in again when the file is opened
            document.add_paragraph(contents[0], style="TOC Heading")
            chapters = [(b.level, b.text, b.anchor) for b in blocks if _in_contents(b)]
            _add_contents(document, chapters, anchors, contents[1])
        elif block.kind == "chart":
            # 1.5 times the SVG's size: about 130 dpi at the 150 mm it is placed at.
            import cairosvg  # loads Cairo: only where a report with charts is compiled

            png = cairosvg.svg2png(bytestring=block.svg.encode(), scale=1.5)
            document.add_picture(io.BytesIO(png), width=Mm(150))
            document.inline_shapes[-1]._inline.docPr.set("descr", block.text)
        elif block.kind == "title":
            document.add_heading(block.text, level=0)
        elif block.kind == "heading":
            heading = document.add_heading(block.text, level=min(block.level, 4))
            if block.anchor:
                _add_bookmark(heading, block.anchor, next(bookmarks))
        elif block.kind in PARAGRAPH_STYLES:
            paragraph = document.add_paragraph(style=PARAGRAPH_STYLES[block.kind])
            _add_text(paragraph, block.text, anchors)
        elif block.kind == "table" and block.rows:
            if block.caption.strip():
                document.add_paragraph(" ".join(block.caption.split()), style="Caption")
            _add_table(document, block.rows, anchors)
    if footnotes:
        _add_footnotes(document, footnotes)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()
