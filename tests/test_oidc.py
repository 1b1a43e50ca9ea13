"""The city's sign-in against a real OpenID Connect provider.

The provider is django-oauth-toolkit's, in a project of its own (tests/oidc_provider/),
run by gunicorn as a separate process on a free loopback port; the app runs in
pytest-django's live server. Every sign-in goes the whole way over HTTP with `requests`:
the app's login page, the provider's login form, the authorization code back to the app's
callback, the app asking the provider for tokens, keys and user info, and for logging out
the provider's end-session endpoint.
"""

import html
import logging
import re

import pytest
import requests
from axes.models import AccessAttempt
from django.contrib.auth import get_user_model

from livskvalitet.accounts.models import CityAccount, SignInMapping
from programme.models import Membership, Organisation
from programme.permissions import administrators_group, is_strategist
from tests.factories import PASSWORD, make_user

pytestmark = pytest.mark.django_db(transaction=True)

CITY_BUTTON = "Logga in med kommunens konto"


def field(page: str, name: str) -> str:
    found = re.search(rf'name="{name}"[^>]*value="([^"]*)"', page) or re.search(
        rf'value="([^"]*)"[^>]*name="{name}"', page
    )
    assert found, f"no {name} in the page"
    return html.unescape(found.group(1))


def city_link(page: str) -> str:
    found = re.search(rf'<a [^>]*href="([^"]+)"[^>]*>{CITY_BUTTON}</a>', page)
    assert found, "no city sign-in on the page"
    return html.unescape(found.group(1))


def sign_in(browser, live_server, provider, username, *, start="/konto/logga-in/"):
    """Through the app's login page and the provider's login form, back to the app."""
    page = browser.get(live_server.url + start)
    assert page.status_code == 200
    at_provider = browser.get(live_server.url + city_link(page.text))
    if at_provider.url.startswith(provider.url + "/login/"):
        at_provider = browser.post(
            at_provider.url,
            data={
                "username": username,
                "password": PASSWORD,
                "next": field(at_provider.text, "next"),
                "csrfmiddlewaretoken": field(at_provider.text, "csrfmiddlewaretoken"),
            },
        )
    assert at_provider.url.startswith(live_server.url), at_provider.url
    return at_provider


def signed_in(browser, live_server) -> bool:
    """Whether the app takes the browser for a logged-in user."""
    page = browser.get(live_server.url + "/mina-uppgifter/", allow_redirects=False)
    assert page.status_code in (200, 302)
    return page.status_code == 200


def log_out(browser, live_server):
    home = browser.get(live_server.url + "/")
    return browser.post(
        live_server.url + "/konto/logga-ut/",
        data={"csrfmiddlewaretoken": field(home.text, "csrfmiddlewaretoken")},
        headers={"Referer": live_server.url + "/"},
    )


@pytest.fixture
def mappings(programme_data):
    environment = Organisation.objects.get(name="Miljönämnden")
    housing = Organisation.objects.get(name="Helsingborgshem AB")
    return {
        "strategists": SignInMapping.objects.create(
            claim_value="lk-strateger", description="Livskvalitet: strateger", strategist=True
        ),
        "environment-approvers": SignInMapping.objects.create(
            claim_value="lk-miljo-godkannare",
            organisation=environment,
            role=Membership.Role.APPROVER,
        ),
        "environment-reporters": SignInMapping.objects.create(
            claim_value="lk-miljo-rapportorer", organisation=environment
        ),
        "housing-reporters": SignInMapping.objects.create(
            claim_value="lk-hem-rapportorer", organisation=housing
        ),
    }


def test_signing_in_creates_the_user_with_the_mapped_groups(
    live_server, city_sign_in, mappings, caplog
):
    city_sign_in.user("anna.strateg", "lk-strateger", "lk-miljo-godkannare", "not-mapped")
    browser = requests.Session()
    with caplog.at_level(logging.INFO, logger="livskvalitet.auth"):
        landed = sign_in(browser, live_server, city_sign_in, "anna.strateg")
    assert landed.url == live_server.url + "/mina-uppgifter/"  # LOGIN_REDIRECT_URL
    assert "Anna Testsson" in landed.text and "Logga ut" in landed.text
    user = get_user_model().objects.get(username="anna.strateg")
    assert (user.email, user.first_name, user.last_name) == (
        "anna.strateg@example.org",
        "Anna",
        "Testsson",
    )
    assert not user.has_usable_password()
    account = CityAccount.objects.get(user=user)
    assert account.issuer == city_sign_in.issuer and account.subject
    assert is_strategist(user) and account.strategist_from_sign_in
    membership = Membership.objects.get(user=user)
    assert membership.organisation.name == "Miljönämnden"
    assert membership.role == Membership.Role.APPROVER and membership.from_sign_in
    # The strategist's own pages open.
    assert browser.get(live_server.url + "/uppfoljningar/").status_code == 200
    # The log names the user by id only.
    lines = [record.getMessage() for record in caplog.records]
    assert any(f"City sign-in: new user {user.pk}" in line for line in lines), lines
    assert not any("anna" in line.lower() or "example.org" in line for line in lines), lines


