"""A follow-up cycle run for real, in the browser, from who answers for what to publishing.

Responsibilities set in the grid, the opening previewed and confirmed, a reporter handing a
draft to the approver, the approver submitting it with an attachment, the strategy
department returning it, the organisation answering in the thread and resubmitting, the
contribution approved and the report published after its checklist. Every page on the way
passes axe-core.
"""

import datetime
import re

import pytest
from playwright.sync_api import expect

from tests.browser.pages import follow
from tests.factories import COMPILE_TIMEOUT_MS, fill

pytestmark = pytest.mark.django_db(transaction=True)

PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n%%EOF\n"


@pytest.fixture
def planned_cycle(programme_data, strategist):
    from programme.models import Programme
    from reporting.models import Cycle

    return Cycle.objects.create(
        programme=Programme.objects.get(),
        title="Uppföljning 2027",
        first_year=2025,
        last_year=2026,
        opens_on=datetime.date(2026, 1, 15),
        due_on=datetime.date(2099, 3, 31),
    )


def test_a_cycle_from_responsibilities_to_publication(
    logged_in, check_accessibility, planned_cycle, strategist, reporter_a, approver_a, reporter_b
):
    from django.core import mail

    from programme.models import Responsibility
    from reporting.models import Attachment, Contribution, Report

    cycle = planned_cycle
    approver_a.email = "godkannare@miljo.example.org"
    approver_a.save()
    strategist_page = logged_in("strategist")

    # Who answers for what: two organisations, three cells, set with the grid.
    follow(strategist_page.get_by_role("link", name="Ansvar", exact=True))
    check_accessibility(strategist_page)
    grid = strategist_page.locator("table.responsibility-grid")
    grid.get_by_label("Miljönämnden – 2.1").select_option(label="Huvudansvarig")
    grid.get_by_label("Miljönämnden – 2.4").select_option(label="Bidragande")
    grid.get_by_label("Helsingborgshem AB – 2.1").select_option(label="Bidragande")
    strategist_page.get_by_role("button", name="Spara ändringarna").click()
    expect(strategist_page.get_by_text("3 ändringar sparade.")).to_be_visible()
    assert Responsibility.objects.count() == 3
    check_accessibility(strategist_page)

    # The opening is previewed: exactly these three requests, and nothing is sent yet.
    strategist_page.goto(f"/uppfoljningar/{cycle.pk}/")
    strategist_page.get_by_role("link", name="Se vilka som tillfrågas och öppna").click()
    expect(
        strategist_page.get_by_text("Att öppna skickar 3 förfrågningar till 2 organisationer.")
    ).to_be_visible()
    who = strategist_page.get_by_role("region", name="Vem som tillfrågas om vad")
    expect(who.get_by_role("row", name="Miljönämnden").get_by_text("2: 2.1, 2.4")).to_be_visible()
    expect(who.get_by_role("row", name="Helsingborgshem AB").get_by_text("1: 2.1")).to_be_visible()
    check_accessibility(strategist_page)
    assert not mail.outbox
    strategist_page.get_by_label("Öppna nu och skicka förfrågningarna").check()
    strategist_page.get_by_label("Jag har sett vem som tillfrågas om vad").check()
    strategist_page.get_by_role("button", name="Bekräfta").click()
    expect(strategist_page.get_by_text("3 förfrågningar skickades")).to_be_visible()
    assert cycle.contributions.count() == 3
    contribution = cycle.contributions.get(
        organisation__name="Miljönämnden", focus_area__code="2.1"
    )
    edit_url = f"/bidrag/{contribution.pk}/redigera/"

    # The reporter writes a draft and hands it to the approver.
    reporter = logged_in("reporter_a")
    reporter.get_by_role("link", name="Mina uppgifter").click()
    expect(reporter.get_by_text("0 av 2 fokusområden inlämnade")).to_be_visible()
    reporter.get_by_role("link", name="2.1 Minimera klimatpåverkan och resursanvändningen").click()
    reporter.get_by_label("Vad som har gjorts").fill("Vi har bytt till elbilar i hemtjänsten.")
    reporter.get_by_label("Resultat och effekter").fill("Utsläppen minskade.")
    reporter.get_by_label("Positiv utveckling").check()
    reporter.get_by_label("Motivering av bedömningen").fill("Mätbar minskning.")
    reporter.get_by_label("Ett meddelande till er godkännare (frivilligt)").fill("Klart från mig.")
    mail.outbox.clear()
    reporter.get_by_role("button", name="Spara och markera klart för godkännande").click()
    expect(reporter.get_by_text("klar för godkännande").first).to_be_visible()
    told = [m for m in mail.outbox if m.to == [approver_a.email]]
    assert [m.subject for m in told] == ["Livskvalitet: 2.1 är klart för ditt godkännande"]
    assert "Klart från mig." in told[0].body
    check_accessibility(reporter)

    # The approver finds it under My tasks, attaches a file and submits.
    approver = logged_in("approver_a")
    approver.get_by_role("link", name="Mina uppgifter").click()
    expect(approver.get_by_text("väntar på ditt godkännande")).to_be_visible()
    check_accessibility(approver)
    approver.get_by_role("link", name="2.1 Minimera klimatpåverkan och resursanvändningen").click()
    expect(approver.get_by_role("heading", name="Klart för ditt godkännande")).to_be_visible()
    expect(approver.get_by_text("Klart från mig.")).to_be_visible()
    check_accessibility(approver)
    approver.get_by_role("link", name="Redigera").click()
    approver.get_by_label("Bifoga filer").set_input_files(
        files=[{"name": "Klimatbokslut.pdf", "mimeType": "application/pdf", "buffer": PDF}]
    )
    approver.get_by_role("button", name="Spara och skicka in").click()
    expect(approver.get_by_text("Bidraget är inskickat")).to_be_visible()
    attachment = Attachment.objects.get(contribution=contribution)
    assert attachment.name == "Klimatbokslut.pdf"
    check_accessibility(approver)

    # The strategist reads the whole contribution beside the controls and returns it.
    menu = strategist_page.get_by_role("navigation", name="Huvudmeny")
    menu.get_by_role("link", name="Granskning").click()
    strategist_page.get_by_role("link", name="Miljönämnden – 2.1 Minimera klimatpåverkan").click()
    expect(strategist_page.get_by_text("Vi har bytt till elbilar i hemtjänsten.")).to_be_visible()
    download = strategist_page.get_by_role("link", name="Klimatbokslut.pdf").get_attribute("href")
    response = strategist_page.request.get(download)
    assert response.ok and response.body() == PDF
    check_accessibility(strategist_page)
    strategist_page.get_by_label("Vad behöver ändras").fill("Beskriv resultaten med siffror.")
    strategist_page.get_by_role("button", name="Återsänd", exact=True).click()
    expect(strategist_page.get_by_text("Bidraget är återsänt till organisationen.")).to_be_visible()

    # Another organisation cannot fetch the attachment.
    outsider = logged_in("reporter_b")
    assert outsider.request.get(download).status == 404

    # The organisation answers in the thread, corrects and resubmits.
    reporter.goto(edit_url)
    thread = reporter.get_by_role("region", name="Meddelanden")
    expect(thread.get_by_text("Beskriv resultaten med siffror.")).to_be_visible()
    check_accessibility(reporter)
    # The message is written on the form and sent with the save: nothing typed is left
    # behind, and no dialog asks about leaving (issue 20).
    reporter.get_by_label("Resultat och effekter").fill("Utsläppen minskade med 12 procent.")
    reporter.get_by_text("Skriv ett meddelande").click()
    reporter.get_by_label("Ditt meddelande").fill("Siffrorna kommer från klimatbokslutet.")
    reporter.get_by_role("button", name="Spara och skicka meddelandet").click()
    expect(reporter.get_by_text("Ditt meddelande är skickat.")).to_be_visible()
    thread = reporter.get_by_role("region", name="Meddelanden")
    expect(thread.get_by_text("Siffrorna kommer från klimatbokslutet.")).to_be_visible()
    assert reporter.get_by_label("Resultat och effekter").input_value() == (
        "Utsläppen minskade med 12 procent."
    )
    check_accessibility(reporter)
    reporter.get_by_role("button", name="Spara och markera klart för godkännande").click()
    reporter.wait_for_url(f"**/bidrag/{contribution.pk}/")
    approver.goto(edit_url)
    approver.get_by_role("button", name="Spara och skicka in").click()
    expect(approver.get_by_text("Bidraget är inskickat")).to_be_visible()

    # The strategist sees the answer and the change, and approves.
    strategist_page.goto(f"/bidrag/{contribution.pk}/granska/")
    thread = strategist_page.get_by_role("region", name="Meddelanden")
    expect(thread.get_by_text("Siffrorna kommer från klimatbokslutet.")).to_be_visible()
    changes = strategist_page.get_by_role("region", name="Ändrat sedan versionen du återsände")
    # The words that changed are marked inside the field, and read out as added.
    added = changes.locator("ins").filter(has_text="12 procent.")
    assert added.is_visible() and "tillagt:" in added.inner_text()
    check_accessibility(strategist_page)
    strategist_page.get_by_role("button", name="Godkänn").click()
    expect(strategist_page.get_by_text("Bidraget är godkänt.")).to_be_visible()
    assert Contribution.objects.get(pk=contribution.pk).state == "approved"

    # Publishing is a decision: compile, read what the version lacks, confirm.
    strategist_page.goto(f"/uppfoljningar/{cycle.pk}/rapport/")
    strategist_page.get_by_role("button", name="Sammanställ en ny version (PDF)").click(
        timeout=COMPILE_TIMEOUT_MS
    )
    strategist_page.get_by_role("link", name="Publicera version 1").click()
    lacks = strategist_page.get_by_role("region", name="Vad den saknar")
    expect(lacks.get_by_text("1 av 3 förfrågningar är besvarade och godkända.")).to_be_visible()
    # The cycle still takes the other two: said, with the way to who has not reported.
    still_open = "Rapporteringen är öppen till 31 mars 2099: 2 av 3 begärda bidrag är inte"
    expect(lacks.get_by_role("link", name=still_open)).to_be_visible()
    check_accessibility(strategist_page)
    strategist_page.get_by_role("button", name="Publicera").click()
    expect(
        strategist_page.get_by_text("Kryssa i rutan för att bekräfta publiceringen.", exact=True)
    ).to_be_visible()
    assert not Report.objects.get().published  # not without the confirmation
    strategist_page.get_by_label("Jag har läst vad den här versionen innehåller och saknar").check()
    strategist_page.get_by_label(
        "Jag godtar det som saknas enligt listan ovan, också att bidrag"
    ).check()
    strategist_page.get_by_role("button", name="Publicera").click()
    expect(strategist_page.get_by_text("Version 1 är publicerad.")).to_be_visible()
    report = Report.objects.get()
    assert report.published and report.published_by == strategist
    check_accessibility(strategist_page)


