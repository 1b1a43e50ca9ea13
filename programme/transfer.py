"""Reading import files and moving the whole programme in and out as files.

Used by the admin, by the import/export commands and by the tests, so that every way
in applies the same checks.
"""

import io
from dataclasses import dataclass, field
from pathlib import Path

import tablib
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import Subquery
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from import_export.results import Result

from livskvalitet.core.text import (
    NOT_STORABLE,
    as_typed,
    size_and_limit,
    xlsx_read,
    xlsx_text,
)

from .errors import ImportRejected
from .formats import csv_delimiter
from .limits import check_csv, check_xlsx, column_named, control_character_refused
from .logos import LOGO_FOLDER
from .models import Direction, FocusArea, Municipality, Programme
from .permissions import can_import_programme
from .resources import (
    PROGRAMME_RESOURCES,
    DirectionResource,
    FocusAreaResource,
    ImportFileError,
    MunicipalityResource,
    ProgrammeResource,
    ResponsibilityResource,
    of_municipality,
    spreadsheet_row,
)


def check_size(size: int) -> None:
    if size == 0:
        raise ImportFileError(_("The file is empty."))
    if size > settings.IMPORT_MAX_BYTES:
        raise ImportFileError(
            _("The file is %(size)s; at most %(limit)s can be imported.")
            % size_and_limit(size, settings.IMPORT_MAX_BYTES)
        )


