"""gunicorn's settings for `make serve` (and the production smoke test).

The access log is one JSON object per request, like the app's own log lines: the request
id (set by livskvalitet.core.logs), method, path without its query, status and milliseconds;
no client address and no query string, which are personal data or may hold some.
"""

import json
import os
import time

from gunicorn.glogging import Logger, SafeAtoms

from livskvalitet.core.logs import utc_time


class JsonAtoms(SafeAtoms):
    """The access line's values escaped as JSON strings: gunicorn escapes only quotes, so
    a backslash or a control character in a path (scanners send them) broke the line."""

    def __init__(self, atoms):
        dict.__init__(  # not SafeAtoms' own, which would escape the quotes a second time
            self,
            {
                key: json.dumps(value)[1:-1] if isinstance(value, str) else value
                for key, value in atoms.items()
            },
        )


class JsonAccessLogger(Logger):
    atoms_wrapper_class = JsonAtoms

    def now(self):
        """The access line's time as the other lines tell it (gunicorn's is Apache's)."""
        return utc_time(time.time())


logger_class = JsonAccessLogger
bind = f"{os.environ.get('HOST', '127.0.0.1')}:{os.environ.get('PORT', '8000')}"
workers = int(os.environ.get("WEB_WORKERS", "3"))
accesslog = "-"
access_log_format = (
    '{"log": "access", "time": "%(t)s", "request_id": "%({x-request-id}o)s", '
    '"method": "%(m)s", "path": "%(U)s", "status": %(s)s, "ms": %(M)s}'
)
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
# No control socket (gunicorn 27's, in the user's home): it would let any process of the
# account change or stop the server, and the image's user has no home to write it in.
control_socket_disable = True
# gunicorn's own lines (start, workers, errors) as JSON too; the access lines are already.
logconfig_dict = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "json": {"()": "livskvalitet.core.logs.JsonFormatter"},
        "access": {"format": "%(message)s"},
    },
    "handlers": {
        "error": {"class": "logging.StreamHandler", "formatter": "json"},
        "access": {"class": "logging.StreamHandler", "formatter": "access"},
    },
    "root": {"handlers": ["error"], "level": "INFO"},
    "loggers": {
        "gunicorn.error": {"handlers": ["error"], "level": "INFO", "propagate": False},
        "gunicorn.access": {"handlers": ["access"], "level": "INFO", "propagate": False},
    },
}
