"""The synthesis, the report's preview, its compiled versions and the published report."""

from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from django.views.decorators.http import (
    condition,
    require_http_methods,
    require_POST,
    require_safe,
)

from livskvalitet.core.forms import show_again
from livskvalitet.core.http import revalidated
from programme.indicators import indicator_views

from .. import permissions, workflow
from ..content import ContributionContent
from ..forms import PublishForm, SynthesisForm, UnpublishForm
from ..models import Action, Contribution, ContributionVersion, Publication, Report, Synthesis
from ..permissions import (
    cycle_for_strategist,
    published_contribution_version,
    published_report,
    report_for_user,
    withdrawn_report,
    withdrawn_reports,
)
from ..selectors import (
    latest_approvals,
    outdated_syntheses,
    registered_initiatives,
)
from ..services import WorkflowError
from ..views.reading import content_context
from ..workflow import actions_for
from . import compile as reports
from . import pdf
from .citations import CitationsRefused
from .data import CYCLE_GAP_KINDS, gap_words, report_data


@require_safe
@login_required
def synthesis_list(request, pk):
    cycle = cycle_for_strategist(request.user, pk)
    syntheses = {s.focus_area_id: s for s in Synthesis.objects.filter(cycle=cycle)}
    outdated = outdated_syntheses([cycle])[cycle.pk]
    approved = {}
    for area_id in cycle.contributions.filter(
        state=Contribution.State.APPROVED, withdrawn=False
    ).values_list("focus_area_id", flat=True):
        approved[area_id] = approved.get(area_id, 0) + 1
    areas = []
    for area in cycle.programme.focus_areas.order_by("sort_key"):
        areas.append(
            {
                "area": area,
                "synthesis": syntheses.get(area.pk),
                "approved": approved.get(area.pk, 0),
                # Contributions approved after the analysis was written.
                "outdated": area.pk in outdated,
            }
        )
    return render(request, "reporting/synthesis_list.html", {"cycle": cycle, "areas": areas})


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def synthesis_edit(request, pk, code):
    cycle = cycle_for_strategist(request.user, pk)
    focus_area = get_object_or_404(
        cycle.programme.focus_areas.select_related("direction"), code=code
    )
    synthesis = Synthesis.objects.filter(cycle=cycle, focus_area=focus_area).first()
    approved = (
        cycle.contributions.filter(
            focus_area=focus_area, state=Contribution.State.APPROVED, withdrawn=False
        )
        .select_related("organisation")
        .prefetch_related("actions")
        .order_by("organisation__name")
    )
    actions = list(
        Action.objects.filter(contribution__in=approved).select_related(
            "contribution__organisation"
        )
    )
    initial = {"revision": 0}
    if synthesis:
        initial = {
            "analysis": synthesis.analysis,
            "assessment": synthesis.assessment,
            "highlighted": [a.pk for a in synthesis.highlighted_actions.all()],
            "revision": synthesis.revision,
        }
    form = SynthesisForm(
        request.POST if request.method == "POST" else None, initial=initial, actions=actions
    )
    theirs = None
    if request.method == "POST" and form.is_valid():
        try:
            reports.synthesis_save(
                cycle=cycle,
                focus_area=focus_area,
                analysis=form.cleaned_data["analysis"],
                assessment=form.cleaned_data["assessment"],
                highlighted=form.highlighted_actions(),
                by=request.user,
                revision=form.cleaned_data["revision"] or 0,
            )
        except reports.TextChangedMeanwhile as error:
            messages.error(request, str(error))
            theirs = error.current
            form.data = form.data.copy()
            form.data["revision"] = theirs.revision  # saving again: I have seen theirs
        except CitationsRefused as error:  # said at the text, as the form's other errors
            form.add_error("analysis", " ".join(error.problems))
        except WorkflowError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("The synthesis is saved."))
            return redirect("reporting:synthesis-list", pk=cycle.pk)
    views = indicator_views(focus_area, first_year=cycle.trend_from, last_year=cycle.last_year)
    return render(
        request,
        "reporting/synthesis_edit.html",
        {
            "cycle": cycle,
            "focus_area": focus_area,
            "form": form,
            "approved": approved,
            "initiatives": registered_initiatives(focus_area=focus_area.code)[:50],
            "citable": latest_approvals(cycle).values(),
            "indicator_views": views,
            "theirs": theirs,
        },
    )


