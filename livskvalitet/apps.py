"""The admin's configuration: its modules are imported with the URLconf, not at start-up,
and its site follows LOCAL_LOGIN (livskvalitet/admin_site.py)."""

from django.contrib import admin
from django.contrib.admin.apps import SimpleAdminConfig
from django.contrib.admin.checks import check_admin_app, check_dependencies
from django.core import checks


class AdminConfig(SimpleAdminConfig):
    """Django's admin, whose ``admin.py`` modules are imported by ``livskvalitet/urls.py``
    instead of when Django starts. A process that serves no page, such as
    ``compile_report``, then does not import the admin and what it pulls in (import-export,
    the spreadsheet libraries): ≈0.1 s of every cold compile (bench/report.py)."""

    default_site = "livskvalitet.admin_site.AdminSite"

    def ready(self):
        checks.register(check_dependencies, checks.Tags.admin)
        checks.register(check_admin_modules, checks.Tags.admin)


def check_admin_modules(app_configs, **kwargs):
    """Django's admin checks, on the admin modules imported first (checks run in no set
    order, so the URL check may not have imported them yet)."""
    admin.autodiscover()
    return check_admin_app(app_configs, **kwargs)
