from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from . import auth  # also connects the lockout log

urlpatterns = [
    path("", include("programme.urls")),
    path("", include("reporting.urls")),
    path(
        "konto/logga-in/",
        auth_views.LoginView.as_view(authentication_form=auth.LoginForm),
        name="login",
    ),
    path("konto/logga-ut/", auth_views.LogoutView.as_view(), name="logout"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
]
