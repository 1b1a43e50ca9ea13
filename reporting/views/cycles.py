"""Strategists run cycles: create, open, review, close; adjust requests and questions."""

import copy
from functools import partial

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from programme.selectors import current_programme

from .. import notifications, selectors, services
from ..forms import (
    CycleEditForm,
    CycleForm,
    DueDateForm,
    OpenCycleForm,
    QuestionForm,
    ReopenForm,
    RequestForm,
)
from ..permissions import (
    asked_organisation_for_strategist,
    cycle_for_strategist,
    installation_cycles,
    require_strategist,
)
from ..reminders import reminder_refused
from ..workflow import WRITABLE_STATES, Step, actions_for, open_for_writing, reporting_ended

# Opening, starting the review and closing have pages of their own (cycle_open,
# cycle_start_review, cycle_close below): the strategist sees what they do before confirming.
TRANSITIONS = {
    "unschedule": services.cycle_unschedule,
}


@require_safe
@login_required
def cycle_list(request):
    require_strategist(request.user)
    return render(
        request,
        "reporting/cycle_list.html",
        {"cycles": installation_cycles().select_related("programme")},
    )


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def cycle_create(request):
    require_strategist(request.user)
    programme = current_programme()
    initial = {"programme": programme, **selectors.next_cycle_years(programme)}
    form = CycleForm(
        request.POST or None, initial=initial, questions_to_copy=selectors.questions_to_copy()
    )
    if request.method == "POST" and form.is_valid():
        try:
            cycle = services.cycle_create(by=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        except services.WorkflowError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("The cycle is created. Adjust it, then open it."))
            if form.cleaned_data.get("copy_questions"):
                messages.info(request, _copied(cycle))
            return redirect("reporting:cycle-detail", pk=cycle.pk)
    return render(request, "reporting/cycle_form.html", {"form": form})


def _copied(cycle) -> str:
    """What the new cycle's questions were copied from, in words."""
    source = selectors.question_source(cycle)
    if source is None and selectors.demo_cycle_exists():
        return _(
            "No earlier cycle of the programme to copy questions from (the demo's questions "
            "are not copied): it starts without."
        )
    if source is None:
        return _("No earlier cycle of the programme to copy questions from: it starts without.")
    count = cycle.questions.count()
    if not count:
        return _("%(cycle)s had no questions of its own to copy.") % {"cycle": source.title}
    return ngettext(
        "%(count)d question was copied from %(cycle)s: change or remove it below until the "
        "cycle opens.",
        "%(count)d questions were copied from %(cycle)s: change or remove them below until "
        "the cycle opens.",
        count,
    ) % {"count": count, "cycle": source.title}


@require_safe
@login_required
def cycle_detail(request, pk):
    """The cycle at a glance: its state and what may be done now, and one row per
    organisation asked (its requests are on the organisation's page, cycle_organisation)."""
    return _cycle_page(request, cycle_for_strategist(request.user, pk))


def _cycle_page(request, cycle, question_form=None):
    """The cycle's page; ``question_form`` a refused new question, shown again as typed."""
    return render(
        request,
        "reporting/cycle_detail.html",
        {
            "cycle": cycle,
            "may": actions_for(request.user, cycle),
            "counts": selectors.cycle_counts(cycle),
            "organisations": selectors.cycle_organisations(cycle),
            "questions": cycle.questions.all(),
            "due_form": DueDateForm(initial={"due_on": cycle.due_on}),
            "reopen_form": ReopenForm(prefix="reopen"),
            "question_form": question_form or QuestionForm(),
            "due_history": cycle.history.select_related("history_user").order_by("-history_date"),
        },
    )


@require_safe
@login_required
def cycle_organisation(request, pk, organisation_pk):
    """One organisation's requests in the cycle, each with what may be done with it."""
    cycle, organisation = asked_organisation_for_strategist(request.user, pk, organisation_pk)
    requests = selectors.organisation_requests(request.user, cycle, organisation)
    may = actions_for(request.user, cycle)
    # A reminder that could only be refused (nobody to reach, sent today) is not offered.
    today = timezone.localdate()
    refused = reminder_refused(cycle, organisation, today=today) if may[Step.REMIND] else ""
    return render(
        request,
        "reporting/cycle_organisation.html",
        {
            "cycle": cycle,
            "organisation": organisation,
            "requests": requests,
            "withdrawable": any(row["may"][Step.WITHDRAW] for row in requests),
            "may": may,
            "remind_refused": refused,
            "reminders": selectors.reminders_sent(cycle, organisation),
        },
    )


@require_POST
@login_required
def organisation_remind(request, pk, organisation_pk):
    """A reminder by hand to one organisation of what it can still write."""
    cycle, organisation = asked_organisation_for_strategist(request.user, pk, organisation_pk)
    try:
        users = services.organisation_remind(
            cycle=cycle, organisation=organisation, by=request.user
        )
    except services.WorkflowError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request,
            ngettext(
                "A reminder was sent to %(count)d person at %(organisation)s.",
                "A reminder was sent to %(count)d people at %(organisation)s.",
                len(users),
            )
            % {"count": len(users), "organisation": organisation.name},
        )
    return redirect("reporting:cycle-organisation", pk=cycle.pk, organisation_pk=organisation.pk)


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


