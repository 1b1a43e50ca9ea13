"""Strategists run cycles: create, open, review, close; adjust requests and questions."""

from itertools import groupby

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from programme.selectors import current_programme

from .. import selectors, services
from ..forms import CycleForm, DueDateForm, OpenCycleForm, QuestionForm, RequestForm
from ..models import Contribution, Cycle
from ..permissions import cycle_for_strategist, require_strategist

# Opening has a page of its own (cycle_open below): it is previewed and confirmed.
TRANSITIONS = {
    "review": services.cycle_start_review,
    "close": services.cycle_close,
    "unschedule": services.cycle_unschedule,
}


@require_safe
@login_required
def cycle_list(request):
    require_strategist(request.user)
    return render(
        request,
        "reporting/cycle_list.html",
        {"cycles": Cycle.objects.select_related("programme")},
    )


@require_http_methods(["GET", "POST"])
@login_required
def cycle_create(request):
    require_strategist(request.user)
    programme = current_programme()
    form = CycleForm(request.POST or None, initial={"programme": programme})
    if request.method == "POST" and form.is_valid():
        try:
            cycle = services.cycle_create(by=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        except services.WorkflowError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("The cycle is created. Adjust it, then open it."))
            return redirect("reporting:cycle-detail", pk=cycle.pk)
    return render(request, "reporting/cycle_form.html", {"form": form})


@require_safe
@login_required
def cycle_detail(request, pk):
    cycle = cycle_for_strategist(request.user, pk)
    contributions = cycle.contributions.select_related("organisation", "focus_area").order_by(
        "organisation__name", "focus_area__code"
    )
    # Grouped by organisation and folded: 30 organisations × 13 focus areas stay readable.
    by_organisation = []
    for organisation, group in groupby(contributions, key=lambda c: c.organisation):
        group = list(group)
        by_organisation.append(
            {
                "organisation": organisation,
                "contributions": group,
                "asked": sum(not c.withdrawn for c in group),
                "handed": sum(
                    not c.withdrawn and c.state in Contribution.SHARED_STATES for c in group
                ),
                "approved": sum(
                    not c.withdrawn and c.state == Contribution.State.APPROVED for c in group
                ),
            }
        )
    return render(
        request,
        "reporting/cycle_detail.html",
        {
            "cycle": cycle,
            "counts": selectors.cycle_counts(cycle),
            "by_organisation": by_organisation,
            "questions": cycle.questions.all(),
            "due_form": DueDateForm(initial={"due_on": cycle.due_on}),
            "request_form": RequestForm(cycle=cycle),
            "question_form": QuestionForm(),
            "due_history": cycle.history.select_related("history_user").order_by("-history_date"),
            "shared_states": Contribution.SHARED_STATES,
        },
    )


@require_POST
@login_required
def cycle_transition(request, pk, action):
    cycle = cycle_for_strategist(request.user, pk)
    service = TRANSITIONS.get(action)
    if service is None:
        raise Http404
    try:
        service(cycle=cycle, by=request.user)
    except services.WorkflowError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("The cycle's state is changed."))
    return redirect("reporting:cycle-detail", pk=cycle.pk)


@require_http_methods(["GET", "POST"])
@login_required
def cycle_open(request, pk):
    """Who will be asked what, what is wrong with it, and then: open now, or schedule."""
    cycle = cycle_for_strategist(request.user, pk)
    plan = selectors.opening_plan(cycle)
    form = OpenCycleForm(request.POST if request.method == "POST" else None, plan=plan)
    if request.method == "POST" and cycle.state == Cycle.State.PLANNING and form.is_valid():
        try:
            if form.cleaned_data["when"] == "schedule":
                services.cycle_schedule(
                    cycle=cycle, by=request.user, expected=form.cleaned_data["plan"]
                )
                messages.success(
                    request,
                    _("The cycle opens on %(date)s; the requests are sent that morning.")
                    % {"date": date_format(cycle.opens_on)},
                )
            else:
                count = services.cycle_open(
                    cycle=cycle, by=request.user, expected=form.cleaned_data["plan"]
                )
                messages.success(
                    request,
                    _("The cycle is open; %(count)d requests were sent.") % {"count": count},
                )
        except services.WorkflowError as error:
            messages.error(request, str(error))
            return redirect("reporting:cycle-open", pk=cycle.pk)
        return redirect("reporting:cycle-detail", pk=cycle.pk)
    return render(
        request, "reporting/cycle_open.html", {"cycle": cycle, "plan": plan, "form": form}
    )


@require_POST
@login_required
def cycle_due_date(request, pk):
    cycle = cycle_for_strategist(request.user, pk)
    form = DueDateForm(request.POST)
    if form.is_valid():
        try:
            services.cycle_change_due_date(
                cycle=cycle, due_on=form.cleaned_data["due_on"], by=request.user
            )
            messages.success(request, _("The due date is changed."))
        except services.WorkflowError as error:
            messages.error(request, str(error))
    else:
        messages.error(request, _("Enter a valid date."))
    return redirect("reporting:cycle-detail", pk=cycle.pk)


@require_POST
@login_required
def request_add(request, pk):
    cycle = cycle_for_strategist(request.user, pk)
    form = RequestForm(request.POST, cycle=cycle)
    if form.is_valid():
        try:
            services.request_add(cycle=cycle, by=request.user, **form.cleaned_data)
            messages.success(request, _("The organisation is asked about the focus area."))
        except services.WorkflowError as error:
            messages.error(request, str(error))
    else:
        messages.error(request, _("Choose an organisation and a focus area."))
    return redirect("reporting:cycle-detail", pk=cycle.pk)


@require_POST
@login_required
def request_withdraw(request, pk, contribution_pk):
    cycle = cycle_for_strategist(request.user, pk)
    contribution = get_object_or_404(cycle.contributions, pk=contribution_pk)
    try:
        services.request_withdraw(contribution=contribution, by=request.user)
        messages.success(request, _("The request is withdrawn."))
    except services.WorkflowError as error:
        messages.error(request, str(error))
    return redirect("reporting:cycle-detail", pk=cycle.pk)


@require_POST
@login_required
def question_add(request, pk):
    cycle = cycle_for_strategist(request.user, pk)
    form = QuestionForm(request.POST)
    if form.is_valid():
        try:
            services.question_add(cycle=cycle, by=request.user, **form.cleaned_data)
        except services.WorkflowError as error:
            messages.error(request, str(error))
        else:
            messages.success(
                request, _("The question is added to every contribution of the cycle.")
            )
    else:
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
    return redirect("reporting:cycle-detail", pk=cycle.pk)
