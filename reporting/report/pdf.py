"""The one PDF module: rendering, the URL fetcher, the PDF variant and metadata.

WeasyPrint fetches whatever a document names unless told otherwise: images on any host,
``file:///etc/passwd``, attachments. Here it may load only the app's own static files;
everything else is refused, and user text reaches the HTML escaped and sanitised.
"""

import base64
import gc
import io
import logging
import mimetypes
import os
import re
import threading
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pydyf
from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.exceptions import ValidationError
from django.template.loader import render_to_string
from weasyprint import HTML, URLFetcher
from weasyprint.urls import URLFetcherResponse

from livskvalitet.core.text import isolated_for_print
from programme.logos import logo_data_uri, logo_type

logger = logging.getLogger(__name__)

# The origin the report's HTML uses for the app's static files. ".invalid" never resolves,
# so nothing can reach a real host even if this fetcher were bypassed.
BASE_URL = "https://livskvalitet.invalid/"
PDF_VARIANT = "pdf/ua-1"


class ResourceRefused(ValueError):
    """Raised for any URL outside the app's static files; WeasyPrint skips the resource."""


def _static_roots() -> list[Path]:
    roots = [Path(path).resolve() for path in settings.STATICFILES_DIRS]
    if settings.STATIC_ROOT:
        roots.append(Path(settings.STATIC_ROOT).resolve())
    return roots


class StaticFilesFetcher(URLFetcher):
    """Serves ``{BASE_URL}static/...`` from the project's own static folders, nothing else."""

    def __init__(self):
        super().__init__(allowed_protocols=["https"])
        self.refused: list[str] = []

    def fetch(self, url, headers=None):
        if url.startswith("data:image/"):  # the logo, put into the page by render_html
            header, _comma, payload = url.partition(",")
            mime_type = header[len("data:") :].split(";")[0]
            return URLFetcherResponse(
                url,
                body=base64.b64decode(payload),
                headers={"Content-Type": mime_type},
                status=200,
            )
        path = self._static_path(url)
        if path is None:
            self.refused.append(url)
            logger.warning("Report refused to load %s", url[:200])
            raise ResourceRefused(url)
        mime_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        return URLFetcherResponse(
            url, body=path.read_bytes(), headers={"Content-Type": mime_type}, status=200
        )

    @staticmethod
    def _static_path(url: str) -> Path | None:
        parts = urlsplit(url)
        prefix = urlsplit(BASE_URL + settings.STATIC_URL.lstrip("/"))
        if (parts.scheme, parts.netloc) != (prefix.scheme, prefix.netloc):
            return None
        if not parts.path.startswith(prefix.path) or parts.query:
            return None
        relative = unquote(parts.path[len(prefix.path) :])
        if not relative or relative.startswith("/") or ".." in Path(relative).parts:
            return None
        found = finders.find(relative)
        if not found:
            return None
        # Resolve links: a symlink in a static folder must not lead out of it.
        real = Path(os.path.realpath(found))
        if not any(real.is_relative_to(root) for root in _static_roots()) or not real.is_file():
            return None
        return real


def logo_data(programme) -> bytes | None:
    """The programme's own logo (uploaded, in the storage), else the installation's
    (REPORT_LOGO, among the static files); None where there is none, or it cannot be read
    or is not an image (said in the log)."""
    try:
        if programme.logo:
            with programme.logo.open("rb") as file:
                data = file.read()
        else:
            name = settings.REPORT_LOGO.strip().lstrip("/")
            url = BASE_URL + settings.STATIC_URL.lstrip("/") + name
            path = StaticFilesFetcher._static_path(url) if name else None
            if path is None:
                return None
            data = path.read_bytes()
        logo_type(data)
    except (OSError, ValidationError):
        logger.warning("The report's logo could not be read or is not an image")
        return None
    return data


