"""Pages of the site as a whole."""

import datetime
import time
import uuid

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.templatetags.static import static
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import defaults
from django.views.decorators.http import require_safe

from livskvalitet.core.http import public
from programme.selectors import current_programme
from reporting.models import Heartbeat
from reporting.tasks import worker_runs_tasks

# The day the statement was last reviewed against the app: change it with the statement.
STATEMENT_REVIEWED = datetime.date(2026, 12, 2)


@require_safe
def icon(request):
    """/favicon.ico, which browsers ask for on pages that name no icon (the admin's, the
    API's JSON, files): the site's icon, not a 404 in the logs."""
    return public(redirect(static("img/icon.svg")), request)


@require_safe
def accessibility_statement(request):
    """The accessibility statement (tillgänglighetsredogörelse), following the Swedish
    template for public-sector websites (DIGG)."""
    programme = current_programme()
    context = {
        "owner": programme.owner if programme else None,
        "contact_email": settings.ACCESSIBILITY_CONTACT_EMAIL,
        "reviewed": STATEMENT_REVIEWED,
    }
    return public(render(request, "accessibility_statement.html", context), request)


def _check(test) -> dict:
    try:
        return {"ok": True, **(test() or {})}
    except (LookupError, TimeoutError) as error:  # our own words: a missing or old heartbeat
        return {"ok": False, "error": str(error)}
    except Exception as error:  # a health check reports what failed, never raises
        return {"ok": False, "error": type(error).__name__}


def _database():
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")


class StorageIsPublic(Exception):
    """The shared bucket lets anybody read a stored file without credentials."""


STORAGE_CHECK_SECONDS = 30
_storage_checked = {"at": 0.0}


def _storage():
    """Write, read back and delete a small file (in a shared bucket, also check that it
    cannot be read without credentials); at most every STORAGE_CHECK_SECONDS per process,
    so that a load balancer (or anybody, the page is open) asking many times a second does
    not make the server write as often."""
    if time.monotonic() - _storage_checked["at"] < STORAGE_CHECK_SECONDS:
        return
    name = default_storage.save(f"healthz/{uuid.uuid4().hex}.txt", ContentFile(b"ok"))
    try:
        with default_storage.open(name) as handle:
            if handle.read() != b"ok":
                raise OSError("read back something else")
        # A shared bucket must be private: files are read through the app, never directly.
        public = getattr(default_storage, "readable_without_credentials", None)
        if public is not None and public(name):
            raise StorageIsPublic
    finally:
        default_storage.delete(name)
    _storage_checked["at"] = time.monotonic()


def _heartbeat(name: str) -> dict:
    beat = Heartbeat.objects.filter(name=name).first()
    if beat is None:
        raise LookupError("no heartbeat yet")
    age = (timezone.now() - beat.at).total_seconds()
    if age > settings.HEARTBEAT_MAX_AGE_SECONDS:
        raise TimeoutError(f"last heartbeat {int(age)} s ago")
    return {"seconds_ago": int(age)}


@require_safe
def healthz(request):
    """For load balancers and monitoring: the database and the file storage (without them
    this server cannot serve: 503), and the heartbeats of the worker and the scheduler
    (reported; a silent worker does not take the web servers out of service)."""
    checks = {"database": _check(_database), "storage": _check(_storage)}
    if worker_runs_tasks():
        checks["worker"] = _check(lambda: _heartbeat("worker"))
        checks["scheduler"] = _check(lambda: _heartbeat("scheduler"))
    serving = checks["database"]["ok"] and checks["storage"]["ok"]
    status = "ok" if all(check["ok"] for check in checks.values()) else "degraded"
    return JsonResponse(
        {"status": status if serving else "failing", "checks": checks},
        status=200 if serving else 503,
    )


def _in_api(request) -> bool:
    return request.path.startswith(reverse("api:root"))


def _api_error(data: dict, *, status: int) -> JsonResponse:
    """An error of the API as its other answers are written: UTF-8, å as å."""
    return JsonResponse(data, status=status, json_dumps_params={"ensure_ascii": False})


def page_not_found(request, exception):
    """The site's 404 page; under the open data API, JSON a program can read, saying where
    the API's addresses are listed."""
    if _in_api(request):
        message = _("The API has no such address; see %(docs)s for its addresses.")
        return _api_error({"detail": message % {"docs": reverse("api:docs")}}, status=404)
    return defaults.page_not_found(request, exception)


def bad_request(request, exception):
    """The site's 400 page; under the open data API, JSON (a parameter with a NUL
    character is refused before any view, livskvalitet.core.middleware)."""
    if _in_api(request):
        message = _(
            "The request could not be handled: it holds something the API cannot use, such "
            "as a NUL character in a parameter."
        )
        return _api_error({"detail": message}, status=400)
    return defaults.bad_request(request, exception)
