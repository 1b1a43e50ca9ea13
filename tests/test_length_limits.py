"""Nobody's text is cut silently: limits are counted while typing and checked on save."""

import pytest
from django.urls import reverse

from reporting.forms import MAX_TEXT
from tests.factories import form_data, page_text

pytestmark = pytest.mark.django_db


def test_no_form_lets_the_browser_cut_text(client, reporter_a, strategist, administrator, cycle):
    contribution = cycle.contributions.get(
        organisation__name="Miljönämnden", focus_area__code="2.1"
    )
    pages = [
        (reporter_a, reverse("reporting:contribution-edit", args=[contribution.pk])),
        (strategist, reverse("reporting:cycle-create")),
        (strategist, reverse("reporting:cycle-detail", args=[cycle.pk])),
        (strategist, reverse("reporting:synthesis-edit", args=[cycle.pk, "2.1"])),
        (
            administrator,
            reverse("admin:programme_focusarea_change", args=[contribution.focus_area_id]),
        ),
        (administrator, reverse("admin:programme_organisation_add")),
        (administrator, reverse("admin:auth_user_change", args=[reporter_a.pk])),
    ]
    for user, url in pages:
        client.force_login(user)
        page = client.get(url).content.decode()
        assert " maxlength" not in page, url
        assert "data-maxlength" in page, url


def test_too_long_a_text_is_refused_with_a_message_and_kept_on_screen(
    client, reporter_a, contribution_a
):
    client.force_login(reporter_a)
    url = reverse("reporting:contribution-edit", args=[contribution_a.pk])
    long_text = "å" * (MAX_TEXT + 5)
    title = "T" * 301
    response = client.post(
        url, form_data(contribution_a, done=long_text, **{"actions-0-title": title})
    )
    assert response.status_code == 200
    text = page_text(response)
    assert "Ingenting sparades. Rätta detta:" in text
    assert (
        "Vad som har gjorts: Säkerställ att detta värde har som mest 20000 tecken (den har 20005)"
        in text
    )
    assert (
        "Insats 1, Titel: Säkerställ att detta värde har som mest 300 tecken (den har 301)" in text
    )
    page = response.content.decode()
    assert long_text in page and title in page  # what was typed is all still there
    contribution_a.refresh_from_db()
    assert contribution_a.done == "" and contribution_a.version == 0


def test_very_long_texts_are_refused_with_a_message_not_lost(client, reporter_a, contribution_a):
    client.force_login(reporter_a)
    url = reverse("reporting:contribution-edit", args=[contribution_a.pk])
    response = client.post(url, form_data(contribution_a, done="x" * 20_001))
    assert response.status_code == 200
    assert "x" * 100 in response.content.decode()  # still in the form
    assert 'role="alert"' in response.content.decode()


def test_every_text_field_of_the_contribution_form_is_counted(client, reporter_a, contribution_a):
    import re

    client.force_login(reporter_a)
    url = reverse("reporting:contribution-edit", args=[contribution_a.pk])
    page = client.get(f"{url}?nya=1").content.decode()  # with a new action
    limits = dict(re.findall(r'<textarea name="([^"]+)"[^>]*?data-maxlength="(\d+)"', page))
    for name in ("not_relevant_reason", "done", "results", "assessment_motivation"):
        assert limits[name] == str(MAX_TEXT)
    assert limits["actions-0-description"] == "5000"
    assert re.search(r'name="actions-0-title"[^>]*data-maxlength="300"', page)


@pytest.mark.parametrize("url", ["/konto/logga-in/", "/admin/login/"])
def test_the_login_forms_have_no_counter_but_keep_the_limit(client, url):
    """'0 av 150 tecken' stood under the user name: a counter is for long texts. The browser
    still does not cut the name, and the server still checks its length."""
    page = client.get(url).content.decode()
    assert 'name="username"' in page
    assert "data-maxlength" not in page and " maxlength" not in page
    response = client.post(url, {"username": "u" * 151, "password": "x"})
    assert "som mest 150 tecken" in page_text(response)
