"""Reading municipal key figures (KPI values) from Kolada, the open database run by RKA.

Values come from saved API responses (files, so an import works without network) or,
optionally, straight from the API. Everything is checked strictly: a value Kolada does not
have stays None (never 0), and anything unexpected stops the whole read with a message that
says where and why. Nothing here touches the database.
"""

import json
import re
import urllib.error
import urllib.request
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from http.client import HTTPException
from itertools import product
from pathlib import Path
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit

from django.conf import settings
from django.utils.translation import gettext as _

from livskvalitet.core.text import size_and_limit

KPI_ID = re.compile(r"^[A-Z]\d{5}$", re.ASCII)
MUNICIPALITY_ID = re.compile(r"^\d{4}$", re.ASCII)
GENDERS = {"T", "K", "M"}
MAX_YEAR_SPAN = 100
MISSING = object()


@dataclass(frozen=True)
class KoladaValue:
    kpi: str
    municipality: str
    year: int
    gender: str  # T total, K women, M men
    value: Decimal | None  # None: Kolada has no value (missing data, not zero)
    status: str
    count: int
    # Where the value was read (file or address, item, value), to name it in messages.
    where: str = field(default="", compare=False)


class KoladaError(Exception):
    """Message says where (file/URL, page, item number) and why."""


class KoladaOffline(KoladaError):
    """The API could not be reached."""


def parse_years(text: str) -> list[int]:
    """Read "2015-2026", "2019,2021" or "2020" (or a mix such as "2015-2017,2020")."""
    years = set()
    for part in text.replace("–", "-").split(","):
        match = re.fullmatch(r"\s*(\d{4})\s*(?:-\s*(\d{4})\s*)?", part, re.ASCII)
        if not match or int(match[2] or match[1]) < int(match[1]):
            raise KoladaError(
                _("“%(text)s” is not a year or a span of years such as 2015-2026.") % {"text": text}
            )
        years.update(range(int(match[1]), int(match[2] or match[1]) + 1))
    if max(years) - min(years) >= MAX_YEAR_SPAN:
        raise KoladaError(
            _("“%(text)s” spans more than %(limit)d years.")
            % {"text": text, "limit": MAX_YEAR_SPAN}
        )
    return sorted(years)


def _shown(value) -> str:
    if value is MISSING:
        return _("nothing (the field is missing)")
    return json.dumps(value, ensure_ascii=False)[:60]


