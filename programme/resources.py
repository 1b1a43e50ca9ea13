"""Import and export of the programme's structure (django-import-export).

Files use fixed Swedish column names so that a file made in one language of the UI
imports in the other. Rows are matched on natural keys: a programme's edition, a
focus area's code, a global goal's number, an organisation's name. An import is
all-or-nothing: one bad row and nothing is written.

An import or export is one municipality's (``municipality``, its code): rows are
matched, and named rows looked up, among that municipality's programmes and
organisations only, so that one city's "Kommunstyrelsen" is never another's. The global
goals and the municipalities themselves are shared.
"""

import datetime
from collections import Counter
from decimal import Decimal, InvalidOperation
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db.models import Case, IntegerField, Q, Value, When
from django.utils.text import capfirst, get_text_list
from django.utils.translation import gettext as _
from import_export import fields, resources, widgets
from openpyxl.utils import get_column_letter

from livskvalitet.core.text import as_typed

from .logos import LOGO_FOLDER, logo_type
from .models import (
    Commitment,
    Direction,
    FocusArea,
    FocusAreaLink,
    GoverningDocument,
    Indicator,
    IndicatorTarget,
    IndicatorValue,
    Membership,
    Municipality,
    Organisation,
    Programme,
    Responsibility,
    Sdg,
    exact_text,
)

# How each model reaches the municipality it belongs to.
MUNICIPALITY_PATHS = {
    Organisation: "municipality__code",
    Programme: "municipality__code",
    Direction: "programme__municipality__code",
    FocusArea: "programme__municipality__code",
    FocusAreaLink: "previous__programme__municipality__code",
    GoverningDocument: "programme__municipality__code",
    Commitment: "programme__municipality__code",
    Responsibility: "focus_area__programme__municipality__code",
    Indicator: "focus_area__programme__municipality__code",
    IndicatorTarget: "indicator__focus_area__programme__municipality__code",
    IndicatorValue: "indicator__focus_area__programme__municipality__code",
    Membership: "organisation__municipality__code",
}


def of_municipality(queryset, code: str):
    """The rows of the municipality with this code; all rows where none is given."""
    path = MUNICIPALITY_PATHS.get(queryset.model)
    if not code or path is None:
        return queryset
    return queryset.filter(**{path: code})


# Spreadsheets run a cell that starts with one of these as a formula.
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def _needs_escape(text: str) -> bool:
    """A formula, or a text typed with the apostrophe that marks one as escaped (which must
    keep it when read back)."""
    return text.startswith(FORMULA_TRIGGERS) or (
        text.startswith("'") and _needs_escape(text.lstrip("'"))
    )


def escape_formula(value):
    if isinstance(value, str) and _needs_escape(value):
        return "'" + value
    return value


def unescape_formula(value):
    if isinstance(value, str) and value.startswith("'") and _needs_escape(value[1:]):
        return value[1:]
    return value


class ImportFileError(Exception):
    """A file that cannot be imported at all; the message says why, in the user's language."""


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return as_typed(str(value)).strip()


class TextWidget(widgets.CharWidget):
    def clean(self, value, row=None, **kwargs):
        return _text(value)

    def render(self, value, obj=None, **kwargs):
        return "" if value is None else str(value)


class LongTextWidget(TextWidget):
    """A text of many lines (a description, an introduction): kept exactly as the cell
    holds it, the spaces and blank lines around it included, as the admin's text areas keep
    it (TypedText). Spaces and line breaks alone are no text: empty. One-line names, titles,
    codes and references (TextWidget) are read without the spaces around them: imports
    match rows by them."""

    def clean(self, value, row=None, **kwargs):
        if value is None:
            return ""
        if isinstance(value, float) and value.is_integer():
            return str(int(value))
        text = as_typed(str(value))
        return text if text.strip() else ""


class LogoWidget(widgets.Widget):
    """The programme's logo: a file next to the programme file (``folder``, set by the
    resource), stored through the storage API; or the name an export gave a stored one.
    The same image again keeps the stored file, and so does an empty cell: the logo is
    then the one uploaded in the admin, where it is also removed."""

    folder: Path | None = None
    municipality = ""

    def clean(self, value, row=None, **kwargs):
        name = _text(value)
        stored = self.stored_logo(row)
        if not name:
            return stored.name if stored else ""
        if name.startswith(f"{LOGO_FOLDER}/") and default_storage.exists(name):
            return name  # an exported file, imported where the logo is stored
        if self.folder is None:  # an uploaded workbook: no file can come beside it
            raise ValueError(
                _(
                    "There is no stored logo %(name)s, and an uploaded workbook cannot bring "
                    "one: leave the column empty, import, and upload the logo on the "
                    "programme's page in the admin."
                )
                % {"name": name}
            )
        source = (self.folder / name).resolve()
        if not source.is_relative_to(self.folder.resolve()):
            raise ValueError(
                _("The logo %(name)s is not next to the programme file; upload it in the admin.")
                % {"name": name}
            )
        if not source.is_file():
            raise ValueError(_("There is no logo file %(name)s.") % {"name": name})
        data = source.read_bytes()
        try:
            logo_type(data)
        except ValidationError as error:
            raise ValueError(" ".join(error.messages)) from None
        if stored:
            try:
                with stored.open("rb") as file:
                    if file.read() == data:
                        return stored.name
            except OSError:
                pass
        return ContentFile(data, name=source.name)

    def stored_logo(self, row):
        """The logo the row's programme (its edition, of this municipality) has now."""
        programmes = of_municipality(Programme.objects.exclude(logo=""), self.municipality)
        programme = programmes.filter(edition=_text((row or {}).get("utgava"))).first()
        return programme.logo if programme else None

    def render(self, value, obj=None, **kwargs):
        return value.name if value else ""


