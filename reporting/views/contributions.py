"""The organisations' side: writing a contribution and handing it on."""

import functools
import re
from dataclasses import asdict
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.http import Http404
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from livskvalitet.core.forms import show_again
from programme.indicators import active_indicators, indicator_views

from .. import notifications, selectors, services
from ..content import ActionContent, ContributionContent
from ..forms import (
    ActionFormSet,
    ContributionForm,
    ReadyForm,
    SendBackForm,
    SubmitForm,
    ThreadForm,
    action_form_options,
)
from ..models import Contribution, ReviewComment
from ..permissions import contribution_for_user, thread_for_user
from ..workflow import Step, actions_for
from .reading import kept_ready_note, ready_note_key, send_text, text_refused, thread_refused


def _initial_actions(contribution, saved: ContributionContent):
    """The actions the form starts from: those saved, or, before the first save, the
    organisation's actions still planned or ongoing from earlier follow-ups, to report on
    (nothing to type again)."""
    if contribution.version or saved.actions:
        return [asdict(action) for action in saved.actions]
    return [
        asdict(ActionContent.carried(initiative))
        for initiative in selectors.open_initiatives(contribution)
    ]


@functools.lru_cache(maxsize=64)
def _new_action_form(language: str, sdg_choices: tuple, own_sdgs: frozenset) -> str:
    """The form of a new action, for the page's <template> (static/js/actions.js). It is
    the same for every contribution of a focus area in a language, so it is made once
    per process for each: the key is everything it is made from."""
    formset = ActionFormSet(
        prefix="actions", form_kwargs={"sdg_choices": list(sdg_choices), "own_sdgs": own_sdgs}
    )
    return render_to_string(
        "reporting/_action_form.html", {"action_form": formset.empty_form, "number": "__number__"}
    )


def _edit_context(request, contribution, form, formset, *, missing=None, **extra):
    """``missing``: what the saved contribution lacks for submitting, if already known."""
    options = formset.form_kwargs
    may = actions_for(request.user, contribution)
    # A list: the page counts it, shows the latest entry and lists them all.
    thread = list(thread_for_user(request.user, contribution))
    return {
        "contribution": contribution,
        "form": form,
        "formset": formset,
        "address": _address(form, formset),
        # The sections open on the page show the messages meant for them (_saved_and_opened).
        "message_places": [*_open_sections(form, formset), "thread"],
        "new_action_form": _new_action_form(
            translation.get_language(),
            tuple(options["sdg_choices"]),
            frozenset(options["own_sdgs"]),
        ),
        "previous_answers": selectors.previous_contributions(contribution),
        "thread": thread,
        "changes_asked": _changes_asked(contribution, thread),
        "may": may,
        "send_back_form": SendBackForm(),
        # On the form the message is a field of the form, sent with the save.
        "thread_in_form": may[Step.POST],
        "missing": services.missing_for_submission(contribution) if missing is None else missing,
        **extra,
    }


ASKING_FOR_CHANGES = (ReviewComment.Kind.RETURN, ReviewComment.Kind.SENT_BACK)


def _changes_asked(contribution, thread):
    """The comment that asked for the changes the contribution waits for (returned by the
    strategists, or sent back by the approver), shown above the form until it is handed
    on again: replies in the thread since do not hide it. Only while that step is the last
    of the contribution's round (selectors.round_steps): a step since (its request withdrawn
    and asked again, say, unless it is being corrected) begins another round, which the
    comment does not speak for."""
    if contribution.state not in (Contribution.State.DRAFT, Contribution.State.RETURNED):
        return None
    asked = [entry for entry in thread if entry.kind in ASKING_FOR_CHANGES]
    if not asked:
        return None
    last_step = selectors.round_steps(contribution).values_list("number", flat=True).first()
    return asked[-1] if asked[-1].version_number == last_step else None


def _address(form, formset) -> str:
    """The form's address says which of its sections are open (Samverkan, a saved action)
    and how many new actions there are, so that the form comes back the same (after a
    login, say: static/js/keep-typed.js puts the typed text back into the same fields)."""
    return _form_address(
        form.instance,
        collaboration=form.collaboration_open,
        action=formset.open_number,
        new=formset.new_count,
    )


def _open_sections(form, formset) -> list[str]:
    """The ids of the form's open sections: Samverkan, the saved action open for changes
    and the new actions ("insats-N", as numbered on the page)."""
    saved = formset.initial_form_count()
    opened = ["collaboration"] if form.collaboration_open else []
    if formset.open_number:
        opened.append(f"insats-{formset.open_number}")
    return opened + [
        f"insats-{number}" for number in range(saved + 1, saved + formset.new_count + 1)
    ]


# The names of the form's address: the page users see (and static/js/actions.js sets nya).
OPEN_COLLABORATION, OPEN_ACTION, NEW_ACTIONS = "samverkan", "insats", "nya"


