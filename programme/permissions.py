"""Who may see and do what in the programme app. Views ask here; templates never decide."""

from django.contrib.auth import get_permission_codename
from django.contrib.auth.models import Group, Permission
from django.http import Http404

STRATEGISTS_GROUP = "Strateger"


def is_strategist(user) -> bool:
    if not user.is_authenticated or not user.is_active:
        return False
    if not hasattr(user, "_is_strategist"):
        user._is_strategist = user.groups.filter(name=STRATEGISTS_GROUP).exists()
    return user._is_strategist


ADMINISTRATORS_GROUP = "Administratörer"
ADMINISTER = "programme.administer"


def is_administrator(user) -> bool:
    """Administrators keep the programme's structure in the admin. Being one is a grant:
    the permission programme.administer (the group Administratörer has it; superusers have
    every permission) on a staff account. The admin asks here too (admin_site.py); a staff
    account without it can do nothing."""
    return user.is_authenticated and user.is_active and user.is_staff and user.has_perm(ADMINISTER)


def administers(user, permission: str) -> bool:
    """An administrator whose model permissions include this one (``app.codename``)."""
    return is_administrator(user) and user.has_perm(permission)


def administrators_group() -> Group:
    """The group that holds the administrator's grant (made by a migration)."""
    group, created = Group.objects.get_or_create(name=ADMINISTRATORS_GROUP)
    if created:
        app_label, codename = ADMINISTER.split(".")
        group.permissions.add(
            Permission.objects.get(content_type__app_label=app_label, codename=codename)
        )
    return group


def strategists_group() -> Group:
    group, _ = Group.objects.get_or_create(name=STRATEGISTS_GROUP)
    return group


def sees_internal_notes(user) -> bool:
    """Notes for the city's own staff (an indicator still to be confirmed against its
    source): anybody logged in; the public reads the pages without them."""
    return user.is_authenticated and user.is_active


def can_see_gaps(user) -> bool:
    """The completeness panel is for those who keep the programme's data."""
    return is_administrator(user) or is_strategist(user)


def can_set_responsibilities(user) -> bool:
    """Who answers for what is set by the strategy department and the administrators."""
    return is_strategist(user) or administers(user, "programme.change_responsibility")


def can_enter_document_follow_ups(user) -> bool:
    """The follow-ups of linked plans are entered by the strategy department and admins."""
    return is_strategist(user) or administers(user, "programme.add_documentfollowup")


def require_document_follow_up_editor(user) -> None:
    if not can_enter_document_follow_ups(user):
        raise Http404


def require_responsibility_editor(user) -> None:
    if not can_set_responsibilities(user):
        raise Http404


def can_create_edition(user) -> bool:
    """A new edition of the programme is made by an administrator, who may add programmes."""
    return is_administrator(user) and user.has_perm("programme.add_programme")


def can_import_programme(user, models) -> bool:
    """The whole programme file is imported by an administrator who may add and change
    each of its tables (``models``): the import creates and updates rows of them all."""
    return is_administrator(user) and all(
        user.has_perm(f"{model._meta.app_label}.{get_permission_codename(action, model._meta)}")
        for model in models
        for action in ("add", "change")
    )


def can_export_programme(user, models) -> bool:
    """The whole programme file is downloaded by an administrator who may view each of its
    tables (``models``)."""
    return is_administrator(user) and all(
        user.has_perm(f"{model._meta.app_label}.{get_permission_codename('view', model._meta)}")
        for model in models
    )


def sees_unpublished_editions(user) -> bool:
    """A next edition being prepared is read by the city's staff, not yet by the public."""
    return sees_internal_notes(user)
