"""The city's sign-in: OpenID Connect with the city's identity provider (Microsoft Entra ID).

mozilla-django-oidc does the protocol (authorization code flow with PKCE, state, nonce,
the ID token's signature); this module adds what it leaves out: the provider's endpoints
from its discovery document, the ID token's issuer and audience, the user found by the
provider's subject (never by e-mail address or user name), and on every sign-in the
administrators' mappings of group claims to the strategists and to organisations
(livskvalitet.accounts.services.city_sign_in). Without OIDC_RP_CLIENT_ID all of it is off.
"""

import logging
import math
import threading
import time
from urllib.parse import urlencode, urlsplit

import requests
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import ImproperlyConfigured, SuspiciousOperation
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.generic import View
from mozilla_django_oidc.auth import OIDCAuthenticationBackend
from mozilla_django_oidc.utils import import_from_settings
from mozilla_django_oidc.views import (
    OIDCAuthenticationCallbackView,
    OIDCAuthenticationRequestView,
)

from livskvalitet.accounts.services import city_sign_in
from livskvalitet.core.throttling import AddressRate

logger = logging.getLogger("livskvalitet.auth")

# Settings that the discovery document provides when they are not set one by one.
DISCOVERED = {
    "OIDC_OP_ISSUER": "issuer",
    "OIDC_OP_AUTHORIZATION_ENDPOINT": "authorization_endpoint",
    "OIDC_OP_TOKEN_ENDPOINT": "token_endpoint",
    "OIDC_OP_USER_ENDPOINT": "userinfo_endpoint",
    "OIDC_OP_JWKS_ENDPOINT": "jwks_uri",
    "OIDC_OP_LOGOUT_ENDPOINT": "end_session_endpoint",
}
DISCOVERY_MAX_AGE = 60 * 60
_discovery_lock = threading.Lock()
_discovery: dict[str, tuple[float, dict]] = {}


def enabled() -> bool:
    return bool(settings.OIDC_RP_CLIENT_ID)


def discovery_document() -> dict:
    """The provider's configuration, fetched once an hour (per process)."""
    url = settings.OIDC_OP_DISCOVERY_URL
    if not url:
        return {}
    with _discovery_lock:
        fetched = _discovery.get(url)
        if fetched and time.monotonic() - fetched[0] < DISCOVERY_MAX_AGE:
            return fetched[1]
        response = requests.get(url, timeout=settings.OIDC_TIMEOUT)
        response.raise_for_status()
        document = response.json()
        if not isinstance(document, dict) or "authorization_endpoint" not in document:
            raise ImproperlyConfigured("OIDC_OP_DISCOVERY_URL is not an OpenID configuration")
        _discovery[url] = (time.monotonic(), document)
        return document


def forget_discovery() -> None:
    with _discovery_lock:
        _discovery.clear()


def setting(name, *default):
    """A setting of mozilla-django-oidc, an endpoint from discovery when not set itself."""
    value = getattr(settings, name, None)
    if name in DISCOVERED and not value and enabled():
        value = discovery_document().get(DISCOVERED[name]) or None
    if value is None or value == "":
        if default:
            return default[0]
        if name in DISCOVERED:
            return None
        return import_from_settings(name)
    return value


def claim_values(claims: dict) -> set[str] | None:
    """The values of the group claims (OIDC_CLAIM_GROUPS), each a string or a list; None
    when the provider left a claim out for being too long (Entra ID's "groups overage",
    named in _claim_names), so that nobody loses their memberships for that."""
    overage = claims.get("_claim_names")
    if isinstance(overage, dict) and set(overage) & set(settings.OIDC_CLAIM_GROUPS):
        logger.warning(
            "City sign-in: the provider left out the group claims (too many groups); the "
            "mappings are not applied. Send only the groups assigned to the application."
        )
        return None
    values = set()
    for name in settings.OIDC_CLAIM_GROUPS:
        value = claims.get(name)
        if isinstance(value, str):
            value = [value]
        if isinstance(value, list | tuple):
            values.update(str(item).strip() for item in value if str(item).strip())
    return values


