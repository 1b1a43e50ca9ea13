"""The action register for the strategy department: every organisation's insatser."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import render
from django.views.decorators.http import require_safe

from .. import selectors
from ..forms import InitiativeFilter
from ..permissions import require_strategist


@require_safe
@login_required
def initiative_list(request):
    """Filtered by focus area, global goal, organisation, status and the cycle that last
    reported on them; the same list as CSV or XLSX (export.initiative_export)."""
    require_strategist(request.user)
    form = InitiativeFilter(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    initiatives = selectors.registered_initiatives(**filters)
    page = Paginator(initiatives, 50).get_page(request.GET.get("sida"))
    query = request.GET.copy()
    query.pop("sida", None)
    return render(
        request,
        "reporting/initiative_list.html",
        {
            "form": form,
            "page": page,
            "query": query.urlencode(),
        },
    )
