"""An insats across two cycles, as the people who use it meet it: reported ongoing and
approved in one cycle, found in the next cycle's form, marked finished with what happened,
shown finished in the strategy department's register and, once published, on the public
pages."""

import datetime

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.django_db(transaction=True)


def test_an_ongoing_action_is_carried_to_the_next_cycle_and_finished(
    logged_in, check_accessibility, contribution_a, approver_a, reporter_a, strategist
):
    from reporting import services
    from reporting.content import ContributionContent
    from reporting.models import Initiative
    from tests.factories import COMPLETE, new_cycle, report_of, save

    save(
        contribution_a,
        approver_a,
        actions=[{"title": "Elbilspool", "status": "ongoing"}],
        **COMPLETE,
    )
    services.contribution_submit(contribution=contribution_a, by=approver_a)
    services.contribution_approve(contribution=contribution_a, by=strategist)
    later_cycle = new_cycle(opens_on=datetime.date(2028, 1, 1), due_on=datetime.date(2099, 1, 1))
    services.cycle_open(cycle=later_cycle, by=strategist)
    later = later_cycle.contributions.get(
        organisation=contribution_a.organisation, focus_area__code="2.1"
    )

    page = logged_in("reporter_a")
    page.goto(f"/bidrag/{later.pk}/redigera/")
    action = page.locator("#insats-1")
    expect(action.get_by_text("Elbilspool")).to_be_visible()
    expect(action.get_by_text("Rapporterad i en tidigare uppföljning")).to_be_visible()
    check_accessibility(page)
    action.get_by_role("button", name="Ändra insats 1").click()
    page.wait_for_url("**#insats-1")
    action = page.locator("#insats-1")
    action.get_by_label("Status").select_option(label="genomförd")
    action.get_by_label("Vad har hänt sedan förra uppföljningen").fill("Poolen har 40 bilar.")
    check_accessibility(page)
    page.get_by_role("button", name="Spara utkast").click()
    expect(page.get_by_text("Utkastet är sparat.", exact=True)).to_be_visible()
    saved = later.actions.get()
    assert (saved.status, saved.progress, saved.initiative.title) == (
        "completed",
        "Poolen har 40 bilar.",
        "Elbilspool",
    )

    later.refresh_from_db()  # the texts submitting needs, the action as saved
    services.contribution_save(
        contribution=later,
        content=ContributionContent.of(later).replaced(**COMPLETE),
        expected_version=later.version,
        by=approver_a,
    )
    services.contribution_submit(contribution=later, by=approver_a)
    services.contribution_approve(contribution=later, by=strategist)
    assert Initiative.objects.get().status == "completed"

    page = logged_in("strategist")
    page.goto("/insatser/?focus_area=2.1")
    expect(page.get_by_role("heading", name="Insatsregister")).to_be_visible()
    row = page.get_by_role("row").filter(has_text="Elbilspool")
    expect(row).to_contain_text("genomförd")
    expect(row).to_contain_text("Poolen har 40 bilar.")
    expect(row).to_contain_text("Uppföljning 2028")
    check_accessibility(page)
    row.get_by_role("link", name="Elbilspool").click()
    expect(page.get_by_role("heading", name="Historik")).to_be_visible()
    check_accessibility(page)

    # Published, residents read it on the focus area's page and the insats's own.
    report_of(later_cycle, strategist, [later.versions.get(event="approved")])
    page.goto("/rapporter/insatser/2.1/")
    row = page.get_by_role("row").filter(has_text="Elbilspool")
    expect(row).to_contain_text("genomförd")
    expect(row).to_contain_text("Miljönämnden")
    check_accessibility(page)
    row.get_by_role("link", name="Elbilspool").click()
    expect(page.get_by_role("heading", name="Elbilspool", level=1)).to_be_visible()
    expect(page.get_by_text("Poolen har 40 bilar.")).to_be_visible()
    check_accessibility(page)
