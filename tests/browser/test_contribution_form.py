"""The contribution form as people fill it in: actions added and removed on the page, with
and without JavaScript, SDGs of the focus area first, and two actions in about three screens.
"""

import re

import pytest
from playwright.sync_api import expect

from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db(transaction=True)

SCREEN = {"width": 1280, "height": 800}


@pytest.fixture
def contribution(cycle):
    return cycle.contributions.get(organisation__name="Miljönämnden", focus_area__code="2.1")


def test_actions_are_added_and_removed_without_saving_first(
    logged_in, check_accessibility, contribution, reporter_a
):
    page = logged_in("reporter_a")
    page.set_viewport_size(SCREEN)
    page.goto(f"/bidrag/{contribution.pk}/redigera/")
    url = page.url

    page.get_by_role("button", name="Lägg till en insats").click()
    assert page.url == url  # nothing was sent
    page.get_by_label("Titel").fill("Elbilspool")
    page.get_by_role("button", name="Lägg till en insats").click()
    assert page.url == url  # nothing was sent
    second = page.get_by_role("group", name="Insats 2")
    second.get_by_label("Titel").fill("Solceller på förskolor")
    page.get_by_role("button", name="Lägg till en insats").click()
    third = page.get_by_role("group", name="Insats 3")
    third.get_by_label("Titel").fill("Tas bort")
    third.get_by_role("button", name="Ta bort insats 3").click()
    expect(page.get_by_role("status")).to_contain_text(
        "Insatsen ”Tas bort” tas bort när du sparar."
    )
    expect(third).to_be_hidden()
    check_accessibility(page)

    # The focus area's own SDGs come first; the others wait behind one click.
    own = page.get_by_role("group", name="Insats 1").locator(".choice-grid").first
    assert own.locator("label").all_inner_texts() == [
        "7. Hållbar energi för alla",
        "8. Anständiga arbetsvillkor och ekonomisk tillväxt",
        "9. Hållbar industri, innovationer och infrastruktur",
        "11. Hållbara städer och samhällen",
        "12. Hållbar konsumtion och produktion",
        "13. Bekämpa klimatförändringarna",
    ]

    # Two actions filled in: about three screens of 1280 × 800.
    height = page.locator("form[data-keep-typed]").evaluate("form => form.offsetHeight")
    assert height <= 3.5 * SCREEN["height"], f"{height / SCREEN['height']:.1f} screens"

    page.get_by_role("button", name="Spara utkast").click()
    expect(page.get_by_text("Utkastet är sparat.", exact=True)).to_be_visible()
    contribution.refresh_from_db()
    assert [a.title for a in contribution.actions.order_by("position")] == [
        "Elbilspool",
        "Solceller på förskolor",
    ]

    # Saved, they show in short; one at a time is opened for changes.
    assert page.get_by_role("group", name="Insats 1").get_by_label("Titel").count() == 0
    page.get_by_label("Vad som har gjorts").fill("Skrivet innan insatsen öppnades.")
    page.get_by_role("button", name="Ändra insats 2").click()
    expect(page.get_by_text("Utkastet är sparat. Ändra insatsen nedan.")).to_be_visible()
    assert page.get_by_label("Vad som har gjorts").input_value() == (
        "Skrivet innan insatsen öppnades."
    )
    second = page.get_by_role("group", name="Insats 2")
    second.get_by_label("Titel").fill("Solceller på alla förskolor")
    check_accessibility(page)
    second.get_by_label("Titel").press("Enter")  # Enter saves (not "Change action 1")
    expect(page.get_by_text("Utkastet är sparat.", exact=True)).to_be_visible()
    assert [a.title for a in contribution.actions.order_by("position")] == [
        "Elbilspool",
        "Solceller på alla förskolor",
    ]
    # A closed one is removed like an open one.
    page.get_by_role("group", name="Insats 1").get_by_role(
        "button", name="Ta bort insats 1"
    ).click()
    expect(page.get_by_role("status")).to_contain_text(
        "Insatsen ”Elbilspool” tas bort när du sparar."
    )
    page.get_by_role("button", name="Spara utkast").click()
    # The page before showed the same message: the new page has one action left.
    expect(page.get_by_role("group", name="Insats 2")).to_have_count(0)
    expect(page.get_by_text("Utkastet är sparat.", exact=True)).to_be_visible()
    assert [a.title for a in contribution.actions.all()] == ["Solceller på alla förskolor"]


