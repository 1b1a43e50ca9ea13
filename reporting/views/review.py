"""The strategy department's side: review queue, matrix, returning and approving."""

import html

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from livskvalitet.reversing import url_maker
from livskvalitet.text import isolated
from programme.models import Organisation
from programme.templatetags.livskvalitet import state_badge_of

from .. import selectors, services
from ..content import ContributionContent
from ..forms import ReturnForm, ReviewQueueFilter, ThreadForm
from ..models import STATES, Contribution
from ..permissions import (
    contribution_for_user,
    cycle_for_strategist,
    require_strategist,
    thread_for_user,
)
from ..workflow import Action, actions_for
from .reading import content_context


@require_safe
@login_required
def review_queue(request):
    require_strategist(request.user)
    form = ReviewQueueFilter(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    queue = selectors.review_queue(
        cycle=filters.get("cycle"),
        organisation=filters.get("organisation"),
        code=filters.get("focus_area") or "",
        state=filters.get("state") or "",
        query=filters.get("q") or "",
    )
    page = Paginator(queue, 50).get_page(request.GET.get("sida"))
    query = request.GET.copy()
    query.pop("sida", None)
    return render(
        request,
        "reporting/review_queue.html",
        {"form": form, "page": page, "query": query.urlencode()},
    )


@require_http_methods(["GET", "POST"])
@login_required
def contribution_review(request, pk):
    require_strategist(request.user)
    contribution = contribution_for_user(request.user, pk)
    may = actions_for(request.user, contribution)
    if not may[Action.RETURN]:
        messages.info(request, _("This contribution is not waiting for review."))
        return redirect("reporting:contribution-detail", pk=contribution.pk)
    form = ReturnForm()
    latest = contribution.versions.order_by("-number").first()
    if request.method == "POST":
        try:
            seen = int(request.POST.get("seen_version", ""))
        except ValueError:
            seen = -1  # a form without it cannot say what was read
        try:
            if "approve" in request.POST:
                services.contribution_approve(
                    contribution=contribution, by=request.user, seen_version=seen
                )
                messages.success(request, _("The contribution is approved."))
                return redirect("reporting:review-queue")
            form = ReturnForm(request.POST)
            if form.is_valid():
                services.contribution_return(
                    contribution=contribution,
                    comment=form.cleaned_data["comment"],
                    by=request.user,
                    seen_version=seen,
                )
                messages.success(request, _("The contribution is returned to the organisation."))
                return redirect("reporting:review-queue")
        except services.WorkflowError as error:
            messages.error(request, str(error))
    returned = selectors.version_returned_last(contribution)
    questions = list(contribution.cycle.questions.all())
    indicators = list(contribution.focus_area.indicators.all())
    content = ContributionContent.of(contribution)
    changes = None
    if returned is not None and contribution.state == Contribution.State.RESUBMITTED:
        changes = ContributionContent.from_json(returned.data).diff(content, questions, indicators)
    return render(
        request,
        "reporting/contribution_review.html",
        {
            "contribution": contribution,
            "form": form,
            "returned": returned,
            "changes": changes,
            "thread": thread_for_user(request.user, contribution),
            "thread_form": ThreadForm(back="review"),
            "seen_version": latest.number if latest else 0,
            "may": may,
            **content_context(content, contribution),
        },
    )


@require_safe
@login_required
def cycle_matrix(request, pk):
    cycle = cycle_for_strategist(request.user, pk)
    kind = request.GET.get("kind", "")
    state = request.GET.get("state", "")
    if kind not in dict(Organisation.Kind.choices):
        kind = ""
    if state not in STATES:
        state = ""
    overdue_only = request.GET.get("overdue") == "1"
    return render(
        request,
        "reporting/cycle_matrix.html",
        {
            "cycle": cycle,
            "matrix": _with_cells(
                selectors.matrix(cycle, kind=kind, state=state, overdue_only=overdue_only)
            ),
            "kinds": [
                (k, label)
                for k, label in Organisation.Kind.choices
                if k in Organisation.REPORTING_KINDS
            ],
            "states": [(key, label) for key, (label, _symbol) in STATES.items()],
            "selected": {"kind": kind, "state": state, "overdue": overdue_only},
        },
    )


def _with_cells(matrix: dict) -> dict:
    """Each row's cells as HTML, made here rather than in the template: the matrix has a
    cell per organisation and focus area (30 × 13, or more), and the template language
    spends ~20 µs a cell where this spends one. Every value is escaped."""
    detail_url = url_maker("reporting:contribution-detail")
    labels = {key: escape(label) for key, (label, _symbol) in STATES.items()}
    badges = {key: state_badge_of(key, short=True) for key in STATES}
    not_asked = escape(_("not asked"))
    not_asked = (
        f'<td><span title="{not_asked}">–'
        f'<span class="visually-hidden"> {not_asked}</span></span></td>'
    )
    codes = [escape(area.code) for area in matrix["focus_areas"]]
    for row in matrix["rows"]:
        row["name"] = isolated(row["organisation"].name)
        name = html.escape(row["organisation"].name)
        cells = []
        for code, (_area, cell) in zip(codes, row["cells"], strict=True):
            if cell is None:
                cells.append(not_asked)
                continue
            state = cell["display_state"]
            cells.append(
                f'<td><a href="{detail_url(cell["pk"])}" title="{code}: {labels[state]}">'
                f'<span class="visually-hidden">{name}, {code}: </span>{badges[state]}</a></td>'
            )
        row["cells_html"] = mark_safe("".join(cells))  # noqa: S308 - every value escaped above
    return matrix
