"""Reading a contribution: its page, its thread, its saved versions and its files."""

import functools

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import FileResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from programme.models import Sdg

from .. import selectors, services
from ..content import ContributionContent
from ..forms import ReadyForm, SendBackForm, SubmitForm, ThreadForm
from ..permissions import (
    attachment_for_user,
    contribution_for_user,
    contribution_page_for_user,
    thread_for_user,
    versions_readable_by,
)
from ..workflow import Step, actions_for


def content_context(content: ContributionContent, contribution) -> dict:
    """What the template _contribution_content.html needs to show a content whole."""
    goals = {sdg.number: sdg for sdg in Sdg.objects.all()}
    return {
        "content": content,
        "actions": [
            {"action": action, "sdgs": [goals[n] for n in action.sdgs if n in goals]}
            for action in content.actions
        ],
        "answers": [
            (question, content.answers.get(str(question.pk), ""))
            for question in contribution.cycle.questions.all()
        ],
        "indicator_comments": [
            (indicator, content.indicator_comments[str(indicator.pk)])
            for indicator in contribution.focus_area.indicators.all()
            if content.indicator_comments.get(str(indicator.pk))
        ],
    }


@require_safe
@login_required
def contribution_detail(request, pk):
    contribution, readable = contribution_page_for_user(request.user, pk)
    may = actions_for(request.user, contribution)
    context = {
        "contribution": contribution,
        "readable": readable,
        "may": may,
        "thread": thread_for_user(request.user, contribution),
        "thread_form": ThreadForm() if may[Step.POST] else None,
        "message_places": ["thread"],
        "reminders": contribution.reminders.order_by("-sent_at").select_related("user", "sent_by"),
        "send_back_form": SendBackForm(),
        "submit_form": SubmitForm(initial={"version": contribution.version}),
        # With the note typed on the form and kept there until sent (contributions.py).
        "ready_form": ReadyForm(
            initial={
                "version": contribution.version,
                "note": kept_ready_note(request, contribution, may),
            }
        ),
        "listed": selectors.listed_for(request.user, contribution),
    }
    if readable:
        context |= content_context(ContributionContent.of(contribution), contribution)
    if may[Step.SUBMIT]:
        # Said beside the step rather than offering a submit the service would refuse.
        context["missing"] = services.missing_for_submission(contribution)
    return render(request, "reporting/contribution_detail.html", context)


def ready_note_key(contribution) -> str:
    """Where the session keeps a note for the approver typed but not yet sent."""
    return f"ready_note:{contribution.pk}"


def kept_ready_note(request, contribution, may) -> str:
    """The note for the approver typed on the form and not yet sent, while it can still
    go with marking the contribution ready; once it cannot (submitted by the approver,
    say), it is dropped rather than offered again with a later round."""
    if not may[Step.MARK_READY]:
        request.session.pop(ready_note_key(contribution), None)
        return ""
    return request.session.get(ready_note_key(contribution), "")


def text_refused(request, contribution, form, *, action, heading, button, reason=""):
    """A message, comment or note that was not accepted, shown again as typed with why
    (the form's errors, or the service's reason), to be changed and sent again."""
    return render(
        request,
        "reporting/text_refused.html",
        {
            "contribution": contribution,
            "form": form,
            "action": action,
            "heading": heading,
            "button": button,
            "reason": reason,
        },
    )


def send_text(request, contribution, form, send, *, heading, button):
    """A message, comment or note sent by a service (``send`` of the form's cleaned data):
    None once sent, or the page that shows it again with why it was not."""
    refused = functools.partial(
        text_refused, request, contribution, form, action=request.path, heading=heading,
        button=button,
    )  # fmt: skip
    if not form.is_valid():
        return refused()
    try:
        send(form.cleaned_data)
    except services.WorkflowError as error:
        return refused(reason=str(error))
    return None


def thread_refused(request, contribution, form, *, reason=""):
    """A thread message not sent, shown again to be sent from its own form."""
    return text_refused(
        request,
        contribution,
        form,
        action=reverse("reporting:thread-post", args=[contribution.pk]),
        heading=_("Your message was not sent"),
        button=_("Send the message"),
        reason=reason,
    )


@require_POST
@login_required
def thread_post(request, pk):
    contribution, _readable = contribution_page_for_user(request.user, pk)
    form = ThreadForm(request.POST)
    if not form.is_valid():
        return thread_refused(request, contribution, form)
    try:
        services.thread_post(
            contribution=contribution, by=request.user, text=form.cleaned_data["text"]
        )
    except services.WorkflowError as error:
        return thread_refused(request, contribution, form, reason=str(error))
    # Said in the thread, where the page lands (_thread.html, static/js/messages.js).
    messages.success(request, _("Your message is sent."), extra_tags="thread")
    return redirect(f"{form.back_url(contribution)}#thread")


# Saved versions a page of the history lists.
HISTORY_PAGE = 50


@require_safe
@login_required
def contribution_history(request, pk):
    """The saved versions, newest first, a page at a time: every save adds one."""
    contribution = contribution_for_user(request.user, pk)
    versions = versions_readable_by(request.user, contribution).select_related("created_by")
    page = Paginator(versions.order_by("-number"), HISTORY_PAGE).get_page(request.GET.get("sida"))
    query = request.GET.copy()
    query.pop("sida", None)
    return render(
        request,
        "reporting/contribution_history.html",
        {
            "contribution": contribution,
            "versions": page,
            "page": page,
            "query": query.urlencode(),
            "listed": selectors.listed_for(request.user, contribution),
        },
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
    content = ContributionContent.from_json(version.data)
    before = ContributionContent.from_json(previous.data if previous else None)
    return render(
        request,
        "reporting/contribution_version.html",
        {
            "contribution": contribution,
            "version": version,
            "previous": previous,
            "changes": before.diff(
                content, questions, indicators, contribution.cycle.programme.levels.focus_area
            ),
            "listed": selectors.listed_for(request.user, contribution),
            **content_context(content, contribution),
        },
    )


@require_safe
@login_required
def attachment_download(request, pk, attachment_pk):
    """A file attached to a contribution, for those who may read a version listing it."""
    attachment = attachment_for_user(request.user, pk, attachment_pk)
    return FileResponse(
        attachment.file.open("rb"),
        as_attachment=True,
        filename=attachment.name,
        content_type=attachment.content_type,
    )
