"""Strategists download a cycle's contributions as XLSX and CSV, formula-safe."""

import io

import openpyxl
import pytest
from django.urls import reverse

from reporting.content import ContributionContent
from reporting.models import Question
from reporting.services import contribution_save, contribution_submit
from tests.factories import COMPLETE

pytestmark = pytest.mark.django_db


@pytest.fixture
def answered(contribution_a, approver_a):
    question = Question.objects.create(
        cycle=contribution_a.cycle, text="Hur många deltog?", kind="number"
    )
    contribution_a.refresh_from_db()
    contribution_save(
        contribution=contribution_a,
        content=ContributionContent.of(contribution_a).replaced(
            actions=[{"title": "Elbilar", "status": "ongoing"}],
            answers={question: "42"},
            **{**COMPLETE, "done": '=HYPERLINK("http://x")'},
        ),
        expected_version=contribution_a.version,
        by=approver_a,
    )
    contribution_submit(contribution=contribution_a, by=approver_a)
    return contribution_a


def test_xlsx_export_has_every_contribution_the_questions_and_no_formulas(
    client, strategist, answered
):
    client.force_login(strategist)
    response = client.get(reverse("reporting:cycle-export", args=[answered.cycle_id, "xlsx"]))
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    header = rows[0]
    assert "Hur många deltog?" in header
    assert len(rows) == 1 + answered.cycle.contributions.count()
    row = next(r for r in rows if r[0] == "Miljönämnden" and r[1] == "2.1")
    assert row[header.index("Hur många deltog?")] == "42"
    assert row[header.index("vad_har_gjorts")] == '\'=HYPERLINK("http://x")'
    assert row[header.index("status")] == "inskickat"
    assert "Elbilar (pågående)" in row[header.index("insatser")]


def test_csv_export(client, strategist, answered):
    client.force_login(strategist)
    response = client.get(reverse("reporting:cycle-export", args=[answered.cycle_id, "csv"]))
    text = response.content.decode("utf-8-sig")
    assert "'=HYPERLINK" in text
    assert "Miljönämnden,2.1,inskickat" in text


def test_export_is_for_strategists_only(client, approver_a, answered):
    client.force_login(approver_a)
    response = client.get(reverse("reporting:cycle-export", args=[answered.cycle_id, "xlsx"]))
    assert response.status_code == 404
    client.logout()
    response = client.get(reverse("reporting:cycle-export", args=[answered.cycle_id, "csv"]))
    assert response.status_code == 302


def test_unknown_export_format_is_404(client, strategist, answered):
    client.force_login(strategist)
    response = client.get(reverse("reporting:cycle-export", args=[answered.cycle_id, "pdf"]))
    assert response.status_code == 404
