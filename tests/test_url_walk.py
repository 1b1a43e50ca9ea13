"""Every URL the app has, tried by every role with its own and forged ids, by GET and POST.

The walk reads Django's URL resolver, so a new view is tried the moment it exists: a URL
name that is not described in ACCESS (tests/url_access.py) fails the suite until someone
says who may use it. Each request runs in a savepoint that is rolled back, and every
refused request must leave the data exactly as it was. Nobody outside an organisation may
ever see its unsubmitted text, in any response.

Each URL name is a test of its own, with the name as its id, so a failure names its URL;
the tests share one world, built once (the fixture `world` below).
"""

import io
import re
import zipfile
from collections import Counter

import pytest
from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.test import override_settings
from django.urls import NoReverseMatch, reverse

from programme.models import Membership, Organisation
from reporting.models import (
    Answer,
    Contribution,
    ContributionVersion,
    Cycle,
    Question,
    Report,
    Synthesis,
)
from tests.url_access import (
    ACCESS,
    MEMBERS,
    MISSING,
    ROLES,
    SECRETS,
    build_world,
    check_page,
    url_patterns,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, tmp_path_factory):
    """The world, built once for all the walk's tests in a transaction that is rolled back
    after the last of them; each test rolls back to it (pytest-django's savepoint), and
    each request of a test to the test's state (request() below)."""
    media = tmp_path_factory.mktemp("walk-media")
    fast = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    with (
        django_db_blocker.unblock(),
        override_settings(MEDIA_ROOT=media, PASSWORD_HASHERS=fast),
        transaction.atomic(),
    ):
        world = build_world()
        world.media = media
        yield world
        transaction.set_rollback(True)


@pytest.fixture(autouse=True)
def media_in_a_temporary_folder(settings, world):
    """The world's files (reports, attachments) stay where it stored them."""
    settings.MEDIA_ROOT = world.media


def fingerprint():
    """Enough of the data to see that a refused request changed nothing."""
    return (
        list(
            Contribution.objects.order_by("pk").values_list("pk", "state", "version", "withdrawn")
        ),
        ContributionVersion.objects.count(),
        list(Cycle.objects.order_by("pk").values_list("pk", "state", "due_on", "title")),
        Question.objects.count(),
        Answer.objects.count(),
        Synthesis.objects.count(),
        list(Report.objects.order_by("pk").values_list("pk", "published", "status")),
        Organisation.objects.count(),
        Membership.objects.count(),
    )


def text_of(response) -> str:
    """Everything a response shows, unpacking spreadsheets; files are read whole."""
    content = b"".join(response.streaming_content) if response.streaming else response.content
    if content[:2] == b"PK":
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            members = archive.namelist()
            return "".join(archive.read(name).decode("utf-8", "replace") for name in members)
    return content.decode("utf-8", "replace")


def goes_to_login(response) -> bool:
    return response.status_code == 302 and "/logga-in/" in response["Location"]


def request(client, world, role, method, url):
    """One cell: log in as the role, send the request, roll everything back."""
    with transaction.atomic():
        if role != "anonymous":
            client.force_login(world.users[role])
        before = fingerprint()
        response = client.get(url) if method == "GET" else client.post(url, {})
        after = fingerprint()
        client.logout()
        transaction.set_rollback(True)
    return response, before, after


def check_leaks(role, response, url):
    text = text_of(response)
    for organisation, secrets in SECRETS.items():
        if role in MEMBERS[organisation]:
            continue
        for secret in secrets:
            assert secret not in text, f"{role} read {secret} at {url}"


# Each URL name is a test of its own, so that a failure names its URL. The names are read
# from the resolver when the tests are collected.
APP_URLS = sorted({name for name, _ in url_patterns() if not name.startswith("admin:")})


def test_every_url_is_described():
    """A new view fails here until ACCESS says who may use it. Prints the walk's size."""
    assert set(APP_URLS) - set(ACCESS) == set(), "describe these URLs in ACCESS"
    assert set(ACCESS) - set(APP_URLS) == set(), "these URLs no longer exist"
    cells = sum(len(ACCESS[name].variants) for name in APP_URLS) * len(ROLES) * 2
    admin_cells = len(ADMIN_URLS) * len(ROLES) * 2
    # docs/security.md quotes these numbers.
    print(f"URL walk: {cells} cells for the app's URLs, {admin_cells} for the admin's")  # noqa: T201
    assert cells > 800 and admin_cells > 1000


