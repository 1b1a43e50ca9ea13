"""The administration of sign-in: users with their memberships and city account, the
city's sign-in mappings, and the record of failed logins (with unlocking)."""

import logging

from axes.admin import AccessAttemptAdmin
from axes.models import AccessAttempt
from django import forms
from django.contrib import admin, messages
from django.contrib.auth.admin import GroupAdmin, UserAdmin
from django.contrib.auth.models import Group, User
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from livskvalitet.core.admin import BooleansInWords, HistoryAdmin, LinksNotListed, boolean_icon
from livskvalitet.core.forms import CountedFields
from livskvalitet.core.logs import pseudonym
from programme.models import Membership

from .models import CityAccount, SignInMapping
from .permissions import can_edit_sign_in_mappings


class MembershipInline(CountedFields, admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["organisation"]
    readonly_fields = ["given_by_sign_in"]

    @admin.display(description=Membership._meta.get_field("from_sign_in").verbose_name)
    def given_by_sign_in(self, membership):
        return boolean_icon(membership.from_sign_in)


class CityAccountInline(admin.StackedInline):
    """Shown, not edited: the account is made and kept by the city's sign-in."""

    model = CityAccount
    extra = 0
    max_num = 0
    can_delete = False
    fields = readonly_fields = [
        "issuer",
        "subject",
        "strategist_by_sign_in",
        "first_signed_in",
        "last_signed_in",
    ]

    def has_change_permission(self, request, obj=None):
        return False

    @admin.display(description=CityAccount._meta.get_field("strategist_from_sign_in").verbose_name)
    def strategist_by_sign_in(self, account):
        return boolean_icon(account.strategist_from_sign_in)


admin.site.unregister(User)
admin.site.unregister(Group)


@admin.register(Group)
class LivskvalitetGroupAdmin(LinksNotListed, CountedFields, GroupAdmin):
    pass


@admin.register(User)
class LivskvalitetUserAdmin(LinksNotListed, BooleansInWords, CountedFields, UserAdmin):
    """Django's user admin, with the user's organisations and roles on the same page."""

    inlines = [MembershipInline, CityAccountInline]


@admin.register(SignInMapping)
class SignInMappingAdmin(BooleansInWords, CountedFields, HistoryAdmin):
    """Which groups or roles of the city's sign-in make strategists and members of which
    organisations, with which role. Applied at each user's next sign-in."""

    class Form(forms.ModelForm):
        class Meta:
            help_texts = {
                "claim_value": _(
                    "As the sign-in sends it: in Microsoft Entra ID the group's object ID or "
                    "the app role's value. Applied at each user's next sign-in."
                )
            }

    form = Form
    list_display = ["claim_value", "description", "strategist", "organisation", "role"]
    list_filter = ["strategist", "role", "organisation"]
    search_fields = ["claim_value", "description", "organisation__name"]
    autocomplete_fields = ["organisation"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("organisation")

    def has_view_permission(self, request, obj=None):
        return can_edit_sign_in_mappings(request.user)

    def has_add_permission(self, request):
        return can_edit_sign_in_mappings(request.user)

    def has_change_permission(self, request, obj=None):
        return can_edit_sign_in_mappings(request.user)

    def has_delete_permission(self, request, obj=None):
        return can_edit_sign_in_mappings(request.user)


logger = logging.getLogger("livskvalitet.auth")

admin.site.unregister(AccessAttempt)


@admin.register(AccessAttempt)
class LoginAttemptAdmin(AccessAttemptAdmin):
    """Failed logins; unlocking deletes the record of the failures, and is logged."""

    actions = ["unlock", *AccessAttemptAdmin.actions]

    @admin.action(description=_("Unlock the selected user names and addresses"))
    def unlock(self, request, queryset):
        pairs = list(queryset.values_list("username", "ip_address"))
        queryset.delete()
        for username, address in pairs:
            logger.warning(
                "Login unlocked by user %s: user name %s, address %s",
                request.user.pk,
                pseudonym(username),
                pseudonym(address),
            )
        self.message_user(
            request,
            ngettext("%(count)d lock removed.", "%(count)d locks removed.", len(pairs))
            % {"count": len(pairs)},
            messages.SUCCESS,
        )
