"""The report as a Word file, for the tjänsteskrivelse.

Built from the report's own HTML (the same HTML the PDF is printed from), so the three
editions cannot drift apart: headings become Word headings, paragraphs and lists stay
paragraphs and lists, tables stay tables (their header row repeats on every page). Charts
are left out; the table of each chart's values is in the report beside it.
"""

import io
from dataclasses import dataclass, field
from html.parser import HTMLParser

from docx import Document
from docx.oxml import OxmlElement
from docx.oxml.ns import qn

SKIPPED = {"head", "script", "style", "svg", "figure", "nav"}
HEADINGS = {"h1": 1, "h2": 2, "h3": 3, "h4": 4}
INVISIBLE = str.maketrans("", "", "\u2066\u2067\u2068\u2069")


@dataclass
class Block:
    kind: str  # "heading", "title", "paragraph", "bullet", "number", "table"
    text: str = ""
    level: int = 0
    rows: list = field(default_factory=list)  # tables: [(is_header, [cell, ...]), ...]
    caption: str = ""


class _Reader(HTMLParser):
    """The report's HTML as a flat list of blocks."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.blocks: list[Block] = []
        self.skipping = 0
        self.lists: list[str] = []
        self.current: Block | None = None
        self.table: Block | None = None
        self.row = None
        self.cell = None
        self.in_thead = False
        self.in_caption = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if self.skipping:
            self.skipping += tag in SKIPPED
            return
        if tag in SKIPPED:
            self.skipping = 1
            return
        if tag in ("ul", "ol"):
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
        elif tag in HEADINGS:
            self.current = Block("heading", level=HEADINGS[tag])
        elif tag == "p" and attrs.get("role") == "heading":
            self.current = Block("title" if attrs.get("aria-level") == "1" else "heading", level=1)
        elif tag == "p":
            self.current = Block("paragraph")
        elif tag == "li":
            kind = "number" if self.lists and self.lists[-1] == "ol" else "bullet"
            self.current = Block(kind)
        elif tag == "br" and self.current is not None:
            self.current.text += "\n"

    def handle_endtag(self, tag):
        if self.skipping:
            if tag in SKIPPED:
                self.skipping -= 1
            return
        if tag in ("ul", "ol") and self.lists:
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
                self.row[1].append(" ".join("".join(self.cell).split()))
                self.cell = None
        elif self.current is not None and (tag in HEADINGS or tag in ("p", "li")):
            lines = self.current.text.split("\n")
            self.current.text = "\n".join(" ".join(line.split()) for line in lines).strip()
            if self.current.text:
                self.blocks.append(self.current)
            self.current = None

    def handle_data(self, data):
        if self.skipping:
            return
        data = data.translate(INVISIBLE)
        if self.table is not None:
            if self.in_caption:
                self.table.caption += data
            elif self.cell is not None:
                self.cell.append(data)
        elif self.current is not None:
            self.current.text += data


def blocks_of(html: str) -> list[Block]:
    reader = _Reader()
    reader.feed(html)
    reader.close()
    return reader.blocks


def _repeat_header(row) -> None:
    properties = row._tr.get_or_add_trPr()
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    properties.append(header)


def _set_language(document, language: str) -> None:
    styles = document.styles.element
    defaults = styles.find(qn("w:docDefaults"))
    run_properties = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
    lang = OxmlElement("w:lang")
    lang.set(qn("w:val"), language)
    run_properties.append(lang)


def write_docx(html: str, *, title: str, author: str, language: str = "sv-SE") -> bytes:
    """The Word edition of the report's HTML."""
    document = Document()
    document.core_properties.title = title
    document.core_properties.author = author
    document.core_properties.language = language
    _set_language(document, language)
    for block in blocks_of(html):
        if block.kind == "title":
            document.add_heading(block.text, level=0)
        elif block.kind == "heading":
            document.add_heading(block.text, level=min(block.level, 4))
        elif block.kind == "paragraph":
            document.add_paragraph(block.text)
        elif block.kind == "bullet":
            document.add_paragraph(block.text, style="List Bullet")
        elif block.kind == "number":
            document.add_paragraph(block.text, style="List Number")
        elif block.kind == "table" and block.rows:
            if block.caption.strip():
                document.add_paragraph(" ".join(block.caption.split()), style="Caption")
            width = max(len(cells) for _header, cells in block.rows)
            table = document.add_table(rows=0, cols=width)
            table.style = "Table Grid"
            for is_header, cells in block.rows:
                row = table.add_row()
                for cell, text in zip(row.cells, cells, strict=False):
                    cell.text = text
                    if is_header:
                        for run in cell.paragraphs[0].runs:
                            run.bold = True
                if is_header:
                    _repeat_header(row)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()
