"""Plain builders the tests share: users, contributions saved as the form would, the
form's POST, cycles, published reports, snapshots of the programme.

Fixtures (the cast of users, the cycle, its contributions) are in conftest.py and use
these. A test module imports from here, never from another test module or a conftest
(tests/test_layout.py holds that).
"""

import base64
import contextlib
import datetime
import html
import io
import json
import re
import select
import socket
import threading
from html.parser import HTMLParser
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import openpyxl
from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.urls import reverse

from livskvalitet.core.text import swedish_order
from programme.demo import demo_data
from programme.models import (
    Commitment,
    Direction,
    FocusArea,
    GoverningDocument,
    Indicator,
    Membership,
    Municipality,
    Organisation,
    Programme,
    Responsibility,
    Sdg,
)
from programme.permissions import strategists_group
from programme.transfer import export_programme
from reporting import services
from reporting.content import ContributionContent
from reporting.models import ContributionVersion, Cycle, Report
from reporting.report.compile import report_publish, report_request

PASSWORD = "a-long-test-password"
# The organisations of the cast (conftest.py): reporters and an approver of A, a reporter
# of B, and the strategy department.
ORGANISATION_A = "Miljönämnden"
ORGANISATION_B = "Helsingborgshem AB"
STRATEGY_DEPARTMENT = "Avdelningen för strategisk samhällsutveckling"
# In the tests a report compiles inside the request that asks for it (there is no worker):
# the PDF, the HTML and the Word edition take seconds, more on a machine running two test
# processes at once, so a browser waits longer for that one page than for others (15 s).
COMPILE_TIMEOUT_MS = 120_000

# What the shipped demo file (fixtures/demo.json) gives key figures: its targets as
# (KPI, direction, value, year) and the KPIs it compares with fictional municipalities.
DEMO_TARGETS = [
    (t["kpi"], t["direction"], t["value"], t["year"]) for t in demo_data()["values"]["targets"]
]
DEMO_COMPARED = demo_data()["values"]["compared"]

# A 1×1 PNG: a logo.
PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg=="
)


def make_user(username, *, organisation=None, role=Membership.Role.REPORTER, **extra):
    """A user with the test password; a member of the organisation, if given, in the role."""
    user = get_user_model().objects.create_user(
        username=username, password=PASSWORD, first_name=username.title(), **extra
    )
    if organisation is not None:
        Membership.objects.create(user=user, organisation=organisation, role=role)
    return user


def make_strategist(username="strategist"):
    """A member of the strategy department in the group of strategists."""
    user = make_user(username, organisation=Organisation.objects.get(name=STRATEGY_DEPARTMENT))
    user.groups.add(strategists_group())
    return user


def open_cycle(strategist):
    """Uppföljning 2026, opened: every nämnd and bolag is asked about every focus area."""
    cycle = Cycle.objects.create(
        programme=Programme.objects.get(),
        title="Uppföljning 2026",
        first_year=2025,
        last_year=2026,
        opens_on=datetime.date(2026, 1, 15),
        due_on=datetime.date(2099, 3, 31),
    )
    services.cycle_open(cycle=cycle, by=strategist)
    cycle.refresh_from_db()
    return cycle


COMPLETE = {
    "done": "Vi har bytt till elbilar.",
    "results": "Utsläppen minskade.",
    "assessment": "positive",
    "assessment_motivation": "Tydlig minskning.",
}


# What people type into a report: a long Swedish compound, and a pasted link with no place to
# break (a shared document's, wider than the page).
LONG_WORD = "Fjärrvärmeundercentralsoptimeringsprojektet"
LONG_LINK = (
    "https://kommunen.sharepoint.com/:w:/r/sites/Livskvalitet/_layouts/15/Doc.aspx?sourcedoc="
    "%7B8F3A2C1D4E5B6A7980C1D2E3F4A5B6C7%7D&file=Fj%C3%A4rrv%C3%A4rmeundercentralsoptimering"
    "sprojektetUppf%C3%B6ljning2026.docx&action=default&mobileredirect=true"
)
LONG_TEXTS = {
    "results": f"{LONG_WORD} gav resultat, se {LONG_LINK}",
    "actions": [
        {
            "title": f"{LONG_WORD} i beståndet på Drottninghög, Dalhem och Husensjö",
            "status": "ongoing",
            "progress": LONG_LINK,
        }
    ],
}


