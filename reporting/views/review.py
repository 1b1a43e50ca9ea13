"""The strategy department's side: review queue, matrix, returning and approving."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from programme.models import Organisation

from .. import selectors, services
from ..diff import snapshot_diff
from ..forms import ReturnForm
from ..models import Contribution
from ..permissions import (
    can_approve,
    can_review,
    contribution_for_user,
    cycle_for_strategist,
    require_strategist,
)


@require_safe
@login_required
def review_queue(request):
    require_strategist(request.user)
    return render(request, "reporting/review_queue.html", {"queue": selectors.review_queue()})


@require_http_methods(["GET", "POST"])
@login_required
def contribution_review(request, pk):
    require_strategist(request.user)
    contribution = contribution_for_user(request.user, pk)
    if not can_review(request.user, contribution):
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
    changes = None
    if returned is not None and contribution.state == Contribution.State.RESUBMITTED:
        changes = snapshot_diff(
            returned.data,
            latest.data,
            list(contribution.cycle.questions.all()),
            list(contribution.focus_area.indicators.all()),
        )
    return render(
        request,
        "reporting/contribution_review.html",
        {
            "contribution": contribution,
            "form": form,
            "returned": returned,
            "changes": changes,
            "comments": contribution.comments.select_related("author"),
            "seen_version": latest.number if latest else 0,
            "can_approve": can_approve(request.user, contribution),
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
    if state not in dict(Contribution.State.choices):
        state = ""
    overdue_only = request.GET.get("overdue") == "1"
    return render(
        request,
        "reporting/cycle_matrix.html",
        {
            "cycle": cycle,
            "matrix": selectors.matrix(cycle, kind=kind, state=state, overdue_only=overdue_only),
            "kinds": [
                (k, label)
                for k, label in Organisation.Kind.choices
                if k in Organisation.REPORTING_KINDS
            ],
            "states": Contribution.State.choices,
            "selected": {"kind": kind, "state": state, "overdue": overdue_only},
            "shared_states": Contribution.SHARED_STATES,
        },
    )
