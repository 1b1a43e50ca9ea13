"""The strategy department's side: review queue, matrix, returning and approving."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from .. import selectors, services
from ..content import ContributionContent
from ..forms import ApproveForm, MatrixFilter, ReturnForm, ReviewQueueFilter, ThreadForm
from ..models import STATES, Contribution
from ..permissions import (
    contribution_for_user,
    cycle_for_strategist,
    require_strategist,
    thread_for_user,
)
from ..workflow import Step, actions_for
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
    for contribution in page:
        contribution.may = actions_for(request.user, contribution)
    query = request.GET.copy()
    query.pop("sida", None)
    return render(
        request,
        "reporting/review_queue.html",
        {"form": form, "page": page, "query": query.urlencode()},
    )


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def contribution_review(request, pk):
    require_strategist(request.user)
    contribution = contribution_for_user(request.user, pk)
    may = actions_for(request.user, contribution)
    if not may[Step.RETURN]:
        messages.info(request, may[Step.RETURN].reason)
        return redirect("reporting:contribution-detail", pk=contribution.pk)
    latest = contribution.versions.order_by("-number").first()
    form = ReturnForm()
    approve_form = ApproveForm()
    if request.method == "POST" and "approve" in request.POST and "return" in request.POST:
        # Two decisions at once (a form sent by hand): neither is guessed, and the comment
        # typed stays in its field.
        form = ReturnForm(request.POST)
        messages.error(
            request,
            _(
                "Choose either to approve or to return the contribution: the form asked for "
                "both, so nothing was done."
            ),
        )
    elif request.method == "POST" and "approve" in request.POST:
        approve_form = ApproveForm(request.POST)
        try:
            if approve_form.is_valid():  # always: a version missing or forged is refused
                services.contribution_approve(
                    contribution=contribution,
                    by=request.user,
                    seen_version=approve_form.cleaned_data["seen_version"],
                )
                messages.success(request, _("The contribution is approved."))
                return _back_to_queue(contribution)
        except services.WorkflowError as error:
            messages.error(request, str(error))
    elif request.method == "POST":
        form = ReturnForm(request.POST)
        try:
            if form.is_valid():
                services.contribution_return(
                    contribution=contribution,
                    comment=form.cleaned_data["comment"],
                    by=request.user,
                    seen_version=form.cleaned_data["seen_version"],
                )
                messages.success(request, _("The contribution is returned to the organisation."))
                return _back_to_queue(contribution)
        except services.WorkflowError as error:
            messages.error(request, str(error))
    for decision in (form, approve_form):
        decision.shows(latest.number if latest else 0)
    returned = selectors.version_returned_last(contribution)
    questions = list(contribution.cycle.questions.all())
    indicators = list(contribution.focus_area.indicators.all())
    content = ContributionContent.of(contribution)
    changes = None
    if returned is not None and contribution.state == Contribution.State.RESUBMITTED:
        changes = ContributionContent.from_json(returned.data).diff(
            content, questions, indicators, contribution.cycle.programme.levels.focus_area
        )
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
            "message_places": ["thread"],
            "approve_form": approve_form,
            "may": may,
            **content_context(content, contribution),
        },
    )


@require_safe
@login_required
def cycle_matrix(request, pk):
    cycle = cycle_for_strategist(request.user, pk)
    form = MatrixFilter(request.GET)
    # A value the form does not offer is said under its field and not used; the others
    # still filter.
    form.is_valid()
    filters = form.cleaned_data
    matrix = selectors.matrix(
        cycle,
        kind=filters.get("kind") or "",
        state=filters.get("state") or "",
        overdue_only=bool(filters.get("overdue")),
    )
    return render(
        request,
        "reporting/cycle_matrix.html",
        {
            "cycle": cycle,
            "form": form,
            "matrix": matrix,
            "state_labels": {key: label for key, (label, _symbol) in STATES.items()},
        },
    )


def _back_to_queue(contribution):
    """The review queue of the contribution's cycle: the strategist goes on through that
    cycle's contributions, not every running cycle's."""
    return redirect(f"{reverse('reporting:review-queue')}?cycle={contribution.cycle_id}")