def test_the_form_works_without_javascript(browser, live_server, contribution, reporter_a):
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    try:
        page = context.new_page()
        page.set_default_timeout(15_000)
        page.goto("/konto/logga-in/")
        page.get_by_label("Användarnamn").fill("reporter_a")
        page.get_by_label("Lösenord").fill(PASSWORD)
        page.get_by_role("button", name="Logga in").click()
        page.wait_for_url(lambda url: "/konto/logga-in/" not in url)
        page.goto(f"/bidrag/{contribution.pk}/redigera/")
        # Without the script the button saves and brings an empty action.
        page.get_by_role("button", name="Lägg till en insats").click()
        page.get_by_label("Titel").fill("Elbilspool")
        page.get_by_role("button", name="Lägg till en insats").click()
        expect(page.get_by_role("group", name="Insats 2")).to_be_visible()
        contribution.refresh_from_db()
        assert [a.title for a in contribution.actions.all()] == ["Elbilspool"]
        # Removing is a box ticked before saving.
        page.get_by_role("group", name="Insats 1").get_by_label(
            "Ta bort insatsen när jag sparar"
        ).check()
        page.get_by_role("button", name="Spara utkast").click()
        expect(page.get_by_text("Utkastet är sparat.", exact=True)).to_be_visible()
        assert not contribution.actions.exists()
        # An indicator's chart and figures: a link to the indicator's statistics page.
        indicator = page.locator("details[data-figures]").first
        title = indicator.locator("summary bdi").inner_text()
        indicator.locator("summary").click()
        indicator.get_by_role("link", name="Indikatorns sida i statistiken").click()
        expect(page.get_by_role("heading", level=1)).to_have_text(title)
        assert "/statistik/indikatorer/" in page.url
    finally:
        context.close()


def test_an_indicators_chart_and_figures_come_when_opened(
    logged_in, check_accessibility, contribution, reporter_a
):
    """The form carries no chart: an indicator's are fetched when its "chart and
    figures" is opened, over the cycle's years, and the page stays accessible."""
    from decimal import Decimal

    from programme.models import Indicator, IndicatorValue, Municipality

    indicator = Indicator.objects.filter(focus_area=contribution.focus_area, active=True).first()
    for year, value in [(2023, "4.0"), (2024, "3.5")]:
        IndicatorValue.objects.create(
            indicator=indicator,
            municipality=Municipality.objects.get(code="1283"),
            year=year,
            value=Decimal(value),
        )
    page = logged_in("reporter_a")
    page.goto(f"/bidrag/{contribution.pk}/redigera/")
    assert page.locator("form svg").count() == 0
    page.get_by_text(f"{indicator.title}: diagram och siffror").click()
    table = page.get_by_role("table", name=f"Värden: {indicator.title}")
    expect(table).to_be_visible()
    expect(table.get_by_role("cell", name="3,5")).to_be_visible()
    expect(page.locator("details[data-figures] figure svg").first).to_be_visible()
    # The form's sections are headings (in their legends), so the indicator's own heading
    # comes under "Indikatorer" for a screen reader's list of headings.
    headings = page.locator("main h2, main h3").all_inner_texts()
    assert headings[:4] == ["Relevans", "Arbetet", "Bedömning", "Samverkan"], headings
    assert headings[headings.index("Indikatorer") + 1] == indicator.title, headings
    check_accessibility(page)

    # The session ended meanwhile: the fetch is sent to the login page, and nothing of
    # that page (its password field) comes into the form; the link to the figures stays.
    page.context.clear_cookies()
    other = page.locator("details[data-figures]").nth(1)
    other.locator("summary").click()
    expect(other.get_by_role("link", name="Indikatorns sida i statistiken")).to_be_visible()
    expect(page.locator("details[aria-busy]")).to_have_count(0)
    assert page.locator("#contribution-form input[type=password]").count() == 0
    assert other.locator("section.indicator").count() == 0
    # Nor is a password ever kept by the browser with the typed text (keep-typed.js).
    page.evaluate(
        """() => document.getElementById("contribution-form").append(Object.assign(
            document.createElement("input"),
            {type: "password", name: "password", value: "hemligt"}))"""
    )
    page.get_by_role("button", name="Spara utkast").click()
    # Refused on the site's own page (the session and the form's security check are gone).
    expect(page.get_by_role("heading", name="Formuläret kunde inte skickas")).to_be_visible()
    kept = page.evaluate("JSON.stringify(Object.assign({}, window.localStorage))")
    assert "contribution-" in kept and "hemligt" not in kept


