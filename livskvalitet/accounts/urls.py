"""Logging in and out, and the city's sign-in (OpenID Connect): to the provider and back.
The city's addresses are not found while its sign-in is off; the callback is the redirect
URI registered with the provider."""

from django.urls import path

from . import auth, oidc

urlpatterns = [
    path("konto/logga-in/", auth.LoginView.as_view(), name="login"),
    path("konto/logga-ut/", auth.LogoutView.as_view(), name="logout"),
    path(
        "oidc/authenticate/",
        oidc.AuthenticationRequestView.as_view(),
        name="oidc_authentication_init",
    ),
    path("oidc/callback/", oidc.CallbackView.as_view(), name="oidc_authentication_callback"),
]