def fill(contribution, user, **fields):
    """Save the contribution as a draft with the given fields (complete by default)."""
    return save(contribution, user, **(fields or COMPLETE))


def approve(contribution, approver, strategist, **fields):
    """Fill in (complete, with these fields), submit and approve the contribution: the
    approver writes and submits, the strategist approves. The contribution, refreshed."""
    save(contribution, approver, **{**COMPLETE, **fields})
    services.contribution_submit(contribution=contribution, by=approver)
    services.contribution_approve(contribution=contribution, by=strategist)
    contribution.refresh_from_db()
    return contribution


def save(contribution, user, *, actions=(), answers=None, indicator_comments=None, **fields):
    """Save a draft as the contribution form would: what it holds, with these changes."""
    contribution.refresh_from_db()
    content = ContributionContent.of(contribution).replaced(
        actions=list(actions),
        answers=answers or {},
        indicator_comments=indicator_comments or {},
        **fields,
    )
    return services.contribution_save(
        contribution=contribution,
        content=content,
        expected_version=contribution.version,
        by=user,
    )


def page_text(response_or_html) -> str:
    """What a reader sees of a page: tags, bidi isolates and repeated spaces gone."""
    content = getattr(response_or_html, "content", response_or_html)
    if isinstance(content, bytes):
        content = content.decode()
    text = re.sub(r"<[^>]+>", " ", str(content))
    text = html.unescape(text).replace("\u2068", "").replace("\u2069", "")
    return " ".join(text.split())


OTHER_DATE_STYLES = re.compile(
    r"\b\d{4}-\d{2}-\d{2}\b|\b\d{1,2}/\d{1,2}/\d{2,4}\b|\b[ap]\.m\.|\b\d{4}-\d{2}-\d{2}T"
)


def shown_in_section(html: str, section_id: str, text: str) -> bool:
    """Whether ``text`` is shown once on the page, inside the section (fieldset) with
    this id: where the page lands, not at its top."""
    start = html.find(f'id="{section_id}"')
    return (
        html.count(text) == 1
        and start != -1
        and start < html.find(text) < html.find("</fieldset>", start)
    )


def form_fields(page: str, marker: str, **changes) -> dict:
    """The fields of the page's form that has the attribute ``marker`` (a name, or
    name=value) as a browser sends them (no button, no file, nothing of a <template>),
    with some changed."""
    attribute, _, value = marker.partition("=")

    class Reader(HTMLParser):
        fields: dict = {}
        form = template = False
        textarea = select = None

        def handle_starttag(self, tag, attrs):
            a = dict(attrs)
            self.template |= tag == "template"
            self.form |= tag == "form" and attribute in a and (not value or a[attribute] == value)
            name = a.get("name")
            if not self.form or self.template or tag in ("button",):
                return
            if tag == "input" and name and a.get("type") not in ("submit", "file"):
                box = a.get("type") in ("checkbox", "radio")
                if not box or "checked" in a:
                    self.fields.setdefault(name, []).append(a.get("value", "on" if box else ""))
            elif tag == "textarea":
                self.textarea = name
                self.fields.setdefault(name, []).append("")
            elif tag == "select":
                self.select = name
            elif tag == "option" and self.select and "selected" in a:
                self.fields.setdefault(self.select, []).append(a.get("value", ""))

        def handle_data(self, data):
            if self.textarea:
                self.fields[self.textarea][-1] += data

        def handle_endtag(self, tag):
            if tag == "template":
                self.template = False
            elif tag == "form":
                self.form = False
            elif tag == "textarea" and self.textarea:
                value = self.fields[self.textarea][-1]
                self.fields[self.textarea][-1] = value.removeprefix("\n")
                self.textarea = None
            elif tag == "select":
                self.select = None

    reader = Reader(convert_charrefs=True)
    reader.fields = {}
    reader.feed(page)
    return reader.fields | {name: [value] for name, value in changes.items()}


