"""The PDF: rendering, the URL fetcher, the PDF variant and metadata (the tagging
WeasyPrint leaves undone is finished in tagging.py).

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

from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.exceptions import ValidationError
from django.template.loader import render_to_string
from weasyprint import HTML, URLFetcher
from weasyprint.urls import URLFetcherResponse

from livskvalitet.core.text import isolated_for_print
from programme.logos import logo_data_uri, logo_type

from . import tagging

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
        finish = partial(tagging.finish, root=document.etree_element)
        rendered.write_pdf(output, pdf_variant=PDF_VARIANT, finisher=finish)
    finally:
        weasyprint_logger.removeHandler(missing)
        if collect:
            gc.enable()
    return RenderedPdf(output.getvalue(), len(rendered.pages), sorted(missing.characters))
