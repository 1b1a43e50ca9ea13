"""Every URL the app has, tried by every role with its own and forged ids, by GET and POST.

The walk reads Django's URL resolver, so a new view is tried the moment it exists: a URL
name that is not described in ACCESS (tests/url_access.py) fails the suite until someone
says who may use it. Each request runs in a savepoint that is rolled back, and every
refused request must leave the data exactly as it was. Nobody outside an organisation may
ever see its unsubmitted text, in any response.
"""

import io
import re
import zipfile

import pytest
from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.urls import reverse

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
from tests.url_access import ACCESS, MEMBERS, MISSING, ROLES, SECRETS, check_page, url_patterns

pytestmark = pytest.mark.django_db


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


def test_every_url_is_described():
    """A new view fails here until ACCESS says who may use it."""
    names = {name for name, _ in url_patterns() if not name.startswith("admin:")}
    assert names - set(ACCESS) == set(), "describe these URLs in ACCESS"
    assert set(ACCESS) - names == set(), "these URLs no longer exist"


def test_every_role_tries_every_url_with_own_and_forged_ids(client, world, settings):
    cells = 0
    failures = []
    for name, _pattern in url_patterns():
        if name.startswith("admin:"):
            continue
        access = ACCESS[name]
        for variant in access.variants:
            url = reverse(name, kwargs=variant.kwargs(world))
            for role in ROLES:
                for method in ("GET", "POST"):
                    cells += 1
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
    print(f"URL walk: {cells} cells")  # noqa: T201 - the README quotes this number
    assert cells > 800


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


def test_the_admin_is_for_staff_only(client, world):
    cells = 0
    failures = []
    for name, pattern in url_patterns():
        if not name.startswith("admin:"):
            continue
        url = admin_url(pattern, world)
        for role in ROLES:
            for method in ("GET", "POST"):
                cells += 1
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
    print(f"Admin walk: {cells} cells")  # noqa: T201
    assert cells > 1000