class CodeWidget(TextWidget):
    def clean(self, value, row=None, **kwargs):
        if isinstance(value, (int, float)):
            raise ValueError(
                _(
                    "The code %(value)s is a number in the file; format the column as text "
                    "(Excel turns 2.10 into 2.1)."
                )
                % {"value": value}
            )
        return super().clean(value, row, **kwargs)


class DateWidget(widgets.DateWidget):
    """Dates as YYYY-MM-DD; Excel's date cells come back as datetimes."""

    def __init__(self):
        super().__init__("%Y-%m-%d")

    def clean(self, value, row=None, **kwargs):
        if isinstance(value, datetime.datetime):
            return value.date()
        try:
            return super().clean(value, row, **kwargs)
        except ValueError:
            raise ValueError(
                _("“%(value)s” is not a date as YYYY-MM-DD.") % {"value": value}
            ) from None


class CodedChoiceWidget(widgets.Widget):
    """A choice written in the file with fixed Swedish words, e.g. roles."""

    def __init__(self, words: dict[str, str]):
        super().__init__()
        self.words = words  # stored value -> word in the file

    def clean(self, value, row=None, **kwargs):
        text = _text(value).lower()
        for stored, word in self.words.items():
            if text in (stored, word):
                return stored
        raise ValueError(
            _("“%(value)s” is not one of: %(choices)s.")
            % {"value": value, "choices": ", ".join(self.words.values())}
        )

    def render(self, value, obj=None, **kwargs):
        return self.words.get(value, value or "")


class BooleanWidget(widgets.Widget):
    TRUE = {"ja", "1", "true", "sant", "yes"}
    FALSE = {"nej", "0", "false", "falskt", "no", ""}

    def clean(self, value, row=None, **kwargs):
        if isinstance(value, bool):
            return value
        text = _text(value).lower()
        if text in self.TRUE:
            return True
        if text in self.FALSE:
            return False
        raise ValueError(_("“%(value)s” is not yes or no (ja/nej).") % {"value": value})

    def render(self, value, obj=None, **kwargs):
        return "ja" if value else "nej"


class NumberWidget(widgets.Widget):
    def clean(self, value, row=None, **kwargs):
        text = _text(value)
        if not text:
            raise ValueError(_("A number is required."))
        try:
            return int(text)
        except ValueError:
            raise ValueError(_("“%(value)s” is not a whole number.") % {"value": text}) from None

    def render(self, value, obj=None, **kwargs):
        return "" if value is None else str(value)


class DecimalsWidget(NumberWidget):
    def clean(self, value, row=None, **kwargs):
        decimals = super().clean(value, row, **kwargs)
        if not 0 <= decimals <= 6:
            raise ValueError(
                _("%(decimals)d will not do: an indicator is shown with 0 to 6 decimals.")
                % {"decimals": decimals}
            )
        return decimals


class LookupWidget(widgets.ForeignKeyWidget):
    """Looks a related row up by a natural key and says clearly when there is none."""

    municipality = ""  # set by the resource: whose rows it looks among

    def __init__(
        self,
        model,
        field,
        *,
        label,
        required=True,
        within_programme=False,
        programme_column="program",
        **kwargs,
    ):
        super().__init__(model, field=field, **kwargs)
        self.label = label
        self.required = required
        self.within_programme = within_programme
        self.programme_column = programme_column  # the column naming the edition

    def get_queryset(self, value, row, *args, **kwargs):
        queryset = of_municipality(self.model.objects.all(), self.municipality)
        if self.within_programme:
            edition = _text(row.get(self.programme_column))
            queryset = queryset.filter(programme__edition=edition)
        return queryset

    def clean(self, value, row=None, **kwargs):
        text = _text(value)
        if not text:
            if self.required:
                raise ValueError(_("%(label)s is required.") % {"label": self.label})
            return None
        try:
            return self.get_queryset(text, row or {}).get(**{self.field: text})
        except (self.model.DoesNotExist, ValueError):
            message = _("%(label)s “%(value)s” does not exist.") % {
                "label": capfirst(self.label),
                "value": text,
            }
            near = self.near(text, row or {})
            if near:
                message += " " + _("Did you mean “%(near)s”?") % {"near": near}
            raise ValueError(message) from None

    def near(self, text: str, row) -> str:
        """An edition written with a hyphen where it has a dash ("2025-2027"): the one
        its address names, to suggest (nothing is guessed into the data)."""
        if self.model is not Programme or self.field != "edition":
            return ""
        found = self.get_queryset(text, row).filter(slug=Programme.slug_of(text)).first()
        return found.edition if found else ""

    def render(self, value, obj=None, **kwargs):
        if value is None:
            return ""
        for attribute in self.field.split("__"):
            value = getattr(value, attribute)
        return str(value)


