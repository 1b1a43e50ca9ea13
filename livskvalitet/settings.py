"""Settings for Livskvalitet, read from the environment.

With nothing set the app runs on a SQLite file in the project with DEBUG on, so a new
user needs no server. Production differs only by environment variables.
"""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF, UNSAFE_INLINE
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    normalised = value.strip().lower()
    if normalised in {"1", "true", "yes", "on"}:
        return True
    if normalised in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be a boolean (true/false), not {value!r}")


def _count(text: str, minimum: int) -> int | None:
    """The count written in plain digits, at least ``minimum``; None for anything else
    (int() would also read "-5", " 5", "+5", "5_000" and other scripts' digits)."""
    if not (text.isascii() and text.isdigit()) or int(text) < minimum:
        return None
    return int(text)


def env_int(name: str, default: int, *, minimum: int = 0) -> int:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    number = _count(value, minimum)
    if number is None:
        raise ImproperlyConfigured(
            f"{name} must be a whole number, {minimum} or more, not {value!r}"
        )
    return number


def env_list(name: str, default: list[str]) -> list[str]:
    value = os.environ.get(name)
    if value is None:
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


def env_int_list(name: str, default: list[int], *, minimum: int = 0) -> list[int]:
    if os.environ.get(name) is None:
        return default
    numbers = [_count(item, minimum) for item in env_list(name, [])]
    if None in numbers:
        raise ImproperlyConfigured(
            f"{name} must be whole numbers, each {minimum} or more, separated by commas, "
            f"not {os.environ.get(name)!r}"
        )
    return numbers


DEBUG = env_bool("DEBUG", True)

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off")
    SECRET_KEY = "insecure-development-key-only-for-debug"  # noqa: S105

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]"] if DEBUG else [])
if not ALLOWED_HOSTS and not DEBUG:
    # Every request, /healthz/ too, would be refused with no word at the start.
    raise ImproperlyConfigured(
        "ALLOWED_HOSTS must be set when DEBUG is off: the host names the app answers to, "
        "e.g. livskvalitet.example.se"
    )
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    # Django's admin with the site of livskvalitet/admin_site.py (its login follows
    # LOCAL_LOGIN).
    "livskvalitet.apps.AdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.forms",  # Django's widget templates, for the form renderer below
    "crispy_forms",
    "crispy_bootstrap5",
    "import_export",
    "simple_history",
    "django_tasks",
    "django_tasks_db",
    "livskvalitet.accounts.axes_app.AxesConfig",  # django-axes, named in Swedish
    "csp",
    "rest_framework",
    "drf_spectacular",
    "livskvalitet.core",
    "programme",
    "reporting",
    "livskvalitet.accounts",
    "livskvalitet.opendata",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # After WhiteNoise, whose static files are public and cached: every other response
    # is private and not stored unless its view says it is public.
    "livskvalitet.core.middleware.PrivateByDefaultMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "livskvalitet.core.middleware.SwedishFirstLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Before any view looks up what an address or query names.
    "livskvalitet.core.middleware.NulCharacterMiddleware",
    # The city's provider in form-action, for the logout form (livskvalitet/accounts/oidc.py).
    "livskvalitet.accounts.oidc.ProviderLogoutFormAction",
    "livskvalitet.core.logs.RequestIdMiddleware",
    "livskvalitet.core.middleware.LoginBodyLimitMiddleware",
    "livskvalitet.core.middleware.SlidingSessionMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, so that it sees whether the login view found the account locked.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "livskvalitet.urls"
WSGI_APPLICATION = "livskvalitet.wsgi.application"

# Widgets render with the project's templates (an option template in templates/ is found),
# as Django's documentation on overriding built-in widget templates says.
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "programme.context_processors.site",
            ],
        },
    },
]