class CityAccountBackend(OIDCAuthenticationBackend):
    """Signs in with the provider's authorization code; inert while the sign-in is off."""

    def __init__(self, *args, **kwargs):
        # Django makes a backend for every request of a signed-in user (get_user): the
        # provider's settings are read only when signing in.
        self.UserModel = get_user_model()

    @staticmethod
    def get_settings(attr, *args):
        return setting(attr, *args)

    def authenticate(self, request, **kwargs):
        if not enabled() or request is None or "username" in kwargs or "password" in kwargs:
            return None
        try:
            super().__init__()
            return super().authenticate(request, **kwargs)
        except requests.RequestException as error:
            # The message may hold the provider's answer: only what failed is logged.
            logger.warning("City sign-in: the provider did not answer (%s)", type(error).__name__)
            return None

    def get_userinfo(self, access_token, id_token, payload):
        """The ID token's claims (Entra ID puts groups and roles only there) with those
        of the user info endpoint, if the provider has one, for the same subject."""
        self.check_id_token(payload)
        claims = dict(payload)
        if self.OIDC_OP_USER_ENDPOINT:
            userinfo = super().get_userinfo(access_token, id_token, payload)
            if userinfo.get("sub") != payload.get("sub"):
                raise SuspiciousOperation("The user info is about another subject")
            claims.update(userinfo)
        return claims

    def check_id_token(self, payload):
        issuer = self.get_settings("OIDC_OP_ISSUER", None)
        if not issuer:  # the system check (checks.py) says so before it comes to this
            raise SuspiciousOperation("No issuer is configured to check the ID token against")
        if payload.get("iss") != issuer:
            raise SuspiciousOperation("The ID token is from another issuer")
        audience = payload.get("aud")
        audiences = [audience] if isinstance(audience, str) else list(audience or [])
        if self.OIDC_RP_CLIENT_ID not in audiences:
            raise SuspiciousOperation("The ID token is for another client")
        if not payload.get("sub") or not payload.get("iss"):
            raise SuspiciousOperation("The ID token names no subject or issuer")

    def verify_claims(self, claims):
        return bool(claims.get("sub"))

    def get_or_create_user(self, access_token, id_token, payload):
        claims = self.get_userinfo(access_token, id_token, payload)
        if not self.verify_claims(claims):
            raise SuspiciousOperation("Claims verification failed")
        return city_sign_in(
            # Who it is comes from the signed ID token, whatever the user info says.
            issuer=payload["iss"],
            subject=str(payload["sub"]),
            username=str(claims.get(settings.OIDC_CLAIM_USERNAME) or claims.get("email") or ""),
            email=str(claims.get("email") or ""),
            first_name=str(claims.get("given_name") or ""),
            last_name=str(claims.get("family_name") or ""),
            claim_values=claim_values(claims),
        )


class SignInStarts(AddressRate):
    scope = "sign-in"
    rate_setting = "SIGN_IN_START_RATE"


def _require_enabled():
    if not enabled():
        raise Http404


class AuthenticationRequestView(OIDCAuthenticationRequestView):
    """Sends the visitor to the provider (404 while the city's sign-in is off)."""

    def __init__(self, *args, **kwargs):
        View.__init__(self, *args, **kwargs)  # the provider's address is read in get()

    @staticmethod
    def get_settings(attr, *args):
        return setting(attr, *args)

    def get(self, request):
        _require_enabled()
        # Each start stores a session (state, nonce, PKCE verifier): so many per address.
        starts = SignInStarts()
        if not starts.allow_request(request, self):
            wait = math.ceil(starts.wait() or 1)
            response = render(
                request, "registration/sign_in_throttled.html", {"wait": wait}, status=429
            )
            response["Retry-After"] = str(wait)
            return response
        try:
            self.OIDC_OP_AUTH_ENDPOINT = self.get_settings("OIDC_OP_AUTHORIZATION_ENDPOINT")
        except (requests.RequestException, ImproperlyConfigured) as error:
            logger.warning("City sign-in: no discovery document (%s)", type(error).__name__)
            messages.error(
                request, _("The city's sign-in cannot be reached just now. Try again later.")
            )
            return HttpResponseRedirect(reverse("login"))
        self.OIDC_RP_CLIENT_ID = settings.OIDC_RP_CLIENT_ID
        return super().get(request)


class CallbackView(OIDCAuthenticationCallbackView):
    """Where the provider sends the visitor back; a failure is said on the login page."""

    def get(self, request):
        _require_enabled()
        return super().get(request)

    @staticmethod
    def get_settings(attr, *args):
        return setting(attr, *args)

    @property
    def failure_url(self):
        return reverse("login")

    def login_failure(self):
        user = getattr(self, "user", None)
        if user is not None and not user.is_active:
            logger.warning("City sign-in refused: user %s is not active", user.pk)
            text = _("Your account is closed in Livskvalitet. Ask an administrator.")
        else:
            logger.warning("City sign-in failed or was cancelled")
            text = _("The city's sign-in did not log you in. Try again.")
        messages.error(self.request, text)
        return HttpResponseRedirect(self.failure_url)


def _provider_logout_endpoint() -> str | None:
    try:
        return setting("OIDC_OP_LOGOUT_ENDPOINT", None)
    except (requests.RequestException, ImproperlyConfigured):
        logger.warning("City sign-in: the provider's logout address could not be read")
        return None


class ProviderLogoutFormAction:
    """The logout form is sent to the app, which redirects to the provider's end-session
    endpoint: browsers hold that redirect to the page's CSP form-action, so pages shown
    to a user signed in with the city's account allow the provider's origin there."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if (
            enabled()
            and settings.OIDC_PROVIDER_LOGOUT
            and settings.SESSION_COOKIE_NAME in request.COOKIES
            and request.session.get("oidc_id_token")
        ):
            endpoint = _provider_logout_endpoint()
            if endpoint:
                parts = urlsplit(endpoint)
                update = getattr(response, "_csp_update", None) or {}
                actions = [*update.get("form-action", []), f"{parts.scheme}://{parts.netloc}"]
                response._csp_update = update | {"form-action": actions}
        return response


def provider_logout_url(request) -> str | None:
    """Where to end the provider's session too (RP-initiated logout), if it has one."""
    if not enabled() or not settings.OIDC_PROVIDER_LOGOUT:
        return None
    id_token = request.session.get("oidc_id_token")
    if not id_token:
        return None  # logged in with a local account
    endpoint = _provider_logout_endpoint()
    if not endpoint:
        return None
    query = urlencode(
        {
            "id_token_hint": id_token,
            "client_id": settings.OIDC_RP_CLIENT_ID,
            "post_logout_redirect_uri": request.build_absolute_uri(reverse("login")),
        }
    )
    return f"{endpoint}{'&' if '?' in endpoint else '?'}{query}"