class ListWidget(widgets.ManyToManyWidget):
    """A comma-separated list of natural keys; every one must exist."""

    municipality = ""  # set by the resource: whose rows it looks among

    def __init__(self, model, field, *, label, within_programme=False, **kwargs):
        super().__init__(model, separator=",", field=field, **kwargs)
        self.label = label
        self.label_plural = model._meta.verbose_name_plural
        self.within_programme = within_programme

    def clean(self, value, row=None, **kwargs):
        keys = [part.strip() for part in _text(value).split(",") if part.strip()]
        queryset = of_municipality(self.model.objects.all(), self.municipality)
        if self.within_programme:
            queryset = queryset.filter(programme__edition=_text((row or {}).get("program")))
        try:
            found = {
                str(getattr(obj, self.field)): obj
                for obj in queryset.filter(**{f"{self.field}__in": keys})
            }
        except (ValueError, TypeError):
            found = {}
        missing = [key for key in keys if key not in found]
        if missing:
            raise ValueError(
                _("%(label)s that do not exist: %(values)s.")
                % {"label": capfirst(self.label_plural), "values": ", ".join(missing)}
            )
        return [found[key] for key in keys]

    def render(self, value, obj=None, **kwargs):
        if value is None:
            return ""
        return ", ".join(
            sorted((str(getattr(item, self.field)) for item in value.all()), key=_natural_sort_key)
        )


def spreadsheet_row(number: int) -> int:
    """The row a user sees in a spreadsheet: data row 1 is row 2, under the header."""
    return number + 1


def check_headers_named_once(headers) -> None:
    """Refuse a header row that names a column twice: a row is read by its columns' names,
    so one of the two would silently take the other's place (the second, empty, blanked
    every row's value of the first). Names are compared as the import reads them (the
    spaces around them not counted); the columns are said by their letters, as the
    spreadsheet shows them."""
    places: dict[str, list[int]] = {}
    for index, header in enumerate(headers or []):
        name = _text(header).lstrip("\ufeff")
        if name:
            places.setdefault(name, []).append(index + 1)
    problems = []
    for name, numbers in places.items():
        if len(numbers) < 2:
            continue
        said = {
            "column": name,
            "count": len(numbers),
            "letters": get_text_list([get_column_letter(n) for n in numbers], _("and")),
        }
        if len(numbers) == 2:
            message = _(
                "The column %(column)s is in the header row twice (columns %(letters)s): "
                "remove or rename one of them, so that it is clear which one is imported."
            )
        else:
            message = _(
                "The column %(column)s is in the header row %(count)d times (columns "
                "%(letters)s): keep only one of them, so that it is clear which one is imported."
            )
        problems.append(message % said)
    if problems:
        raise ImportFileError(" ".join(problems))


def drop_blank_rows_and_columns(dataset) -> None:
    """Excel leaves empty rows and columns behind; they are not data."""
    headers = list(dataset.headers or [])
    rows = [list(row) for row in dataset if any(_text(cell) for cell in row)]
    keep = [
        index
        for index, header in enumerate(headers)
        if _text(header) or any(_text(row[index]) for row in rows)
    ]
    if len(rows) == len(dataset) and len(keep) == len(headers):
        return
    dataset.wipe()
    dataset.headers = [headers[index] for index in keep]
    for row in rows:
        dataset.append([row[index] for index in keep])


def _natural_sort_key(text: str):
    return [int(part) if part.isdigit() else part for part in text.replace(".", " ").split()]