def _is_int(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _is_kpi(value) -> bool:
    return isinstance(value, str) and bool(KPI_ID.fullmatch(value))


def _is_municipality(value) -> bool:
    return isinstance(value, str) and bool(MUNICIPALITY_ID.fullmatch(value))


def _is_number(value) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _is_text(value) -> bool:
    return isinstance(value, str)


def _reject_constant(name):
    raise ValueError(_("%(name)s is not a number") % {"name": name})


def _is_gender(value) -> bool:
    return isinstance(value, str) and value in GENDERS


def _field(where: str, data, name: str, is_valid, expected, default=MISSING, nullable=False):
    """data[name] if valid (None if nullable and null); else a KoladaError saying where and why."""
    if not isinstance(data, dict):
        raise KoladaError(
            _("%(where)s: expected an object, got %(got)s.") % {"where": where, "got": _shown(data)}
        )
    value = data.get(name, default)
    if value is None and nullable:
        return None
    if not is_valid(value):
        raise KoladaError(
            _("%(where)s, field “%(field)s”: expected %(expected)s, got %(got)s.")
            % {"where": where, "field": name, "expected": expected, "got": _shown(value)}
        )
    return value


def _envelope(data: bytes | str, source: str) -> dict:
    try:
        envelope = json.loads(data, parse_constant=_reject_constant)
    except ValueError as error:
        raise KoladaError(
            _("%(source)s is not valid JSON: %(reason)s.") % {"source": source, "reason": error}
        ) from error
    if not isinstance(envelope, dict) or not isinstance(envelope.get("values"), list):
        raise KoladaError(
            _("%(source)s is not a Kolada response: expected an object with a “values” list.")
            % {"source": source}
        )
    return envelope


def parse_page(data: bytes | str, *, source: str) -> tuple[list[KoladaValue], str | None]:
    """Read one response envelope; return its values and the next page's URL (or None)."""
    envelope = _envelope(data, source)  # also bytes that are not UTF-8
    next_page = _field(source, envelope, "next_page", _is_text, _("an address"), None, True)
    values = []
    for number, item in enumerate(envelope["values"], start=1):
        where = _("%(source)s, item %(number)d") % {"source": source, "number": number}
        values.extend(_parse_item(item, where))
    return values, next_page or None


def _parse_item(item, where: str) -> list[KoladaValue]:
    kpi = _field(where, item, "kpi", _is_kpi, _("a KPI id such as “N00401”"))
    municipality = _field(
        where, item, "municipality", _is_municipality, _("a string of 4 digits such as “1283”")
    )
    year = _field(where, item, "period", _is_int, _("a year as a whole number"))
    entries = _field(where, item, "values", lambda value: isinstance(value, list), _("a list"))
    values = []
    for number, entry in enumerate(entries, start=1):
        at = _("%(where)s, value %(number)d") % {"where": where, "number": number}
        value = _field(at, entry, "value", _is_number, _("a number or null"), nullable=True)
        count = _field(at, entry, "count", _is_int, _("a whole number"), None, True)
        values.append(
            KoladaValue(
                kpi=kpi,
                municipality=municipality,
                year=year,
                gender=_field(at, entry, "gender", _is_gender, _("T, K or M")),
                value=None if value is None else Decimal(str(value)),
                status=_field(at, entry, "status", _is_text, _("text"), None, True) or "",
                count=1 if count is None else count,
                where=at,
            )
        )
    return values


def _read_file(path: Path) -> bytes:
    try:
        if path.stat().st_size > settings.IMPORT_MAX_BYTES:
            raise KoladaError(
                _("%(file)s is %(size)s; at most %(limit)s can be imported.")
                % {
                    "file": path.name,
                    **size_and_limit(path.stat().st_size, settings.IMPORT_MAX_BYTES),
                }
            )
        return path.read_bytes()
    except OSError as error:
        raise KoladaError(
            _("Could not read %(file)s: %(reason)s.")
            % {"file": path.name, "reason": error.strerror or error}
        ) from error


def parse_files(paths: Iterable[str | Path], parse=None) -> list:
    """Read saved API responses, one envelope page a file: values, or what ``parse``
    reads (parse_groups)."""
    parse = parse or parse_page
    found = []
    for path in map(Path, paths):
        found.extend(parse(_read_file(path), source=path.name)[0])
    return found


def fetch(
    kpis: list[str],
    municipalities: list[str] | None,
    years: list[int],
    *,
    base_url: str = "https://api.kolada.se/v3",
    per_page: int = 5000,
    timeout: float = 20,
    chunk: int = 25,
) -> list[KoladaValue]:
    """Fetch values from the API, at most `chunk` KPIs, municipalities and years a request.
    With ``municipalities`` None, every municipality's (Kolada answers per KPI and year for
    all of them: /data/kpi/{kpi}/year/{years})."""
    everyone = municipalities is None
    municipalities = ["0000"] if everyone else municipalities
    for items, is_valid, expected in [
        (kpis, _is_kpi, _("a Kolada KPI id (a capital letter and 5 digits, such as N00401)")),
        (
            municipalities,
            _is_municipality,
            _("a Kolada municipality id (4 digits as text, such as “1283”)"),
        ),
        (years, _is_int, _("a year")),
    ]:
        for item in items:
            if not is_valid(item):
                raise KoladaError(
                    _("%(got)s is not %(expected)s.") % {"got": _shown(item), "expected": expected}
                )
        if not items:
            raise KoladaError(_("Name at least one KPI, one municipality and one year."))
    base = urlsplit(base_url)
    if base.scheme not in ("http", "https") or not base.netloc:
        raise KoladaError(_("%(url)s is not an http(s) address.") % {"url": base_url})

    def chunks(items):
        items = list(dict.fromkeys(items))  # drop repeats, keep order
        return [items[start : start + chunk] for start in range(0, len(items), chunk)]

    values = []
    for parts in product(chunks(kpis), chunks(municipalities), chunks(years)):
        kpi_ids, ids, year_list = (",".join(map(str, part)) for part in parts)
        where = "" if everyone else f"/municipality/{ids}"
        path = f"/data/kpi/{kpi_ids}{where}/year/{year_list}?per_page={per_page}"
        url = base_url.rstrip("/") + path
        values.extend(_fetch_pages(url, base.scheme, base.netloc, timeout))
    return values


def _fetch_pages(url: str, scheme: str, netloc: str, timeout: float, parse=None) -> list:
    values, seen = [], set()
    parse = parse or parse_page
    while url:
        if url in seen:
            raise KoladaError(_("Kolada sent %(url)s as the next page twice.") % {"url": url})
        seen.add(url)
        source = _("%(url)s (page %(page)d)") % {"url": url, "page": len(seen)}
        page_values, next_page = parse(_get(url, timeout), source=source)
        values.extend(page_values)
        if not next_page:
            break
        link = urlsplit(urljoin(url, next_page))
        if link.scheme not in ("http", "https") or link.netloc.lower() != netloc.lower():
            raise KoladaError(
                _("%(source)s: the next page %(url)s leaves %(host)s; it was not followed.")
                % {"source": source, "url": next_page, "host": netloc}
            )
        # Keep the base URL's scheme, so that an http link never downgrades an https fetch.
        url = link._replace(scheme=scheme).geturl()
    return values


class _SameHostRedirects(urllib.request.HTTPRedirectHandler):
    """Follow a redirect only to the host asked, never down from https to http."""

    def __init__(self, scheme: str, netloc: str):
        super().__init__()
        self.scheme, self.netloc = scheme, netloc.lower()

    def redirect_request(self, req, fp, code, msg, headers, newurl):
        target = urlsplit(urljoin(req.full_url, newurl))
        allowed_scheme = target.scheme == self.scheme or (
            self.scheme == "http" and target.scheme == "https"
        )
        if not allowed_scheme or target.netloc.lower() != self.netloc:
            raise KoladaError(
                _(
                    "Kolada redirected %(url)s to %(target)s, which leaves %(host)s; "
                    "it was not followed."
                )
                % {"url": req.full_url, "target": newurl, "host": self.netloc}
            )
        return super().redirect_request(req, fp, code, msg, headers, newurl)


def _get(url: str, timeout: float) -> bytes:
    # fetch() and _fetch_pages() only let http(s) URLs through.
    parts = urlsplit(url)
    opener = urllib.request.build_opener(_SameHostRedirects(parts.scheme, parts.netloc))
    request = urllib.request.Request(url, headers={"Accept": "application/json"})  # noqa: S310
    try:
        with opener.open(request, timeout=timeout) as response:
            return response.read()
    except urllib.error.HTTPError as error:
        raise KoladaError(
            _("Kolada answered %(url)s with HTTP status %(status)d. Nothing was imported.")
            % {"url": url, "status": error.code}
        ) from error
    except (OSError, HTTPException) as error:  # refused, timed out, unknown host, cut off
        raise KoladaOffline(
            _("Could not reach Kolada (%(url)s): %(reason)s. Nothing was imported.")
            % {"url": url, "reason": getattr(error, "reason", None) or error}
        ) from error


@dataclass(frozen=True)
class KoladaGroup:
    id: str
    title: str
    members: tuple[str, ...]


def parse_groups(data: bytes | str, *, source: str) -> tuple[list[KoladaGroup], str | None]:
    """Read one page of Kolada's municipality groups (/municipality_groups): each with its
    id, title and members' ids; and the next page's URL (or None)."""
    envelope = _envelope(data, source)
    next_page = _field(source, envelope, "next_page", _is_text, _("an address"), None, True)
    groups = []
    for number, item in enumerate(envelope["values"], start=1):
        where = _("%(source)s, item %(number)d") % {"source": source, "number": number}
        members = _field(where, item, "members", lambda v: isinstance(v, list), _("a list"))
        groups.append(
            KoladaGroup(
                id=_field(
                    where,
                    item,
                    "id",
                    lambda v: _is_text(v) and 0 < len(v) <= 20,
                    _("a group id such as “G124”"),
                ),
                title=_field(where, item, "title", _is_text, _("text")),
                members=tuple(
                    _field(
                        f"{where}, {_('member')} {n}",
                        member,
                        "id",
                        _is_municipality,
                        _("a string of 4 digits such as “1283”"),
                    )
                    for n, member in enumerate(members, start=1)
                ),
            )
        )
    return groups, next_page or None


def fetch_list(
    path: str, parse, *, base_url: str = "https://api.kolada.se/v3", timeout: float = 20
):
    """Every item of one of Kolada's lists (``path``, such as /municipality_groups), read
    by ``parse`` (parse_groups, parse_municipalities), following its pages."""
    base = urlsplit(base_url)
    if base.scheme not in ("http", "https") or not base.netloc:
        raise KoladaError(_("%(url)s is not an http(s) address.") % {"url": base_url})
    url = base_url.rstrip("/") + path
    return _fetch_pages(url, base.scheme, base.netloc, timeout, parse)


@dataclass(frozen=True)
class KoladaMunicipality:
    id: str
    title: str


def parse_municipalities(
    data: bytes | str, *, source: str
) -> tuple[list[KoladaMunicipality], str | None]:
    """Read one page of Kolada's municipalities (/municipality: every municipality, every
    region and Sweden, each with its id and title); and the next page's URL (or None)."""
    envelope = _envelope(data, source)
    next_page = _field(source, envelope, "next_page", _is_text, _("an address"), None, True)
    municipalities = []
    for number, item in enumerate(envelope["values"], start=1):
        where = _("%(source)s, item %(number)d") % {"source": source, "number": number}
        municipalities.append(
            KoladaMunicipality(
                id=_field(
                    where, item, "id", _is_municipality, _("a string of 4 digits such as “1283”")
                ),
                title=_field(
                    where,
                    item,
                    "title",
                    lambda v: _is_text(v) and len(v) <= 100,
                    _("a name of at most 100 characters"),
                ),
            )
        )
    return municipalities, next_page or None


@dataclass(frozen=True)
class KoladaKpiGroup:
    id: str
    title: str
    members: tuple[tuple[str, str], ...]  # (KPI id, title)


def parse_kpi_groups(data: bytes | str, *, source: str):
    """Read one page of Kolada's KPI groups (/kpi_groups): each with its id, title and
    member KPIs (``member_id`` and ``member_title``, or ``id`` and ``title``)."""
    envelope = _envelope(data, source)
    next_page = _field(source, envelope, "next_page", _is_text, _("an address"), None, True)
    groups = []
    for number, item in enumerate(envelope["values"], start=1):
        where = _("%(source)s, item %(number)d") % {"source": source, "number": number}
        members = []
        listed = _field(where, item, "members", lambda v: isinstance(v, list), _("a list"))
        for n, member in enumerate(listed, start=1):
            at = f"{where}, {_('member')} {n}"
            key = "member_id" if isinstance(member, dict) and "member_id" in member else "id"
            name = "member_title" if key == "member_id" else "title"
            members.append(
                (
                    _field(at, member, key, _is_kpi, _("a KPI id such as “N00401”")),
                    _field(at, member, name, _is_text, _("text")),
                )
            )
        groups.append(
            KoladaKpiGroup(
                id=_field(where, item, "id", _is_text, _("text")),
                title=_field(where, item, "title", _is_text, _("text")),
                members=tuple(members),
            )
        )
    return groups, next_page or None


def _page_number(url: str) -> tuple[str, int]:
    """An answer's address without its page, and the page (1 when not said)."""
    parts = urlsplit(url)
    query = [(k, v) for k, v in parse_qsl(parts.query) if k != "page"]
    page = next((v for k, v in parse_qsl(parts.query) if k == "page"), "1")
    base = parts._replace(query=urlencode(query)).geturl()
    return base, int(page) if page.isdigit() else 1


def missing_pages(paths: Iterable[str | Path]) -> list[str]:
    """What saved answers read together lack: for each paged answer (Kolada's next_page and
    previous_page tell a file's page), the pages no file is. Empty when nothing is missing."""
    pages: dict[str, dict[int, str]] = {}
    last: dict[str, int] = {}
    for path in map(Path, paths):
        envelope = _envelope(_read_file(path), path.name)
        next_page, previous = envelope.get("next_page"), envelope.get("previous_page")
        if isinstance(next_page, str) and next_page:
            base, number = _page_number(next_page)
            pages.setdefault(base, {})[number - 1] = path.name
        elif isinstance(previous, str) and previous:
            base, number = _page_number(previous)
            pages.setdefault(base, {})[number + 1] = path.name
            last[base] = number + 1
    said = []
    for base, found in pages.items():
        end = last.get(base, max(found) + 1)
        missing = [n for n in range(1, end + 1) if n not in found]
        if missing:
            said.append(
                _("%(files)s: pages %(pages)s of the same answer (%(url)s) are missing%(more)s.")
                % {
                    "files": ", ".join(found[n] for n in sorted(found)),
                    "pages": ", ".join(map(str, missing)),
                    "url": base,
                    "more": "" if base in last else _(", and perhaps later ones"),
                }
            )
    return said