def render_html(data, *, preview: bool = False, edition: bool = False) -> str:
    """The report as HTML: the same template for the on-screen preview, the PDF and the
    HTML edition (``edition``: for reading on screen, kept with the compiled version)."""
    on_screen = preview or edition
    static = settings.STATIC_URL if on_screen else BASE_URL + settings.STATIC_URL.lstrip("/")
    logo_bytes = logo_data(data.cycle.programme)
    logo = logo_data_uri(logo_bytes) if logo_bytes else ""
    html = render_to_string(
        "reporting/report/report.html",
        {
            "report": data,
            "preview": preview,
            "edition": edition,
            "stylesheet": f"{static}css/report.css",
            "logo": logo,
        },
    )
    return html if on_screen else isolated_for_print(html)


@dataclass
class RenderedPdf:
    content: bytes
    pages: int
    # Characters that no available font could draw: they show as empty boxes.
    missing: list[str] = field(default_factory=list)


class _MissingGlyphs(logging.Handler):
    """Collects what WeasyPrint reports when no font has a character (".notdef glyph")."""

    PATTERN = re.compile(r"\(U\+([0-9A-F]{4,6})\)")

    def __init__(self):
        super().__init__(logging.WARNING)
        self.thread = threading.get_ident()
        self.characters: set[str] = set()

    def emit(self, record):
        if record.thread != self.thread:
            return  # another compile in another thread
        match = self.PATTERN.search(record.getMessage())
        if ".notdef" in record.getMessage() and match:
            self.characters.add(chr(int(match[1], 16)))


def _number(reference) -> int:
    return int(bytes(reference).split()[0])


def _margins_as_artifacts(document, pdf) -> None:
    """Marks the text of the page margins (the running heading, "Sida 2 av 30", the demo
    mark) as pagination artifacts.

    WeasyPrint marks it as content but leaves it out of the structure tree: neither
    content nor artifact, which PDF/UA forbids and which each reader handles its own way."""
    if "StructTreeRoot" not in pdf.catalog:
        return
    objects = pdf.objects
    root = objects[_number(pdf.catalog["StructTreeRoot"])]
    top = objects[_number(root["K"][0])]  # the Document element
    reached = {_number(kid): True for kid in top["K"]}
    reached[top.number] = False

    def in_tree(number: int) -> bool:
        path = []
        while number not in reached:
            path.append(number)
            number = _number(objects[number]["P"])
        found = reached[number]
        for seen in path:
            reached[seen] = found
        return found

    nums = objects[_number(root["ParentTree"])]["Nums"]
    for index, page in enumerate(pdf.page_references):
        mapping = nums[2 * index + 1]
        outside = {mcid for mcid, ref in enumerate(mapping) if not in_tree(_number(ref))}
        if not outside:
            continue
        items = objects[_number(objects[_number(page)]["Contents"])].stream
        for position, item in enumerate(items):
            if isinstance(item, pydyf.Dictionary) and item.get("MCID") in outside:
                items[position - 1] = "/Artifact"
                items[position] = pydyf.Dictionary({"Type": "/Pagination"})
        for mcid in outside:
            mapping[mcid] = "null"


# The isolating characters render_html puts around user text for the print.
ISOLATES = dict.fromkeys(map(ord, "\u2066\u2067\u2068\u2069"))


def _links_described(document, pdf, root) -> None:
    """Gives each link the words a screen reader says of it (PDF/UA: the annotation's
    Contents): a reference's "Bilaga 2, bidrag 9", a citation's title, or else its text
    ("2.1 Minimera klimatpåverkan ..." in the contents). WeasyPrint gives the target's
    name ("contribution-12"), also to the parts of a link (a title in <bdi>): they are
    described as their link."""
    parents = {}
    for page in document.pages:
        for _kind, _target, _rectangle, box in page.links:
            annotation = getattr(box, "link_annotation", None)
            if annotation is None or box.element is None:
                continue
            element = box.element
            if element.tag != "a":
                if not parents:
                    parents = {child: parent for parent in root.iter() for child in parent}
                while element is not None and element.tag != "a":
                    element = parents.get(element)
                if element is None:
                    continue
            words = (
                element.get("data-reference")
                or element.get("title")
                or " ".join("".join(element.itertext()).translate(ISOLATES).split())
            )
            if words:
                annotation["Contents"] = pydyf.String(words)