def test_each_sign_in_applies_the_mappings_again(live_server, city_sign_in, mappings):
    city_sign_in.user("bo.byte", "lk-strateger", "lk-miljo-godkannare", "lk-hem-rapportorer")
    browser = requests.Session()
    sign_in(browser, live_server, city_sign_in, "bo.byte")
    user = get_user_model().objects.get(username="bo.byte")
    # An administrator gives a membership by hand: the sign-in leaves it alone.
    manual = Membership.objects.create(
        user=user,
        organisation=Organisation.objects.get(name="Kulturnämnden"),
        role=Membership.Role.REPORTER,
    )
    assert set(user.memberships.values_list("organisation__name", "role")) == {
        ("Miljönämnden", "approver"),
        ("Helsingborgshem AB", "reporter"),
        ("Kulturnämnden", "reporter"),
    }

    # In the provider Bo leaves the strategists and Helsingborgshem, and is reporter
    # rather than approver at Miljönämnden. Nothing changes here until he signs in again.
    city_sign_in.directory("groups", "bo.byte", "lk-miljo-rapportorer")
    assert is_strategist(get_user_model().objects.get(pk=user.pk))
    log_out(browser, live_server)
    browser = requests.Session()
    sign_in(browser, live_server, city_sign_in, "bo.byte")
    user = get_user_model().objects.get(pk=user.pk)
    assert not is_strategist(user)
    assert not CityAccount.objects.get(user=user).strategist_from_sign_in
    assert set(user.memberships.values_list("organisation__name", "role", "from_sign_in")) == {
        ("Miljönämnden", "reporter", True),
        ("Kulturnämnden", "reporter", False),  # given by hand, kept
    }
    assert browser.get(live_server.url + "/uppfoljningar/").status_code == 404

    # Out of every group: only what was given by hand is left.
    city_sign_in.directory("groups", "bo.byte")
    sign_in(requests.Session(), live_server, city_sign_in, "bo.byte")
    assert list(Membership.objects.filter(user=user)) == [manual]
    assert get_user_model().objects.filter(username__startswith="bo.byte").count() == 1


def test_logging_out_ends_the_session_here_and_at_the_provider(live_server, city_sign_in, mappings):
    city_sign_in.user("cecilia.ut", "lk-miljo-rapportorer")
    browser = requests.Session()
    sign_in(browser, live_server, city_sign_in, "cecilia.ut")
    assert signed_in(browser, live_server)
    # Browsers hold the logout form's redirect to form-action: the provider is allowed.
    policy = browser.get(live_server.url + "/").headers["Content-Security-Policy"]
    form_action = next(part for part in policy.split(";") if "form-action" in part)
    assert form_action.split() == ["form-action", "'self'", city_sign_in.url]
    # Anybody else's pages allow the app alone (the directives come in any order).
    others = requests.get(live_server.url + "/").headers["Content-Security-Policy"]
    assert next(p for p in others.split(";") if "form-action" in p).split() == [
        "form-action",
        "'self'",
    ]
    out = log_out(browser, live_server)
    # Through the provider's end-session endpoint and back to the app's login page.
    assert [r.url.split("?")[0] for r in out.history] == [
        live_server.url + "/konto/logga-ut/",
        city_sign_in.issuer + "/logout/",
    ]
    assert out.url == live_server.url + "/konto/logga-in/" and CITY_BUTTON in out.text
    assert not signed_in(browser, live_server)
    # The provider's session is over too: signing in again asks for the password.
    again = browser.get(live_server.url + city_link(out.text))
    assert again.url.startswith(city_sign_in.url + "/login/")


def test_a_local_account_with_the_same_user_name_is_not_taken_over(
    live_server, city_sign_in, mappings
):
    local = make_user("dan.samma", is_staff=True, is_superuser=True)
    city_sign_in.user("dan.samma", "lk-miljo-rapportorer")
    sign_in(requests.Session(), live_server, city_sign_in, "dan.samma")
    signed_in = CityAccount.objects.get().user
    assert signed_in != local and signed_in.username == "dan.samma-2"
    assert not signed_in.is_staff and not Membership.objects.filter(user=local).exists()