@pytest.mark.parametrize("name", APP_URLS)
def test_every_role_tries_the_url_with_own_and_forged_ids(client, world, name):
    assert name in ACCESS, f"describe {name} in ACCESS (tests/url_access.py)"
    access = ACCESS[name]
    failures = []
    for variant in access.variants:
        url = reverse(name, kwargs=variant.kwargs(world))
        for role in ROLES:
            for method in ("GET", "POST"):
                response, before, after = request(client, world, role, method, url)
                allowed = variant.get if method == "GET" else variant.post
                where = f"{method} {url} ({name}, {variant.label}) as {role}"
                try:
                    check_leaks(role, response, url)
                    check_page(response, public=method == "GET" and role in variant.public)
                    check_outcome(access, method, role, role in allowed, response)
                    if role not in allowed:
                        assert before == after, "a refused request changed data"
                except AssertionError as error:
                    failures.append(f"{where}: {error}")
    assert not failures, "\n".join(failures)


@pytest.mark.parametrize("name", APP_URLS)
def test_a_method_the_view_does_not_take_is_refused(client, world, name):
    """PUT, PATCH, DELETE and OPTIONS (and HEAD where the view takes no GET) answer 405 to
    anybody, changing nothing: a view without its methods declared would answer them as a
    GET."""
    access = ACCESS[name]
    variant = access.variants[0]
    url = reverse(name, kwargs=variant.kwargs(world))
    served = sorted(variant.get | variant.post)
    methods = ["PUT", "PATCH", "DELETE", "OPTIONS"]
    if name.startswith("api:"):  # the open data API describes itself (opendata/views.py)
        methods.remove("OPTIONS")
    if "GET" not in access.methods:
        methods.append("HEAD")
    failures = []
    for role in ["anonymous", *served[:1]]:
        for method in methods:
            with transaction.atomic():
                if role != "anonymous":
                    client.force_login(world.users[role])
                before = fingerprint()
                response = client.generic(method, url)
                after = fingerprint()
                client.logout()
                transaction.set_rollback(True)
            if response.status_code != 405 or before != after:
                failures.append(f"{method} {url} as {role}: {response.status_code}")
    assert not failures, "\n".join(failures)


# The city sign-in's two steps (mozilla-django-oidc's views) take GET alone: a GET there
# starts or finishes a sign-in, which a HEAD should not.
HEAD_LIKE_GET = [
    name for name in APP_URLS if "GET" in ACCESS[name].methods and not name.startswith("oidc_")
]


@pytest.mark.parametrize("name", HEAD_LIKE_GET)
def test_head_is_answered_as_get_is(client, world, name):
    """HEAD is GET without the body (RFC 9110): a link checker or monitor asking HEAD gets
    what GET gets, never 405, and nothing changes."""
    variant = ACCESS[name].variants[0]
    url = reverse(name, kwargs=variant.kwargs(world))
    failures = []
    for role in ["anonymous", *sorted(variant.get)[:1]]:
        with transaction.atomic():
            if role != "anonymous":
                client.force_login(world.users[role])
            got = client.get(url)
            before = fingerprint()
            head = client.head(url)
            after = fingerprint()
            client.logout()
            transaction.set_rollback(True)
        body = b"".join(head.streaming_content) if head.streaming else head.content
        if head.status_code != got.status_code or before != after or body:
            failures.append(f"HEAD {url} as {role}: {head.status_code}, GET {got.status_code}")
    assert not failures, "\n".join(failures)


# A number in an address that no id can have (beyond the database's 64 bits).
BEYOND = 10**30


def _with_numbers_beyond(kwargs):
    """The variant's kwargs once for each number in it, that number made BEYOND, and
    once for each word in it, with a NUL character in it (which PostgreSQL cannot take)."""
    for key, value in kwargs.items():
        if isinstance(value, int):
            yield key, {**kwargs, key: BEYOND}
        elif isinstance(value, str):
            yield key, {**kwargs, key: f"{value}\x00"}


