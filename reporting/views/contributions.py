"""The organisations' side: what is asked of them, and the contribution form."""

import re

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from livskvalitet.text import render_text
from programme.indicators import indicator_views
from programme.models import Sdg

from .. import selectors, services
from ..diff import snapshot_diff, snapshot_fields
from ..forms import ActionFormSet, ContributionForm, sdg_choices
from ..models import Contribution
from ..permissions import (
    can_edit,
    can_review,
    can_submit,
    contribution_for_user,
    versions_readable_by,
)


@require_safe
@login_required
def my_tasks(request):
    return render(request, "reporting/my_tasks.html", {"groups": selectors.tasks_for(request.user)})


def _initial_actions(contribution):
    return [
        {
            "title": action.title,
            "description": action.description,
            "status": action.status,
            "groups": action.groups,
            "sdgs": [sdg.number for sdg in action.sdgs.all()],
            "reference": action.reference,
        }
        for action in contribution.actions.prefetch_related("sdgs")
    ]


def _actions_from(formset) -> list[dict]:
    sdgs = {sdg.number: sdg for sdg in Sdg.objects.all()}
    actions = []
    for form in formset.forms:
        data = form.cleaned_data
        if not data or data.get("DELETE") or not data.get("title"):
            continue
        actions.append({**data, "sdgs": [sdgs[n] for n in data.get("sdgs", []) if n in sdgs]})
    return actions


def _edit_context(request, contribution, form, formset, **extra):
    return {
        "contribution": contribution,
        "form": form,
        "formset": formset,
        "previous": selectors.previous_contribution(contribution),
        "comments": contribution.comments.select_related("author"),
        "can_submit": can_submit(request.user, contribution),
        "missing": services.missing_for_submission(contribution),
        **extra,
    }


def contribution_edit(request, pk):
    if not request.user.is_authenticated:
        # A POST from a user whose session ran out: nothing of it is kept on the server.
        # The browser kept the text (static/js/keep-typed.js) and puts it back after login.
        return redirect_to_login(request.path)
    contribution = contribution_for_user(request.user, pk, write=True)
    editable = can_edit(request.user, contribution)
    if not editable and request.method != "POST":
        return redirect("reporting:contribution-detail", pk=contribution.pk)
    questions = list(contribution.cycle.questions.all())
    answers = {a.question_id: a.value for a in contribution.answers.all()}
    views = indicator_views(
        contribution.focus_area,
        first_year=contribution.cycle.first_year,
        last_year=contribution.cycle.last_year,
    )
    indicators = [view.indicator for view in views]
    comments = {c.indicator_id: c.text for c in contribution.indicator_comments.all()}
    extra = {"indicators": indicators, "comments": comments}
    choices = sdg_choices()
    if request.method == "POST":
        form = ContributionForm(
            request.POST, instance=contribution, questions=questions, answers=answers, **extra
        )
        formset = ActionFormSet(
            request.POST, prefix="actions", form_kwargs={"sdg_choices": choices}
        )
        if form.is_valid() and formset.is_valid():
            try:
                contribution = services.contribution_save(
                    contribution=contribution,
                    fields=form.cleaned_data,
                    actions=_actions_from(formset),
                    answers=form.answers(),
                    indicator_comments=form.indicator_comments(),
                    expected_version=form.cleaned_data["version"],
                    by=request.user,
                )
            except services.ConcurrentEdit as conflict:
                theirs = services.contribution_snapshot(conflict.contribution)
                messages.error(
                    request,
                    _(
                        "Your changes were not saved: %(name)s saved this contribution while "
                        "you were editing it. Both texts are shown below; copy what you want "
                        "to keep into the form and save again."
                    )
                    % {
                        "name": (
                            conflict.contribution.updated_by.get_full_name()
                            or conflict.contribution.updated_by.get_username()
                        )
                        if conflict.contribution.updated_by
                        else _("someone")
                    },
                )
                form.data = form.data.copy()
                form.data["version"] = conflict.contribution.version
                return render(
                    request,
                    "reporting/contribution_edit.html",
                    _edit_context(
                        request,
                        conflict.contribution,
                        form,
                        formset,
                        conflict=snapshot_diff(theirs, _mine(form, formset), questions, indicators),
                        indicator_views=views,
                    ),
                    status=409,
                )
            except services.WorkflowError as error:
                messages.error(request, str(error))
                return redirect("reporting:contribution-detail", pk=contribution.pk)
            _remember_saved(request)
            if "submit" in request.POST:
                return _submit(request, contribution)
            messages.success(request, _("The draft is saved."))
            return redirect("reporting:contribution-edit", pk=contribution.pk)
        messages.error(
            request, _("The form has errors; nothing was saved. See the fields marked below.")
        )
    else:
        form = ContributionForm(
            instance=contribution,
            questions=questions,
            answers=answers,
            initial={"version": contribution.version},
            **extra,
        )
        formset = ActionFormSet(
            prefix="actions",
            initial=_initial_actions(contribution),
            form_kwargs={"sdg_choices": choices},
        )
    return render(
        request,
        "reporting/contribution_edit.html",
        _edit_context(request, contribution, form, formset, indicator_views=views),
    )