def save_programme_in_admin(client, programme, **changes):
    """The programme's page in the admin, sent back as a browser sends it, with fields
    changed (``logo=SimpleUploadedFile(...)`` uploads a logo, ``**{"logo-clear": "on"}``
    ticks its clear box); the response."""
    url = reverse("admin:programme_programme_change", args=[programme.pk])
    page = client.get(url).content.decode()
    files = {k: v for k, v in changes.items() if isinstance(v, SimpleUploadedFile)}
    texts = {k: v for k, v in changes.items() if k not in files}
    return client.post(url, form_fields(page, "id=programme_form", **texts) | files)


def other_date_styles(text: str) -> list[str]:
    """Dates written otherwise than the one style of pages and mails ("2 december 2026",
    "2 december 2026 19:14"): ISO dates, numeric ones, a.m./p.m. Data files keep ISO."""
    return OTHER_DATE_STYLES.findall(text)


def form_data(contribution, **fields):
    """The contribution form's POST: its version, one empty action, "save"; fields added."""
    data = {
        "version": contribution.version,
        "actions-TOTAL_FORMS": "1",
        "actions-INITIAL_FORMS": "0",
        "actions-MIN_NUM_FORMS": "0",
        "actions-MAX_NUM_FORMS": "1000",
        "actions-0-title": "",
        "actions-0-status": "planned",
        "save": "1",
    }
    data.update(fields)
    return data


def draft_data(contribution, **fields):
    """The contribution form's POST without actions, saved as a draft; fields added."""
    return {
        "version": contribution.version,
        "actions-TOTAL_FORMS": "0",
        "actions-INITIAL_FORMS": "0",
        "actions-MIN_NUM_FORMS": "0",
        "actions-MAX_NUM_FORMS": "1000",
        "save": "1",
        **fields,
    }


def new_cycle(**extra):
    """A cycle in planning: 2027–2028, opening on 1 January 2028 unless told otherwise."""
    values = {
        "title": "Uppföljning 2028",
        "first_year": 2027,
        "last_year": 2028,
        "opens_on": datetime.date(2028, 1, 1),
        "due_on": datetime.date(2028, 3, 1),
    } | extra
    if "programme" not in values:  # the one programme (with two, the test names it)
        values["programme"] = Programme.objects.get()
    return Cycle.objects.create(**values)


def programme_snapshot():
    """Everything of the programme's structure, as plain data."""
    return {
        "sdgs": list(Sdg.objects.values_list("number", "title_sv", "title_en", "colour")),
        "organisations": sorted(
            (o.name, o.short_name, o.kind, str(o.served_by), str(o.part_of), o.active)
            for o in Organisation.objects.select_related("served_by", "part_of")
        ),
        "programmes": list(
            Programme.objects.values_list(
                "name",
                "edition",
                "valid_from",
                "valid_until",
                "revised_by",
                "owner__name",
                "follow_up_interval_years",
                "introduction",
            )
        ),
        "directions": sorted(
            Direction.objects.values_list(
                "programme__edition", "number", "title", "ambition", "challenges", "focus"
            )
        ),
        "focus_areas": sorted(
            (
                a.programme.edition,
                a.code,
                a.direction.number,
                a.title,
                a.description,
                tuple(sorted(s.number for s in a.sdgs.all())),
            )
            for a in FocusArea.objects.select_related("programme", "direction").prefetch_related(
                "sdgs"
            )
        ),
        "documents": sorted(
            (d.title, d.url, tuple(sorted(x.number for x in d.directions.all())))
            for d in GoverningDocument.objects.prefetch_related("directions")
        ),
        "commitments": sorted(Commitment.objects.values_list("title", "url")),
        "municipalities": sorted(Municipality.objects.values_list("code", "name")),
        "indicators": sorted(
            Indicator.objects.values_list(
                "focus_area__code",
                "title",
                "unit",
                "source",
                "external_id",
                "better",
                "gender_split",
                "comparisons",
                "confirmed",
                "active",
            )
        ),
        "responsibilities": sorted(
            Responsibility.objects.values_list("organisation__name", "focus_area__code", "role")
        ),
        "history": sum(
            model.history.count()
            for model in (Sdg, Organisation, Programme, Direction, FocusArea, Commitment)
        ),
    }