def _form_address(contribution, *, collaboration=False, action=None, new=0, at="") -> str:
    """The address of the contribution form with these sections open: Samverkan, a saved
    action by its number on the page (from 1), room for ``new`` new actions; ``at``: the
    id of the section the page lands on."""
    query = {OPEN_COLLABORATION: int(collaboration), OPEN_ACTION: action, NEW_ACTIONS: new}
    query = urlencode({name: value for name, value in query.items() if value})
    path = reverse("reporting:contribution-edit", args=[contribution.pk])
    return path + (f"?{query}" if query else "") + (f"#{at}" if at else "")


def _opened_sections(request) -> dict:
    """The sections the form's address opens, as the forms take them."""
    return {
        "collaboration_open": request.GET.get(OPEN_COLLABORATION) == "1",
        "open_action": _action_index(request.GET.get(OPEN_ACTION)),
        "new": _new_actions(request.GET.get(NEW_ACTIONS)),
    }


def _saved_and_opened(request, contribution, text, *, at, **sections):
    """After a section's button saved the draft: the page opens that section (``sections``,
    as _form_address takes them) and lands on it, with the word that the draft is saved
    there, not above the screen (the message's place, ``at``, is the section's id: see
    the page's message_places)."""
    messages.success(request, text, extra_tags=at)
    return redirect(_form_address(contribution, at=at, **sections))


def _conflict_message(conflict, user) -> str:
    other = conflict.contribution.updated_by
    if other == user:
        return _(
            "Your changes were not saved: you saved this contribution in another window or "
            "tab while editing it here. Both texts are shown below; copy what you want to keep "
            "into the form and save again."
        )
    return _(
        "Your changes were not saved: %(name)s saved this contribution while you were "
        "editing it. Both texts are shown below; copy what you want to keep into the form "
        "and save again."
    ) % {"name": (other.get_full_name() or other.get_username()) if other else _("someone")}


@require_safe
@login_required
def contribution_indicator(request, pk, indicator):
    """The chart and figures of an indicator of the contribution's focus area, over the
    cycle's years, for the form's "chart and figures" when opened (static/js/figures.js):
    the form itself reads no figures."""
    contribution = contribution_for_user(request.user, pk)
    views = indicator_views(
        contribution.focus_area,
        first_year=contribution.cycle.trend_from,
        last_year=contribution.cycle.last_year,
        only=indicator,
    )
    if not views:
        raise Http404
    context = {"view": views[0], "level": 3, "prefix": "form"}
    return render(request, "programme/_indicator.html", context)


