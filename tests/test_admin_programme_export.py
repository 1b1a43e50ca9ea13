"""The whole programme's workbook from the admin, beside "Importera programmet": the same
export as `manage.py export_programme`, which imports back as no change."""

import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from programme.transfer import export_programme
from tests.factories import programme_snapshot

pytestmark = pytest.mark.django_db

EXPORT = "admin:programme_programme_export_programme"


def test_the_programmes_list_has_the_whole_programmes_export_beside_its_import(
    client, administrator
):
    client.force_login(administrator)
    page = client.get(reverse("admin:programme_programme_changelist")).content.decode()
    assert f'href="{reverse(EXPORT)}"' in page and "Exportera programmet" in page
    importing = client.get(reverse("admin:programme_programme_import_programme"))
    assert f'href="{reverse(EXPORT)}"' in importing.content.decode()


def test_the_downloaded_workbook_is_the_commands_and_imports_back_with_no_change(
    client, administrator
):
    client.force_login(administrator)
    response = client.get(reverse(EXPORT))
    assert response.status_code == 200
    assert response["Content-Type"] == (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    assert response["Content-Disposition"].startswith('attachment; filename="programmet-')
    workbook = response.content
    sheets = openpyxl.load_workbook(io.BytesIO(workbook)).sheetnames
    command = openpyxl.load_workbook(io.BytesIO(export_programme("xlsx")["programme.xlsx"]))
    assert sheets == command.sheetnames
    before = programme_snapshot()
    url = reverse("admin:programme_programme_import_programme")
    preview = client.post(url, {"workbook": SimpleUploadedFile("p.xlsx", workbook)})
    summary = preview.context["summary"]
    assert summary is not None, preview.context["problems"]
    for table, (new, updated, deleted, _unchanged) in summary.rows():
        assert (new, updated, deleted) == (0, 0, 0), table
    done = client.post(url, {"confirm": "1", "token": preview.context["token"]})
    assert done.status_code == 302
    assert programme_snapshot() == before


def test_only_administrators_export_the_whole_programme(client, strategist):
    client.force_login(strategist)
    assert client.get(reverse(EXPORT)).status_code in (302, 403)