def admin_import(client, model, data: bytes, name: str, format_index: str):
    """Upload a file to the admin's import page of a programme model (its first step)."""
    url = reverse(f"admin:programme_{model}_import")
    upload = io.BytesIO(data)
    upload.name = name
    return client.post(url, {"import_file": upload, "format": format_index, "resource": "0"})


def compile_report(cycle, user, django_capture_on_commit_callbacks):
    """Ask for a report and run the compile the request queued; the report, refreshed."""
    with django_capture_on_commit_callbacks(execute=True):
        report = report_request(cycle=cycle, by=user)
    report.refresh_from_db()
    return report


def published_report(cycle, strategist, approver, contribution, *, published=True):
    """The contribution approved and a report built from it (a stand-in PDF), published
    unless told otherwise: (report, the approved version)."""
    fill(contribution, approver, **{**COMPLETE, "done": "Offentligt godkänt bidrag"})
    services.contribution_submit(contribution=contribution, by=approver)
    services.contribution_approve(contribution=contribution, by=strategist)
    version = ContributionVersion.objects.get(contribution=contribution, event="approved")
    return report_of(cycle, strategist, [version], published=published), version


def printed_names(versions) -> dict:
    """The names and Bilaga 2 numbers a compile keeps for these approved versions
    (Report.names, as data.stated_names): by organisation (Swedish order), then focus area."""
    ordered = sorted(
        versions,
        key=lambda v: (
            swedish_order(v.contribution.organisation.name),
            v.contribution.focus_area.sort_key,
            v.pk,
        ),
    )
    return {
        str(version.pk): {
            "organisation": version.contribution.organisation.name,
            "code": version.contribution.focus_area.code,
            "title": version.contribution.focus_area.title,
            "number": number,
        }
        for number, version in enumerate(ordered, 1)
    }


def report_of(cycle, strategist, versions, *, published=True):
    """A report built from these approved versions (a stand-in PDF, the names and numbers
    a compile keeps), published unless told otherwise."""
    number = cycle.reports.count() + 1
    report = Report(
        cycle=cycle,
        number=number,
        status=Report.Status.DONE,
        compiled_by=strategist,
        page_count=3,
        checksum="a" * 64,
        names=printed_names(versions),
    )
    report.pdf.save("r.pdf", ContentFile(b"%PDF-1.7 test"), save=False)
    report.save()
    report.built_from.add(*versions)
    if published:  # as the strategist publishes: who and when recorded
        report_publish(report=report, by=strategist, accept_gaps=True)
    return report


def footnotes_of(document) -> list[str]:
    """The texts of a Word file's footnotes (its separators left out)."""
    from docx.oxml.ns import qn
    from lxml import etree

    part = next(p for p in document.part.package.parts if p.partname == "/word/footnotes.xml")
    notes = etree.fromstring(part.blob).findall(qn("w:footnote"))
    return [
        "".join(node.text or "" for node in note.iter(qn("w:t"))).strip()
        for note in notes
        if note.get(qn("w:type")) is None
    ]


def write_report_text(cycle, strategist, key, text, *, ready=True):
    """Save one of the report's own texts (its key: "sammanfattning", "viljeinriktning-2"
    …) as the text page does, from its current revision."""
    from reporting.report import texts as report_texts
    from reporting.report.compile import report_text_save

    slot = report_texts.slot(cycle, key)
    return report_text_save(
        cycle=cycle,
        part=slot.part,
        direction=slot.direction,
        text=text,
        ready=ready,
        revision=slot.revision,
        by=strategist,
    )


class JsonHandler(BaseHTTPRequestHandler):
    """A fake server's handler that answers JSON and logs nothing."""

    def send_json(self, data) -> None:
        body = json.dumps(data).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def client_left_within(self, seconds: float) -> bool:
        """Wait up to ``seconds`` for the client to hang up, as one that stops waiting for
        an answer does; whether it did. Nobody is then answered: a write to a connection
        the client has closed breaks the pipe."""
        readable, _, _ = select.select([self.connection], [], [], seconds)
        if not readable:
            return False
        try:
            return self.connection.recv(1, socket.MSG_PEEK) == b""
        except ConnectionResetError:
            return True

    def log_message(self, *args):
        pass


