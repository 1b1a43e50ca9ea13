"""Text typed when the session ran out is kept in the browser and put back after login."""

import pytest
from playwright.sync_api import expect

from tests.factories import COMPLETE, PASSWORD, fill, save

pytestmark = pytest.mark.django_db(transaction=True)


def test_text_typed_after_the_session_ended_comes_back_after_login(
    logged_in, check_accessibility, contribution_a, reporter_a
):
    from django.contrib.sessions.models import Session

    contribution = contribution_a
    page = logged_in("reporter_a")
    page.goto(f"/bidrag/{contribution.pk}/redigera/")
    Session.objects.all().delete()  # the session runs out while the form is open
    page.get_by_label("Vad som har gjorts").fill("Skrivet medan sessionen gick ut.")
    page.get_by_role("button", name="Lägg till en insats").click()
    page.get_by_label("Titel").fill("Insats skriven sent")
    page.locator("summary", has_text="Grupper som nås").click()
    page.get_by_label("Barn och unga").check()
    page.get_by_role("button", name="Spara utkast").click()

    page.wait_for_url("**/konto/logga-in/**")
    expect(page.get_by_text("Text du skrev innan du loggades ut finns kvar")).to_be_visible()
    assert Session.objects.count() == 0  # the server kept nothing of it
    check_accessibility(page)
    page.get_by_label("Användarnamn").fill("reporter_a")
    page.get_by_label("Lösenord").fill(PASSWORD)
    page.get_by_role("button", name="Logga in").click()

    # The form's address brings the new action back, for the text kept for it.
    page.wait_for_url(f"**/bidrag/{contribution.pk}/redigera/?nya=1")
    expect(page.get_by_text("Du loggades ut innan texten sparades")).to_be_visible()
    assert page.get_by_label("Vad som har gjorts").input_value() == (
        "Skrivet medan sessionen gick ut."
    )
    assert page.get_by_label("Titel").input_value() == "Insats skriven sent"
    assert page.get_by_label("Barn och unga").is_checked()
    check_accessibility(page)
    page.get_by_role("button", name="Spara utkast").click()
    expect(page.get_by_text("Utkastet är sparat.", exact=True)).to_be_visible()
    contribution.refresh_from_db()
    assert contribution.done == "Skrivet medan sessionen gick ut."
    assert contribution.actions.get().groups == ["children"]
    # Saved: the browser forgets it, and the notice does not come back.
    kept = page.evaluate("Object.keys(localStorage).filter(k => k.startsWith('livskvalitet:'))")
    assert kept == []
    page.reload()
    expect(page.get_by_text("Du loggades ut innan texten sparades")).to_be_hidden()


def test_logging_out_forgets_what_the_browser_kept(logged_in, contribution_a, reporter_a):
    from django.contrib.sessions.models import Session

    contribution = contribution_a
    page = logged_in("reporter_a")
    page.goto(f"/bidrag/{contribution.pk}/redigera/")
    Session.objects.all().delete()
    page.get_by_label("Vad som har gjorts").fill("Privat text")
    page.get_by_role("button", name="Spara utkast").click()
    page.wait_for_url("**/konto/logga-in/**")
    assert page.evaluate("Object.keys(localStorage).length") == 1
    page.get_by_label("Användarnamn").fill("reporter_a")
    page.get_by_label("Lösenord").fill(PASSWORD)
    page.get_by_role("button", name="Logga in").click()
    page.wait_for_url(f"**/bidrag/{contribution.pk}/redigera/")
    page.get_by_role("button", name="Logga ut").click()
    page.wait_for_url("**/konto/logga-in/")
    assert page.evaluate("Object.keys(localStorage).length") == 0


