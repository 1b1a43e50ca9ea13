"""The action register: for the strategy department every organisation's insatser as
approved; for everybody what the published reports said of them (reporting/register.py)."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_safe

from livskvalitet.core.http import public, revalidated
from programme.comparison import goal_kpi_views
from programme.editions import continued_areas, continued_areas_of
from programme.indicators import programme_indicator_views, with_and_without_values
from programme.models import FocusArea, Programme, Sdg
from programme.selectors import current_programme_or_404

from .. import selectors
from ..forms import InitiativeFilter
from ..permissions import initiative_for_strategist, require_strategist
from ..register import (
    initiative_history,
    latest_published_actions,
    published_action_counts,
    published_actions_for_goal,
)


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
    page.object_list = selectors.with_codes(page.object_list)
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


@require_safe
@login_required
def initiative_detail(request, pk):
    """One entry of the register with its history: each change, who made it, when, and
    the contribution whose approval made it."""
    initiative = initiative_for_strategist(request.user, pk)
    history = initiative.history.select_related("history_user", "reported_in__cycle").order_by(
        "-history_date", "-history_id"
    )
    context = {"initiative": initiative, "history": history}
    return render(request, "reporting/initiative_detail.html", context)


@require_safe
def published_actions_index(request):
    """Open to the public: the focus areas of the newest published edition, each with how
    many insatser its page (published_actions_page) lists."""
    programme = (
        Programme.objects.of_installation().filter(published=True).order_by("-valid_from").first()
    )
    areas = []
    if programme is not None:
        areas = list(
            FocusArea.objects.filter(programme=programme)
            .select_related("direction")
            .order_by("direction__number", "sort_key")
        )
    counts = published_action_counts(continued_areas_of(areas))
    for area in areas:
        area.action_count = counts[area.pk]
    context = {"programme": programme, "focus_areas": areas}
    return revalidated(render(request, "reporting/published_actions_index.html", context), request)


@require_safe
def published_actions_page(request, code):
    """Open to the public: a focus area's insatser as the latest published report of each
    told them, with the organisation and status."""
    # The newest published edition's area of that code: the code is the address in every
    # edition of the installation's programme, and an edition in preparation is not public.
    published = Programme.objects.of_installation().filter(published=True)
    focus_area = (
        FocusArea.objects.filter(code=code, programme__in=published)
        .order_by("-programme__valid_from")
        .first()
    )
    if focus_area is None:
        raise Http404
    # What was reported on the area and on those it continues (a merge lists both's), as
    # the contribution form carries their insatser; never another area that had the code.
    actions = latest_published_actions(focus_areas=continued_areas(focus_area))
    page = Paginator(actions, 50).get_page(request.GET.get("sida"))
    context = {"focus_area": focus_area, "page": page, "query": ""}
    return revalidated(render(request, "reporting/published_actions.html", context), request)


@require_safe
def published_action_page(request, pk):
    """Open to the public: one insats across the published reports that told of it; not
    found if none did, whatever the register holds."""
    history = initiative_history(pk)
    if not history:
        raise Http404
    latest = history[-1]
    sdgs = Sdg.objects.filter(number__in=latest.action.sdgs).order_by("number")
    context = {"history": history, "latest": latest, "sdgs": sdgs}
    return revalidated(render(request, "reporting/published_action.html", context), request)


@require_safe
def sdg_list(request):
    """Open to the public: the 17 global goals, each with how many of the programme's focus
    areas contribute to it."""
    programme = current_programme_or_404()
    goals = Sdg.objects.order_by("number")
    areas = {}
    links = FocusArea.sdgs.through.objects.filter(focusarea__programme=programme)
    for sdg_number, code in links.order_by("focusarea__sort_key").values_list(
        "sdg__number", "focusarea__code"
    ):
        areas.setdefault(sdg_number, []).append(code)
    rows = [(goal, areas.get(goal.number, [])) for goal in goals]
    context = {"programme": programme, "rows": rows}
    return public(render(request, "reporting/sdg_list.html", context), request)


@require_safe
def sdg_detail(request, number):
    """Open to the public: a global goal, the focus areas of the programme in force that
    contribute to it with their indicators, and the insatser the published reports tied to
    it."""
    sdg = get_object_or_404(Sdg, number=number)
    programme = current_programme_or_404()
    areas = list(
        FocusArea.objects.filter(programme=programme, sdgs=sdg)
        .select_related("direction")
        .order_by("sort_key")
    )
    views = programme_indicator_views(areas, programme)
    directions = programme.directions.filter(sdgs=sdg).order_by("number")
    page = Paginator(published_actions_for_goal(number), 50).get_page(request.GET.get("sida"))
    context = {
        "sdg": sdg,
        "programme": programme,
        "areas": [(area, *with_and_without_values(views[area.pk])) for area in areas],
        "directions": directions,
        "goal_kpis": goal_kpi_views(sdg, programme),
        "page": page,
        "query": "",
    }
    return revalidated(render(request, "reporting/sdg_detail.html", context), request)
