import time

from django.conf import settings
from django.core.exceptions import BadRequest
from django.http import Http404, HttpResponseBadRequest
from django.middleware.locale import LocaleMiddleware
from django.template.loader import render_to_string
from django.urls import get_resolver, reverse
from django.utils import translation


class SwedishFirstLocaleMiddleware(LocaleMiddleware):
    """Swedish unless the user chose another language in the app.

    Many of the city's staff run browsers in English; the browser's Accept-Language
    must not switch the app away from Swedish. The choice made with the language form
    (Django's set_language view) is kept in the language cookie.
    """

    def process_request(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        language = chosen if chosen in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()


class LoginBodyLimitMiddleware:
    """Refuse a login POST larger than a login form, before any of it is read or stored.

    Failed logins are recorded (django-axes keeps the form's fields), and an anonymous
    visitor must not be able to make the server store more than a few kilobytes.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method == "POST" and request.path in (reverse("login"), reverse("admin:login")):
            try:
                length = int(request.META.get("CONTENT_LENGTH") or 0)
            except ValueError:
                length = settings.LOGIN_MAX_BODY_BYTES + 1
            if length > settings.LOGIN_MAX_BODY_BYTES:
                return HttpResponseBadRequest(render_to_string("400.html", request=request))
        return self.get_response(request)


class NulCharacterMiddleware:
    """An address with a NUL character is none of the app's (404), a query with one is
    refused (400), before any view looks it up: PostgreSQL cannot take one in a query, and
    a lookup with it would be an error of the server. Forms refuse one in what they are
    sent (Django's fields do)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if "\x00" in request.path:
            raise Http404
        for name, values in request.GET.lists():
            if "\x00" in name or any("\x00" in value for value in values):
                return self.refused(request)
        return self.get_response(request)

    @staticmethod
    def refused(request):
        """The site's own 400 answer (handler400: under the API, JSON), with DEBUG on too,
        where Django answers a raised BadRequest with its HTML page for developers."""
        resolver = get_resolver(getattr(request, "urlconf", None))
        return resolver.resolve_error_handler(400)(request, BadRequest())


class SlidingSessionMiddleware:
    """A logged-in user's session ends SESSION_COOKIE_AGE after their last request.

    Saving the session moves its end; doing so at most every few minutes keeps a page
    from writing the session on every request.
    """

    KEY = "_last_refresh"

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            now = int(time.time())
            if now - request.session.get(self.KEY, 0) >= settings.SESSION_REFRESH_SECONDS:
                request.session[self.KEY] = now
        return self.get_response(request)


class PrivateByDefaultMiddleware:
    """Nothing is stored by browsers or proxies unless its view says it is public.

    Pages and files show contributions, exports and unpublished reports: they get
    ``Cache-Control: private, no-store``. A public view sets its own Cache-Control (see
    livskvalitet.core.http.public). Every response also carries the Permissions-Policy.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if not response.has_header("Cache-Control"):
            response["Cache-Control"] = "private, no-store"
        if not response.has_header("Permissions-Policy"):
            response["Permissions-Policy"] = settings.PERMISSIONS_POLICY
        return response