def test_every_control_of_the_form_shows_the_sites_focus_ring(logged_in, contribution, reporter_a):
    """Tabbing through the form, every field, box and button gets the site's 3px ring, as the
    links do: Bootstrap's own (a pale glow, about 1.3:1 against white) is too faint to see."""
    page = logged_in("reporter_a")
    page.emulate_media(reduced_motion="reduce")
    page.goto(f"/bidrag/{contribution.pk}/redigera/")
    page.get_by_role("button", name="Lägg till en insats").click()  # fields of an action too
    page.locator("#id_not_relevant").focus()
    page.keyboard.press("Shift+Tab")
    faint, kinds = [], set()
    for _ in range(60):
        page.keyboard.press("Tab")
        focused = page.evaluate(
            """() => { const e = document.activeElement, s = getComputedStyle(e);
            return {inForm: !!e.closest('#contribution-form') && e.matches(':focus'),
                    kind: e.tagName + ' ' + e.type, name: e.id || e.textContent.trim(),
                    ring: s.outlineStyle + ' ' + s.outlineWidth};
            }"""
        )
        if not focused["inForm"]:
            continue  # outside the form, or the date picker's button (Chromium's own ring)
        kinds.add(focused["kind"])
        if focused["ring"] != "solid 3px":
            faint.append(f"{focused['name']}: {focused['ring']}")
    assert {"TEXTAREA textarea", "INPUT checkbox", "INPUT text", "BUTTON submit"} <= kinds, kinds
    assert not faint, faint


def test_each_remove_button_says_which_action_it_removes(logged_in, contribution, reporter_a):
    """A screen reader's list of buttons shows them out of their group: "Ta bort insatsen"
    three times says not which; they are numbered as "Ändra insats 2" is, and so is the
    button that takes a removal back ("Ångra" twice said not which)."""
    page = logged_in("reporter_a")
    page.goto(f"/bidrag/{contribution.pk}/redigera/")
    for _ in range(2):
        page.get_by_role("button", name="Lägg till en insats").click()
    names = page.locator("[data-action] button").all_inner_texts()
    assert names == ["Ta bort insats 1", "Ta bort insats 2"], names
    page.get_by_role("button", name="Ta bort insats 2", exact=True).click()
    expect(page.get_by_role("group", name="Insats 2")).to_be_hidden()
    expect(page.get_by_role("group", name="Insats 1")).to_be_visible()
    page.get_by_role("button", name="Ta bort insats 1", exact=True).click()
    undo = page.locator(".removed-action button")
    assert undo.all_inner_texts() == [
        "Ångra borttagningen av insats 1",
        "Ångra borttagningen av insats 2",
    ]
    page.get_by_role("button", name="Ångra borttagningen av insats 2").click()
    expect(page.get_by_role("group", name="Insats 2")).to_be_visible()
    expect(page.get_by_role("button", name="Ta bort insats 2", exact=True)).to_be_focused()


