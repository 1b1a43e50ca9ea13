"""The admin's import pages: what they say about the file and its result."""

import csv
import io

import openpyxl
import pytest
from django.urls import reverse

from programme.resources import DirectionResource
from programme.transfer import export_programme
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


@pytest.mark.parametrize(
    ("codes", "message"),
    [
        (["3.1"], "Importen är klar: 1 fokusområde ändrades inte."),
        (["3.1", "3.2"], "Importen är klar: 2 fokusområden ändrades inte."),
    ],
)
def test_the_import_result_counts_in_singular_and_plural(client, administrator, codes, message):
    exported = export_programme("csv")["fokusomraden.csv"].decode("utf-8-sig")
    dialect = csv.Sniffer().sniff(exported.splitlines()[0])
    header, *rows = csv.reader(io.StringIO(exported), dialect)
    chosen = [row for row in rows if row[header.index("kod")] in codes]
    assert len(chosen) == len(codes)
    out = io.StringIO()
    csv.writer(out, dialect).writerows([header, *chosen])
    data = out.getvalue().encode()
    client.force_login(administrator)
    confirm = admin_import(client, "focusarea", data, "fokus.csv", "0").context["confirm_form"]
    response = client.post(
        reverse("admin:programme_focusarea_process_import"),
        {name: confirm.initial[name] for name in confirm.initial} | {"resource": "0"},
        follow=True,
    )
    said = [str(m) for m in response.context["messages"]]
    assert said == [message]