try:
    DATABASES = {
        "default": dj_database_url.parse(
            os.environ.get("DATABASE_URL") or f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
            # Kept connections in production, so that a request does not open and
            # authenticate a new one on PostgreSQL; checked before reuse. One per request
            # while developing.
            conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 0 if DEBUG else 60),
            conn_health_checks=True,
        )
    }
except ValueError:  # the URL itself is not repeated: it may hold the password
    raise ImproperlyConfigured(
        "DATABASE_URL cannot be read: write it as postgres://USER:PASSWORD@HOST:5432/NAME "
        "(or sqlite:///PATH), with special characters in the password as %XX (# as %23, / as %2F)"
    ) from None
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # SQLite (make run, a training installation) has one writer at a time. A transaction
    # takes the write lock when it begins and waits for it up to 20 s, so that two people
    # saving at once wait their turn; by default the second got "database is locked" when
    # its transaction first wrote (select_for_update does nothing on SQLite).
    DATABASES["default"]["OPTIONS"] = {"transaction_mode": "IMMEDIATE", "timeout": 20}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

AUTHENTICATION_BACKENDS = [
    # First: refuses a locked account/address pair before the password is even checked.
    "axes.backends.AxesStandaloneBackend",
    # User name and password, unless LOCAL_LOGIN is off.
    "livskvalitet.accounts.auth.LocalPasswordBackend",
    # The city's sign-in (OpenID Connect), when OIDC_RP_CLIENT_ID is set.
    "livskvalitet.accounts.oidc.CityAccountBackend",
]

# The city's sign-in: OpenID Connect with the city's identity provider (Microsoft Entra
# ID), read from the environment (docs/operations.md, "The city's sign-in"). Off until a
# client id is set. The provider's endpoints come from its discovery document
# (OIDC_OP_DISCOVERY_URL) unless they are given one by one.
OIDC_RP_CLIENT_ID = os.environ.get("OIDC_RP_CLIENT_ID", "").strip()
OIDC_RP_CLIENT_SECRET = os.environ.get("OIDC_RP_CLIENT_SECRET", "")
OIDC_OP_DISCOVERY_URL = os.environ.get("OIDC_OP_DISCOVERY_URL", "").strip()
OIDC_OP_ISSUER = os.environ.get("OIDC_OP_ISSUER", "").strip()
OIDC_OP_AUTHORIZATION_ENDPOINT = os.environ.get("OIDC_OP_AUTHORIZATION_ENDPOINT", "").strip()
OIDC_OP_TOKEN_ENDPOINT = os.environ.get("OIDC_OP_TOKEN_ENDPOINT", "").strip()
OIDC_OP_USER_ENDPOINT = os.environ.get("OIDC_OP_USER_ENDPOINT", "").strip()
OIDC_OP_JWKS_ENDPOINT = os.environ.get("OIDC_OP_JWKS_ENDPOINT", "").strip()
OIDC_OP_LOGOUT_ENDPOINT = os.environ.get("OIDC_OP_LOGOUT_ENDPOINT", "").strip()
OIDC_RP_SCOPES = os.environ.get("OIDC_RP_SCOPES", "openid profile email")
OIDC_RP_SIGN_ALGO = os.environ.get("OIDC_RP_SIGN_ALGO", "RS256")
# The claims whose values the administrators map to the strategists and to organisations
# (Administration → Kopplingar från kommunens inloggning): Entra ID's group ids ("groups")
# or its app roles ("roles").
OIDC_CLAIM_GROUPS = env_list("OIDC_CLAIM_GROUPS", ["groups", "roles"])
OIDC_CLAIM_USERNAME = os.environ.get("OIDC_CLAIM_USERNAME", "preferred_username").strip()
# Ask the provider to end its own session too when a user logs out (RP-initiated logout,
# where the provider has an end_session_endpoint).
OIDC_PROVIDER_LOGOUT = env_bool("OIDC_PROVIDER_LOGOUT", True)
OIDC_TIMEOUT = env_int("OIDC_TIMEOUT_SECONDS", 10, minimum=1)
# Starting the city's sign-in stores a session: so many starts from one address ("off" lifts it).
SIGN_IN_START_RATE = os.environ.get("SIGN_IN_START_RATE", "20/min")
OIDC_USE_PKCE = True
OIDC_STORE_ID_TOKEN = True  # sent back as id_token_hint when logging out at the provider
if OIDC_RP_CLIENT_ID and not (OIDC_OP_DISCOVERY_URL or OIDC_OP_AUTHORIZATION_ENDPOINT):
    raise ImproperlyConfigured(
        "OIDC_RP_CLIENT_ID is set: set OIDC_OP_DISCOVERY_URL (or the OIDC_OP_* endpoints) too"
    )
