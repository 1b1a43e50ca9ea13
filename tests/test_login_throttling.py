"""Guessing passwords is stopped: attacks on the login form, and proof of what holds."""

import logging
import re

import pytest
from axes.models import AccessAttempt
from django.urls import reverse

from livskvalitet.core.logs import pseudonym
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

LIMIT = 5


def attempt(client, username, password, address="198.51.100.7"):
    return client.post(
        reverse("login"),
        {"username": username, "password": password},
        REMOTE_ADDR=address,
    )


def without_tokens(response) -> str:
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", response.content.decode())


def test_an_account_address_pair_is_locked_after_a_few_failures(client, reporter_a, caplog):
    for _ in range(LIMIT - 1):
        response = attempt(client, "reporter_a", "gissning")
        assert response.status_code == 200  # the form again, with its error
    with caplog.at_level(logging.WARNING, logger="livskvalitet.auth"):
        locked = attempt(client, "reporter_a", "gissning")
    assert locked.status_code == 429
    page = locked.content.decode()
    assert "För många misslyckade inloggningar" in page and "15 minuter" in page
    locks = [r.getMessage() for r in caplog.records if "Login locked" in r.getMessage()]
    assert locks and f"user {reporter_a.pk}" in locks[0]
    assert "reporter_a" not in locks[0] and "127.0.0.1" not in locks[0]  # ids only
    # Even the right password does not get in now, from this address.
    response = attempt(client, "reporter_a", PASSWORD)
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session
    # From another address the account still works: an attacker cannot lock people out.
    response = attempt(client, "reporter_a", PASSWORD, address="203.0.113.9")
    assert response.status_code == 302 and client.session["_auth_user_id"] == str(reporter_a.pk)


def test_unknown_and_known_user_names_get_the_same_answers(client, reporter_a):
    answers = {}
    for username in ("reporter_a", "finns-inte"):
        answers[username] = [
            (response.status_code, without_tokens(response).replace(username, "NAMN"))
            for response in (attempt(client, username, "fel") for _ in range(LIMIT + 1))
        ]
    known, unknown = answers["reporter_a"], answers["finns-inte"]
    assert [status for status, _ in known] == [200] * (LIMIT - 1) + [429, 429]
    assert [status for status, _ in unknown] == [status for status, _ in known]
    assert known == unknown  # the form's answers and the lockout page say the same


def test_an_administrator_unlocks_and_the_unlock_is_logged(
    client, reporter_a, administrator, caplog
):
    for _ in range(LIMIT):
        attempt(client, "reporter_a", "gissning")
    assert attempt(client, "reporter_a", PASSWORD).status_code == 429
    client.force_login(administrator)
    changelist = reverse("admin:axes_accessattempt_changelist")
    page = client.get(changelist).content.decode()
    assert "reporter_a" in page and "Lås upp" in page
    with caplog.at_level(logging.WARNING, logger="livskvalitet.auth"):
        response = client.post(
            changelist,
            {
                "action": "unlock",
                "_selected_action": list(AccessAttempt.objects.values_list("pk", flat=True)),
            },
            follow=True,
        )
    assert "1 spärr borttagen" in response.content.decode()
    unlocks = [r.getMessage() for r in caplog.records if "unlocked by" in r.getMessage()]
    expected = f"Login unlocked by user {administrator.pk}: user name {pseudonym('reporter_a')}"
    assert len(unlocks) == 1 and unlocks[0].startswith(expected)
    assert "reporter_a" not in unlocks[0] and "127.0.0.1" not in unlocks[0]  # ids only
    client.logout()
    assert attempt(client, "reporter_a", PASSWORD).status_code == 302


def test_a_login_post_larger_than_a_login_form_is_refused_and_not_stored(client, reporter_a):
    response = client.post(
        reverse("login"),
        {"username": "reporter_a", "password": "x", "fyllnad": "x" * 20_000},
        REMOTE_ADDR="198.51.100.7",
    )
    assert response.status_code == 400
    assert "Inget sparades" in response.content.decode()
    assert not AccessAttempt.objects.exists()
    # An ordinary failed attempt stores only the small form.
    attempt(client, "reporter_a", "fel")
    stored = AccessAttempt.objects.get()
    assert len(stored.post_data) + len(stored.get_data) < 1024


def test_spraying_user_names_from_one_address_is_locked(client, reporter_a, settings):
    """A few guesses at every user name from one address: the address is locked after
    LOGIN_ADDRESS_FAILURE_LIMIT failures, whichever names they were (issue 19)."""
    limit = settings.LOGIN_ADDRESS_FAILURE_LIMIT
    statuses = [attempt(client, f"user{n}", "Sommar2026!").status_code for n in range(20)]
    assert statuses == [200] * (limit - 1) + [429] * (20 - limit + 1)
    # The right password of a real account does not get in from there either ...
    assert attempt(client, "reporter_a", PASSWORD).status_code == 429
    assert "_auth_user_id" not in client.session
    # ... but does from another address.
    response = attempt(client, "reporter_a", PASSWORD, address="203.0.113.9")
    assert response.status_code == 302 and client.session["_auth_user_id"] == str(reporter_a.pk)
