"""Structured logs: one JSON object per line in production, with the request id and the
user id of the request that wrote it.

Logs hold no contribution text and no personal data beyond user ids: the app's own
messages name ids only (``pseudonym`` stands in for a user name or an address that must
be recognisable across lines), and of an exception only its type and where it happened
are written, never its message (which may quote what someone typed).
"""

import contextvars
import datetime
import hashlib
import hmac
import json
import logging
import re
import traceback
import uuid

from django.conf import settings
from django.core.signals import request_finished
from django.dispatch import receiver

REQUEST_ID = contextvars.ContextVar("request_id", default="")
USER_ID = contextvars.ContextVar("user_id", default=None)
VALID_REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")


def pseudonym(value: str) -> str:
    """A short keyed hash: the same user name or address gives the same pseudonym in every
    line, and the value itself is not in the log."""
    key = settings.SECRET_KEY.encode()
    return hmac.new(key, str(value).encode(), hashlib.sha256).hexdigest()[:12]


class RequestIdMiddleware:
    """Give each request an id (the proxy's X-Request-ID if it sent a sane one), make it
    and the user's id known to every log line of the request, and answer with it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        given = request.headers.get("X-Request-ID", "")
        request.id = given if VALID_REQUEST_ID.match(given) else uuid.uuid4().hex
        REQUEST_ID.set(request.id)
        user = getattr(request, "user", None)
        USER_ID.set(user.pk if user is not None and user.is_authenticated else None)
        response = self.get_response(request)
        response["X-Request-ID"] = request.id
        return response


@receiver(request_finished)
def forget_the_request(**kwargs):
    """Django logs a request's outcome ("Not Found: …") after the middleware is done; the
    ids are forgotten when the response is finished, before the next request."""
    REQUEST_ID.set("")
    USER_ID.set(None)


class RequestContext(logging.Filter):
    """Adds request_id and user_id to every record (empty outside a request)."""

    def filter(self, record):
        record.request_id = REQUEST_ID.get()
        record.user_id = USER_ID.get()
        return True


def utc_time(seconds: float) -> str:
    """A log line's time: ISO 8601 in UTC, to the millisecond ("2026-12-05T01:14:51.123Z"),
    the same in every process whatever its time zone (Django sets Stockholm's)."""
    moment = datetime.datetime.fromtimestamp(seconds, datetime.UTC)
    return moment.isoformat(timespec="milliseconds").replace("+00:00", "Z")


class JsonFormatter(logging.Formatter):
    def format(self, record):
        entry = {
            "time": utc_time(record.created),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": getattr(record, "request_id", ""),
            "user_id": getattr(record, "user_id", None),
        }
        if record.exc_info and record.exc_info[0] is not None:
            kind, _error, trace = record.exc_info
            entry["exception"] = kind.__name__
            entry["where"] = [
                f"{frame.filename}:{frame.lineno} {frame.name}"
                for frame in traceback.extract_tb(trace)[-8:]
            ]
        status = getattr(record, "status_code", None)
        if status is not None:
            entry["status"] = status
        return json.dumps(entry, ensure_ascii=False)