@pytest.mark.parametrize("name", APP_URLS)
def test_a_number_no_id_can_have_is_not_found(client, world, name):
    """Each number of the address made too large for the database, each word of it with a
    NUL character: not found (or the login page, or the wrong method), never an error of
    the server."""
    access = ACCESS[name]
    failures = []
    for key, kwargs in _with_numbers_beyond(access.variants[0].kwargs(world)):
        try:
            url = reverse(name, kwargs=kwargs)
        except NoReverseMatch:  # the address cannot hold it (a slug): the resolver's 404
            continue
        for role in ("anonymous", "approver_a", "strategist", "admin"):
            for method in access.methods:
                try:
                    response, before, after = request(client, world, role, method, url)
                except Exception as error:  # noqa: BLE001 - the failure names it
                    failures.append(f"{method} {url} as {role}: {error!r}")
                    continue
                if not (response.status_code in (404, 410) or goes_to_login(response)):
                    failures.append(f"{method} {url} as {role}: {response.status_code}")
                elif before != after:
                    failures.append(f"{method} {url} as {role} changed data")
    assert not failures, "\n".join(failures)


def check_outcome(access, method, role, allowed, response):
    status = response.status_code
    if method not in access.methods:
        assert status == 405, f"wrong method answered {status}"
    elif allowed:
        assert status in (200, 302, 409), f"allowed but answered {status}"
        assert access.ends_at_login or not goes_to_login(response), "allowed but sent to login"
    elif role == "anonymous" and access.login:
        assert goes_to_login(response), f"anonymous got {status}, not the login page"
    else:
        assert status in (403, 404), f"refused should be 404 (or 403), got {status}"


# The admin: every pattern of it, for staff only.
ADMIN_URLS = [(name, pattern) for name, pattern in url_patterns() if name.startswith("admin:")]
ADMIN_NAMES = Counter(name for name, _ in ADMIN_URLS)


def admin_id(name: str, pattern: str) -> str:
    """The test's id: the URL's name, or its pattern where the name does not tell it apart
    (Django names none of the admin's redirects to an object)."""
    return name if ADMIN_NAMES[name] == 1 and name != "admin:None" else pattern


def admin_url(pattern: str, world) -> str:
    """A concrete URL for an admin pattern, with the pk of a real object of its model."""
    parts = pattern.split("/")
    model = None
    if len(parts) > 3 and parts[1] == "admin":
        try:
            model = apps.get_model(parts[2], parts[3])
        except (LookupError, ValueError):
            model = None
    pk = None
    if model is not None:
        instance = model.objects.order_by("pk").first()
        pk = instance.pk if instance else MISSING
    organisation = Organisation.objects.order_by("pk").first()
    if pattern.startswith("/admin/r/"):  # "view on site": content type and object
        organisation_type = ContentType.objects.get_for_model(Organisation)
        return f"/admin/r/{organisation_type.pk}/{organisation.pk}/"
    replacements = {
        "<path:object_id>": str(pk),
        "<int:pk>": str(pk),
        "<id>": str(pk),
        "(?P<url>.*)$": "finns-inte/",
    }
    url = re.sub(r"\^\(\?P<app_label>[^)]*\)/\$", "programme/", pattern)
    for placeholder, value in replacements.items():
        url = url.replace(placeholder, value)
    if "^([^/]+)/history/([^/]+)/$" in url:
        history = model.history.order_by("history_id").first()
        object_pk, history_id = (history.id, history.history_id) if history else (MISSING, MISSING)
        url = url.replace("^([^/]+)/history/([^/]+)/$", f"{object_pk}/history/{history_id}/")
    assert "<" not in url and "(" not in url, f"cannot fill in {pattern}"
    return url


ADMIN_PUBLIC = {"admin:login", "admin:logout"}


@pytest.mark.parametrize(
    ("name", "pattern"), ADMIN_URLS, ids=[admin_id(name, pattern) for name, pattern in ADMIN_URLS]
)
def test_the_admin_url_is_for_staff_only(client, world, name, pattern):
    failures = []
    url = admin_url(pattern, world)
    for role in ROLES:
        for method in ("GET", "POST"):
            response, before, after = request(client, world, role, method, url)
            where = f"{method} {url} ({name}) as {role}"
            status = response.status_code
            try:
                check_leaks(role, response, url)
                check_page(response)
                assert status < 500, f"answered {status}"
                if role != "admin" and name not in ADMIN_PUBLIC:
                    assert status == 405 or (
                        status == 302 and "/admin/login/" in response["Location"]
                    ), f"non-staff got {status}"
                    assert before == after, "a refused request changed data"
            except AssertionError as error:
                failures.append(f"{where}: {error}")
    assert not failures, "\n".join(failures)
