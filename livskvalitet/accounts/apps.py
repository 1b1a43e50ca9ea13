from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    """Signing in: local accounts and their lockout, the city's sign-in and its mappings."""

    name = "livskvalitet.accounts"
    label = "accounts"
    verbose_name = _("Sign-in")

    def ready(self):
        from . import (
            auth,  # noqa: F401 - connects the lockout's log entry (user_locked_out)
            checks,  # noqa: F401 - registers the sign-in's system check
        )
