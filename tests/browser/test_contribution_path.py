"""The whole path in a real browser: draft, submit, return, correct, see the change, approve."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.pages import follow

pytestmark = pytest.mark.django_db(transaction=True)


def test_from_draft_to_approval(logged_in, check_accessibility, cycle, reporter_a, approver_a):
    from reporting.models import Contribution

    contribution = cycle.contributions.get(
        organisation__name="Miljönämnden", focus_area__code="2.1"
    )
    edit_url = f"/bidrag/{contribution.pk}/redigera/"

    # The reporter finds the task and writes a draft.
    reporter = logged_in("reporter_a")
    reporter.get_by_role("link", name="Mina uppgifter").click()
    expect(reporter.get_by_text("0 av 13 fokusområden inlämnade")).to_be_visible()
    check_accessibility(reporter)
    follow(reporter.get_by_role("link", name="2.1 Minimera klimatpåverkan och resursanvändningen"))
    check_accessibility(reporter)
    reporter.get_by_label("Vad som har gjorts").fill("Vi har bytt till elbilar i hemtjänsten.")
    reporter.get_by_label("Resultat och effekter").fill("Utsläppen minskade.")
    reporter.get_by_label("Positiv utveckling").check()
    reporter.get_by_label("Motivering av bedömningen").fill("Mätbar minskning.")
    reporter.get_by_role("button", name="Lägg till en insats").click()
    reporter.get_by_label("Titel").fill("Elbilspool")
    reporter.locator("summary", has_text="Grupper som nås").click()
    reporter.get_by_label("Barn och unga").check()
    expect(reporter.get_by_role("button", name="Spara och skicka in")).to_be_hidden()
    reporter.get_by_role("button", name="Spara utkast").click()
    expect(reporter.get_by_text("Utkastet är sparat.", exact=True)).to_be_visible()
    check_accessibility(reporter)

    # The approver submits it.
    approver = logged_in("approver_a")
    approver.goto(edit_url)
    assert approver.get_by_label("Vad som har gjorts").input_value().startswith("Vi har bytt")
    approver.get_by_role("button", name="Spara och skicka in").click()
    expect(approver.get_by_text("Bidraget är inskickat")).to_be_visible()
    check_accessibility(approver)

    # The strategist returns it with a comment.
    strategist = logged_in("strategist")
    strategist.set_viewport_size({"width": 1280, "height": 800})
    follow(strategist.get_by_role("link", name="Granskning", exact=True))
    check_accessibility(strategist)
    # The chosen state is read whole, not cut at the select's edge.
    fits = """select => {
        const style = getComputedStyle(select);
        const context = document.createElement("canvas").getContext("2d");
        context.font = style.font;
        const text = context.measureText(select.options[select.selectedIndex].text).width;
        const room = select.clientWidth - parseFloat(style.paddingLeft)
            - parseFloat(style.paddingRight);
        return room >= text;
    }"""
    state = strategist.get_by_label("Status")
    expect(state).to_have_value("")  # "Väntar på granskning", the longest
    assert state.evaluate(fits), "the review queue's state select cuts its text"
    follow(strategist.get_by_role("link", name="Miljönämnden – 2.1 Minimera klimatpåverkan"))
    check_accessibility(strategist)
    strategist.get_by_role("button", name="Återsänd", exact=True).click()
    expect(strategist.get_by_text("Detta fält måste fyllas i.", exact=True)).to_be_visible()
    strategist.get_by_label("Vad behöver ändras").fill("Beskriv resultaten med siffror.")
    strategist.get_by_role("button", name="Återsänd", exact=True).click()
    expect(strategist.get_by_text("Bidraget är återsänt till organisationen.")).to_be_visible()

    # The reporter sees the comment and corrects.
    reporter.goto(edit_url)
    returned = reporter.get_by_role("region", name="Återsänt med kommentar:")
    expect(returned.get_by_text("Beskriv resultaten med siffror.")).to_be_visible()
    check_accessibility(reporter)
    reporter.get_by_label("Resultat och effekter").fill("Utsläppen minskade med 12 procent.")
    reporter.get_by_role("button", name="Spara utkast").click()
    expect(reporter.get_by_text("Utkastet är sparat.", exact=True)).to_be_visible()
    approver.goto(edit_url)
    approver.get_by_role("button", name="Spara och skicka in").click()
    expect(approver.get_by_text("Bidraget är inskickat")).to_be_visible()

    # The strategist sees exactly what changed, then approves.
    strategist.goto(f"/bidrag/{contribution.pk}/granska/")
    changes = strategist.get_by_role("region", name="Ändrat sedan versionen du återsände")
    expect(changes.locator("ins").filter(has_text="12 procent.")).to_be_visible()  # word level
    assert changes.get_by_role("rowheader").all_inner_texts() == ["Resultat och effekter"]
    check_accessibility(strategist)
    strategist.get_by_role("button", name="Godkänn").click()
    expect(strategist.get_by_text("Bidraget är godkänt.")).to_be_visible()
    assert Contribution.objects.get(pk=contribution.pk).state == "approved"

    # The matrix, the cycle and the history pass the checks too.
    strategist.goto(f"/uppfoljningar/{cycle.pk}/matris/")
    check_accessibility(strategist)
    # Wide, it scrolls in its own box; the page itself does not scroll sideways.
    width = strategist.evaluate("document.documentElement.scrollWidth")
    assert width <= strategist.viewport_size["width"], width
    # Its symbols are text in the state's colour, not emoji (✔ was a grey emoji).
    badge = strategist.locator(".matrix .state").first
    assert badge.evaluate("e => getComputedStyle(e).fontVariantEmoji") == "text"
    strategist.goto(f"/uppfoljningar/{cycle.pk}/")
    check_accessibility(strategist)
    strategist.goto(f"/bidrag/{contribution.pk}/historik/")
    # The strategist reads the versions that were handed over, never the drafts.
    links = strategist.get_by_role("link", name="Version ").all_inner_texts()
    handed_over = contribution.versions.filter(
        event__in=["submitted", "returned", "resubmitted", "approved"]
    )
    assert sorted(links) == sorted(f"Version {v.number}" for v in handed_over)
    assert "Version 1" not in links
    check_accessibility(strategist)
    follow(strategist.get_by_role("link", name="Version 4"))
    check_accessibility(strategist)

    # Approved is locked: the reporter lands on the read-only page.
    reporter.goto(edit_url)
    assert reporter.url.endswith(f"/bidrag/{contribution.pk}/")
    expect(reporter.get_by_text("Vi har bytt till elbilar i hemtjänsten.")).to_be_visible()
    check_accessibility(reporter)


def test_a_strategist_creates_and_opens_a_cycle(logged_in, check_accessibility, strategist):
    from reporting.models import Cycle

    page = logged_in("strategist")
    follow(page.get_by_role("link", name="Uppföljningar"))
    check_accessibility(page)
    page.get_by_role("link", name="Ny uppföljning").click()
    page.get_by_label("Titel").fill("Uppföljning 2027")
    page.get_by_label("Första år som följs upp").fill("2026")
    page.get_by_label("Sista år som följs upp").fill("2027")
    page.get_by_label("Öppnar").fill("2027-01-10")
    page.get_by_label("Sista dag").fill("2027-03-31")
    check_accessibility(page)
    page.get_by_role("button", name="Skapa").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Uppföljning 2027")
    check_accessibility(page)
    # Until it opens, it can be changed; its years stay within the programme's.
    page.get_by_role("link", name="Ändra uppföljningen").click()
    page.get_by_label("Sista år som följs upp").fill("2029")
    page.get_by_role("button", name="Spara ändringarna").click()
    expect(page.get_by_text("Programmet gäller 2025–2027").first).to_be_visible()
    check_accessibility(page)
    page.get_by_label("Sista år som följs upp").fill("2027")
    page.get_by_label("Sista dag").fill("2027-04-30")
    page.get_by_role("button", name="Spara ändringarna").click()
    expect(page.get_by_text("Uppföljningen är ändrad.")).to_be_visible()
    assert str(Cycle.objects.get(title="Uppföljning 2027").due_on) == "2027-04-30"
    page.get_by_role("link", name="Se vilka som tillfrågas och öppna").click()
    asked = "Att öppna skickar 208 förfrågningar till 16 organisationer."
    expect(page.get_by_text(asked)).to_be_visible()
    check_accessibility(page)
    page.get_by_label("Öppna nu och skicka förfrågningarna").check()
    page.get_by_role("button", name="Bekräfta").click()
    expect(
        page.get_by_text("Kryssa i rutan för att bekräfta att förfrågningarna skickas.", exact=True)
    ).to_be_visible()
    assert Cycle.objects.get(title="Uppföljning 2027").state == "planning"
    page.get_by_label("Jag har sett vem som tillfrågas om vad").check()
    page.get_by_role("button", name="Bekräfta").click()
    expect(page.get_by_text("208 förfrågningar skickades")).to_be_visible()
    assert Cycle.objects.get(title="Uppföljning 2027").state == "open"
    check_accessibility(page)
    # Asking one more organisation is a page of its own; what is missing is said at its field.
    page.get_by_role("link", name="Lägg till en förfrågan (organisation och fokusområde)").click()
    page.get_by_label("Organisation").select_option(label="Miljönämnden")
    page.get_by_role("button", name="Fråga", exact=True).click()
    expect(page.get_by_text("Detta fält måste fyllas i.", exact=True)).to_be_visible()
    assert page.get_by_label("Organisation").input_value()  # the choice is kept
    check_accessibility(page)


def test_a_return_without_comment_puts_the_cursor_in_the_comment(
    logged_in, cycle, approver_a, strategist
):
    """Refused, the page comes back with the cursor in the comment and its error tied to it,
    so a screen reader reads both: before, it stood at the top of the page, saying nothing."""
    from reporting import services
    from tests.factories import COMPLETE, fill

    contribution = cycle.contributions.get(
        organisation__name="Miljönämnden", focus_area__code="2.1"
    )
    fill(contribution, approver_a, **COMPLETE)
    services.contribution_submit(contribution=contribution, by=approver_a)
    page = logged_in("strategist")
    page.goto(f"/bidrag/{contribution.pk}/granska/")
    page.get_by_role("button", name="Återsänd", exact=True).focus()
    page.keyboard.press("Enter")
    comment = page.get_by_label("Vad behöver ändras")
    expect(comment).to_be_focused()
    expect(comment).to_have_attribute("aria-invalid", "true")
    expect(comment).to_have_accessible_description(re.compile("Detta fält måste fyllas i."))
