from django.contrib import admin
from django.urls import include, path
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods
from django.views.i18n import set_language

from . import views

urlpatterns = [
    path("", include("programme.urls")),
    path("", include("reporting.urls")),
    path("", include("livskvalitet.accounts.urls")),
    # Public pages are cached and shared, so they carry no CSRF token; the language switch
    # changes nothing but the visitor's own language cookie.
    path(
        "i18n/setlang/",
        csrf_exempt(require_http_methods(["GET", "HEAD", "POST"])(set_language)),
        name="set_language",
    ),
    path("tillganglighet/", views.accessibility_statement, name="accessibility-statement"),
    path("healthz/", views.healthz, name="healthz"),
    path("favicon.ico", views.icon, name="icon"),
    path("api/v1/", include("livskvalitet.opendata.urls")),
    path("admin/", admin.site.urls),
]

handler400 = views.bad_request
handler404 = views.page_not_found