def test_kept_text_never_overwrites_what_someone_else_saved_meanwhile(
    logged_in, contribution_a, reporter_a, approver_a
):
    from django.contrib.sessions.models import Session

    contribution = contribution_a
    page = logged_in("reporter_a")
    page.goto(f"/bidrag/{contribution.pk}/redigera/")
    Session.objects.filter(expire_date__isnull=False).delete()
    page.get_by_label("Vad som har gjorts").fill("Rapportörens text")
    page.get_by_role("button", name="Spara utkast").click()
    page.wait_for_url("**/konto/logga-in/**")
    fill(contribution, approver_a, **{**COMPLETE, "done": "Godkännarens text"})
    page.get_by_label("Användarnamn").fill("reporter_a")
    page.get_by_label("Lösenord").fill(PASSWORD)
    page.get_by_role("button", name="Logga in").click()
    page.wait_for_url(f"**/bidrag/{contribution.pk}/redigera/")
    # The other person's text is shown; the kept text waits for the user's choice.
    assert page.get_by_label("Vad som har gjorts").input_value() == "Godkännarens text"
    page.get_by_role("button", name="Lägg tillbaka min text").click()
    assert page.get_by_label("Vad som har gjorts").input_value() == "Rapportörens text"
    page.get_by_role("button", name="Spara utkast").click()
    expect(page.get_by_text("Dina ändringar sparades inte")).to_be_visible()
    expect(page.get_by_role("cell", name="Godkännarens text")).to_be_visible()
    contribution.refresh_from_db()
    assert contribution.done == "Godkännarens text"


def test_a_message_written_on_the_form_is_sent_with_the_save_and_nothing_is_dropped(
    logged_in, contribution_a, reporter_a
):
    """On the form, a message is part of the form (issue 20): sending it saves what was
    typed with it, so no page asks about leaving and nothing typed is dropped."""
    contribution = contribution_a
    page = logged_in("reporter_a")
    page.goto(f"/bidrag/{contribution.pk}/redigera/")
    asked = []

    def answer(dialog):
        asked.append(dialog.type)
        dialog.dismiss()  # "stay on the page"

    page.on("dialog", answer)
    page.get_by_label("Vad som har gjorts").fill("Text som inte är sparad än.")
    page.get_by_text("Skriv ett meddelande").click()
    page.get_by_label("Ditt meddelande").fill("En fråga till strategen.")
    page.get_by_role("button", name="Spara och skicka meddelandet").click()
    expect(page.get_by_text("Ditt meddelande är skickat.")).to_be_visible()
    assert asked == []
    assert page.get_by_label("Vad som har gjorts").input_value() == "Text som inte är sparad än."
    contribution.refresh_from_db()
    assert contribution.done == "Text som inte är sparad än."
    assert [c.text for c in contribution.comments.all()] == ["En fråga till strategen."]
    # Leaving the form another way with unsaved text still asks first.
    page.get_by_label("Vad som har gjorts").fill("Mer text, inte sparad.")
    page.get_by_role("link", name="Mina uppgifter").first.click()
    page.wait_for_timeout(500)
    assert asked == ["beforeunload"]
    assert page.get_by_label("Vad som har gjorts").input_value() == "Mer text, inte sparad."


def test_text_typed_in_an_open_action_comes_back_into_it_after_login(
    logged_in, contribution_a, reporter_a
):
    """Saved actions are changed one at a time: the one that was open is open again."""
    from django.contrib.sessions.models import Session

    contribution = contribution_a
    save(
        contribution,
        reporter_a,
        actions=[{"title": "Elbilspool"}, {"title": "Solceller", "description": "Två tak."}],
    )
    page = logged_in("reporter_a")
    page.goto(f"/bidrag/{contribution.pk}/redigera/")
    page.get_by_role("button", name="Ändra insats 2").click()
    page.wait_for_url("**#insats-2")
    second = page.get_by_role("group", name="Insats 2")
    Session.objects.all().delete()
    second.get_by_label("Beskrivning").fill("Tre tak, skrivet när sessionen gick ut.")
    page.get_by_role("button", name="Spara utkast").click()
    page.wait_for_url("**/konto/logga-in/**")
    page.get_by_label("Användarnamn").fill("reporter_a")
    page.get_by_label("Lösenord").fill(PASSWORD)
    page.get_by_role("button", name="Logga in").click()
    page.wait_for_url(f"**/bidrag/{contribution.pk}/redigera/?insats=2")
    expect(page.get_by_text("Du loggades ut innan texten sparades")).to_be_visible()
    assert second.get_by_label("Beskrivning").input_value() == (
        "Tre tak, skrivet när sessionen gick ut."
    )
    expect(page.locator("[data-keep-typed-left-over]")).to_be_hidden()
    page.get_by_role("button", name="Spara utkast").click()
    expect(page.get_by_text("Utkastet är sparat.", exact=True)).to_be_visible()
    assert contribution.actions.get(position=1).description == (
        "Tre tak, skrivet när sessionen gick ut."
    )