def test_a_token_from_another_issuer_is_refused(live_server, city_sign_in, mappings, settings):
    settings.OIDC_OP_ISSUER = "https://login.example.org/another-tenant/v2.0"
    city_sign_in.user("erik.fel", "lk-strateger")
    landed = sign_in(requests.Session(), live_server, city_sign_in, "erik.fel")
    assert landed.url == live_server.url + "/konto/logga-in/"
    assert "Kommunens inloggning loggade inte in dig" in landed.text
    assert not CityAccount.objects.exists() and not get_user_model().objects.exists()


def test_a_closed_account_is_refused_and_cancelled_sign_ins_lock_nobody_out(
    live_server, city_sign_in, mappings
):
    browser = requests.Session()
    for _ in range(8):  # more than LOGIN_FAILURE_LIMIT cancelled or failed sign-ins
        browser.get(live_server.url + "/oidc/callback/?error=access_denied&state=x")
    assert not AccessAttempt.objects.exists()
    city_sign_in.user("frida.stangd", "lk-miljo-rapportorer")
    sign_in(browser, live_server, city_sign_in, "frida.stangd")
    user = get_user_model().objects.get(username="frida.stangd")
    get_user_model().objects.filter(pk=user.pk).update(is_active=False)
    browser = requests.Session()
    landed = sign_in(browser, live_server, city_sign_in, "frida.stangd")
    assert landed.url == live_server.url + "/konto/logga-in/"
    assert "Ditt konto är stängt i Livskvalitet" in landed.text
    assert not signed_in(browser, live_server)


def test_with_local_login_off_only_the_city_signs_in(
    live_server, city_sign_in, mappings, settings, client
):
    local = make_user("gustav.lokal", is_staff=True, is_superuser=True)
    client.force_login(local)  # a session begun with a password before the change
    browser = requests.Session()
    browser.get(live_server.url + "/konto/logga-in/")  # its CSRF cookie, for the POSTs below
    settings.LOCAL_LOGIN = False
    assert client.get("/mina-uppgifter/").status_code == 302  # ... has ended

    page = browser.get(live_server.url + "/konto/logga-in/")
    assert CITY_BUTTON in page.text and 'name="password"' not in page.text
    refused = browser.post(
        live_server.url + "/konto/logga-in/",
        data={
            "username": "gustav.lokal",
            "password": PASSWORD,
            "csrfmiddlewaretoken": browser.cookies["csrftoken"],
        },
        headers={"Referer": live_server.url + "/konto/logga-in/"},
        allow_redirects=False,
    )
    assert refused.status_code == 403 and not signed_in(browser, live_server)
    assert "inloggning med användarnamn och lösenord är avstängd" in refused.text.lower()
    assert not AccessAttempt.objects.exists()  # not even counted as a failure
    # The admin's login too: its page sends to the city's sign-in, its form is refused.
    admin_login = browser.get(live_server.url + "/admin/login/?next=/admin/", allow_redirects=False)
    assert admin_login.status_code == 302
    assert admin_login.headers["Location"] == "/konto/logga-in/?next=%2Fadmin%2F"
    refused = browser.post(
        live_server.url + "/admin/login/",
        data={
            "username": "gustav.lokal",
            "password": PASSWORD,
            "csrfmiddlewaretoken": browser.cookies["csrftoken"],
        },
        headers={"Referer": live_server.url + "/admin/login/"},
        allow_redirects=False,
    )
    assert refused.status_code == 403 and not signed_in(browser, live_server)
    assert CITY_BUTTON in refused.text

    # An administrator signs in with the city's account, and reaches the admin.
    city_sign_in.user("gustav.stad", "lk-strateger")
    sign_in(browser, live_server, city_sign_in, "gustav.stad")
    get_user_model().objects.filter(username="gustav.stad").update(is_staff=True, is_superuser=True)
    admin = browser.get(live_server.url + "/admin/accounts/signinmapping/")
    assert admin.url == live_server.url + "/admin/accounts/signinmapping/"
    assert "lk-strateger" in admin.text


def test_the_admin_login_page_offers_the_city_sign_in(live_server, city_sign_in):
    page = requests.get(live_server.url + "/admin/login/?next=/admin/")
    assert 'name="password"' in page.text  # local login is still on
    assert city_link(page.text) == "/oidc/authenticate/?next=/admin/"


def test_the_city_sign_in_is_off_without_its_settings(client, programme_data):
    page = client.get("/konto/logga-in/").content.decode()
    assert CITY_BUTTON not in page and 'name="password"' in page
    assert client.get("/oidc/authenticate/").status_code == 404
    assert client.get("/oidc/callback/?code=x&state=y").status_code == 404
    assert client.get("/admin/login/").status_code == 200


