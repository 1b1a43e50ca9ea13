"""A form sent with a mistake, on a phone: the keyboard's focus and the screen reader go to
what is wrong (the error summary, or the one field), in view, instead of staying at the top
of the page while the error is far below."""

import pytest
from django.core.files.base import ContentFile
from playwright.sync_api import expect

pytestmark = pytest.mark.django_db(transaction=True)

PHONE = {"width": 375, "height": 667}


def _in_view(page, selector) -> bool:
    return page.evaluate(
        """(selector) => {
            const box = document.querySelector(selector).getBoundingClientRect();
            return box.top >= 0 && box.top < window.innerHeight;
        }""",
        selector,
    )


def test_publishing_without_the_confirmation_takes_the_focus_to_the_summary(
    logged_in, check_accessibility, cycle, strategist
):
    from reporting.models import Report

    report = Report(
        cycle=cycle, number=1, status=Report.Status.DONE, compiled_by=strategist, page_count=3
    )
    report.pdf.save("r.pdf", ContentFile(b"%PDF-1.7"), save=False)
    report.save()
    page = logged_in("strategist")
    page.set_viewport_size(PHONE)
    page.goto(f"/uppfoljningar/{cycle.pk}/rapport/1/publicera/")
    page.get_by_role("button", name="Publicera").click()
    summary = page.get_by_role("alert").filter(has_text="Ingenting publicerades")
    expect(summary).to_be_visible()
    assert page.title().startswith("Fel: ")
    assert page.evaluate("document.activeElement.id") == "error-summary"
    assert _in_view(page, "#error-summary")
    check_accessibility(page)
    # Its link leads to the box to tick.
    summary.get_by_role("link").first.click()
    box = page.get_by_label("Jag har läst vad den här versionen innehåller och saknar")
    expect(box).to_be_in_viewport()


def test_an_empty_message_comes_back_with_the_focus_in_the_field(
    logged_in, check_accessibility, cycle, reporter_a
):
    contribution = cycle.contributions.get(
        organisation__name="Miljönämnden", focus_area__code="2.1"
    )
    page = logged_in("reporter_a")
    page.set_viewport_size(PHONE)
    page.goto(f"/bidrag/{contribution.pk}/")
    page.get_by_text("Skriv ett meddelande").click()
    page.get_by_role("button", name="Skicka meddelandet").click()
    expect(page.get_by_role("heading", name="Ditt meddelande skickades inte")).to_be_visible()
    assert page.title().startswith("Fel: ")
    field = page.get_by_label("Ditt meddelande")
    expect(field).to_be_focused()
    expect(field).to_have_attribute("aria-invalid", "true")
    described = field.get_attribute("aria-describedby").split()
    errors = [page.locator(f"#{name}").inner_text() for name in described]
    assert "Detta fält måste fyllas i." in errors
    assert _in_view(page, "#id_text")
    check_accessibility(page)


def test_sending_back_without_a_comment_comes_back_with_the_focus_in_the_field(
    logged_in, check_accessibility, cycle, reporter_a, approver_a
):
    from reporting.services import contribution_mark_ready
    from tests.factories import fill

    contribution = cycle.contributions.get(
        organisation__name="Miljönämnden", focus_area__code="2.1"
    )
    fill(contribution, reporter_a, done="Vi har bytt till elbilar.")
    contribution_mark_ready(contribution=contribution, by=reporter_a)
    page = logged_in("approver_a")
    page.set_viewport_size(PHONE)
    page.goto(f"/bidrag/{contribution.pk}/redigera/")
    page.get_by_role("button", name="Skicka tillbaka till rapportörerna").click()
    expect(page.get_by_role("heading", name="Bidraget är inte tillbakaskickat")).to_be_visible()
    field = page.get_by_label("Vad rapportörerna behöver ändra")
    expect(field).to_be_focused()
    expect(field).to_have_attribute("aria-invalid", "true")
    check_accessibility(page)