class StructureResource(resources.ModelResource):
    """Shared rules: strict columns, no duplicate keys, formula-safe cells, Swedish errors."""

    class Meta:
        skip_unchanged = True
        report_skipped = True
        clean_model_instances = True
        use_transactions = True

    def __init__(self, municipality: str = "", folder: Path | None = None, **kwargs):
        super().__init__(**kwargs)
        self.municipality = municipality
        for resource_field in self.fields.values():
            if isinstance(resource_field.widget, LookupWidget | ListWidget | LogoWidget):
                resource_field.widget.municipality = municipality
            if isinstance(resource_field.widget, LogoWidget):
                resource_field.widget.folder = folder

    def get_queryset(self):
        return of_municipality(super().get_queryset(), self.municipality)

    def init_instance(self, row=None):
        instance = super().init_instance(row)
        if self.municipality and MUNICIPALITY_PATHS.get(self._meta.model) == "municipality__code":
            instance.municipality = Municipality.objects.get(code=self.municipality)
        return instance

    def export_field(self, field, instance, **kwargs):
        return escape_formula(super().export_field(field, instance, **kwargs))

    def export(self, *args, **kwargs):
        dataset = super().export(*args, **kwargs)
        dataset.title = self.sheet_name  # the sheet's name in XLSX
        return dataset

    # Columns added to the format later: a file without them imports as before.
    optional_columns: tuple[str, ...] = ()

    def expected_columns(self) -> list[str]:
        return [field.column_name for field in self.get_export_fields()]

    def key_columns(self) -> list[str]:
        return [self.fields[name].column_name for name in self._meta.import_id_fields]

    def import_data(self, dataset, **kwargs):
        # A file with wrong columns, no rows or duplicate keys is refused whole, before
        # any row is tried, so that the message is about the file and nothing else.
        try:
            self.check_dataset(dataset)
        except ImportFileError as error:
            result = self.get_result_class()()
            result.total_rows = len(dataset)
            file_error = self.get_error_result_class()(error)
            file_error.__dict__["traceback"] = ""  # the message is for users; no stack
            result.append_base_error(file_error)
            if kwargs.get("raise_errors"):
                raise
            return result
        return super().import_data(dataset, **kwargs)

    def column_for(self, attribute: str) -> str:
        for resource_field in self.fields.values():
            if resource_field.attribute == attribute:
                return resource_field.column_name
        return attribute

    def check_dataset(self, dataset):
        # Every way a table comes in (the programme's workbook, the admin's import of one
        # table, /ansvar/'s) is checked here, before a row is read by its columns' names.
        check_headers_named_once(dataset.headers)
        drop_blank_rows_and_columns(dataset)
        headers = [_text(header).lstrip("\ufeff") for header in (dataset.headers or [])]
        if not any(headers) and len(dataset) == 0:
            # Nothing at all: not a table lacking columns.
            raise ImportFileError(
                _("The sheet %(sheet)s is empty: it has no header row and no rows.")
                % {"sheet": self.sheet_name}
            )
        expected = self.expected_columns()
        missing = [
            column
            for column in expected
            if column not in headers and column not in self.optional_columns
        ]
        unknown = [column for column in headers if column not in expected]
        problems = []
        if missing:
            problems.append(_("the file lacks the columns: %s") % ", ".join(missing))
        if unknown:
            problems.append(_("the file has unknown columns: %s") % ", ".join(unknown or ["–"]))
        if problems:
            raise ImportFileError(
                _("Wrong columns: %(problems)s. Expected exactly: %(expected)s.")
                % {"problems": "; ".join(problems), "expected": ", ".join(expected)}
            )
        if len(dataset) == 0:
            raise ImportFileError(_("The file has no rows to import."))
        dataset.headers = headers
        for index in range(len(dataset)):
            dataset[index] = tuple(unescape_formula(cell) for cell in dataset[index])

        keys = self.key_columns()
        seen = Counter()
        first_row = {}
        duplicates = []
        for number, row in enumerate(dataset.dict, start=1):
            key = tuple(_text(row[column]) for column in keys)
            seen[key] += 1
            if key in first_row:
                duplicates.append(
                    _("row %(row)d repeats %(key)s from row %(first)d")
                    % {
                        "row": spreadsheet_row(number),
                        "key": " / ".join(key),
                        "first": spreadsheet_row(first_row[key]),
                    }
                )
            else:
                first_row[key] = number
        if duplicates:
            raise ImportFileError(
                _("Duplicate keys (%(columns)s): %(rows)s.")
                % {"columns": ", ".join(keys), "rows": "; ".join(duplicates)}
            )

    def import_instance(self, instance, row, **kwargs):
        # Many-to-many values are saved after the row; check them now so that an unknown
        # key is a row error with a clear message instead of a crash later.
        errors = {}
        try:
            super().import_instance(instance, row, **kwargs)
        except ValidationError as error:
            errors.update(error.error_dict)
        for field in self.get_import_fields():
            if isinstance(field.widget, widgets.ManyToManyWidget) and field.column_name in row:
                try:
                    field.clean(row)
                except ValueError as error:
                    errors[field.attribute] = [ValidationError(str(error))]
        if errors:
            raise ValidationError(errors)


def _programme_field():
    return fields.Field(
        attribute="programme",
        column_name="program",
        widget=LookupWidget(Programme, "edition", label=_("programme")),
    )


class SdgResource(StructureResource):
    sheet_name = "globala_mal"

    number = fields.Field(attribute="number", column_name="nummer", widget=NumberWidget())
    title_sv = fields.Field(attribute="title_sv", column_name="titel_sv", widget=TextWidget())
    title_en = fields.Field(attribute="title_en", column_name="titel_en", widget=TextWidget())
    colour = fields.Field(attribute="colour", column_name="farg", widget=TextWidget())

    class Meta(StructureResource.Meta):
        model = Sdg
        fields = ("number", "title_sv", "title_en", "colour")
        import_id_fields = ("number",)