# Local accounts (user name and password) on the login page and in the admin. Off, only
# the city's sign-in logs anybody in, administrators included.
LOCAL_LOGIN = env_bool("LOCAL_LOGIN", True)
if not LOCAL_LOGIN and not OIDC_RP_CLIENT_ID:
    raise ImproperlyConfigured("LOCAL_LOGIN=false needs the city's sign-in: set OIDC_RP_CLIENT_ID")

# Guessing passwords: after LOGIN_FAILURE_LIMIT failed attempts the pair of user name and
# address is locked for LOGIN_LOCKOUT_MINUTES; an administrator can unlock it earlier
# (Administration → Axes → access attempts). Unknown user names are locked the same way,
# so the answer never tells whether an account exists.
AXES_FAILURE_LIMIT = env_int("LOGIN_FAILURE_LIMIT", 5, minimum=1)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("LOGIN_LOCKOUT_MINUTES", 15, minimum=1))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
# ... and an address after this many failures across user names (password spraying).
AXES_HANDLER = "livskvalitet.accounts.lockout.PairAndAddressHandler"
LOGIN_ADDRESS_FAILURE_LIMIT = env_int("LOGIN_ADDRESS_FAILURE_LIMIT", 15, minimum=1)
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "livskvalitet.accounts.auth.locked_out"
AXES_VERBOSE = False
AXES_WHITELIST_CALLABLE = "livskvalitet.accounts.auth.not_a_password_attempt"
# Behind a load balancer every request comes from its address: say how many trusted
# proxies add themselves to X-Forwarded-For, so that the visitor's own address is used.
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0)
if TRUSTED_PROXY_COUNT:
    AXES_IPWARE_PROXY_COUNT = TRUSTED_PROXY_COUNT
    AXES_IPWARE_META_PRECEDENCE_ORDER = ["HTTP_X_FORWARDED_FOR", "REMOTE_ADDR"]
else:
    AXES_IPWARE_META_PRECEDENCE_ORDER = ["REMOTE_ADDR"]
# A login form is small; a larger body is refused before anything of it is stored.
LOGIN_MAX_BODY_BYTES = 4096

# A session ends after a working day without activity (each request within the day
# moves the end, see SlidingSessionMiddleware), not after Django's two weeks.
SESSION_COOKIE_AGE = env_int("SESSION_IDLE_HOURS", 9, minimum=1) * 60 * 60
SESSION_REFRESH_SECONDS = 5 * 60

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "reporting:my-tasks"  # where everyone's work is
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "sv"
LANGUAGES = [("sv", _("Swedish")), ("en", _("English"))]
# locale_extra/ holds Swedish for third-party apps that ship none; see its .po header.
LOCALE_PATHS = [BASE_DIR / "locale", BASE_DIR / "locale_extra"]
TIME_ZONE = "Europe/Stockholm"
USE_I18N = True
# One date style per language (livskvalitet/formats/): "2 december 2026", never "2026-12-02".
FORMAT_MODULE_PATH = ["livskvalitet.formats"]
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]


