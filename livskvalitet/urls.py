from django.contrib import admin
from django.urls import include, path
from django.views.decorators.csrf import csrf_exempt
from django.views.i18n import set_language

from . import (
    auth,  # also connects the lockout log
    oidc,
    views,
)

urlpatterns = [
    path("", include("programme.urls")),
    path("", include("reporting.urls")),
    path("konto/logga-in/", auth.LoginView.as_view(), name="login"),
    path("konto/logga-ut/", auth.LogoutView.as_view(), name="logout"),
    # The city's sign-in (OpenID Connect): to the provider and back. Not found while the
    # sign-in is off. The callback is the redirect URI registered with the provider.
    path(
        "oidc/authenticate/",
        oidc.AuthenticationRequestView.as_view(),
        name="oidc_authentication_init",
    ),
    path("oidc/callback/", oidc.CallbackView.as_view(), name="oidc_authentication_callback"),
    # Public pages are cached and shared, so they carry no CSRF token; the language switch
    # changes nothing but the visitor's own language cookie.
    path("i18n/setlang/", csrf_exempt(set_language), name="set_language"),
    path("tillganglighet/", views.accessibility_statement, name="accessibility-statement"),
    path("healthz/", views.healthz, name="healthz"),
    path("api/v1/", include("livskvalitet.api.urls")),
    path("admin/", admin.site.urls),
]
