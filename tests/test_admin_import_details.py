"""The admin's import pages: what they say about the file and its result."""

import io

import openpyxl
import pytest

from programme.resources import DirectionResource
from tests.factories import admin_import

pytestmark = pytest.mark.django_db


def xlsx(rows) -> bytes:
    workbook = openpyxl.Workbook()
    for row in rows:
        workbook.active.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


@pytest.mark.parametrize(
    ("name", "format_index", "to_file"),
    [
        ("viljeinriktningar.xlsx", "1", lambda header: xlsx([header])),
        ("viljeinriktningar.csv", "0", lambda header: (",".join(header) + "\n").encode()),
    ],
)
def test_a_file_with_only_its_header_row_is_refused_and_the_columns_are_listed(
    client, administrator, name, format_index, to_file
):
    header = DirectionResource().expected_columns()
    client.force_login(administrator)
    response = admin_import(client, "direction", to_file(header), name, format_index)
    assert response.status_code == 200
    page = " ".join(response.content.decode().split())
    assert f"Filen ska ha exakt dessa kolumner: <code>{', '.join(header)}</code>" in page