def default_storage_settings(environ) -> dict:
    """Where compiled reports and attachments are kept (livskvalitet/core/storage.py): the
    folder MEDIA_ROOT, or with STORAGE_BACKEND=s3 (the default when a bucket is named) a
    private S3-compatible bucket that several servers share."""
    bucket = environ.get("AWS_STORAGE_BUCKET_NAME", "").strip()
    backend = environ.get("STORAGE_BACKEND", "").strip().lower() or (
        "s3" if bucket else "filesystem"
    )
    if backend == "filesystem":
        return {"BACKEND": "django.core.files.storage.FileSystemStorage"}
    if backend != "s3":
        raise ImproperlyConfigured(f"STORAGE_BACKEND must be filesystem or s3, not {backend!r}")
    if not bucket:
        raise ImproperlyConfigured("STORAGE_BACKEND=s3 needs AWS_STORAGE_BUCKET_NAME")
    options = {
        "bucket_name": bucket,
        "endpoint_url": environ.get("AWS_S3_ENDPOINT_URL", "").strip(),
        "region_name": environ.get("AWS_S3_REGION_NAME", "").strip(),
        # Without keys boto3 finds its own credentials (e.g. the server's role).
        "access_key": environ.get("AWS_ACCESS_KEY_ID", "").strip(),
        "secret_key": environ.get("AWS_SECRET_ACCESS_KEY", "").strip(),
        "location": environ.get("AWS_LOCATION", "").strip().strip("/"),
        "addressing_style": environ.get("AWS_S3_ADDRESSING_STYLE", "").strip(),
    }
    return {
        "BACKEND": "livskvalitet.core.storage.PrivateS3Storage",
        "OPTIONS": {key: value for key, value in options.items() if value},
    }


STORAGES = {
    "default": default_storage_settings(os.environ),
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
MEDIA_URL = "media/"

# Each process's own memory: what is kept there is rendered markup, each piece under a key
# made of everything it shows (the matrix's rows), so a process that does not have it
# renders it again, and nothing is ever out of date.
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "livskvalitet",
        "OPTIONS": {"MAX_ENTRIES": 2000},
    },
    # What every process must count together: the open data API's fair-use limit
    # (livskvalitet/opendata/throttling.py). A table of the database, made by a migration.
    "shared": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "livskvalitet_cache",
    },
}

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# Import files larger than this are refused before they are parsed.
# Backups are signed with this key (manage.py backup) and restore refuses any other: keep
# it with the backups' secrets. Without it, a key derived from SECRET_KEY is used.
BACKUP_KEY = os.environ.get("BACKUP_KEY", "")

IMPORT_MAX_BYTES = env_int("IMPORT_MAX_BYTES", 5 * 1024 * 1024, minimum=1)
DATA_UPLOAD_MAX_MEMORY_SIZE = IMPORT_MAX_BYTES + 1024 * 1024
# ... and files that are small but huge when read (see programme/limits.py).
IMPORT_MAX_ROWS = env_int("IMPORT_MAX_ROWS", 50_000, minimum=1)
IMPORT_MAX_COLUMNS = env_int("IMPORT_MAX_COLUMNS", 100, minimum=1)
IMPORT_MAX_UNPACKED_BYTES = env_int("IMPORT_MAX_UNPACKED_BYTES", 50 * 1024 * 1024, minimum=1)
IMPORT_MAX_RATIO = env_int("IMPORT_MAX_RATIO", 100, minimum=1)
IMPORT_EXPORT_IMPORT_PERMISSION_CODE = "change"
IMPORT_EXPORT_EXPORT_PERMISSION_CODE = "view"
IMPORT_EXPORT_USE_TRANSACTIONS = True
IMPORT_EXPORT_SKIP_ADMIN_LOG = False
# A table's file waits between its preview and its confirmation in the app's storage (the
# shared bucket in production), not in one server's temporary folder: the confirmation may
# reach another server. Left out of backups (core/management/commands/backup.py).
IMPORT_EXPORT_TMP_STORAGE_CLASS = "import_export.tmp_storages.MediaStorage"

