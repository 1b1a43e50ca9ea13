"""What a refused import says: an empty sheet by its name, the problems in row order."""

import pytest
import tablib

from programme.errors import ImportRejected
from programme.transfer import import_programme

pytestmark = pytest.mark.django_db


def test_a_completely_empty_sheet_is_said_to_be_empty(programme_data):
    with pytest.raises(ImportRejected) as refused:
        import_programme({"organisationer": tablib.Dataset()})
    (message,) = refused.value.messages
    assert message.startswith("organisationer: Bladet organisationer är tomt"), message
    assert "saknar kolumnerna" not in message


def test_the_problems_of_a_refused_table_are_listed_in_row_order():
    """A row the database refused (row 17) and a row whose cells were refused (row 16):
    said as the spreadsheet numbers them, row 16 first."""
    from django.core.exceptions import ValidationError
    from import_export.results import Error, Result, RowResult

    from programme.transfer import result_errors

    result = Result()
    result.diff_headers = ["organisation"]
    for number in range(1, 17):
        row = RowResult()
        if number == 16:
            row.errors = [Error("databasen vägrade")]
        result.append_row_result(row)
    result.append_invalid_row(15, {"organisation": "X"}, ValidationError({"role": ["fel"]}))
    assert result_errors(result) == ["Rad 16, role: fel", "Rad 17: databasen vägrade"]