class AnsweringServer(ThreadingHTTPServer):
    # Its requests' threads are waited for when it closes (http.server's are daemons, left
    # running): what a handler records is all there once the block has ended.
    daemon_threads = False


@contextlib.contextmanager
def http_server(handler, **state):
    """A real HTTP server on 127.0.0.1 answering with ``handler`` in a thread, its
    attributes set from ``state`` and ``base_url`` (…/v3, as Kolada's), until the block ends."""
    server = AnsweringServer(("127.0.0.1", 0), handler)
    for name, value in state.items():
        setattr(server, name, value)
    server.base_url = f"http://127.0.0.1:{server.server_port}/v3"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


def migrate(targets=None, *, also=()):
    """Migrate the test database to ``targets`` ((app, migration) pairs; every app's latest
    when None) and return the models as they are there (and as ``also``'s migrations
    leave theirs), for the tests of data migrations."""
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    targets = targets or executor.loader.graph.leaf_nodes()
    executor.migrate(targets)
    nodes = [target for target in targets if target[1] is not None] + list(also)
    return MigrationExecutor(connection).loader.project_state(nodes).apps


def migration_cycle(apps, programme):
    """A follow-up cycle of 2025–2026 made with the models of a migration state."""
    return apps.get_model("reporting", "Cycle").objects.create(
        programme=programme,
        title="Uppföljning 2026",
        first_year=2025,
        last_year=2026,
        opens_on=datetime.date(2026, 1, 15),
        due_on=datetime.date(2026, 3, 31),
    )


def migration_approved(apps, cycle, organisation, area):
    """An approved contribution's first version, made with the models of a migration
    state."""
    contribution = apps.get_model("reporting", "Contribution").objects.create(
        cycle=cycle, organisation=organisation, focus_area=area, state="approved"
    )
    return apps.get_model("reporting", "ContributionVersion").objects.create(
        contribution=contribution, number=1, state="approved", data={}, event="approved"
    )


def migration_report_setting(apps, codes):
    """What the tests of the report's data migrations start from, made with the models of a
    migration state: focus areas of these codes ({code: area}), a strategist and a cycle."""
    programme, areas = migration_structure(apps, codes)
    user = apps.get_model("auth", "User").objects.create(username="strateg")
    return {area.code: area for area in areas}, user, migration_cycle(apps, programme)


def migration_structure(apps, codes, *, direction_number=1, **fields):
    """A programme with one direction and focus areas of these codes, made with the models
    of a migration state (``apps``), for the tests of data migrations."""
    programme = apps.get_model("programme", "Programme").objects.create(
        **{
            "name": "Provprogram",
            "edition": "P1",
            "slug": "p1",
            "valid_from": datetime.date(2025, 1, 1),
            "valid_until": datetime.date(2027, 12, 31),
            "revised_by": "Fullmäktige",
            **fields,
        }
    )
    direction = apps.get_model("programme", "Direction").objects.create(
        programme=programme, number=direction_number, title="Provriktning"
    )
    FocusArea = apps.get_model("programme", "FocusArea")
    areas = [
        FocusArea.objects.create(
            programme=programme, direction=direction, code=code, title=f"Område {code}"
        )
        for code in codes
    ]
    return programme, areas


def workbook(**changes) -> bytes:
    """The shipped programme as export_programme writes it, with cells changed:
    ``changes`` maps a sheet to {(key column, key, column): value}."""
    book = openpyxl.load_workbook(io.BytesIO(export_programme("xlsx")["programme.xlsx"]))
    for sheet_name, cells in changes.items():
        sheet = book[sheet_name]
        header = [cell.value for cell in sheet[1]]
        for (key_column, key, column), value in cells.items():
            for row in sheet.iter_rows(min_row=2):
                if row[header.index(key_column)].value == key:
                    row[header.index(column)].value = value
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def publish_on_the_page(client, url, **more):
    """POST the publish page as its form does: confirmed, gaps accepted, with the fingerprint
    of the gaps the page shows (its hidden "seen"); ``more`` adds or replaces fields."""
    import re

    shown = re.search(r'name="seen" value="(\w*)"', client.get(url).content.decode())
    fields = {"confirm": "on", "accept_gaps": "on", "seen": shown[1] if shown else ""}
    return client.post(url, {**fields, **more})