class OrganisationResource(StructureResource):
    sheet_name = "organisationer"

    name = fields.Field(attribute="name", column_name="namn", widget=TextWidget())
    short_name = fields.Field(attribute="short_name", column_name="kortnamn", widget=TextWidget())
    kind = fields.Field(
        attribute="kind",
        column_name="typ",
        widget=CodedChoiceWidget({kind: kind for kind in Organisation.Kind.values}),
    )
    served_by = fields.Field(
        attribute="served_by",
        column_name="betjanas_av",
        widget=LookupWidget(Organisation, "name", label=_("organisation"), required=False),
    )
    part_of = fields.Field(
        attribute="part_of",
        column_name="del_av",
        widget=LookupWidget(Organisation, "name", label=_("organisation"), required=False),
    )
    active = fields.Field(attribute="active", column_name="aktiv", widget=BooleanWidget())

    class Meta(StructureResource.Meta):
        model = Organisation
        fields = ("name", "short_name", "kind", "served_by", "part_of", "active")
        import_id_fields = ("name",)

    def filter_export(self, queryset, **kwargs):
        # Administrations and departments first, so that the rows that name them import.
        rank = Case(
            When(kind=Organisation.Kind.ADMINISTRATION, then=Value(0)),
            When(kind=Organisation.Kind.DEPARTMENT, then=Value(1)),
            default=Value(2),
            output_field=IntegerField(),
        )
        return queryset.select_related("served_by", "part_of").order_by(rank, "name")


class ProgrammeResource(StructureResource):
    sheet_name = "program"

    edition = fields.Field(attribute="edition", column_name="utgava", widget=TextWidget())
    name = fields.Field(attribute="name", column_name="namn", widget=TextWidget())
    valid_from = fields.Field(
        attribute="valid_from", column_name="giltig_fran", widget=DateWidget()
    )
    valid_until = fields.Field(
        attribute="valid_until", column_name="giltig_till", widget=DateWidget()
    )
    revised_by = fields.Field(
        attribute="revised_by", column_name="revideras_av", widget=TextWidget()
    )
    owner = fields.Field(
        attribute="owner",
        column_name="agare",
        widget=LookupWidget(Organisation, "name", label=_("organisation"), required=False),
    )
    follow_up_interval_years = fields.Field(
        attribute="follow_up_interval_years",
        column_name="uppfoljningsintervall_ar",
        widget=NumberWidget(),
    )
    introduction = fields.Field(
        attribute="introduction", column_name="inledning", widget=LongTextWidget()
    )
    municipality = fields.Field(
        attribute="municipality",
        column_name="kommun",
        widget=LookupWidget(Municipality, "code", label=_("municipality"), required=False),
    )
    logo = fields.Field(attribute="logo", column_name="logotyp", widget=LogoWidget())
    previous = fields.Field(
        attribute="previous",
        column_name="foregaende_utgava",
        widget=LookupWidget(Programme, "edition", label=_("previous edition"), required=False),
    )
    direction_name = fields.Field(
        attribute="direction_name", column_name="namn_viljeinriktning", widget=TextWidget()
    )
    directions_name = fields.Field(
        attribute="directions_name", column_name="namn_viljeinriktningar", widget=TextWidget()
    )
    focus_area_name = fields.Field(
        attribute="focus_area_name", column_name="namn_fokusomrade", widget=TextWidget()
    )
    focus_areas_name = fields.Field(
        attribute="focus_areas_name", column_name="namn_fokusomraden", widget=TextWidget()
    )
    optional_columns = (
        "namn_viljeinriktning",
        "namn_viljeinriktningar",
        "namn_fokusomrade",
        "namn_fokusomraden",
    )

    class Meta(StructureResource.Meta):
        model = Programme
        fields = (
            "edition",
            "name",
            "valid_from",
            "valid_until",
            "revised_by",
            "owner",
            "follow_up_interval_years",
            "introduction",
            "municipality",
            "logo",
            "previous",
            "direction_name",
            "directions_name",
            "focus_area_name",
            "focus_areas_name",
        )
        import_id_fields = ("edition",)

    def filter_export(self, queryset, **kwargs):
        # Earlier editions first, so that the rows naming them as previous import.
        return queryset.select_related("owner", "municipality", "previous").order_by(
            "valid_from", "edition"
        )

    def import_instance(self, instance, row, **kwargs):
        # A programme of the file's municipality only; an empty kommun is that one.
        kept = instance.municipality if instance.municipality_id else None
        super().import_instance(instance, row, **kwargs)
        if instance.municipality is None:
            instance.municipality = kept
        given = instance.municipality.code if instance.municipality else ""
        if self.municipality and given != self.municipality:
            raise ValidationError(
                {
                    "municipality": _(
                        "The programme belongs to municipality %(given)s; this import is "
                        "municipality %(code)s's. Import each municipality's programme on "
                        "its own."
                    )
                    % {"given": given, "code": self.municipality}
                }
            )