def _annotations_in_links(pdf) -> None:
    """Moves each link annotation that WeasyPrint puts in another element (the part of a
    link in <bdi>: a title in the contents) to its Link: PDF/UA wants each in a Link."""
    if "StructTreeRoot" not in pdf.catalog:
        return
    objects = pdf.objects
    root = objects[_number(pdf.catalog["StructTreeRoot"])]
    nums = objects[_number(root["ParentTree"])]["Nums"]
    positions = {nums[i]: i + 1 for i in range(0, len(nums), 2)}
    for element in tuple(objects):
        if not isinstance(element, pydyf.Dictionary) or element.get("Type") != "/StructElem":
            continue
        if element["S"] == "/Link":
            continue
        for kid in tuple(element["K"]):
            if isinstance(kid, int) or objects[_number(kid)].get("Type") != "/OBJR":
                continue
            link = objects[_number(element["P"])]
            while link.get("S") not in ("/Link", "/Document", None):
                link = objects[_number(link["P"])]
            if link.get("S") != "/Link":
                continue
            element["K"].remove(kid)
            link["K"].append(kid)
            annotation = objects[_number(objects[_number(kid)]["Obj"])]
            nums[positions[annotation["StructParent"]]] = link.reference


SVG = "{http://www.w3.org/2000/svg}"


def _charts_described(pdf, root) -> None:
    """Gives each chart's figure the chart's title and description as its alternative
    text, as screen readers hear the SVG on the web and as the Word file has it.
    WeasyPrint takes the title only."""
    described = {}
    for svg in root.iter(f"{SVG}svg"):
        title, desc = svg.find(f"{SVG}title"), svg.find(f"{SVG}desc")
        if title is not None and title.text and desc is not None and desc.text:
            # WeasyPrint's /Alt is the title's text as it is.
            described.setdefault(title.text, f"{title.text}. {desc.text}")
    if not described:
        return
    for element in pdf.objects:
        if isinstance(element, pydyf.Dictionary) and element.get("S") == "/Figure":
            alt = element.get("Alt")
            if isinstance(alt, pydyf.String) and alt.string in described:
                element["Alt"] = pydyf.String(described[alt.string])


def _finish(document, pdf, root) -> None:
    """What WeasyPrint leaves for PDF/UA, done once the pages are drawn (``root``: the
    HTML's root element)."""
    _margins_as_artifacts(document, pdf)
    _links_described(document, pdf, root)
    _annotations_in_links(pdf)
    _charts_described(pdf, root)


def write_pdf(html: str, *, progress=None) -> RenderedPdf:
    """The PDF (tagged PDF/UA-1), its page count and what could not be drawn.

    Loads only static files.
    """
    fetcher = StaticFilesFetcher()
    document = HTML(string=html, base_url=BASE_URL, url_fetcher=fetcher)
    missing = _MissingGlyphs()
    weasyprint_logger = logging.getLogger("weasyprint")
    weasyprint_logger.addHandler(missing)
    # WeasyPrint makes a great many objects while it lays out a report, and the cyclic
    # garbage collector would scan them again and again during the render. It is paused
    # for the render only: what it would have freed is freed once it runs again
    # (docs/benchmarks.md).
    collect = gc.isenabled()
    gc.disable()
    try:
        rendered = document.render(pdf_variant=PDF_VARIANT)
        if progress:
            progress(80)
        output = io.BytesIO()
        rendered.write_pdf(
            output, pdf_variant=PDF_VARIANT, finisher=partial(_finish, root=document.etree_element)
        )
    finally:
        weasyprint_logger.removeHandler(missing)
        if collect:
            gc.enable()
    return RenderedPdf(output.getvalue(), len(rendered.pages), sorted(missing.characters))
