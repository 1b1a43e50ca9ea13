from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext as _

from .permissions import (
    can_set_responsibilities,
    is_administrator,
    is_strategist,
    sees_internal_notes,
)
from .selectors import current_programme, demo_data_present


def city_name() -> str:
    """The name of the municipality whose programme is in force, for sentences that name
    the city; "the city" before any programme is loaded."""
    programme = current_programme()
    return programme.own_municipality_name if programme is not None else _("the city")


def site(request):
    """Whether the demo banner shows (only where load_demo has put demo data in), and
    what the menu offers the user."""
    # A request refused before AuthenticationMiddleware (a Host not allowed) has no user
    # yet; its error page is rendered as the anonymous visitor's.
    user = request.user if hasattr(request, "user") else AnonymousUser()
    # A callable: the template calls it only where it asks, so a page without the
    # banner costs no query.
    return {
        "demo_data_loaded": demo_data_present if settings.SHOW_DEMO_BANNER else False,
        "user_is_strategist": lambda: is_strategist(user),
        "user_is_administrator": lambda: is_administrator(user),
        "user_sets_responsibilities": lambda: can_set_responsibilities(user),
        "user_sees_internal_notes": lambda: sees_internal_notes(user),
        # What the statistics pages and their downloads say the figures may be used under.
        "open_data_licence": settings.OPEN_DATA_LICENCE,
        # Lazy: a page that names no city costs no query.
        "city_name": SimpleLazyObject(city_name),
    }