KEPT = "Object.keys(localStorage).filter(k => k.startsWith('livskvalitet:typed:'))"


def test_marking_ready_forgets_the_kept_copy_on_the_page_it_lands_on(
    logged_in, check_accessibility, contribution_a, reporter_a, approver_a, reporter_b
):
    """The ready button saves and lands on the contribution's page, which has no form:
    the page says the text is saved (data-saved-typed), so the browser forgets its copy
    and nobody who uses the browser next reads the draft."""
    contribution = contribution_a
    page = logged_in("reporter_a")
    page.goto(f"/bidrag/{contribution.pk}/redigera/")
    for label, text in [
        ("Vad som har gjorts", "Ett utkast bara vår organisation får läsa."),
        ("Resultat och effekter", "Resultat."),
        ("Motivering av bedömningen", "Motivering."),
    ]:
        page.get_by_label(label).fill(text)
    page.get_by_label("Positiv utveckling").check()
    page.get_by_role("button", name="Spara och markera klart för godkännande").click()
    page.wait_for_url(f"**/bidrag/{contribution.pk}/")
    contribution.refresh_from_db()
    assert contribution.done == "Ett utkast bara vår organisation får läsa."
    assert page.evaluate(KEPT) == []
    check_accessibility(page)
    # The session ends without "Log out"; the next person sees no word of a kept text.
    page.context.clear_cookies()
    page.goto("/konto/logga-in/")
    expect(page.get_by_text("Text du skrev innan du loggades ut finns kvar")).to_be_hidden()
    page.get_by_label("Användarnamn").fill("reporter_b")
    page.get_by_label("Lösenord").fill(PASSWORD)
    page.get_by_role("button", name="Logga in").click()
    page.wait_for_url(lambda url: "/konto/logga-in/" not in url)
    assert (
        page.evaluate("Object.keys(localStorage).filter(k => k.startsWith('livskvalitet:'))") == []
    )


@pytest.mark.parametrize("other", ["approver_a", "reporter_b"])
def test_a_copy_kept_for_one_user_is_forgotten_when_another_logs_in(
    other, logged_in, check_accessibility, contribution_a, reporter_a, approver_a, reporter_b
):
    """A kept copy belongs to the user who typed it. The login page cannot know who logs
    in, so it still says a text is kept; whoever logs in next, a colleague or someone of
    another organisation, never gets it: their first page forgets it, unread."""
    from django.contrib.sessions.models import Session

    contribution = contribution_a
    page = logged_in("reporter_a")
    page.goto(f"/bidrag/{contribution.pk}/redigera/")
    Session.objects.all().delete()  # the session runs out while the form is open
    page.get_by_label("Vad som har gjorts").fill("Reporterns osparade text.")
    page.get_by_role("button", name="Spara utkast").click()
    page.wait_for_url("**/konto/logga-in/**")
    expect(page.get_by_text("Text du skrev innan du loggades ut finns kvar")).to_be_visible()
    [key] = page.evaluate(KEPT)
    owner = page.evaluate(f"JSON.parse(localStorage.getItem('{key}')).owner")
    # Tied to the user by an opaque value: neither the user name nor the id in clear.
    assert owner and "reporter_a" not in owner and owner != str(reporter_a.pk)
    page.get_by_label("Användarnamn").fill(other)
    page.get_by_label("Lösenord").fill(PASSWORD)
    page.get_by_role("button", name="Logga in").click()
    page.wait_for_url(lambda url: "/konto/logga-in/" not in url)
    page.wait_for_load_state()
    assert page.evaluate(KEPT) == []
    if other == "approver_a":
        # A colleague who may open the same form finds the saved text, not the kept one.
        page.goto(f"/bidrag/{contribution.pk}/redigera/")
        assert page.get_by_label("Vad som har gjorts").input_value() == ""
        expect(page.get_by_text("Du loggades ut innan texten sparades")).to_be_hidden()
        expect(page.get_by_role("button", name="Lägg tillbaka min text")).to_be_hidden()
        check_accessibility(page)
    contribution.refresh_from_db()
    assert contribution.done == ""
