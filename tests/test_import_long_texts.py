"""An import takes a long text (a description, a programme's introduction, a direction's
ambition, challenges and focus) exactly as the cell holds it, as the admin's text areas do:
the spaces and blank lines around it are the writer's. The one-line fields imports match
rows by (names, titles, codes, references) are read without the spaces around them.
Exporting writes what is stored, so a round trip changes nothing."""

import io

import openpyxl
import pytest
from django.db.models import TextField

from programme.models import Direction, FocusArea, Organisation, Programme
from programme.resources import PROGRAMME_RESOURCES, TextWidget
from programme.transfer import (
    export_programme,
    import_programme,
    read_programme_files,
    read_programme_workbook,
)
from tests.factories import programme_snapshot

pytestmark = pytest.mark.django_db


def workbook_with(sheet: str, key: tuple[str, str], column: str, value: str) -> bytes:
    """The exported workbook, one cell changed: the row whose cell in key[0] is key[1]."""
    book = openpyxl.load_workbook(io.BytesIO(export_programme("xlsx")["programme.xlsx"]))
    rows = book[sheet]
    headers = [cell.value for cell in rows[1]]
    for row in rows.iter_rows(min_row=2):
        if row[headers.index(key[0])].value == key[1]:
            row[headers.index(column)].value = value
            break
    else:
        raise AssertionError(key)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_a_description_with_spaces_and_blank_lines_around_it_is_imported_as_the_cell_holds_it():
    area = FocusArea.objects.get(code="2.1")
    typed = "   " + area.description + "  \n\n"
    data = workbook_with("fokusomraden", ("kod", "2.1"), "beskrivning", typed)
    preview = import_programme(read_programme_workbook(data), dry_run=True)
    assert preview.totals["fokusomraden"]["update"] == 1
    import_programme(read_programme_workbook(data))
    area.refresh_from_db()
    assert area.description == typed


@pytest.mark.parametrize("file_format", ["xlsx", "csv"])
def test_long_texts_kept_as_typed_export_and_import_back_as_no_change(file_format, tmp_path):
    typed = "\n  Inledning med tomrad efter.  \n\n"
    Programme.objects.update(introduction=typed)
    Direction.objects.filter(number=2).update(ambition="  Ambition\n", focus="\tFokus ")
    FocusArea.objects.filter(code="2.1").update(description="Beskrivning\n\n")
    before = programme_snapshot()
    for name, data in export_programme(file_format).items():
        (tmp_path / name).write_bytes(data)
    source = tmp_path / "programme.xlsx" if file_format == "xlsx" else tmp_path
    summary = import_programme(read_programme_files(source))
    for table, (new, updated, deleted, _unchanged) in summary.rows():
        assert (new, updated, deleted) == (0, 0, 0), table
    assert programme_snapshot() == before
    assert Programme.objects.get().introduction == typed
    assert FocusArea.objects.get(code="2.1").description == "Beskrivning\n\n"
    assert Direction.objects.get(number=2).focus == "\tFokus "


def test_a_long_text_of_spaces_and_line_breaks_alone_is_empty():
    data = workbook_with("fokusomraden", ("kod", "2.1"), "beskrivning", "  \n \n")
    import_programme(read_programme_workbook(data))
    assert FocusArea.objects.get(code="2.1").description == ""


def test_a_title_or_name_is_still_read_without_the_spaces_around_it():
    data = workbook_with("organisationer", ("namn", "Miljönämnden"), "kortnamn", "  MN  ")
    import_programme(read_programme_workbook(data))
    assert Organisation.objects.get(name="Miljönämnden").short_name == "MN"
    area = FocusArea.objects.get(code="2.1")
    data_title = workbook_with("fokusomraden", ("kod", "2.1"), "titel", f" {area.title}  ")
    before = programme_snapshot()
    summary = import_programme(read_programme_workbook(data_title))
    assert summary.totals["fokusomraden"]["update"] == 0
    assert programme_snapshot() == before


def test_every_long_text_of_the_programme_file_is_read_as_typed():
    """Each model text field (many lines) an import fills keeps its text; the one-line
    fields are the ones stripped."""
    for resource_class in PROGRAMME_RESOURCES:
        model = resource_class._meta.model
        for field in resource_class().get_import_fields():
            if not field.attribute or "__" in field.attribute:
                continue
            try:
                model_field = model._meta.get_field(field.attribute)
            except Exception:  # noqa: BLE001 - a resource's own attribute
                continue
            widget = field.widget
            if type(model_field) is TextField:
                assert widget.clean("  a\n\n") == "  a\n\n", (model.__name__, field.attribute)
            elif isinstance(widget, TextWidget):
                assert widget.clean("  a  ") == "a", (model.__name__, field.attribute)
