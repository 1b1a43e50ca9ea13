from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.views.decorators.http import require_safe

from . import selectors
from .indicators import indicator_views
from .models import Organisation
from .permissions import can_see_gaps


@require_safe
@login_required
def overview(request):
    programme = selectors.current_programme()
    context = {"programme": programme, "directions": [], "gaps": None}
    if programme is not None:
        context["directions"] = selectors.directions_with_focus_areas(programme)
        if can_see_gaps(request.user):
            context["gaps"] = selectors.programme_gaps(programme)
    return render(request, "programme/overview.html", context)


@require_safe
@login_required
def direction_detail(request, number):
    programme = selectors.current_programme_or_404()
    direction = selectors.direction_for_page(programme, number)
    return render(
        request, "programme/direction_detail.html", {"programme": programme, "direction": direction}
    )


@require_safe
@login_required
def focus_area_detail(request, code):
    programme = selectors.current_programme_or_404()
    focus_area = selectors.focus_area_for_page(programme, code)
    return render(
        request,
        "programme/focus_area_detail.html",
        {
            "programme": programme,
            "focus_area": focus_area,
            "direction": focus_area.direction,
            "indicators": indicator_views(focus_area),
        },
    )


@require_safe
@login_required
def organisation_list(request):
    programme = selectors.current_programme()
    organisations = selectors.organisations_with_responsibilities(programme)
    groups = [
        (label, [org for org in organisations if org.kind == kind])
        for kind, label in Organisation.Kind.choices
    ]
    return render(
        request,
        "programme/organisation_list.html",
        {"programme": programme, "groups": [group for group in groups if group[1]]},
    )
