"""Signing in leaves nothing behind (issue 19): starting the city's sign-in is throttled
per address, the daily jobs remove expired sessions, and the ID token's issuer is always
checked (a system check refuses a configuration without one)."""

import datetime
from io import StringIO

import pytest
from django.contrib.sessions.models import Session
from django.core.checks import run_checks
from django.core.exceptions import SuspiciousOperation
from django.core.management import call_command
from django.utils import timezone

from livskvalitet.accounts import oidc

pytestmark = pytest.mark.django_db

PROVIDER = "https://login.example.org/tenant"


@pytest.fixture
def explicit_endpoints(settings, programme_data):
    """The city's sign-in configured endpoint by endpoint (no discovery document)."""
    settings.OIDC_RP_CLIENT_ID = "livskvalitet"
    settings.OIDC_OP_DISCOVERY_URL = ""
    settings.OIDC_OP_ISSUER = f"{PROVIDER}/v2.0"
    settings.OIDC_OP_AUTHORIZATION_ENDPOINT = f"{PROVIDER}/authorize"
    settings.OIDC_OP_TOKEN_ENDPOINT = f"{PROVIDER}/token"
    settings.OIDC_OP_JWKS_ENDPOINT = f"{PROVIDER}/keys"
    settings.SIGN_IN_START_RATE = "5/min"
    oidc.forget_discovery()
    yield settings
    oidc.forget_discovery()


def test_starting_the_sign_in_is_throttled_per_address(client, explicit_endpoints):
    def start(address):
        client.cookies.clear()  # each request as a new visitor without a cookie
        return client.get("/oidc/authenticate/", REMOTE_ADDR=address)

    answers = [start("203.0.113.5") for _ in range(5)]
    assert all(a.status_code == 302 and a["Location"].startswith(PROVIDER) for a in answers)
    sessions = Session.objects.count()
    assert sessions == 5  # one per start: state, nonce and PKCE verifier
    refused = start("203.0.113.5")
    assert refused.status_code == 429
    assert 0 < int(refused["Retry-After"]) <= 60
    assert "för många gånger från din adress" in refused.content.decode()
    assert Session.objects.count() == sessions  # nothing more stored
    assert start("198.51.100.2").status_code == 302  # another address is not affected


def test_the_daily_jobs_remove_expired_sessions(client, reporter_a):
    client.force_login(reporter_a)
    Session.objects.create(
        session_key="x" * 32,
        session_data="",
        expire_date=timezone.now() - datetime.timedelta(days=1),
    )
    call_command("run_daily", stdout=StringIO())
    assert not Session.objects.filter(session_key="x" * 32).exists()
    assert Session.objects.filter(session_key=client.session.session_key).exists()


def test_the_sign_in_without_an_issuer_fails_the_system_check(explicit_endpoints):
    assert not [e for e in run_checks() if e.id == "accounts.E001"]
    explicit_endpoints.OIDC_OP_ISSUER = ""
    errors = [e for e in run_checks() if e.id == "accounts.E001"]
    assert errors and "OIDC_OP_ISSUER" in errors[0].hint
    # And should it run anyway, no ID token is accepted unchecked.
    backend = oidc.CityAccountBackend()
    with pytest.raises(SuspiciousOperation, match="No issuer"):
        backend.check_id_token({"iss": "https://evil.example", "aud": "livskvalitet", "sub": "1"})
