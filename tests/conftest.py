import os

import pytest

from programme.models import Membership, Organisation, Programme
from programme.services import programme_load_default
from tests.factories import (
    COMPLETE,
    ORGANISATION_A,
    ORGANISATION_B,
    PASSWORD,
    make_strategist,
    make_user,
    open_cycle,
)


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Load the real programme once; tests roll back what they change."""
    with django_db_blocker.unblock():
        programme_load_default()


@pytest.fixture
def programme_data(db):
    """The programme, also for transactional tests, which start from an empty database."""
    if not Programme.objects.exists():
        programme_load_default()


@pytest.fixture(autouse=True)
def site_language():
    """Each test starts in the site's language; a request in English must not leak."""
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def media_in_a_temporary_folder(settings, tmp_path_factory):
    """Files the tests store (reports, attachments) never land in the project."""
    settings.MEDIA_ROOT = tmp_path_factory.mktemp("media")


@pytest.fixture(autouse=True)
def empty_cache():
    """Rendered markup kept by one test (the matrix's rows) is not seen by the next."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def organisation_a(programme_data):
    return Organisation.objects.get(name=ORGANISATION_A)


@pytest.fixture
def organisation_b(programme_data):
    return Organisation.objects.get(name=ORGANISATION_B)


@pytest.fixture
def administrator(programme_data):
    return make_user("administrator", is_staff=True, is_superuser=True)


@pytest.fixture
def strategist(programme_data):
    return make_strategist()


@pytest.fixture
def reporter_a(organisation_a):
    return make_user("reporter_a", organisation=organisation_a)


@pytest.fixture
def approver_a(organisation_a):
    return make_user("approver_a", organisation=organisation_a, role=Membership.Role.APPROVER)


@pytest.fixture
def reporter_b(organisation_b):
    return make_user("reporter_b", organisation=organisation_b)


@pytest.fixture
def cast(administrator, strategist, reporter_a, approver_a, reporter_b):
    return {
        "administrator": administrator,
        "strategist": strategist,
        "reporter_a": reporter_a,
        "approver_a": approver_a,
        "reporter_b": reporter_b,
    }


@pytest.fixture
def cycle(programme_data, strategist):
    """An open cycle in which every nämnd and bolag is asked about every focus area."""
    return open_cycle(strategist)


@pytest.fixture
def contribution_a(cycle, organisation_a):
    return cycle.contributions.get(organisation=organisation_a, focus_area__code="2.1")


@pytest.fixture
def contribution_b(cycle, organisation_b):
    return cycle.contributions.get(organisation=organisation_b, focus_area__code="2.1")


@pytest.fixture
def report(cycle, strategist):
    """A compiled version of the cycle's report (a stand-in PDF of three pages)."""
    from django.core.files.base import ContentFile

    from reporting.models import Report

    report = Report(
        cycle=cycle, number=1, status=Report.Status.DONE, compiled_by=strategist, page_count=3
    )
    report.pdf.save("r.pdf", ContentFile(b"%PDF-1.7"), save=False)
    report.save()
    return report


@pytest.fixture
def approved(contribution_a, approver_a, strategist):
    """contribution_a approved, with an action and markup in its text (to be escaped)."""
    from reporting.content import ContributionContent
    from reporting.services import contribution_approve, contribution_save, contribution_submit

    contribution_a.refresh_from_db()
    contribution_save(
        contribution=contribution_a,
        content=ContributionContent.of(contribution_a).replaced(
            actions=[{"title": "Elbilspool i hemtjänsten", "status": "ongoing"}],
            answers={},
            **{**COMPLETE, "done": "Vi har bytt till elbilar <script>x()</script>i hemtjänsten."},
        ),
        expected_version=contribution_a.version,
        by=approver_a,
    )
    contribution_submit(contribution=contribution_a, by=approver_a)
    contribution_approve(contribution=contribution_a, by=strategist)
    contribution_a.refresh_from_db()
    return contribution_a


class OidcProvider:
    """The test provider's process (tests/oidc_provider/) and its directory."""

    def __init__(self, url: str, env: dict):
        self.url = url
        self.issuer = f"{url}/o"
        self.discovery_url = f"{self.issuer}/.well-known/openid-configuration"
        self.env = env
        self.client_id = "livskvalitet-test"
        self.client_secret = "a-test-client-secret-of-some-length"

    def directory(self, *args: str) -> None:
        """Change users or groups at the provider, as Entra ID's administrator would."""
        import subprocess
        import sys

        from django.conf import settings

        subprocess.run(
            [sys.executable, "-m", "tests.oidc_provider.directory", *args],
            env=self.env, cwd=settings.BASE_DIR, check=True, capture_output=True,
        )  # fmt: skip

    def user(self, username: str, *groups: str) -> None:
        self.directory("user", username, PASSWORD, f"{username}@example.org", *groups)


@pytest.fixture(scope="session")
def oidc_provider(live_server, tmp_path_factory):
    """django-oauth-toolkit's OpenID Connect provider, run by gunicorn on a free loopback
    port, with the app (live_server) registered as its client."""
    import socket
    import subprocess
    import sys
    import time

    import requests
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import rsa
    from django.conf import settings

    folder = tmp_path_factory.mktemp("oidc-provider")
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    (folder / "key.pem").write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    url = f"http://127.0.0.1:{port}"
    env = {name: value for name, value in os.environ.items() if not name.startswith("DJANGO_")} | {
        "DJANGO_SETTINGS_MODULE": "tests.oidc_provider.settings",
        "OP_DATABASE": str(folder / "provider.sqlite3"),
        "OP_ISSUER": f"{url}/o",
        "OP_RSA_KEY_FILE": str(folder / "key.pem"),
    }
    provider = OidcProvider(url, env)
    subprocess.run(
        [sys.executable, "-m", "django", "migrate", "-v", "0"],
        env=env, cwd=settings.BASE_DIR, check=True, capture_output=True,
    )  # fmt: skip
    provider.directory(
        "client", provider.client_id, provider.client_secret,
        f"{live_server.url}/oidc/callback/", f"{live_server.url}/konto/logga-in/",
    )  # fmt: skip
    process = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "--bind", f"127.0.0.1:{port}", "--workers", "1",
         "--access-logfile", "-", "tests.oidc_provider.wsgi"],
        env=env, cwd=settings.BASE_DIR, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )  # fmt: skip
    deadline = time.monotonic() + 30
    while True:
        try:
            if requests.get(provider.discovery_url, timeout=2).ok:
                break
        except requests.RequestException:
            pass
        if process.poll() is not None or time.monotonic() > deadline:
            process.kill()
            raise RuntimeError(f"the OIDC provider did not start: {process.stderr.read()}")
        time.sleep(0.2)
    yield provider
    process.terminate()
    process.wait(timeout=10)


@pytest.fixture
def city_sign_in(settings, oidc_provider):
    """The app configured for the test provider, as the environment would configure it."""
    from livskvalitet.accounts import oidc

    settings.OIDC_RP_CLIENT_ID = oidc_provider.client_id
    settings.OIDC_RP_CLIENT_SECRET = oidc_provider.client_secret
    settings.OIDC_OP_DISCOVERY_URL = oidc_provider.discovery_url
    oidc.forget_discovery()
    yield oidc_provider
    oidc.forget_discovery()
