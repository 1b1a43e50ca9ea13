"""What a production installation (DEBUG off) should not run without, warned of when any
command starts (migrate, the worker, the scheduler, check)."""

from urllib.parse import urlsplit

from django.conf import settings
from django.core.checks import Warning, register

IMMEDIATE = "django_tasks.backends.immediate.ImmediateBackend"


@register()
def production_settings(app_configs, **kwargs):
    if settings.DEBUG:
        return []
    warnings = []
    if settings.TASKS["default"]["BACKEND"] == IMMEDIATE:
        warnings.append(
            Warning(
                "Background work (report compiles, e-mail) runs in the web process, which it "
                "holds meanwhile: TASKS_BACKEND is not set.",
                hint="Set TASKS_BACKEND=django_tasks_db.DatabaseBackend and run the worker "
                "(deploy/start worker).",
                id="core.W001",
            )
        )
    if urlsplit(settings.SITE_URL).hostname in {"127.0.0.1", "localhost", "::1"}:
        warnings.append(
            Warning(
                f"Links in e-mails point to {settings.SITE_URL}: SITE_URL is not set.",
                hint="Set SITE_URL to the app's address, e.g. https://livskvalitet.example.se.",
                id="core.W002",
            )
        )
    if not settings.ACCESSIBILITY_CONTACT_EMAIL:
        warnings.append(
            Warning(
                "The accessibility statement names no address to report a problem to: "
                "ACCESSIBILITY_CONTACT_EMAIL is not set.",
                hint="Set ACCESSIBILITY_CONTACT_EMAIL to the address that answers "
                "accessibility questions, e.g. tillganglighet@example.se.",
                id="core.W003",
            )
        )
    return warnings
