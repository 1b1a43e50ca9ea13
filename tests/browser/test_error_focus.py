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