@require_http_methods(["GET", "HEAD", "POST"])
def contribution_edit(request, pk):
    if not request.user.is_authenticated:
        # A POST from a user whose session ran out: nothing of it is kept on the server.
        # The browser kept the text (static/js/keep-typed.js) and puts it back after login,
        # into the sections that were open and the new actions (the form's address:
        # _form_address).
        return redirect_to_login(request.get_full_path())
    contribution = contribution_for_user(request.user, pk, write=True)
    if request.method != "POST" and not actions_for(request.user, contribution)[Step.SAVE]:
        return redirect("reporting:contribution-detail", pk=contribution.pk)
    questions = list(contribution.cycle.questions.all())
    # The form has a comment field for each indicator; their charts and figures are
    # fetched when asked for (contribution_indicator).
    indicators = list(active_indicators([contribution.focus_area]))
    # What is saved now, read once: the form's answers, comments and attachments, the
    # actions to start from and what submitting still needs all come from it.
    saved = ContributionContent.of(contribution)
    opened = _opened_sections(request)
    options = {
        "questions": questions,
        "answers": {int(pk): value for pk, value in saved.answers.items()},
        "indicators": indicators,
        "comments": {int(pk): text for pk, text in saved.indicator_comments.items()},
        "attached": saved.attachments,
        "collaboration_open": opened["collaboration_open"],
    }
    missing = saved.missing([question for question in questions if question.required])
    action_options = action_form_options(
        contribution.focus_area, level=contribution.cycle.programme.levels.focus_area
    )
    if request.method != "POST":
        form = ContributionForm(
            instance=contribution,
            initial={
                "version": contribution.version,
                "ready_note": kept_ready_note(
                    request, contribution, actions_for(request.user, contribution)
                ),
            },
            **options,
        )
        formset = ActionFormSet(
            prefix="actions",
            initial=_initial_actions(contribution, saved),
            form_kwargs=action_options,
            open_action=opened["open_action"],
            new=opened["new"],
        )
        return render(
            request,
            "reporting/contribution_edit.html",
            _edit_context(request, contribution, form, formset, missing=missing),
        )

    form = ContributionForm(request.POST, request.FILES, instance=contribution, **options)
    # The saved actions the form shows closed keep what is saved (see ActionForm).
    formset = ActionFormSet(
        request.POST,
        prefix="actions",
        initial=_initial_actions(contribution, saved),
        form_kwargs=action_options,
    )
    if not (form.is_valid() and formset.is_valid()):
        # Said once, by the page's summary of the errors (its first thing, focused), with
        # a word for whoever pressed a section's button: it opens once the draft is saved.
        opening = "edit_collaboration" in request.POST or "edit_action" in request.POST
        return render(
            request,
            "reporting/contribution_edit.html",
            _edit_context(
                request,
                contribution,
                form,
                formset,
                missing=missing,
                opening=opening,
            ),
        )
    mine = ContributionContent.from_form(form, formset, attachments=form.kept_attachments())
    try:
        contribution = services.contribution_save(
            contribution=contribution,
            content=mine,
            files=form.cleaned_data["attachments"],
            expected_version=form.cleaned_data["version"],
            by=request.user,
        )
    except services.ConcurrentEdit as conflict:
        messages.error(request, _conflict_message(conflict, request.user))
        form.data = form.data.copy()
        form.data["version"] = conflict.contribution.version
        theirs = ContributionContent.of(conflict.contribution)
        return render(
            request,
            "reporting/contribution_edit.html",
            _edit_context(
                request,
                conflict.contribution,
                form,
                formset,
                conflict=theirs.diff(
                    mine, questions, indicators, contribution.cycle.programme.levels.focus_area
                ),
            ),
            status=409,
        )
    except services.WorkflowError as error:
        messages.error(request, str(error))
        return redirect("reporting:contribution-detail", pk=contribution.pk)
    _remember_saved(request)
    ready_note = form.cleaned_data["ready_note"]
    if not ("ready" in request.POST and not form.refused_files):
        _keep_ready_note(request, contribution, ready_note)
    message = form.cleaned_data.get("message") or ""
    if message.strip():
        try:
            services.thread_post(contribution=contribution, by=request.user, text=message)
        except services.WorkflowError as error:
            # The save stands; the message is shown again, to be sent or kept.
            form = ThreadForm({"text": message, "back": "edit"})
            return thread_refused(request, contribution, form, reason=str(error))
        messages.success(request, _("Your message is sent."))
    refused = form.refused_files  # set by the form's clean_attachments
    if refused:
        # Saved, with the files that could be attached; the others are named with why, and
        # nothing is handed on with a file missing.
        messages.warning(
            request,
            _("The draft is saved, but these files were not attached: %(files)s Choose them "
              "again once they are put right.") % {"files": " ".join(refused)},
        )  # fmt: skip
        return redirect("reporting:contribution-edit", pk=contribution.pk)
    if "submit" in request.POST:
        return _submit(request, contribution)
    if "ready" in request.POST:
        return _mark_ready(request, contribution, ready_note)
    if "add_action" in request.POST:
        # The new action comes after those saved.
        number = len(mine.actions) + 1
        return _saved_and_opened(
            request,
            contribution,
            _("The draft is saved. Write the new action below."),
            at=f"insats-{number}",
            new=1,
        )
    if "edit_collaboration" in request.POST:
        return _saved_and_opened(
            request,
            contribution,
            _("The draft is saved. Change the collaboration below."),
            at="collaboration",
            collaboration=True,
        )
    opened = _opened_after_saving(formset, request.POST.get("edit_action"))
    if opened is not None:
        return _saved_and_opened(
            request,
            contribution,
            _("The draft is saved. Change the action below."),
            at=f"insats-{opened + 1}",
            action=opened + 1,
        )
    messages.success(request, _("The draft is saved."))
    return redirect("reporting:contribution-edit", pk=contribution.pk)


def _keep_ready_note(request, contribution, note: str) -> None:
    """A note for the approver typed, but the draft saved without marking it ready (its
    other buttons, or Enter): it is not posted, and the form shows it again as typed
    until it is sent with marking ready; saved emptied, it is dropped."""
    if not note.strip():
        request.session.pop(ready_note_key(contribution), None)
    else:
        request.session[ready_note_key(contribution)] = note
        messages.info(
            request,
            _("Your note for the approver is not sent yet: it is kept below, and goes with "
              "marking the contribution ready for approval."),
        )  # fmt: skip


def _action_index(number) -> int | None:
    """The index of "Insats <number>" as the page numbers actions (from 1)."""
    try:
        return int(number) - 1 if int(number) > 0 else None
    except (TypeError, ValueError):
        return None


def _new_actions(count) -> int:
    """How many empty actions the page has room for (?nya=, see static/js/actions.js)."""
    try:
        return min(max(int(count), 0), 50)
    except (TypeError, ValueError):
        return 0