# Printed while developing; sent by SMTP in production, where printing would put every
# address and text into the worker's log.
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND") or (
    "django.core.mail.backends.console.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend"
)
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25, minimum=1)
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)
if EMAIL_USE_TLS and EMAIL_USE_SSL:
    raise ImproperlyConfigured(
        "EMAIL_USE_TLS and EMAIL_USE_SSL are either-or: STARTTLS (usually port 587) or TLS "
        "from the start (usually port 465)"
    )
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "livskvalitet@localhost")
SERVER_EMAIL = os.environ.get("SERVER_EMAIL", DEFAULT_FROM_EMAIL)

# Attachments of contributions: the largest file, and how many one contribution may have.
# The logo on the report's cover: a file under static/ (e.g. "img/logo.svg"); none by default.
REPORT_LOGO = os.environ.get("REPORT_LOGO", "").strip().lstrip("/")
# The municipality this installation serves, by its code (e.g. 1283): only its programmes,
# organisations and key figures show. Empty: the municipality of the programme in force.
MUNICIPALITY = os.environ.get("MUNICIPALITY", "").strip()
# The installation's own programme, by name, where the database holds another's too: its
# edition in force has the short addresses. Empty: the newest published edition in force.
PROGRAMME_NAME = os.environ.get("PROGRAMME_NAME", "").strip()
# Where visitors report accessibility problems (the accessibility statement names it).
# The city decides; until it is set the statement says that it is missing.
ACCESSIBILITY_CONTACT_EMAIL = os.environ.get("ACCESSIBILITY_CONTACT_EMAIL", "").strip()
ATTACHMENT_MAX_BYTES = env_int("ATTACHMENT_MAX_BYTES", 10 * 1024 * 1024, minimum=1)
ATTACHMENT_MAX_COUNT = env_int("ATTACHMENT_MAX_COUNT", 10, minimum=1)

# Demo data shows a banner on every page while this is on.
SHOW_DEMO_BANNER = env_bool("SHOW_DEMO_BANNER", True)

# No inline script anywhere: every script is a static file. Inline style attributes are
# allowed (the SDG colours are data, chosen per goal); style elements are not.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "style-src-attr": [UNSAFE_INLINE],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [NONE],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}
PERMISSIONS_POLICY = (
    "accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), "
    "microphone=(), payment=(), usb=()"
)

if not DEBUG:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_REDIRECT_EXEMPT = [r"^healthz/$"]  # load balancers ask over plain HTTP
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 60 * 60 * 24 * 365)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
    SECURE_CONTENT_TYPE_NOSNIFF = True
    X_FRAME_OPTIONS = "DENY"

# JSON lines in production (LOG_FORMAT=json), with each request's id and user id; plain
# text while developing. See livskvalitet/core/logs.py for what logs never hold.
LOG_FORMAT = os.environ.get("LOG_FORMAT") or ("text" if DEBUG else "json")
if LOG_FORMAT not in {"json", "text"}:
    raise ImproperlyConfigured(f"LOG_FORMAT must be json or text, not {LOG_FORMAT!r}")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request": {"()": "livskvalitet.core.logs.RequestContext"}},
    "formatters": {
        "json": {"()": "livskvalitet.core.logs.JsonFormatter"},
        "text": {"format": "%(levelname)s %(name)s [%(request_id)s user %(user_id)s] %(message)s"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "filters": ["request"],
            "formatter": "json" if LOG_FORMAT == "json" else "text",
        }
    },
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    # WeasyPrint reports every layout step at INFO.
    "loggers": {
        "weasyprint.progress": {"level": "WARNING"},
        # django-axes reports its routine steps at INFO; each failed login and lockout at
        # WARNING, with the name and address masked (AXES_VERBOSE off).
        "axes": {"level": "WARNING"},
    },
}

# Used in e-mails, which are read outside the site.
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000")

