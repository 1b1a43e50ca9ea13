"""Signing in: what a locked-out visitor is told, and the record of each lockout."""

import logging

from axes.signals import user_locked_out
from django.conf import settings
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth import get_user_model
from django.contrib.auth.forms import AuthenticationForm
from django.dispatch import receiver
from django.shortcuts import render

from livskvalitet.logs import pseudonym
from programme.forms import LengthCounted

logger = logging.getLogger("livskvalitet.auth")


class LoginForm(LengthCounted, AuthenticationForm):
    """Django's login form, whose user name field the browser does not cut."""


class AdminLoginForm(LengthCounted, AdminAuthenticationForm):
    """The same for the admin's own login page."""


def locked_out(request, response=None, credentials=None):
    """The same page for every locked pair, whether the user name exists or not."""
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    return render(request, "registration/locked_out.html", {"lockout_minutes": minutes}, status=429)


@receiver(user_locked_out)
def log_lockout(sender, request, username, ip_address, **kwargs):
    # The log holds user ids only: the user name (which may be anybody's) and the address
    # appear as pseudonyms; the lock itself, with both, is in the administration.
    user = get_user_model().objects.filter(username=username).first()
    logger.warning(
        "Login locked for %d minutes after %d failures: %s, address %s",
        settings.AXES_COOLOFF_TIME.total_seconds() // 60,
        settings.AXES_FAILURE_LIMIT,
        f"user {user.pk}" if user else f"unknown user name {pseudonym(username)}",
        pseudonym(ip_address),
    )
