"""Django's admin with the app's titles and login form, and two changes: only
administrators enter (programme.permissions.is_administrator, not any staff account), and
with LOCAL_LOGIN off its login page sends visitors to the app's login page, which offers
only the city's sign-in (and refuses passwords)."""

from urllib.parse import urlencode

from django.contrib import admin
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from livskvalitet.accounts.auth import AdminLoginForm, refuse_password_login, sign_in_context
from livskvalitet.accounts.permissions import local_login_allowed
from programme.permissions import is_administrator


class AdminSite(admin.AdminSite):
    site_header = _("Livskvalitet – administration")
    site_title = _("Livskvalitet")
    index_title = _("Programme structure and users")
    login_form = AdminLoginForm

    def has_permission(self, request):
        """Administrators only: a granted role, not merely a staff account."""
        return is_administrator(request.user)

    def login(self, request, extra_context=None):
        if not local_login_allowed() and not request.user.is_authenticated:
            if request.method == "POST":
                return refuse_password_login(request)
            next_url = request.GET.get("next") or reverse("admin:index", current_app=self.name)
            return HttpResponseRedirect(f"{reverse('login')}?{urlencode({'next': next_url})}")
        return super().login(request, (extra_context or {}) | sign_in_context(request))