@require_safe
@login_required
def report_preview(request, pk):
    cycle = cycle_for_strategist(request.user, pk)
    return HttpResponse(pdf.render_html(report_data(cycle), preview=True))


@require_safe
@login_required
def report_list(request, pk):
    return _report_list(request, cycle_for_strategist(request.user, pk))


def _report_list(request, cycle, unpublishing=None):
    """The versions of the cycle's report; ``unpublishing`` a refused withdrawal's form,
    shown again under its version with what was typed."""
    versions = list(
        cycle.reports.select_related("compiled_by", "published_by").prefetch_related(
            "publications__by"
        )
    )
    for version in versions:
        version.may = actions_for(request.user, version)
        for event in version.publications.all():
            own = [gap for gap in event.accepted_gaps if gap["kind"] not in CYCLE_GAP_KINDS]
            event.accepted_gap_words = [gap_words(gap) for gap in own]
            event.accepted_cycle_words = [
                gap_words(gap) for gap in event.accepted_gaps if gap["kind"] in CYCLE_GAP_KINDS
            ]
        refused = unpublishing and unpublishing[0] == version.number
        version.unpublish_form = unpublishing[1] if refused else UnpublishForm()
    running = any(r.status in (Report.Status.QUEUED, Report.Status.RUNNING) for r in versions)
    return render(
        request,
        "reporting/report_list.html",
        {
            "cycle": cycle,
            "reports": versions,
            "running": running,
        },
    )


@require_POST
@login_required
def report_compile(request, pk):
    cycle = cycle_for_strategist(request.user, pk)
    try:
        report = reports.report_request(cycle=cycle, by=request.user)
    except WorkflowError as error:
        messages.error(request, str(error))
    else:
        # Where tasks run at once (a single process), it is compiled by now: say what is so.
        report.refresh_from_db(fields=["status"])
        if report.status == Report.Status.DONE:
            done = _("Version %(number)d of the report is compiled.")
            messages.success(request, done % {"number": report.number})
        elif report.status == Report.Status.FAILED:
            failed = _("Version %(number)d of the report could not be compiled; see why below.")
            messages.error(request, failed % {"number": report.number})
        else:
            messages.success(
                request,
                _("Version %(number)d of the report is being compiled.")
                % {"number": report.number},
            )
    return redirect("reporting:report-list", pk=cycle.pk)


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def report_publish(request, pk, number):
    """What the version holds and lacks, then a confirmed decision to publish it."""
    cycle = cycle_for_strategist(request.user, pk)
    report = get_object_or_404(cycle.reports.select_related("compiled_by"), number=number)
    checklist = reports.publication_checklist(report)
    form = PublishForm(
        request.POST if request.method == "POST" else None,
        gaps=checklist["to_accept"],
        seen=checklist["seen"],
        pending=bool(checklist["pending"]),
    )
    if request.method == "POST" and form.is_valid():
        try:
            reports.report_publish(
                report=report,
                by=request.user,
                accept_gaps=form.cleaned_data.get("accept_gaps", False),
                seen=form.cleaned_data["seen"] or None,
            )
        except WorkflowError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("Version %(number)d is published.") % {"number": number})
        return redirect("reporting:report-list", pk=cycle.pk)
    show_again(form, "seen", checklist["seen"])  # the gaps it lists now, not those looked at
    return render(
        request,
        "reporting/report_publish.html",
        {
            "cycle": cycle,
            "report": report,
            "form": form,
            "step": workflow.Step.PUBLISH,
            "heading": _("Publish version %(number)s") % {"number": report.number},
            "error_heading": _("Nothing was published. Correct these:"),
            "may": actions_for(request.user, report),
            "back": reverse("reporting:report-list", args=[cycle.pk]),
            "checklist": checklist,
        },
    )