def test_the_cycle_page_an_organisation_s_requests_and_the_review_s_start(
    logged_in, check_accessibility, cycle, strategist, reporter_a
):
    """One row per organisation, its requests on a page of its own (withdrawn and reminded
    there), the review started on a page that says who still writes, and reporting reopened."""
    from reporting.models import Contribution, Cycle

    draft = cycle.contributions.get(organisation__name="Miljönämnden", focus_area__code="2.1")
    fill(draft, reporter_a)
    page = logged_in("strategist")
    page.goto(f"/uppfoljningar/{cycle.pk}/")
    rows = page.get_by_role("region", name="Förfrågningar per organisation")
    assert rows.get_by_role("row").count() == 16 + 2
    assert page.get_by_role("button", name="Påbörja granskning").count() == 0
    check_accessibility(page)

    rows.get_by_role("link", name="Miljönämnden").click()
    expect(page.get_by_role("heading", name="Miljönämnden")).to_be_visible()
    assert page.get_by_role("link", name="Återkalla").count() == 13
    check_accessibility(page)
    page.get_by_role("link", name="Återkalla 2.2 från Miljönämnden").click()
    expect(page.get_by_text("Ingen av dess medlemmar har en e-postadress")).to_be_visible()
    check_accessibility(page)
    page.get_by_role("button", name="Återkalla förfrågan").click()
    expect(page.get_by_text("Förfrågan är återkallad.")).to_be_visible()
    assert page.get_by_role("link", name="Återkalla").count() == 12
    assert Contribution.objects.get(
        cycle=cycle, organisation__name="Miljönämnden", focus_area__code="2.2"
    ).withdrawn
    # One organisation reminded by hand, logged on its page.
    # Nobody of it has an e-mail address yet: the page says so instead of a button.
    expect(page.get_by_text("Ingen i Miljönämnden kan nås")).to_be_visible()
    assert page.get_by_role("button", name="Påminn Miljönämnden").count() == 0
    reporter_a.email = "reporter_a@example.org"
    reporter_a.save()
    page.reload()
    page.get_by_role("button", name="Påminn Miljönämnden").click()
    expect(page.get_by_text("En påminnelse skickades till")).to_be_visible()
    expect(page.get_by_text("skickad av")).to_be_visible()
    check_accessibility(page)
    # Once a day: the page says so, no second button.
    expect(page.get_by_text("en påminnelse om dagen räcker")).to_be_visible()
    assert page.get_by_role("button", name="Påminn Miljönämnden").count() == 0

    page.get_by_role("link", name=cycle.title).click()
    page.get_by_role("link", name="Påbörja granskning…").click()
    stopping = page.get_by_role("region", name="Inte inlämnat än")
    expect(stopping.get_by_role("row", name="Miljönämnden").get_by_text("11")).to_be_visible()
    check_accessibility(page)
    page.get_by_role("button", name="Påbörja granskning").click()
    expect(page.get_by_text("Granskningen har börjat")).to_be_visible()
    assert Cycle.objects.get(pk=cycle.pk).state == "review"
    check_accessibility(page)

    reopen = page.get_by_role("region", name="Öppna rapporteringen igen")
    reopen.get_by_label("Rapporteringen öppen till och med").fill("2099-06-30")
    reopen.get_by_role("button", name="Öppna rapporteringen igen").click()
    expect(page.get_by_text("Rapporteringen är öppen igen")).to_be_visible()
    assert Cycle.objects.get(pk=cycle.pk).state == "open"

    # Closing cannot be undone: a page says what it leaves as it is, then it is confirmed.
    page.get_by_role("link", name="Påbörja granskning…").click()
    page.get_by_role("button", name="Påbörja granskning").click()
    page.get_by_role("link", name="Avsluta uppföljningen…").click()
    expect(page.get_by_text("Inget inskickat bidrag väntar på granskning.")).to_be_visible()
    check_accessibility(page)
    assert Cycle.objects.get(pk=cycle.pk).state == "review"
    page.get_by_role("button", name="Avsluta uppföljningen").click()
    expect(page.get_by_text("Uppföljningen är avslutad.")).to_be_visible()
    assert Cycle.objects.get(pk=cycle.pk).state == "closed"
    check_accessibility(page)