# send_reminders: days before and after a cycle's due date on which members of
# organisations with unsubmitted contributions get a reminder (after: the approvers).
REMINDER_DAYS_BEFORE = env_int_list("REMINDER_DAYS_BEFORE", [14, 7, 1])
# Before: 0 is the due date itself. After: from the day after it (0 would remind the
# approvers of a late contribution on the day it is due).
REMINDER_DAYS_AFTER = env_int_list("REMINDER_DAYS_AFTER", [1, 7, 14], minimum=1)

# Background work (compiling reports). The default runs a task at once, in the process
# that asks for it; production sets TASKS_BACKEND=django_tasks_db.DatabaseBackend and
# runs `python manage.py db_worker`.
# The scheduler (manage.py scheduler) runs the daily jobs at this local time; /healthz/
# calls a worker or scheduler silent when its heartbeat is older than this many seconds.
SCHEDULER_DAILY_AT = os.environ.get("SCHEDULER_DAILY_AT", "06:00")
HEARTBEAT_MAX_AGE_SECONDS = env_int("HEARTBEAT_MAX_AGE_SECONDS", 180, minimum=1)
# A failed e-mail is tried again after these minutes (then given up, and logged).
MAIL_RETRY_MINUTES = env_int_list("MAIL_RETRY_MINUTES", [1, 5, 30, 120])
# A compile with no progress for this long was left by a stopped worker: marked failed.
REPORT_STALL_SECONDS = env_int("REPORT_STALL_SECONDS", 15 * 60, minimum=1)

TASKS = {
    "default": {
        "BACKEND": os.environ.get(
            "TASKS_BACKEND", "django_tasks.backends.immediate.ImmediateBackend"
        )
    }
}

# The open data API under /api/v1/ (livskvalitet/opendata/): read-only and public, the same for
# everybody, so no session, no CSRF and no login. Its responses are cached publicly.
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": [],
    "DEFAULT_PAGINATION_CLASS": "livskvalitet.opendata.pagination.Paging",
    "PAGE_SIZE": 100,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    # The visitor's address behind TRUSTED_PROXY_COUNT proxies, as for the login's lockout.
    "NUM_PROXIES": TRUSTED_PROXY_COUNT,
}
# Fair use of the open data API: requests a minute from one address, then 429 with
# Retry-After ("60/min"; OPEN_DATA_RATE=off lifts the limit).
OPEN_DATA_RATE = os.environ.get("OPEN_DATA_RATE", "60/min")
# The licence of the open data, shown in the API's description and documentation. The
# city decides which licence it publishes its data under: CC0 is a proposal until then.
# OPEN_DATA_LICENCE_NAME and OPEN_DATA_LICENCE_URL set another one.
OPEN_DATA_LICENCE = {
    "name": os.environ.get("OPEN_DATA_LICENCE_NAME", "CC0 1.0"),
    "url": os.environ.get(
        "OPEN_DATA_LICENCE_URL", "https://creativecommons.org/publicdomain/zero/1.0/deed.sv"
    ),
}
SPECTACULAR_SETTINGS = {
    "TITLE": _("Livskvalitet open data API"),
    "DESCRIPTION": _(
        "Public data of the municipality's programme for sustainable development: the programme in "
        "force, its "
        "directions and focus areas, the global goals, the organisations, the indicators "
        "and their values, and the published follow-up reports with the approved "
        "contributions they were built from. Read-only, without login; every list also "
        "comes as CSV."
    ),
    "VERSION": "1.0.0",
    "LICENSE": OPEN_DATA_LICENCE,
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SORT_OPERATIONS": False,  # in the order of livskvalitet/opendata/urls.py
    "PREPROCESSING_HOOKS": ["livskvalitet.opendata.schema.without_csv_copies"],
    # Two fields named status: an action's and a target's.
    "ENUM_NAME_OVERRIDES": {
        "ActionStatusEnum": "reporting.models.ActionStatus",
        "TargetStatusEnum": "programme.targets.Status",
    },
}