def test_administrators_keep_the_mappings(client, administrator, programme_data):
    client.force_login(administrator)
    add = "/admin/accounts/signinmapping/add/"
    page = client.get(add).content.decode()
    assert "Grupp eller roll i kommunens inloggning" in page
    refused = client.post(add, {"claim_value": "lk-ingenting", "role": "reporter"})
    assert refused.status_code == 200
    assert "Välj vad gruppen ger" in refused.content.decode()
    environment = Organisation.objects.get(name="Miljönämnden")
    saved = client.post(
        add,
        {
            "claim_value": " 0f6c2e5a-5c2b-4d8e-9f1a-2b3c4d5e6f70 ",
            "description": "Miljönämnden, godkännare",
            "organisation": environment.pk,
            "role": "approver",
        },
    )
    assert saved.status_code == 302
    mapping = SignInMapping.objects.get()
    assert mapping.claim_value == "0f6c2e5a-5c2b-4d8e-9f1a-2b3c4d5e6f70"
    assert mapping.history.count() == 1  # who changed which mapping is kept
    # Staff who are not superusers do not see them (without the administrator's grant
    # the admin does not even let them in).
    staff = make_user("personal", is_staff=True)
    client.force_login(staff)
    assert client.get("/admin/accounts/signinmapping/").status_code == 302
    staff.groups.add(administrators_group())
    assert client.get("/admin/accounts/signinmapping/").status_code == 403


def test_the_user_page_shows_the_city_account_and_which_memberships_it_gave(
    client, administrator, programme_data
):
    from livskvalitet.accounts.services import city_sign_in

    SignInMapping.objects.create(
        claim_value="lk-miljo", organisation=Organisation.objects.get(name="Miljönämnden")
    )
    user = city_sign_in(
        issuer="https://login.example.org/tenant/v2.0",
        subject="abc123",
        username="ida.visad@example.org",
        email="ida.visad@example.org",
        first_name="Ida",
        last_name="Visad",
        claim_values={"lk-miljo"},
    )
    client.force_login(administrator)
    page = client.get(f"/admin/auth/user/{user.pk}/change/").content.decode()
    assert "https://login.example.org/tenant/v2.0" in page and "abc123" in page
    assert "Från kommunens inloggning" in page  # the membership's column, shown not edited
    assert Membership.objects.get(user=user).from_sign_in


def test_local_login_off_needs_the_city_sign_in():
    import os
    import subprocess
    import sys

    env = {k: v for k, v in os.environ.items() if not k.startswith("OIDC_")}
    result = subprocess.run(
        [sys.executable, "-c", "import livskvalitet.settings"],
        env=env | {"LOCAL_LOGIN": "false"}, capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert result.returncode != 0 and "LOCAL_LOGIN=false needs" in result.stderr


def test_with_the_provider_down_the_login_page_says_so(client, settings, programme_data):
    import socket

    from livskvalitet.accounts import oidc

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]  # nobody listens there
    settings.OIDC_RP_CLIENT_ID = "livskvalitet-test"
    settings.OIDC_OP_DISCOVERY_URL = f"http://127.0.0.1:{port}/.well-known/openid-configuration"
    settings.OIDC_TIMEOUT = 2
    oidc.forget_discovery()
    response = client.get("/oidc/authenticate/", follow=True)
    oidc.forget_discovery()
    assert response.redirect_chain == [("/konto/logga-in/", 302)]
    assert "Kommunens inloggning går inte att nå just nu" in response.content.decode()
    assert 'name="password"' in response.content.decode()  # local accounts still log in


def test_when_the_provider_leaves_the_groups_out_nobody_loses_memberships(programme_data, settings):
    """Entra ID leaves out the groups of a user in too many, naming them in _claim_names."""
    from livskvalitet.accounts.oidc import claim_values
    from livskvalitet.accounts.services import city_sign_in

    SignInMapping.objects.create(
        claim_value="lk-miljo", organisation=Organisation.objects.get(name="Miljönämnden")
    )
    assert claim_values({"groups": ["lk-miljo", " x "], "roles": "lk-roll"}) == {
        "lk-miljo",
        "x",
        "lk-roll",
    }
    overage = {"_claim_names": {"groups": "src1"}, "_claim_sources": {"src1": {}}}
    assert claim_values(overage) is None
    who = {
        "issuer": "https://login.example.org/tenant/v2.0",
        "subject": "many-groups",
        "username": "jan.manga@example.org",
        "email": "jan.manga@example.org",
        "first_name": "Jan",
        "last_name": "Många",
    }
    user = city_sign_in(**who, claim_values={"lk-miljo"})
    assert user.memberships.count() == 1
    assert city_sign_in(**who, claim_values=claim_values(overage)) == user
    assert user.memberships.count() == 1  # kept: the provider said nothing this time
    city_sign_in(**who, claim_values=set())
    assert user.memberships.count() == 0  # said: in no group
