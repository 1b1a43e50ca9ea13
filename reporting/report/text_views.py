"""The report's own texts: summary, introduction, one per direction, further work."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from ..forms import ReportSettingsForm, ReportTextForm
from ..permissions import cycle_for_strategist
from ..selectors import latest_approvals
from ..services import WorkflowError
from . import compile as reports
from . import texts as report_texts
from .citations import CitationsRefused


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def report_text_list(request, pk):
    """The texts and whether they are ready, and what the report does with an empty part."""
    cycle = cycle_for_strategist(request.user, pk)
    form = ReportSettingsForm(request.POST if request.method == "POST" else None, instance=cycle)
    if request.method == "POST" and form.is_valid():
        reports.report_settings_save(
            cycle=cycle,
            says_when_empty=form.cleaned_data["report_says_when_empty"],
            by=request.user,
        )
        messages.success(request, _("The setting is saved."))
        return redirect("reporting:report-text-list", pk=cycle.pk)
    return render(
        request,
        "reporting/report_text_list.html",
        {"cycle": cycle, "slots": report_texts.slots(cycle), "form": form},
    )


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def report_text_edit(request, pk, key):
    cycle = cycle_for_strategist(request.user, pk)
    slot = report_texts.slot(cycle, key)
    if slot is None:
        raise Http404(_("The report has no such text."))
    initial = {
        "text": slot.text.text if slot.text else "",
        "ready": slot.ready,
        "revision": slot.revision,
    }
    form = ReportTextForm(request.POST if request.method == "POST" else None, initial=initial)
    theirs = None
    if request.method == "POST" and form.is_valid():
        try:
            reports.report_text_save(
                cycle=cycle,
                part=slot.part,
                direction=slot.direction,
                text=form.cleaned_data["text"],
                ready=form.cleaned_data["ready"],
                revision=form.cleaned_data["revision"],
                by=request.user,
            )
        except reports.TextChangedMeanwhile as error:
            messages.error(request, str(error))
            theirs = error.current
            # Saving again now means: I have seen their text.
            form.data = form.data.copy()
            form.data["revision"] = theirs.revision
        except CitationsRefused as error:  # said at the text, as the form's other errors
            form.add_error("text", " ".join(error.problems))
        except WorkflowError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("The text is saved."))
            return redirect("reporting:report-text-list", pk=cycle.pk)
    return render(
        request,
        "reporting/report_text_edit.html",
        {
            "cycle": cycle,
            "slot": slot,
            "form": form,
            "theirs": theirs,
            "citable": latest_approvals(cycle).values(),
        },
    )
