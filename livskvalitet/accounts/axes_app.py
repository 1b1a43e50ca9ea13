"""django-axes, as the admin names it: the records of the sign-in's lockout."""

from axes.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AxesConfig(AppConfig):
    verbose_name = _("Sign-in lockout")