def _opened_after_saving(formset, number) -> int | None:
    """The index, among the actions as saved, of the action whose "Change" button sent
    the form: actions removed or left empty before it are no longer counted."""
    index = _action_index(number)
    if index is None or index >= formset.initial_form_count():
        return None
    forms = formset.forms[: index + 1]
    if forms[-1].cleaned_data.get("DELETE"):
        return None
    return sum(
        1 for f in forms[:-1] if f.cleaned_data.get("title") and not f.cleaned_data.get("DELETE")
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


def _submit(request, contribution, seen=None):
    try:
        services.contribution_submit(contribution=contribution, by=request.user, seen=seen)
    except services.ChangedSinceSeen as error:
        messages.error(request, str(error))
        return redirect("reporting:contribution-detail", pk=contribution.pk)
    except services.WorkflowError as error:
        messages.error(request, str(error))
        return redirect("reporting:contribution-edit", pk=contribution.pk)
    owner = contribution.cycle.programme.follow_up_owner
    messages.success(request, _("The contribution is submitted to %(owner)s.") % {"owner": owner})
    return redirect("reporting:contribution-detail", pk=contribution.pk)


def _mark_ready(request, contribution, note, seen=None):
    try:
        services.contribution_mark_ready(
            contribution=contribution, by=request.user, note=note, seen=seen
        )
    except services.ChangedSinceSeen as error:
        messages.error(request, str(error))
        return redirect("reporting:contribution-detail", pk=contribution.pk)
    except services.WorkflowError as error:
        if not actions_for(request.user, contribution)[Step.MARK_READY]:
            messages.error(request, str(error))
            return redirect("reporting:contribution-edit", pk=contribution.pk)
        # It could be marked ready, but not with this note: the note is shown again.
        form = ReadyForm(initial={"note": note, "version": contribution.version})
        return _ready_refused(request, contribution, form, reason=str(error))
    request.session.pop(ready_note_key(contribution), None)  # sent with it
    if notifications.reachable(notifications.ready_recipients(contribution, by=request.user)):
        text = _("The contribution is marked ready; your approver has been told.")
    else:
        text = _(
            "The contribution is marked ready, but no approver could be told: none of them "
            "has an e-mail address. Tell them yourself."
        )
    missing = services.missing_for_submission(contribution)
    if missing:
        # Allowed, but the approver cannot submit it as it stands: the reporter hears so now.
        text += " " + _("Needed before it can be submitted: %(fields)s.") % {
            "fields": ", ".join(missing)
        }
        messages.warning(request, text)
    else:
        messages.success(request, text)
    return redirect("reporting:contribution-detail", pk=contribution.pk)


def _ready_refused(request, contribution, form, *, reason=""):
    """The note for the approver shown again, with why the contribution is not marked ready
    with it (the form's errors, or the service's ``reason``)."""
    return text_refused(
        request,
        contribution,
        form,
        action=reverse("reporting:contribution-ready", args=[contribution.pk]),
        heading=_("The contribution is not marked ready"),
        button=_("Mark ready for approval"),
        reason=reason,
    )


@require_POST
@login_required
def contribution_submit(request, pk):
    """Submit as it stands; the form must say which version its user saw."""
    contribution = contribution_for_user(request.user, pk, write=True)
    return _submit(request, contribution, seen=SubmitForm(request.POST).seen())


@require_POST
@login_required
def contribution_ready(request, pk):
    """Mark ready for approval as it stands, with a note for the approver."""
    contribution = contribution_for_user(request.user, pk, write=True)
    form = ReadyForm(request.POST)
    seen = form.seen()
    show_again(form, "version", contribution.version)  # refused, it offers what is there now
    if not form.is_valid() and actions_for(request.user, contribution)[Step.MARK_READY]:
        return _ready_refused(request, contribution, form)
    return _mark_ready(request, contribution, form.cleaned_data.get("note", ""), seen=seen)


@require_POST
@login_required
def contribution_send_back(request, pk):
    """The approver sends a draft marked ready back to the reporters, with a comment."""
    contribution = contribution_for_user(request.user, pk, write=True)
    form = SendBackForm(request.POST)
    refused = send_text(
        request,
        contribution,
        form,
        lambda data: services.contribution_send_back(
            contribution=contribution, by=request.user, comment=data["comment"]
        ),
        heading=_("The contribution is not sent back"),
        button=_("Send back to the reporters"),
    )
    if refused:
        return refused
    if notifications.reachable(notifications.sent_back_recipients(contribution, by=request.user)):
        messages.success(request, _("The contribution is sent back; the reporters are told."))
    else:
        messages.warning(
            request,
            _(
                "The contribution is sent back, but no reporter could be told: none of them "
                "has an e-mail address. Tell them yourself."
            ),
        )
    return redirect("reporting:contribution-detail", pk=contribution.pk)