class DirectionResource(StructureResource):
    sheet_name = "viljeinriktningar"

    programme = _programme_field()
    number = fields.Field(attribute="number", column_name="nummer", widget=NumberWidget())
    code = fields.Field(attribute="code", column_name="kod", widget=CodeWidget())
    title = fields.Field(attribute="title", column_name="titel", widget=TextWidget())
    ambition = fields.Field(attribute="ambition", column_name="ambition", widget=LongTextWidget())
    challenges = fields.Field(
        attribute="challenges", column_name="utmaningar", widget=LongTextWidget()
    )
    focus = fields.Field(attribute="focus", column_name="fokus", widget=LongTextWidget())
    sdgs = fields.Field(
        attribute="sdgs",
        column_name="globala_mal",
        widget=ListWidget(Sdg, "number", label=_("global goal")),
    )
    optional_columns = ("kod", "globala_mal")

    class Meta(StructureResource.Meta):
        model = Direction
        fields = (
            "programme",
            "number",
            "code",
            "title",
            "ambition",
            "challenges",
            "focus",
            "sdgs",
        )
        import_id_fields = ("programme", "number")

    def filter_export(self, queryset, **kwargs):
        return queryset.select_related("programme").prefetch_related("sdgs")


class FocusAreaResource(StructureResource):
    sheet_name = "fokusomraden"

    programme = _programme_field()
    code = fields.Field(attribute="code", column_name="kod", widget=CodeWidget())
    direction = fields.Field(
        attribute="direction",
        column_name="viljeinriktning",
        widget=LookupWidget(Direction, "number", label=_("direction"), within_programme=True),
    )
    title = fields.Field(attribute="title", column_name="titel", widget=TextWidget())
    description = fields.Field(
        attribute="description", column_name="beskrivning", widget=LongTextWidget()
    )
    sdgs = fields.Field(
        attribute="sdgs",
        column_name="globala_mal",
        widget=ListWidget(Sdg, "number", label=_("global goal")),
    )

    class Meta(StructureResource.Meta):
        model = FocusArea
        fields = ("programme", "code", "direction", "title", "description", "sdgs")
        import_id_fields = ("programme", "code")

    def filter_export(self, queryset, **kwargs):
        return (
            queryset.select_related("programme", "direction")
            .prefetch_related("sdgs")
            .order_by("programme__valid_from", "sort_key")
        )


class FocusAreaLinkResource(StructureResource):
    """How the focus areas of an edition continue in the next (split, merged, ended)."""

    sheet_name = "fokusomradeskopplingar"

    previous_programme = fields.Field(
        attribute="previous__programme__edition", column_name="foregaende_utgava", readonly=True
    )
    previous = fields.Field(
        attribute="previous",
        column_name="foregaende_kod",
        widget=LookupWidget(
            FocusArea,
            "code",
            label=_("focus area"),
            within_programme=True,
            programme_column="foregaende_utgava",
        ),
    )
    programme = fields.Field(
        attribute="successor__programme__edition", column_name="utgava", readonly=True
    )
    successor = fields.Field(
        attribute="successor",
        column_name="kod",
        widget=LookupWidget(
            FocusArea,
            "code",
            label=_("focus area"),
            required=False,
            within_programme=True,
            programme_column="utgava",
        ),
    )

    class Meta(StructureResource.Meta):
        model = FocusAreaLink
        fields = ("previous_programme", "previous", "programme", "successor")
        import_id_fields = ("previous", "successor")

    def key_columns(self) -> list[str]:
        return ["foregaende_utgava", "foregaende_kod", "utgava", "kod"]

    def filter_export(self, queryset, **kwargs):
        return queryset.select_related("previous__programme", "successor__programme")


class GoverningDocumentResource(StructureResource):
    sheet_name = "styrdokument"

    programme = _programme_field()
    title = fields.Field(attribute="title", column_name="titel", widget=TextWidget())
    url = fields.Field(attribute="url", column_name="lank", widget=TextWidget())
    directions = fields.Field(
        attribute="directions",
        column_name="viljeinriktningar",
        widget=ListWidget(Direction, "number", label=_("direction"), within_programme=True),
    )

    class Meta(StructureResource.Meta):
        model = GoverningDocument
        fields = ("programme", "title", "url", "directions")
        import_id_fields = ("programme", "title")

    def filter_export(self, queryset, **kwargs):
        return queryset.select_related("programme").prefetch_related("directions")


class CommitmentResource(StructureResource):
    sheet_name = "ataganden"

    programme = _programme_field()
    title = fields.Field(attribute="title", column_name="titel", widget=TextWidget())
    url = fields.Field(attribute="url", column_name="lank", widget=TextWidget())

    class Meta(StructureResource.Meta):
        model = Commitment
        fields = ("programme", "title", "url")
        import_id_fields = ("programme", "title")

    def filter_export(self, queryset, **kwargs):
        return queryset.select_related("programme")


class ResponsibilityResource(StructureResource):
    sheet_name = "ansvar"

    organisation = fields.Field(
        attribute="organisation",
        column_name="organisation",
        widget=LookupWidget(Organisation, "name", label=_("organisation")),
    )
    programme = fields.Field(
        attribute="focus_area__programme__edition", column_name="program", readonly=True
    )
    focus_area = fields.Field(
        attribute="focus_area",
        column_name="fokusomrade",
        widget=LookupWidget(FocusArea, "code", label=_("focus area"), within_programme=True),
    )
    role = fields.Field(
        attribute="role",
        column_name="roll",
        widget=CodedChoiceWidget({"lead": "huvudansvarig", "contributing": "bidragande"}),
    )

    class Meta(StructureResource.Meta):
        model = Responsibility
        fields = ("organisation", "programme", "focus_area", "role")
        import_id_fields = ("organisation", "focus_area")

    def key_columns(self) -> list[str]:
        return ["organisation", "program", "fokusomrade"]

    def filter_export(self, queryset, **kwargs):
        return queryset.select_related("organisation", "focus_area__programme")