@require_POST
@login_required
def report_unpublish(request, pk, number):
    cycle = cycle_for_strategist(request.user, pk)
    report = get_object_or_404(cycle.reports, number=number)
    form = UnpublishForm(request.POST)
    may = actions_for(request.user, report)["unpublish"]
    if not may:  # no form offered on the page to show the reason in: say why not
        messages.error(request, may.reason)
        return redirect("reporting:report-list", pk=cycle.pk)
    if not form.is_valid():  # the page again, with what was typed and why it is refused
        return _report_list(request, cycle, unpublishing=(report.number, form))
    try:
        reports.report_unpublish(report=report, by=request.user, reason=form.cleaned_data["reason"])
    except WorkflowError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request,
            _(
                "The publication of version %(number)d is withdrawn: its files can no longer "
                "be downloaded. Its public page stays, saying when and why it was withdrawn."
            )
            % {"number": number},
        )
    return redirect("reporting:report-list", pk=cycle.pk)


def _gone(request, pk, number, version_pk=None):
    """What a file or page of a report the reader may not read answers: 410 with a link to
    its page, which says when and why, for a withdrawn publication; else 404. For one of
    its contributions, also a link to that contribution in the version that replaced it,
    if that version has it."""
    withdrawn = withdrawn_report(pk, number)
    if withdrawn is None:
        raise Http404
    # Replaced, the page says so, not "withdrawn".
    replacement = permissions.replacement_of(withdrawn)
    context = {
        "number": number,
        "page_url": reverse("reporting:published-report", args=[pk, number]),
        "replacement": replacement,
        "replacement_url": replacement
        and reverse("reporting:published-report", args=[pk, replacement.number]),
        "replaced": _in_replacement(withdrawn, version_pk, replacement)
        if version_pk is not None and replacement is not None
        else None,
    }
    page = render(request, "reporting/report_gone.html", context, status=410)
    return revalidated(page, request)


def _in_replacement(withdrawn: Report, version_pk: int, replacement: Report) -> dict | None:
    """The contribution of a withdrawn version's approved version in the version that
    replaced it, if it has it: {"number", "url"} (an approval of it of its own, maybe a
    later one). None if the withdrawn version was not built from that version, or the
    replacement does not have that contribution."""
    contribution = (
        withdrawn.built_from.filter(pk=version_pk, event=ContributionVersion.Event.APPROVED)
        .values_list("contribution_id", flat=True)
        .first()
    )
    if contribution is None:
        return None
    version = (
        replacement.built_from.filter(
            contribution_id=contribution, event=ContributionVersion.Event.APPROVED
        )
        .values_list("pk", flat=True)
        .first()
    )
    if version is None:
        return None
    return {
        "number": replacement.number,
        "url": reverse(
            "reporting:published-contribution",
            args=[withdrawn.cycle_id, replacement.number, version],
        ),
    }


EDITIONS = {
    "html": ("html_edition", "text/html; charset=utf-8"),
    "docx": (
        "docx",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ),
}


def _published_file(request, pk, number, edition="pdf") -> Report | None:
    """The published version whose file is asked for, if it has that file: the same for
    everybody, so that a reader's copy of it may be revalidated. None for any other (not
    published, withdrawn, no such file), which the view answers whole. Looked up once per
    request."""
    if not hasattr(request, "_published_file"):
        field = "pdf" if edition == "pdf" else EDITIONS.get(edition, (None, None))[0]
        report = permissions.published_reports().filter(cycle__pk=pk, number=number).first()
        request._published_file = report if report and field and getattr(report, field) else None
    return request._published_file


def _etag(request, pk, number, edition="pdf") -> str | None:
    report = _published_file(request, pk, number, edition)
    return f"{report.checksum}-{edition}" if report else None


def _last_modified(request, pk, number, edition="pdf"):
    """When its files were written: when the version was compiled (publishing does not
    change them)."""
    report = _published_file(request, pk, number, edition)
    return (report.finished_at or report.published_at) if report else None


def published_file(view):
    """A published file is the same for everybody: public, but a shared cache asks again
    every time (no-cache), so that a withdrawn publication is gone at once. It carries its
    ETag and Last-Modified, and a reader whose copy is this one (If-None-Match,
    If-Modified-Since) gets 304, by Django's condition(). Unpublished versions stay private
    (the default) and are answered whole; a withdrawn one's files are gone (410)."""
    conditional = condition(etag_func=_etag, last_modified_func=_last_modified)(view)

    @wraps(view)
    def answer(request, *args, **kwargs):
        response = conditional(request, *args, **kwargs)
        if _published_file(request, *args, **kwargs) and response.status_code in (200, 304):
            patch_cache_control(response, public=True, no_cache=True)
        return response

    return answer