def decode_text(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise ImportFileError(
            _(
                "The file is not UTF-8 text (unreadable byte at position %(position)d). "
                "Save it as “CSV UTF-8” and try again."
            )
            % {"position": error.start}
        ) from None


def read_dataset(data: bytes, file_format: str) -> tablib.Dataset:
    """Read one table from an uploaded file, or raise ImportFileError saying why not."""
    check_size(len(data))
    if file_format == "csv":
        text = as_typed(decode_text(data))  # CR LF, LF or CR alone: rows alike
        if not text.strip():
            raise ImportFileError(_("The file is empty."))
        check_csv(text)
        try:
            return tablib.Dataset().load(text, format="csv", delimiter=csv_delimiter(text))
        except Exception:  # noqa: BLE001 - tablib raises many kinds
            raise ImportFileError(_("The file could not be read as CSV.")) from None
    if file_format == "xlsx":
        check_xlsx(data)
        try:
            dataset = tablib.Dataset().load(io.BytesIO(data), format="xlsx")
        except Exception:  # noqa: BLE001
            raise ImportFileError(
                _("The file could not be read as an Excel file (XLSX).")
            ) from None
        return as_excel_reads(dataset)
    raise ImportFileError(_("Unknown file format “%(format)s”.") % {"format": file_format})


def result_errors(result: Result, resource=None) -> list[str]:
    """Every problem of an import, each naming its row (and column) where there is one, in
    the order of the rows: a row the database refused and a row whose cells were refused
    are two lists of the result, said together."""
    messages = [str(error.error) for error in result.base_errors]
    by_row = []
    for number, errors in result.row_errors():
        for error in errors:
            by_row.append(
                (
                    number,
                    _("Row %(row)d: %(error)s")
                    % {"row": spreadsheet_row(number), "error": error.error},
                )
            )
    for invalid in result.invalid_rows:
        for column, problems in invalid.field_specific_errors.items():
            for problem in problems:
                if resource is not None:
                    column = resource.column_for(column)
                by_row.append(
                    (
                        invalid.number,
                        _("Row %(row)d, %(column)s: %(error)s")
                        % {
                            "row": spreadsheet_row(invalid.number),
                            "column": column,
                            "error": problem,
                        },
                    )
                )
        for problem in invalid.non_field_specific_errors:
            by_row.append(
                (
                    invalid.number,
                    _("Row %(row)d: %(error)s")
                    % {"row": spreadsheet_row(invalid.number), "error": problem},
                )
            )
    by_row.sort(key=lambda said: said[0])  # stable: a row's problems keep their order
    return messages + [message for _number, message in by_row]


def import_dataset(
    resource_class,
    dataset: tablib.Dataset,
    *,
    user=None,
    municipality: str = "",
    folder: Path | None = None,
) -> Result:
    """Import one table, all or nothing; raise ImportRejected listing every problem.
    ``folder``: where the files the table names (the logo) are."""
    resource = resource_class(municipality=municipality, folder=folder)
    with transaction.atomic():
        result = resource.import_data(
            dataset,
            dry_run=False,
            raise_errors=False,
            use_transactions=True,
            rollback_on_validation_errors=True,
            user=user,
        )
        messages = result_errors(result, resource)
        if messages:
            raise ImportRejected(messages)
    return result


# What the summary of an import counts, each kind of row in the words the command and the
# admin's page say it with.
TOTAL_LABELS = {
    "new": gettext_lazy("new"),
    "update": gettext_lazy("updated"),
    "delete": gettext_lazy("deleted"),
    "skip": gettext_lazy("unchanged"),
}


@dataclass
class ProgrammeImport:
    totals: dict[str, dict[str, int]] = field(default_factory=dict)
    municipality: str = ""  # whose rows were imported (a code)

    def lines(self) -> list[str]:
        """A line a table, of its counts that are not zero: "fokusomraden: nya: 13"."""
        said = {
            table: [f"{TOTAL_LABELS.get(kind, kind)}: {n}" for kind, n in totals.items() if n]
            for table, totals in self.totals.items()
        }
        return [f"{table}: {', '.join(counts)}" for table, counts in said.items()]

    def rows(self) -> list[tuple[str, list[int]]]:
        """Each table's counts, in the order of TOTAL_LABELS."""
        return [
            (table, [totals.get(kind, 0) for kind in TOTAL_LABELS])
            for table, totals in self.totals.items()
        ]


def installation_municipality_code() -> str:
    """The code of the municipality this installation serves; "" before there is one."""
    found = Municipality.objects.filter(pk=Subquery(Programme.objects.installation_municipality()))
    return found.values_list("code", flat=True).first() or ""


def municipality_known(tables, code: str) -> bool:
    """Whether the municipality is in the installation, or in the file's own kommuner."""
    if Municipality.objects.filter(code=code).exists():
        return True
    municipalities = tables.get(MunicipalityResource.sheet_name)
    if municipalities is None or "kod" not in (municipalities.headers or []):
        return False
    return code in {str(value).strip() for value in municipalities["kod"]}


def follow_up_undivided_directions(
    tables, municipality: str, summary: ProgrammeImport
) -> list[str]:
    """A direction the file divides into no focus areas is followed up as a whole: it gets
    its one focus area under its own code and title (C under C), with the direction's global
    goals, as the file could have said itself (docs/programme-format.md). Returns what
    stood in the way, if anything."""
    directions = tables.get(DirectionResource.sheet_name)
    if directions is None or "program" not in (directions.headers or []):
        return []
    problems = []
    editions = {str(edition).strip() for edition in directions["program"]}
    undivided = of_municipality(Direction.objects.all(), municipality).filter(
        programme__edition__in=editions, focus_areas=None
    )
    for direction in undivided.select_related("programme").prefetch_related("sdgs"):
        area = FocusArea(direction=direction, code=direction.label, title=direction.title)
        try:
            area.full_clean()
        except ValidationError as error:
            problems.extend(f"{direction}: {message}" for message in error.messages)
            continue
        area.save()
        area.sdgs.set(direction.sdgs.all())  # the goals of the direction as a whole
        totals = summary.totals.setdefault(FocusAreaResource.sheet_name, {})
        totals["new"] = totals.get("new", 0) + 1
    return problems


def file_municipality_code(tables: dict[str, tablib.Dataset]) -> str:
    """The municipality the file's programmes name (column kommun); "" where none does.
    A file of two municipalities' programmes is refused."""
    programmes = tables.get(ProgrammeResource.sheet_name)
    if programmes is None or "kommun" not in (programmes.headers or []):
        return ""
    codes = sorted({str(code).strip() for code in programmes["kommun"] if str(code or "").strip()})
    if len(codes) > 1:
        raise ImportRejected(
            [
                _(
                    "The file holds the programmes of several municipalities (%(codes)s). "
                    "Import each municipality's programme on its own."
                )
                % {"codes": ", ".join(codes)}
            ]
        )
    return codes[0] if codes else ""


def export_programme(file_format: str, municipality: str | None = None) -> dict[str, bytes]:
    """The whole structure of one municipality's programmes (the installation's unless
    told): one XLSX workbook, or one CSV file per table."""
    if municipality is None:
        municipality = installation_municipality_code()
    datasets = []
    for resource_class in PROGRAMME_RESOURCES:
        dataset = resource_class(municipality=municipality).export()
        dataset.title = resource_class.sheet_name
        datasets.append(dataset)
    if file_format == "xlsx":
        # A text stored with a control character an XLSX cell cannot hold is written so
        # that Excel reads it back (xlsx_text), never refused with the whole file.
        datasets = [
            tablib.Dataset(
                *(tuple(map(xlsx_text, row)) for row in dataset),
                headers=dataset.headers,
                title=dataset.title,
            )
            for dataset in datasets
        ]
        return {"programme.xlsx": tablib.Databook(datasets).export("xlsx")}
    return {
        f"{dataset.title}.csv": dataset.export("csv").encode("utf-8-sig") for dataset in datasets
    }


def read_programme_files(path: Path) -> dict[str, tablib.Dataset]:
    """Tables by sheet name, from a workbook or from a folder of CSV files."""
    if path.is_dir():
        tables = {}
        for resource_class in PROGRAMME_RESOURCES:
            file = path / f"{resource_class.sheet_name}.csv"
            if file.exists():
                tables[resource_class.sheet_name] = read_dataset(file.read_bytes(), "csv")
        return tables
    return read_programme_workbook(path.read_bytes())


def read_programme_workbook(data: bytes) -> dict[str, tablib.Dataset]:
    """Tables by sheet name, from a workbook's bytes (a file, or an upload)."""
    check_size(len(data))
    check_xlsx(data)
    try:
        book = tablib.Databook().load(io.BytesIO(data), format="xlsx")
    except Exception:  # noqa: BLE001
        raise ImportFileError(_("The file could not be read as an Excel file (XLSX).")) from None
    tables = {}
    for sheet in book.sheets():
        try:
            tables[sheet.title] = as_excel_reads(sheet)
        except ImportFileError as error:
            raise ImportFileError(f"{sheet.title}: {error}") from None
    return tables


def as_excel_reads(dataset: tablib.Dataset) -> tablib.Dataset:
    """The sheet's text as Excel shows it: OOXML's escapes (_xHHHH_, which the export writes
    for a character a cell cannot hold) read as their characters. One the app does not
    store (NUL, a vertical tab …) is refused, naming its row and column, as in a CSV."""
    header = list(map(xlsx_read, dataset.headers or []))
    rows = [tuple(map(xlsx_read, row)) for row in dataset]
    for number, row in enumerate([header, *rows], start=1):
        for index, cell in enumerate(row):
            if isinstance(cell, str) and NOT_STORABLE.search(cell):
                raise control_character_refused(number, column_named(header, index, number))
    return tablib.Dataset(*rows, headers=dataset.headers and header, title=dataset.title)


def import_programme(
    tables: dict[str, tablib.Dataset],
    *,
    user=None,
    municipality: str | None = None,
    folder: Path | None = None,
    dry_run: bool = False,
) -> ProgrammeImport:
    """Import every table in dependency order in one transaction: all or nothing. The
    rows are one municipality's: the one given, else the one the file's programmes name,
    else the installation's; nothing is matched with another municipality's rows. A dry
    run says what the import would do and keeps nothing, the logo's file included."""
    known = {resource_class.sheet_name for resource_class in PROGRAMME_RESOURCES}
    unknown = sorted(set(tables) - known)
    if unknown:
        raise ImportRejected([_("Unknown tables: %s.") % ", ".join(unknown)])
    if not tables:
        raise ImportRejected([_("There is nothing to import.")])
    if municipality is None:
        municipality = file_municipality_code(tables) or installation_municipality_code()
    if municipality and not municipality_known(tables, municipality):
        raise ImportRejected(
            [
                _(
                    "The installation knows no municipality with the code %(code)s: add it "
                    "to the table kommuner (columns kod and namn), or correct the column "
                    "kommun of the table program."
                )
                % {"code": municipality}
            ]
        )
    summary = ProgrammeImport(municipality=municipality)
    messages = []
    logos_before = stored_logos()
    with transaction.atomic():
        for resource_class in PROGRAMME_RESOURCES:
            if resource_class is ResponsibilityResource and not messages:
                # Before the responsibilities, which may name such a direction's code.
                problems = follow_up_undivided_directions(tables, municipality, summary)
                messages.extend(f"{FocusAreaResource.sheet_name}: {p}" for p in problems)
            dataset = tables.get(resource_class.sheet_name)
            if dataset is None or (len(dataset) == 0 and dataset.headers):
                continue
            try:
                result = import_dataset(
                    resource_class, dataset, user=user, municipality=municipality, folder=folder
                )
            except ImportFileError as error:
                messages.append(f"{resource_class.sheet_name}: {error}")
                continue
            except ImportRejected as rejected:
                messages.extend(f"{resource_class.sheet_name}: {m}" for m in rejected.messages)
                continue
            summary.totals[resource_class.sheet_name] = dict(result.totals)
        if messages or dry_run:
            transaction.set_rollback(True)
    if messages or dry_run:
        # The rows are forgotten; so are the files they brought into the storage.
        for name in stored_logos() - logos_before:
            default_storage.delete(name)
    if messages:
        raise ImportRejected(messages)
    return summary


# The tables the programme file holds: importing it adds and changes rows of each.
PROGRAMME_MODELS = tuple(resource_class._meta.model for resource_class in PROGRAMME_RESOURCES)


def programme_import_upload(*, data: bytes, by, dry_run: bool = False) -> ProgrammeImport:
    """The whole programme from an uploaded workbook (the admin's page), as import_programme
    does from a file on the server, by an administrator who may add and change every table
    of it. An upload has no folder beside it: a logo is uploaded on the programme's page,
    and a workbook naming a logo file that is not stored yet is refused, saying so."""
    if not can_import_programme(by, PROGRAMME_MODELS):
        raise PermissionDenied
    return import_programme(read_programme_workbook(data), user=by, dry_run=dry_run)


def stored_logos() -> set[str]:
    """The names of the logo files in the storage."""
    try:
        _folders, files = default_storage.listdir(LOGO_FOLDER)
    except FileNotFoundError:
        return set()
    return {f"{LOGO_FOLDER}/{name}" for name in files}
