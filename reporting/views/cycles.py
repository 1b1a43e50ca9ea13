"""Strategists run cycles: create, open, review, close; adjust requests and questions."""

import html

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.formats import date_format
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from livskvalitet.core.text import isolated
from livskvalitet.reversing import url_maker
from programme.selectors import current_programme
from reporting.templatetags.reporting_tags import state_badge_of

from .. import selectors, services
from ..forms import CycleForm, DueDateForm, OpenCycleForm, QuestionForm, RequestForm
from ..models import STATES, Cycle
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
    return render(
        request,
        "reporting/cycle_detail.html",
        {
            "cycle": cycle,
            "counts": selectors.cycle_counts(cycle),
            "by_organisation": _with_rows(cycle, selectors.cycle_requests(cycle)),
            "questions": cycle.questions.all(),
            "due_form": DueDateForm(initial={"due_on": cycle.due_on}),
            "request_form": RequestForm(cycle=cycle),
            "question_form": QuestionForm(),
            "due_history": cycle.history.select_related("history_user").order_by("-history_date"),
        },
    )


def _with_rows(cycle, groups: list[dict]) -> list[dict]:
    """Each organisation's table rows as HTML, made here rather than in the template: the
    page lists every request of the cycle (30 organisations × 13 focus areas, or more),
    and the template language spends ~35 µs a row where this spends a few. Every value
    is escaped; focus-area titles, names and reasons are bidi-isolated (text.isolated)."""
    detail_url = url_maker("reporting:contribution-detail")
    withdraw_url = url_maker("reporting:request-withdraw", cycle.pk)
    withdraw_label = _("Withdraw %(code)s from %(org)s")
    withdraw, not_relevant = escape(_("Withdraw")), escape(_("not relevant"))
    summary = _("%(asked)s asked, %(handed)s handed over, %(approved)s approved")
    badges = {key: state_badge_of(key) for key in STATES}
    titles = {}
    for group in groups:
        rows = []
        for request in group["requests"]:
            code = request["code"]
            title = titles.get(code)
            if title is None:
                title = titles[code] = f"{escape(code)} {isolated(request['title'])}"
            reason = request["not_relevant_reason"]
            reason = "" if reason is None else f" – {not_relevant}: {isolated(reason)}"
            button = ""
            if request["withdrawable"]:
                label = html.escape(withdraw_label % {"code": code, "org": group["name"]})
                button = (
                    '<button class="btn btn-sm btn-outline-secondary" type="submit" '
                    f'formaction="{withdraw_url(request["pk"])}" aria-label="{label}">'
                    f"{withdraw}</button>"
                )
            rows.append(
                f'<tr><th scope="row"><a href="{detail_url(request["pk"])}">{title}</a></th>'
                f"<td>{badges[request['display_state']]}{reason}</td>"
                f"<td>{button}</td></tr>"
            )
        group["rows"] = mark_safe("\n".join(rows))  # noqa: S308 - every value escaped above
        group["summary"] = summary % {
            "asked": group["asked"],
            "handed": group["handed"],
            "approved": group["approved"],
        }
        group["name"] = isolated(group["name"])
    return groups


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