@require_safe
@published_file
def report_download(request, pk, number):
    try:
        report = report_for_user(request.user, pk, number)
    except Http404:
        return _gone(request, pk, number)
    return FileResponse(
        report.pdf.open("rb"), content_type="application/pdf", filename=report.file_name("pdf")
    )


@require_safe
@published_file
def report_edition(request, pk, number, edition):
    """The HTML edition (read in the browser) or the Word file of a compiled version: the
    same readers as its PDF; public once published."""
    if edition not in EDITIONS:  # never a file of any version, withdrawn ones included
        raise Http404(_("This version has no such edition."))
    try:
        report = report_for_user(request.user, pk, number)
    except Http404:
        return _gone(request, pk, number)
    field, content_type = EDITIONS.get(edition, (None, None))
    stored = getattr(report, field) if field else None
    if not stored:
        raise Http404(_("This version has no such edition."))
    if edition == "html":
        with stored.open("rb") as handle:
            return HttpResponse(handle.read(), content_type=content_type)
    return FileResponse(
        stored.open("rb"),
        content_type=content_type,
        filename=report.file_name("docx"),
        as_attachment=True,
    )


@require_safe
def published_reports(request):
    """Open to the public: the reports to the city council are public documents. A
    withdrawn publication stays listed, as withdrawn."""
    published = permissions.published_reports().select_related("cycle__programme")
    withdrawn = withdrawn_reports()
    context = {"reports": published, "withdrawn": withdrawn}
    return revalidated(render(request, "reporting/published_reports.html", context), request)


@require_safe
def published_report_page(request, pk, number):
    """A published report as a public document: its editions and the approved
    contributions it was built from. A withdrawn one keeps its page, which says when and
    why, and which version replaced it."""
    withdrawn = withdrawn_report(pk, number)
    if withdrawn is not None:
        context = {
            "report": withdrawn,
            "withdrawal": withdrawn.publications.filter(action=Publication.Action.WITHDRAWN)
            .order_by("at", "pk")
            .last(),
            "replaced_by": permissions.replacement_of(withdrawn),
        }
        return revalidated(render(request, "reporting/published_report.html", context), request)
    report = published_report(pk, number)
    # Named and numbered as the report was compiled with them, as its files print them
    # (Bilaga 2), in that order.
    versions = report.built_from.select_related(
        "contribution__organisation", "contribution__focus_area"
    )
    numbers = report.appendix_numbers
    for version in versions:
        version.printed = report.printed_as(version)
        version.appendix_number = numbers.get(version.pk)
        version.cited_where = report.cited_where.get(str(version.contribution_id), [])
    organisations = {}
    for version in sorted(
        versions,
        key=lambda v: report.printed_order(
            v.pk, v.printed["organisation"], v.contribution.focus_area.sort_key
        ),
    ):
        organisations.setdefault(version.printed["organisation"], []).append(version)
    context = {"report": report, "organisations": list(organisations.items())}
    return revalidated(render(request, "reporting/published_report.html", context), request)


@require_safe
def published_contribution(request, pk, number, version_pk):
    """One approved contribution of a published report, as it was when the report was
    compiled; the strategists read it in a version not (or no longer) published too, as
    the HTML edition they read before publishing links it."""
    try:
        report = report_for_user(request.user, pk, number)
    except Http404:
        return _gone(request, pk, number, version_pk)
    version = published_contribution_version(report, version_pk)
    contribution = version.contribution
    content = ContributionContent.from_json(version.data)
    context = {
        "report": report,
        "version": version,
        "contribution": contribution,
        "printed": report.printed_as(version),  # its names as the report was compiled
        # Its number in Bilaga 2, as the report's citations ([10]) that lead here say it.
        "appendix_number": report.appendix_numbers.get(version.pk),
        "public_copy": True,
        **content_context(content, contribution),
    }
    return revalidated(render(request, "reporting/published_contribution.html", context), request)
