"""A refused attachment loses nothing else (issue 20): the text and the acceptable file are
saved, and the page says which file was refused and why."""

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.django_db(transaction=True)

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def test_a_refused_file_is_named_and_everything_else_is_saved(
    logged_in, check_accessibility, cycle, reporter_a
):
    from reporting.models import Contribution

    contribution = cycle.contributions.get(
        organisation__name="Miljönämnden", focus_area__code="2.1"
    )
    page = logged_in("reporter_a")
    page.goto(f"/bidrag/{contribution.pk}/redigera/")
    page.get_by_label("Resultat och effekter").fill("Utsläppen minskade med 12 procent.")
    page.get_by_label("Bifoga filer").set_input_files(
        [
            {"name": "diagram.png", "mimeType": "image/png", "buffer": PNG},
            {"name": "program.exe", "mimeType": "application/octet-stream", "buffer": b"MZ"},
        ]
    )
    page.get_by_role("button", name="Spara utkast").click()
    warning = page.get_by_text("Utkastet är sparat, men de här filerna bifogades inte")
    expect(warning).to_be_visible()
    expect(warning).to_contain_text("program.exe")
    assert page.get_by_label("Resultat och effekter").input_value() == (
        "Utsläppen minskade med 12 procent."
    )
    saved = Contribution.objects.get(pk=contribution.pk)
    assert [a.name for a in saved.attachments.all()] == ["diagram.png"]
    check_accessibility(page)
