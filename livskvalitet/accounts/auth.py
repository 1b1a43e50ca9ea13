"""Signing in: the login and logout views, local accounts (which LOCAL_LOGIN turns off),
what a locked-out visitor is told, and the record of each lockout. The city's sign-in
(OpenID Connect) is in livskvalitet/accounts/oidc.py."""

import logging

from axes.signals import user_locked_out
from django.conf import settings
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth import get_user_model
from django.contrib.auth import views as auth_views
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.forms import AuthenticationForm
from django.dispatch import receiver
from django.http import HttpResponseForbidden, HttpResponseRedirect
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse

from livskvalitet.accounts import oidc
from livskvalitet.accounts.permissions import local_login_allowed
from livskvalitet.core.forms import Uncut
from livskvalitet.core.logs import pseudonym

logger = logging.getLogger("livskvalitet.auth")


class LoginForm(Uncut, AuthenticationForm):
    """Django's login form, whose user name field the browser does not cut; no counter
    under it, which belongs to long texts. Its refusal is its own message, not the summary
    of a form that saved nothing."""

    error_summary = False


class AdminLoginForm(Uncut, AdminAuthenticationForm):
    """The same for the admin's own login page."""


class LocalPasswordBackend(ModelBackend):
    """User name and password, and the permissions of every user; with LOCAL_LOGIN off no
    password logs anybody in, and sessions begun with one end."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if not local_login_allowed():
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)

    def get_user(self, user_id):
        if not local_login_allowed():
            return None
        return super().get_user(user_id)


def refuse_password_login(request):
    """With LOCAL_LOGIN off a password form's POST is refused unread (and not counted)."""
    page = render_to_string(
        "registration/local_login_off.html", sign_in_context(request), request=request
    )
    return HttpResponseForbidden(page)


def not_a_password_attempt(request, credentials=None) -> bool:
    """The city's sign-in is not guessing passwords: django-axes neither counts nor locks
    its callback (a cancelled sign-in fails authenticate without any user name)."""
    return request is not None and request.path == reverse("oidc_authentication_callback")


def sign_in_context(request) -> dict:
    return {
        "city_sign_in": oidc.enabled(),
        "local_login": local_login_allowed(),
        "city_sign_in_url": reverse("oidc_authentication_init"),
    }


class LoginView(auth_views.LoginView):
    """The login page: the city's sign-in where configured, and the password form unless
    LOCAL_LOGIN is off (then its POST is refused before any password is read)."""

    # Not Django's default, which answers PUT as a POST and OPTIONS: 405, as everywhere.
    http_method_names = ["get", "head", "post"]

    authentication_form = LoginForm

    def post(self, request, *args, **kwargs):
        if not local_login_allowed():
            return refuse_password_login(request)
        return super().post(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return super().get_context_data(**kwargs) | sign_in_context(self.request)


class LogoutView(auth_views.LogoutView):
    """Ends the session here and, for a city sign-in, at the provider too (when it has
    an end-session endpoint), which then sends the user back to the login page."""

    http_method_names = ["post"]  # not OPTIONS either: 405, as everywhere

    def post(self, request, *args, **kwargs):
        user_id = request.user.pk
        provider_logout = oidc.provider_logout_url(request)  # before the session is gone
        response = super().post(request, *args, **kwargs)
        if provider_logout:
            logger.info("User %s logged out, also at the city's sign-in", user_id)
            return HttpResponseRedirect(provider_logout)
        return response


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