def test_no_button_overlaps_the_previous_cycles_answers(
    logged_in, contribution, reporter_a, approver_a, strategist
):
    """The previous cycle's answer under a field is pulled up to the field; under a button
    ("Ange samverkan" above the last cycle's Samverkan) it was pulled over the button's
    foot. Nothing of the form overlaps: each button and each answer has a box of its own."""
    import datetime

    from reporting.services import cycle_open
    from tests.factories import approve, fill, new_cycle

    approve(
        contribution,
        approver_a,
        strategist,
        collaboration=[{"name": "Region Skåne", "organisation_id": None}],
        actions=[{"title": "Elbilspool", "status": "ongoing"}],
        challenges="Svårt att mäta.",
        next_steps="Mäta bättre.",
    )
    later = new_cycle(
        programme=contribution.cycle.programme,
        opens_on=datetime.date(2028, 1, 10),
        due_on=datetime.date(2099, 3, 1),
    )
    cycle_open(cycle=later, by=strategist)
    new = later.contributions.get(organisation=contribution.organisation, focus_area__code="2.1")
    fill(new, reporter_a)

    page = logged_in("reporter_a")
    page.set_viewport_size(SCREEN)
    page.goto(f"/bidrag/{new.pk}/redigera/")
    expect(page.get_by_role("button", name="Ange samverkan")).to_be_visible()
    answers = page.locator("details.previous-answer summary")
    assert answers.count() >= 4  # beside the texts, Samverkan and the actions

    def boxes(locator):
        return [
            (item.evaluate("e => e.textContent.trim()"), item.bounding_box())
            for item in locator.all()
            if item.is_visible()
        ]

    def overlap(a, b) -> bool:
        return (
            a["x"] < b["x"] + b["width"]
            and b["x"] < a["x"] + a["width"]
            and a["y"] < b["y"] + b["height"]
            and b["y"] < a["y"] + a["height"]
        )

    buttons = boxes(page.locator("#contribution-form button"))
    overlapping = [
        f"{button!r} and {answer!r}: {button_box} {answer_box}"
        for button, button_box in buttons
        for answer, answer_box in boxes(answers)
        if overlap(button_box, answer_box)
    ]
    assert overlapping == []


def test_a_goal_or_group_not_offered_is_said_beside_its_boxes(
    logged_in, check_accessibility, contribution, reporter_a
):
    """A forged or outdated choice comes back with its error under its group of boxes, seen
    (not only in the summary), its boxes marked red, the page passing axe-core; the summary's
    link leads to the group's first box."""
    page = logged_in("reporter_a")
    page.set_viewport_size(SCREEN)
    page.goto(f"/bidrag/{contribution.pk}/redigera/")
    page.get_by_role("button", name="Lägg till en insats").click()
    action = page.get_by_role("group", name="Insats 1")
    action.get_by_label("Titel").fill("Cykelbibliotek")
    # Choices no longer offered: a goal that does not exist, a group that does not either.
    action.locator("[name$='-sdgs']").first.evaluate(
        "box => { box.value = '99'; box.checked = true; }"
    )
    action.locator("[name$='-groups']").first.evaluate(
        "box => { box.value = 'x'; box.checked = true; }"
    )
    page.get_by_role("button", name="Spara utkast").click()
    expect(page).to_have_title(re.compile(r"^Fel: "))
    action = page.get_by_role("group", name="Insats 1")
    expect(action.get_by_label("Titel")).to_have_value("Cykelbibliotek")
    for name, said in (("sdgs", "99"), ("groups", "x")):
        error = action.locator(f"[id$='-{name}_error']")
        expect(error).to_be_visible()
        expect(error).to_have_text(
            f"Välj ett giltigt alternativ. {said} finns inte bland tillgängliga alternativ."
        )
    goals = page.get_by_role("group", name="Globala mål som insatsen bidrar till")
    expect(goals).to_have_accessible_description(
        "Välj ett giltigt alternativ. 99 finns inte bland tillgängliga alternativ."
    )
    check_accessibility(page)
    page.get_by_role("alert").get_by_role("link", name="Grupper som nås").click()
    expect(action.locator("[name$='-groups']").first).to_be_in_viewport()