SAVED_TYPED_KEY = "saved_typed"
TYPED_TOKEN = re.compile(r"^[A-Za-z0-9-]{8,64}$")


def _remember_saved(request) -> None:
    """Tell the browser that the text it kept under this token is saved (keep-typed.js).

    Only for logged-in users, a few short tokens at most.
    """
    token = request.POST.get("typed_token", "")
    if TYPED_TOKEN.match(token):
        saved = [t for t in request.session.get(SAVED_TYPED_KEY, []) if t != token]
        request.session[SAVED_TYPED_KEY] = [*saved, token][-5:]


def _mine(form, formset) -> dict:
    data = {field: form.cleaned_data.get(field, "") for field in services.CONTENT_FIELDS}
    data["actions"] = [{**a, "sdgs": [s.number for s in a["sdgs"]]} for a in _actions_from(formset)]
    data["answers"] = {str(q.pk): "" if v is None else str(v) for q, v in form.answers().items()}
    data["indicator_comments"] = {
        str(i.pk): text for i, text in form.indicator_comments().items() if text
    }
    return data


def _submit(request, contribution):
    try:
        services.contribution_submit(contribution=contribution, by=request.user)
    except services.WorkflowError as error:
        messages.error(request, str(error))
        return redirect("reporting:contribution-edit", pk=contribution.pk)
    messages.success(request, _("The contribution is submitted to the strategy department."))
    return redirect("reporting:contribution-detail", pk=contribution.pk)


@require_POST
@login_required
def contribution_submit(request, pk):
    """Submit as it stands; the form must say which version its user saw."""
    contribution = contribution_for_user(request.user, pk, write=True)
    if request.POST.get("version") != str(contribution.version):
        messages.error(
            request,
            _("The contribution has changed since you opened it. Read it again, then decide."),
        )
        return redirect("reporting:contribution-edit", pk=contribution.pk)
    return _submit(request, contribution)


@require_safe
@login_required
def contribution_detail(request, pk):
    contribution = contribution_for_user(request.user, pk)
    return render(
        request,
        "reporting/contribution_detail.html",
        {
            "contribution": contribution,
            "actions": contribution.actions.prefetch_related("sdgs"),
            "answers": contribution.answers.select_related("question"),
            "indicator_comments": contribution.indicator_comments.exclude(text="").select_related(
                "indicator"
            ),
            "comments": contribution.comments.select_related("author"),
            "can_edit": can_edit(request.user, contribution),
            "can_review": can_review(request.user, contribution),
            "texts": _rendered_texts(contribution),
        },
    )


def _rendered_texts(contribution) -> list[tuple[str, str]]:
    if contribution.not_relevant:
        fields = ["not_relevant_reason"]
    else:
        fields = ["done", "results", "assessment_motivation", "challenges", "next_steps"]
    return [
        (
            Contribution._meta.get_field(field).verbose_name,
            render_text(getattr(contribution, field)),
        )
        for field in fields
    ]


@require_safe
@login_required
def contribution_history(request, pk):
    contribution = contribution_for_user(request.user, pk)
    versions = versions_readable_by(request.user, contribution).select_related("created_by")
    return render(
        request,
        "reporting/contribution_history.html",
        {"contribution": contribution, "versions": versions.order_by("-number")},
    )


@require_safe
@login_required
def contribution_version(request, pk, number):
    """One saved version whole, with what changed from the version before it that the
    reader may see (never a diff against a draft they may not read)."""
    contribution = contribution_for_user(request.user, pk)
    readable = versions_readable_by(request.user, contribution).select_related("created_by")
    version = get_object_or_404(readable, number=number)
    previous = readable.filter(number__lt=number).order_by("-number").first()
    questions = list(contribution.cycle.questions.all())
    indicators = list(contribution.focus_area.indicators.all())
    changes = snapshot_diff(previous.data if previous else {}, version.data, questions, indicators)
    return render(
        request,
        "reporting/contribution_version.html",
        {
            "contribution": contribution,
            "version": version,
            "previous": previous,
            "changes": changes,
            "fields": snapshot_fields(version.data, questions, indicators),
        },
    )