def test_a_new_cycle_starts_from_the_questions_before_and_they_are_changed_or_removed(
    logged_in, check_accessibility, cycle, strategist
):
    from reporting import services
    from reporting.models import Cycle

    for text in ("Hur har ni arbetat med barnrätten?", "Vad vill ni ha hjälp med?"):
        services.question_add(cycle=cycle, by=strategist, text=text, kind="long_text")
    page = logged_in("strategist")
    page.goto("/uppfoljningar/ny/")
    copy = page.get_by_label("Börja med frågorna från förra uppföljningen")
    expect(copy).to_be_checked()
    check_accessibility(page)
    page.get_by_label("Titel").fill("Uppföljning 2028")
    page.get_by_label("Öppnar").fill("2028-01-10")
    page.get_by_label("Sista dag").fill("2028-03-31")
    page.get_by_role("button", name="Skapa").click()
    expect(page.get_by_text("2 frågor kopierades från Uppföljning 2026")).to_be_visible()
    check_accessibility(page)
    questions = page.get_by_role("region", name="Uppföljningens egna frågor")
    # The question's text is the rest of each button's and link's name, for a screen reader.
    questions.get_by_role("button", name=re.compile(r"Ta bort\s*: Vad vill")).click()
    expect(page.get_by_text("Frågan ”Vad vill ni ha hjälp med?” är borttagen.")).to_be_visible()
    follow(questions.get_by_role("link", name=re.compile(r"Ändra\s*: Hur har ni")))
    check_accessibility(page)
    page.get_by_role("textbox", name=re.compile(r"^Fråga")).fill(
        "Hur har ni arbetat med barnets bästa?"
    )
    page.get_by_role("button", name="Spara ändringarna").click()
    expect(page.get_by_text("Frågan är ändrad.")).to_be_visible()
    new = Cycle.objects.get(title="Uppföljning 2028")
    assert list(new.questions.values_list("text", flat=True)) == [
        "Hur har ni arbetat med barnets bästa?"
    ]
    assert cycle.questions.count() == 2