class MissingOrNumberWidget(widgets.Widget):
    """A number, or empty for a missing value (never read as zero)."""

    def clean(self, value, row=None, **kwargs):
        if value is None or _text(value) == "":
            return None
        if isinstance(value, bool):
            raise ValueError(_("“%(value)s” is not a number.") % {"value": value})
        text = _text(value).replace(" ", "").replace("\xa0", "").replace(",", ".")
        try:
            number = Decimal(text)
        except InvalidOperation:
            raise ValueError(_("“%(value)s” is not a number.") % {"value": value}) from None
        return IndicatorValue.exact(number)

    def render(self, value, obj=None, **kwargs):
        return "" if value is None else exact_text(value)  # normalize() rounds at 28 digits


class YearWidget(NumberWidget):
    def clean(self, value, row=None, **kwargs):
        year = super().clean(value, row, **kwargs)
        if not 1950 <= year <= 2100:
            raise ValueError(_("%(year)d is not a year between 1950 and 2100.") % {"year": year})
        return year


class IndicatorLookupWidget(LookupWidget):
    """An indicator, by its programme, focus-area code and title in the same row."""

    def __init__(self):
        super().__init__(Indicator, "title", label=_("indicator"))

    def get_queryset(self, value, row, *args, **kwargs):
        return of_municipality(Indicator.objects.all(), self.municipality).filter(
            focus_area__programme__edition=_text(row.get("program")),
            focus_area__code=_text(row.get("fokusomrade")),
        )


class CarriedFromWidget(LookupWidget):
    """The previous edition's indicator an indicator continues: its title, in the focus
    area of the column fortsatter_fokusomrade, in the edition the row's edition follows."""

    def __init__(self):
        super().__init__(Indicator, "title", label=_("indicator"), required=False)

    def get_queryset(self, value, row, *args, **kwargs):
        return of_municipality(Indicator.objects.all(), self.municipality).filter(
            focus_area__programme__next_editions__edition=_text(row.get("program")),
            focus_area__code=_text(row.get("fortsatter_fokusomrade")),
        )


class NumberRequiredWidget(MissingOrNumberWidget):
    """A number that must be given."""

    def clean(self, value, row=None, **kwargs):
        number = super().clean(value, row, **kwargs)
        if number is None:
            raise ValueError(_("Give a number."))
        return number


class MunicipalityResource(StructureResource):
    sheet_name = "kommuner"

    code = fields.Field(attribute="code", column_name="kod", widget=CodeWidget())
    name = fields.Field(attribute="name", column_name="namn", widget=TextWidget())

    class Meta(StructureResource.Meta):
        model = Municipality
        fields = ("code", "name")
        import_id_fields = ("code",)

    def filter_export(self, queryset, **kwargs):
        # One municipality's file: itself and those its key figures are compared with.
        if not self.municipality:
            return queryset
        indicators = of_municipality(Indicator.objects.all(), self.municipality)
        codes = {self.municipality}
        for indicator in indicators.only("comparisons"):
            codes.update(indicator.comparison_codes())
        valued = of_municipality(IndicatorValue.objects.all(), self.municipality)
        return queryset.filter(Q(code__in=codes) | Q(pk__in=valued.values("municipality")))


class IndicatorResource(StructureResource):
    sheet_name = "indikatorer"

    programme = fields.Field(
        attribute="focus_area__programme__edition", column_name="program", readonly=True
    )
    focus_area = fields.Field(
        attribute="focus_area",
        column_name="fokusomrade",
        widget=LookupWidget(FocusArea, "code", label=_("focus area"), within_programme=True),
    )
    title = fields.Field(attribute="title", column_name="titel", widget=TextWidget())
    unit = fields.Field(attribute="unit", column_name="enhet", widget=TextWidget())
    source = fields.Field(attribute="source", column_name="kalla", widget=TextWidget())
    external_id = fields.Field(
        attribute="external_id", column_name="kolada_id", widget=TextWidget()
    )
    better = fields.Field(
        attribute="better",
        column_name="battre_nar",
        widget=CodedChoiceWidget({"higher": "högre", "lower": "lägre", "neither": "inget"}),
    )
    gender_split = fields.Field(
        attribute="gender_split", column_name="konsuppdelad", widget=BooleanWidget()
    )
    comparisons = fields.Field(
        attribute="comparisons", column_name="jamfors_med", widget=TextWidget()
    )
    decimals = fields.Field(attribute="decimals", column_name="decimaler", widget=DecimalsWidget())
    confirmed = fields.Field(attribute="confirmed", column_name="bekraftad", widget=BooleanWidget())
    active = fields.Field(attribute="active", column_name="aktiv", widget=BooleanWidget())
    carried_from_area = fields.Field(
        attribute="carried_from__focus_area__code",
        column_name="fortsatter_fokusomrade",
        readonly=True,
    )
    carried_from = fields.Field(
        attribute="carried_from", column_name="fortsatter_indikator", widget=CarriedFromWidget()
    )
    optional_columns = ("fortsatter_fokusomrade", "fortsatter_indikator")

    class Meta(StructureResource.Meta):
        model = Indicator
        fields = (
            "programme",
            "focus_area",
            "title",
            "unit",
            "source",
            "external_id",
            "better",
            "gender_split",
            "comparisons",
            "decimals",
            "confirmed",
            "active",
            "carried_from_area",
            "carried_from",
        )
        import_id_fields = ("focus_area", "title")

    def key_columns(self) -> list[str]:
        return ["program", "fokusomrade", "titel"]

    def filter_export(self, queryset, **kwargs):
        # Earlier editions first: a row may continue one of them.
        return queryset.select_related(
            "focus_area__programme", "carried_from__focus_area"
        ).order_by("focus_area__programme__valid_from", "focus_area__sort_key", "title")


