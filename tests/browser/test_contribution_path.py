"""The whole path in a real browser: draft, submit, return, correct, see the change, approve."""

import pytest

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
    assert reporter.get_by_text("0 av 13 fokusområden inskickade").is_visible()
    check_accessibility(reporter)
    reporter.get_by_role("link", name="2.1 Minimera klimatpåverkan och resursanvändningen").click()
    check_accessibility(reporter)
    reporter.get_by_label("Vad som har gjorts").fill("Vi har bytt till elbilar i hemtjänsten.")
    reporter.get_by_label("Resultat och effekter").fill("Utsläppen minskade.")
    reporter.get_by_label("Positiv utveckling").check()
    reporter.get_by_label("Motivering av bedömningen").fill("Mätbar minskning.")
    reporter.get_by_role("button", name="Lägg till en insats").click()
    reporter.get_by_label("Titel").fill("Elbilspool")
    reporter.get_by_text("Grupper som nås").click()
    reporter.get_by_label("Barn och unga").check()
    assert not reporter.get_by_role("button", name="Spara och skicka in").is_visible()
    reporter.get_by_role("button", name="Spara utkast").click()
    assert reporter.get_by_text("Utkastet är sparat.").is_visible()
    check_accessibility(reporter)

    # The approver submits it.
    approver = logged_in("approver_a")
    approver.goto(edit_url)
    assert approver.get_by_label("Vad som har gjorts").input_value().startswith("Vi har bytt")
    approver.get_by_role("button", name="Spara och skicka in").click()
    assert approver.get_by_text("Bidraget är inskickat").is_visible()
    check_accessibility(approver)

    # The strategist returns it with a comment.
    strategist = logged_in("strategist")
    strategist.get_by_role("link", name="Granskning", exact=True).click()
    check_accessibility(strategist)
    strategist.get_by_role("link", name="Miljönämnden – 2.1 Minimera klimatpåverkan").click()
    check_accessibility(strategist)
    strategist.get_by_role("button", name="Skicka tillbaka").click()
    assert strategist.get_by_text("Detta fält måste fyllas i.").is_visible()
    strategist.get_by_label("Vad behöver ändras").fill("Beskriv resultaten med siffror.")
    strategist.get_by_role("button", name="Skicka tillbaka").click()
    assert strategist.get_by_text("Bidraget är återsänt till organisationen.").is_visible()

    # The reporter sees the comment and corrects.
    reporter.goto(edit_url)
    returned = reporter.get_by_role("region", name="Återsänt med kommentar:")
    assert returned.get_by_text("Beskriv resultaten med siffror.").is_visible()
    check_accessibility(reporter)
    reporter.get_by_label("Resultat och effekter").fill("Utsläppen minskade med 12 procent.")
    reporter.get_by_role("button", name="Spara utkast").click()
    approver.goto(edit_url)
    approver.get_by_role("button", name="Spara och skicka in").click()
    assert approver.get_by_text("Bidraget är inskickat").is_visible()

    # The strategist sees exactly what changed, then approves.
    strategist.goto(f"/bidrag/{contribution.pk}/granska/")
    changes = strategist.get_by_role("region", name="Ändrat sedan versionen du skickade tillbaka")
    assert changes.locator("ins").filter(has_text="12 procent.").is_visible()  # word level
    assert changes.get_by_role("rowheader").all_inner_texts() == ["Resultat och effekter"]
    check_accessibility(strategist)
    strategist.get_by_role("button", name="Godkänn").click()
    assert strategist.get_by_text("Bidraget är godkänt.").is_visible()
    assert Contribution.objects.get(pk=contribution.pk).state == "approved"

    # The matrix, the cycle and the history pass the checks too.
    strategist.goto(f"/uppfoljningar/{cycle.pk}/matris/")
    check_accessibility(strategist)
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
    strategist.get_by_role("link", name="Version 4").click()
    check_accessibility(strategist)

    # Approved is locked: the reporter lands on the read-only page.
    reporter.goto(edit_url)
    assert reporter.url.endswith(f"/bidrag/{contribution.pk}/")
    assert reporter.get_by_text("Vi har bytt till elbilar i hemtjänsten.").is_visible()
    check_accessibility(reporter)


def test_a_strategist_creates_and_opens_a_cycle(logged_in, check_accessibility, strategist):
    from reporting.models import Cycle

    page = logged_in("strategist")
    page.get_by_role("link", name="Uppföljningar").click()
    check_accessibility(page)
    page.get_by_role("link", name="Ny uppföljning").click()
    page.get_by_label("Titel").fill("Uppföljning 2027")
    page.get_by_label("Första år som följs upp").fill("2026")
    page.get_by_label("Sista år som följs upp").fill("2027")
    page.get_by_label("Öppnar").fill("2027-01-10")
    page.get_by_label("Sista dag").fill("2027-03-31")
    check_accessibility(page)
    page.get_by_role("button", name="Skapa").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Uppföljning 2027"
    check_accessibility(page)
    # Until it opens, it can be changed; its years stay within the programme's.
    page.get_by_role("link", name="Ändra uppföljningen").click()
    page.get_by_label("Sista år som följs upp").fill("2029")
    page.get_by_role("button", name="Spara ändringarna").click()
    assert page.get_by_text("Programmet gäller 2025–2027").first.is_visible()
    check_accessibility(page)
    page.get_by_label("Sista år som följs upp").fill("2027")
    page.get_by_label("Sista dag").fill("2027-04-30")
    page.get_by_role("button", name="Spara ändringarna").click()
    assert page.get_by_text("Uppföljningen är ändrad.").is_visible()
    assert str(Cycle.objects.get(title="Uppföljning 2027").due_on) == "2027-04-30"
    page.get_by_role("link", name="Se vilka som tillfrågas och öppna").click()
    asked = "Att öppna skickar 208 förfrågningar till 16 organisationer."
    assert page.get_by_text(asked).is_visible()
    check_accessibility(page)
    page.get_by_label("Öppna nu och skicka förfrågningarna").check()
    page.get_by_role("button", name="Bekräfta").click()
    assert page.get_by_text("Kryssa i rutan för att bekräfta").is_visible()
    assert Cycle.objects.get(title="Uppföljning 2027").state == "planning"
    page.get_by_label("Jag har sett vem som tillfrågas om vad").check()
    page.get_by_role("button", name="Bekräfta").click()
    assert page.get_by_text("208 förfrågningar skickades").is_visible()
    assert Cycle.objects.get(title="Uppföljning 2027").state == "open"
    check_accessibility(page)