def _step_page(request, template, step, heading, *, cycle, may, back=None, **context):
    """A step's page, in the frame templates/reporting/cycle_step.html: ``step`` is its
    workflow action, which the frame asks of ``may`` (the workflow's answers for the
    object) to say why not or to offer it; Cancel leads ``back`` (to the cycle, unless
    given)."""
    context |= {
        "cycle": cycle,
        "step": step,
        "heading": heading,
        "may": may,
        "back": back or reverse("reporting:cycle-detail", args=[cycle.pk]),
    }
    return render(request, template, context)


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def cycle_open(request, pk):
    """Who will be asked what, what is wrong with it, and then: open now, or schedule."""
    cycle = cycle_for_strategist(request.user, pk)
    may = actions_for(request.user, cycle)
    plan = selectors.opening_plan(cycle)
    form = OpenCycleForm(
        request.POST if request.method == "POST" else None,
        plan=plan,
        schedule=may[Step.SCHEDULE].allowed,
    )
    if request.method == "POST" and may[Step.OPEN] and form.is_valid():
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
    return _step_page(
        request,
        "reporting/cycle_open.html",
        Step.OPEN,
        _("Open the cycle"),
        cycle=cycle,
        may=may,
        plan=plan,
        form=form,
    )


def _confirmed(request, pk, step, heading, *, service, template, done):
    """A step that ends something for good: GET shows its page (what it stops and what goes
    on, selectors.review_start), POST takes it; the workflow says whether it may be taken."""
    cycle = cycle_for_strategist(request.user, pk)
    if request.method == "POST":
        try:
            service(cycle=cycle, by=request.user)
        except services.WorkflowError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, done)
        return redirect("reporting:cycle-detail", pk=cycle.pk)
    may, summary = actions_for(request.user, cycle), selectors.review_start(cycle)
    return _step_page(request, template, step, heading, cycle=cycle, may=may, summary=summary)


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def cycle_start_review(request, pk):
    """What starting the review stops and what goes on, then the confirmed decision."""
    return _confirmed(
        request,
        pk,
        Step.START_REVIEW,
        _("Start the review"),
        service=services.cycle_start_review,
        template="reporting/cycle_start_review.html",
        done=_("The review has started: reporting has ended for every organisation."),
    )


def _saved_changes(request, form, edit, *, done: str) -> bool:
    """Save what the valid form changed through the service ``edit``, saying so (or that
    nothing changed); False, with the reason on the page, when the service refuses."""
    changes = {name: form.cleaned_data[name] for name in form.changed_data}
    try:
        edit(by=request.user, **changes)
    except ValidationError as error:
        form.add_error(None, error)
        return False
    except services.WorkflowError as error:
        messages.error(request, str(error))
        return False
    if changes:
        messages.success(request, done)
    else:
        messages.info(request, _("Nothing was changed."))
    return True


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def cycle_edit(request, pk):
    """Title, years and dates, until the cycle opens."""
    cycle = cycle_for_strategist(request.user, pk)
    may = actions_for(request.user, cycle)
    # A copy: the form writes into its instance while validating; the service saves.
    form = CycleEditForm(request.POST or None, instance=copy.copy(cycle))
    if request.method == "POST" and may[Step.EDIT] and form.is_valid():
        edit = partial(services.cycle_edit, cycle=cycle)
        if _saved_changes(request, form, edit, done=_("The cycle is changed.")):
            return redirect("reporting:cycle-detail", pk=cycle.pk)
    return _step_page(
        request,
        "reporting/cycle_edit.html",
        Step.EDIT,
        _("Change the cycle"),
        cycle=cycle,
        may=may,
        form=form,
    )


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def cycle_close(request, pk):
    """What closing leaves as it is for good, then the confirmed decision."""
    return _confirmed(
        request,
        pk,
        Step.CLOSE,
        _("Close the cycle"),
        service=services.cycle_close,
        template="reporting/cycle_close.html",
        done=_("The cycle is closed."),
    )