class IndicatorRowResource(StructureResource):
    """Rows of an indicator, named by its programme, focus area and title."""

    programme = fields.Field(
        attribute="indicator__focus_area__programme__edition", column_name="program", readonly=True
    )
    focus_area = fields.Field(
        attribute="indicator__focus_area__code", column_name="fokusomrade", readonly=True
    )
    indicator = fields.Field(
        attribute="indicator", column_name="indikator", widget=IndicatorLookupWidget()
    )


class IndicatorTargetResource(IndicatorRowResource):
    sheet_name = "indikatormal"

    year = fields.Field(attribute="year", column_name="ar", widget=YearWidget())
    direction = fields.Field(
        attribute="direction",
        column_name="riktning",
        widget=CodedChoiceWidget({"at_least": "minst", "at_most": "högst"}),
    )
    value = fields.Field(attribute="value", column_name="varde", widget=NumberRequiredWidget())
    document = fields.Field(
        attribute="document",
        column_name="styrdokument",
        widget=LookupWidget(
            GoverningDocument,
            "title",
            label=_("governing document"),
            required=False,
            within_programme=True,
        ),
    )
    basis = fields.Field(attribute="basis", column_name="grund", widget=TextWidget())

    class Meta(StructureResource.Meta):
        model = IndicatorTarget
        fields = (
            "programme",
            "focus_area",
            "indicator",
            "year",
            "direction",
            "value",
            "document",
            "basis",
        )
        import_id_fields = ("indicator", "year")

    def key_columns(self) -> list[str]:
        return ["program", "fokusomrade", "indikator", "ar"]

    def filter_export(self, queryset, **kwargs):
        return queryset.select_related("indicator__focus_area__programme", "document")


class IndicatorValueResource(IndicatorRowResource):
    sheet_name = "indikatorvarden"

    municipality = fields.Field(
        attribute="municipality",
        column_name="kommun",
        widget=LookupWidget(Municipality, "code", label=_("municipality")),
    )
    year = fields.Field(attribute="year", column_name="ar", widget=YearWidget())
    gender = fields.Field(
        attribute="gender",
        column_name="kon",
        widget=CodedChoiceWidget({"T": "totalt", "K": "kvinnor", "M": "män"}),
    )
    value = fields.Field(attribute="value", column_name="varde", widget=MissingOrNumberWidget())
    status = fields.Field(attribute="status", column_name="status", widget=TextWidget())
    source = fields.Field(attribute="source", column_name="kalla", widget=TextWidget())

    class Meta(StructureResource.Meta):
        model = IndicatorValue
        fields = (
            "programme",
            "focus_area",
            "indicator",
            "municipality",
            "year",
            "gender",
            "value",
            "status",
            "source",
        )
        import_id_fields = ("indicator", "municipality", "year", "gender")

    def key_columns(self) -> list[str]:
        return ["program", "fokusomrade", "indikator", "kommun", "ar", "kon"]

    def before_import(self, dataset, **kwargs):
        """Real values replace an indicator's demo values whole: the two never mix.

        Runs inside the import's transaction, so a refused import keeps the demo values.
        """
        widget = self.fields["indicator"].widget
        indicators = set()
        for row in dataset.dict:
            try:
                indicators.add(widget.clean(row.get("indikator"), row=row))
            except (ValueError, Indicator.DoesNotExist, Indicator.MultipleObjectsReturned):
                continue  # the row's own error is reported when it is imported
        IndicatorValue.objects.filter(indicator__in=indicators - {None}, is_demo=True).delete()

    def filter_export(self, queryset, **kwargs):
        return queryset.select_related("indicator__focus_area__programme", "municipality")


# In the order an empty database needs them.
PROGRAMME_RESOURCES = [
    SdgResource,
    MunicipalityResource,  # before the organisations and programmes, which belong to one
    OrganisationResource,
    ProgrammeResource,
    DirectionResource,
    FocusAreaResource,
    FocusAreaLinkResource,
    GoverningDocumentResource,
    CommitmentResource,
    ResponsibilityResource,
    IndicatorResource,
    IndicatorTargetResource,
]
