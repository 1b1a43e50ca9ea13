"""Pages of the site as a whole."""

import datetime

from django.conf import settings
from django.shortcuts import render
from django.views.decorators.http import require_safe

from programme.selectors import current_programme

from .http import public

# The day the statement was last reviewed against the app: change it with the statement.
STATEMENT_REVIEWED = datetime.date(2026, 12, 2)


@require_safe
def accessibility_statement(request):
    """The accessibility statement (tillgänglighetsredogörelse), following the Swedish
    template for public-sector websites (DIGG)."""
    programme = current_programme()
    context = {
        "owner": programme.owner if programme else None,
        "contact_email": settings.ACCESSIBILITY_CONTACT_EMAIL,
        "reviewed": STATEMENT_REVIEWED,
    }
    return public(render(request, "accessibility_statement.html", context), request)