@require_POST
@login_required
def cycle_reopen(request, pk):
    cycle = cycle_for_strategist(request.user, pk)
    form = ReopenForm(request.POST, prefix="reopen")
    if form.is_valid():
        try:
            services.cycle_reopen(cycle=cycle, due_on=form.cleaned_data["due_on"], by=request.user)
        except services.WorkflowError as error:
            messages.error(request, str(error))
        else:
            messages.success(
                request,
                _("Reporting is open again until %(date)s; the organisations are told.")
                % {"date": date_format(cycle.due_on)},
            )
    else:
        messages.error(request, _("Enter a valid date."))
    return redirect("reporting:cycle-detail", pk=cycle.pk)


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


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def request_add(request, pk):
    """Ask one more organisation about a focus area: a page of its own, so that the cycle's
    page does not carry a list of every organisation and focus area."""
    cycle = cycle_for_strategist(request.user, pk)
    may = actions_for(request.user, cycle)
    form = RequestForm(request.POST or None, cycle=cycle)
    level = cycle.programme.levels.focus_area  # what the programme calls a focus area
    if request.method == "POST" and may[Step.ADD_REQUEST] and form.is_valid():
        try:
            contribution = services.request_add(cycle=cycle, by=request.user, **form.cleaned_data)
        except services.WorkflowError as error:
            messages.error(request, str(error))
        else:
            asked = {"area": f"{level} {form.cleaned_data['focus_area'].code}"}
            if contribution.state in WRITABLE_STATES and not open_for_writing(contribution):
                # Asked in the review: nobody can write in it until reporting is reopened.
                messages.warning(
                    request,
                    _(
                        "The organisation is asked about %(area)s, but reporting has ended: "
                        "it cannot write in the request until reporting is reopened."
                    )
                    % asked,
                )
            else:
                messages.success(request, _("The organisation is asked about %(area)s.") % asked)
            return redirect("reporting:cycle-detail", pk=cycle.pk)
    return _step_page(
        request,
        "reporting/request_add.html",
        Step.ADD_REQUEST,
        _("Add a request (organisation and %(level)s)") % {"level": level},
        cycle=cycle,
        may=may,
        form=form,
        reporting_ended=reporting_ended(cycle),
    )


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def request_withdraw(request, pk, contribution_pk):
    """Withdrawing a request tells the organisation: GET says what happens, POST does it."""
    cycle = cycle_for_strategist(request.user, pk)
    contribution = get_object_or_404(
        cycle.contributions.select_related("organisation", "focus_area"), pk=contribution_pk
    )
    if request.method == "POST":
        try:
            services.request_withdraw(contribution=contribution, by=request.user)
            messages.success(request, _("The request is withdrawn."))
        except services.WorkflowError as error:
            messages.error(request, str(error))
        return redirect(
            "reporting:cycle-organisation",
            pk=cycle.pk,
            organisation_pk=contribution.organisation_id,
        )
    organisation = contribution.organisation
    return _step_page(
        request,
        "reporting/request_withdraw.html",
        Step.WITHDRAW,
        _("Withdraw the request"),
        cycle=cycle,
        may=actions_for(request.user, contribution),
        back=reverse("reporting:cycle-organisation", args=[cycle.pk, organisation.pk]),
        contribution=contribution,
        organisation=organisation,
        told=notifications.reachable(notifications.withdrawn_recipients(contribution)),
    )


@require_POST
@login_required
def question_add(request, pk):
    cycle = cycle_for_strategist(request.user, pk)
    may = actions_for(request.user, cycle)[Step.ADD_QUESTION]
    if not may:  # the page offers no form to show the reason in: say why not
        messages.error(request, may.reason)
        return redirect("reporting:cycle-detail", pk=cycle.pk)
    form = QuestionForm(request.POST)
    if form.is_valid():
        try:
            services.question_add(cycle=cycle, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        except services.WorkflowError as error:
            messages.error(request, str(error))
        else:
            messages.success(
                request, _("The question is added to every contribution of the cycle.")
            )
            return redirect("reporting:cycle-detail", pk=cycle.pk)
    # Refused: the cycle's page again, with what was typed and why.
    return _cycle_page(request, cycle, question_form=form)


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def question_edit(request, pk, question_pk):
    """A question changed until the cycle opens."""
    cycle = cycle_for_strategist(request.user, pk)
    question = get_object_or_404(cycle.questions, pk=question_pk)
    may = actions_for(request.user, cycle)
    # A copy: the form writes into its instance while validating; the service saves.
    form = QuestionForm(request.POST or None, instance=copy.copy(question))
    if request.method == "POST" and may[Step.CHANGE_QUESTIONS] and form.is_valid():
        edit = partial(services.question_edit, question=question)
        if _saved_changes(request, form, edit, done=_("The question is changed.")):
            return redirect("reporting:cycle-detail", pk=cycle.pk)
    return _step_page(
        request,
        "reporting/question_edit.html",
        Step.CHANGE_QUESTIONS,
        _("Change the question"),
        cycle=cycle,
        may=may,
        question=question,
        form=form,
    )


@require_POST
@login_required
def question_remove(request, pk, question_pk):
    cycle = cycle_for_strategist(request.user, pk)
    question = get_object_or_404(cycle.questions, pk=question_pk)
    try:
        services.question_remove(question=question, by=request.user)
    except services.WorkflowError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request, _("The question “%(text)s” is removed.") % {"text": question.text}
        )
    return redirect("reporting:cycle-detail", pk=cycle.pk)
