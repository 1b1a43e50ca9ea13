from django.conf import settings

from .permissions import (
    can_set_responsibilities,
    is_administrator,
    is_strategist,
    sees_internal_notes,
)
from .selectors import demo_data_present


def site(request):
    """Whether the demo banner shows (only where load_demo has put demo data in), and
    what the menu offers the user."""
    # A callable: the template calls it only where it asks, so a page without the
    # banner costs no query.
    return {
        "demo_data_loaded": demo_data_present if settings.SHOW_DEMO_BANNER else False,
        "user_is_strategist": lambda: is_strategist(request.user),
        "user_is_administrator": lambda: is_administrator(request.user),
        "user_sets_responsibilities": lambda: can_set_responsibilities(request.user),
        "user_sees_internal_notes": lambda: sees_internal_notes(request.user),
    }
