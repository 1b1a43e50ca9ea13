"""Who may sign in how, and who decides what the city's sign-in gives."""

from django.conf import settings

from programme.permissions import is_administrator


def local_login_allowed() -> bool:
    """Whether a user name and password log in (LOCAL_LOGIN); off, only the city's sign-in
    does, administrators included."""
    return settings.LOCAL_LOGIN


def can_edit_sign_in_mappings(user) -> bool:
    """Which group claims make strategists and members is decided by administrators."""
    return is_administrator(user) and user.is_superuser
