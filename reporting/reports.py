"""Compiling and publishing the report: services that change state."""

import datetime
import hashlib
import logging
from collections import Counter

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import F, Max
from django.utils import timezone
from django.utils.translation import gettext as _

from livskvalitet.text import as_typed
from programme.models import Indicator

from . import pdf, workflow
from .models import Action, Contribution, Cycle, Publication, Report, ReportText, Synthesis
from .notifications import in_site_language
from .report_data import approved_versions, report_data
from .services import WorkflowError

logger = logging.getLogger(__name__)


@transaction.atomic
def synthesis_save(
    *, cycle: Cycle, focus_area, analysis: str, assessment: str, highlighted, by, revision=None
):
    """Save the analysis of a focus area and record the approved versions it rests on.

    ``revision`` is the synthesis's revision when the form was opened: if someone saved
    since, nothing is saved (TextChangedMeanwhile)."""
    workflow.require(by, workflow.Action.WRITE_SYNTHESIS, cycle)
    allowed = set(
        Action.objects.filter(
            contribution__cycle=cycle,
            contribution__focus_area=focus_area,
            contribution__state=Contribution.State.APPROVED,
            contribution__withdrawn=False,
        ).values_list("pk", flat=True)
    )
    if any(action.pk not in allowed for action in highlighted):
        raise WorkflowError(_("Only actions of approved contributions can be highlighted."))
    synthesis = (
        Synthesis.objects.select_for_update().filter(cycle=cycle, focus_area=focus_area).first()
    ) or Synthesis(cycle=cycle, focus_area=focus_area)
    if revision is not None and synthesis.revision != revision:
        raise TextChangedMeanwhile(synthesis)
    synthesis.revision += 1
    synthesis.analysis = as_typed(analysis)
    synthesis.assessment = assessment
    synthesis.updated_by = by
    synthesis._history_user = by
    synthesis.save()
    synthesis.highlighted_actions.set(highlighted)
    synthesis.based_on.set(
        [v for v in approved_versions(cycle) if v.contribution.focus_area_id == focus_area.pk]
    )
    return synthesis


class TextChangedMeanwhile(WorkflowError):
    """Someone saved the text (a report text or a synthesis) after the form was opened;
    nothing was overwritten. ``current`` is what they saved."""

    def __init__(self, current):
        self.current = current
        if current.updated_by is None:
            message = _("Someone saved this text after you opened it. Nothing was saved.")
        else:
            message = _(
                "%(name)s saved this text after you opened it. Nothing was saved: their "
                "text is shown beside yours; merge them and save again."
            ) % {"name": current.updated_by.get_full_name() or current.updated_by.get_username()}
        super().__init__(message)


@transaction.atomic
def report_text_save(
    *, cycle: Cycle, part: str, direction=None, text: str, ready: bool, revision: int, by
) -> ReportText:
    """Save one of the report's own texts; refused if it changed since `revision`."""
    workflow.require(by, workflow.Action.WRITE_REPORT_TEXTS, cycle)
    if part not in ReportText.Part.values:
        raise WorkflowError(_("The report has no such text."))
    if (part == ReportText.Part.DIRECTION) != (direction is not None):
        raise WorkflowError(_("The report has no such text."))
    if direction is not None and direction.programme_id != cycle.programme_id:
        raise WorkflowError(_("The report has no such text."))
    report_text = (
        ReportText.objects.select_for_update()
        .filter(cycle=cycle, part=part, direction=direction)
        .first()
    ) or ReportText(cycle=cycle, part=part, direction=direction)
    if report_text.revision != revision:
        raise TextChangedMeanwhile(report_text)
    text = as_typed(text)
    if ready and not text.strip():
        raise WorkflowError(_("An empty text cannot be marked ready."))
    report_text.text = text
    report_text.ready = ready
    report_text.revision += 1
    report_text.updated_by = by
    report_text._history_user = by
    report_text.save()
    return report_text


def report_settings_save(*, cycle: Cycle, says_when_empty: bool, by) -> Cycle:
    """Whether the compiled report says so when a section is empty, or leaves it out."""
    workflow.require(by, workflow.Action.WRITE_REPORT_TEXTS, cycle)
    cycle.report_says_when_empty = says_when_empty
    cycle._history_user = by
    cycle.save(update_fields=["report_says_when_empty"])
    return cycle


@transaction.atomic
def report_request(*, cycle: Cycle, by) -> Report:
    """Make a new numbered report version and queue its compilation."""
    from .tasks import compile_report_task

    cycle = Cycle.objects.select_for_update().get(pk=cycle.pk)
    workflow.require(by, workflow.Action.COMPILE_REPORT, cycle)
    number = (cycle.reports.aggregate(n=Max("number"))["n"] or 0) + 1
    report = Report.objects.create(
        cycle=cycle, number=number, compiled_by=by, is_demo=cycle.is_demo
    )
    transaction.on_commit(lambda: compile_report_task.enqueue(report.pk))
    return report


def _set_progress(report: Report, progress: int, status=Report.Status.RUNNING) -> None:
    Report.objects.filter(pk=report.pk).update(
        progress=progress, status=status, progress_at=timezone.now()
    )


def _claim(report_id: int) -> bool:
    """Take a queued version for compiling: one worker only, whatever the queue does
    (a task delivered twice, two workers): the claim is one conditional UPDATE."""
    return bool(
        Report.objects.filter(pk=report_id, status=Report.Status.QUEUED).update(
            status=Report.Status.RUNNING,
            progress=1,
            progress_at=timezone.now(),
            attempts=F("attempts") + 1,
        )
    )


def reports_fail_stalled(now=None) -> int:
    """Mark as failed the versions a stopped worker left running: no progress for
    REPORT_STALL_SECONDS. Nothing is stored for them; the strategist compiles again."""
    now = now or timezone.now()
    limit = now - datetime.timedelta(seconds=settings.REPORT_STALL_SECONDS)
    stalled = Report.objects.filter(status=Report.Status.RUNNING, progress_at__lt=limit)
    count = stalled.update(
        status=Report.Status.FAILED,
        finished_at=now,
        error=_(
            "The compile stopped before it was done (the server doing it was stopped). "
            "Nothing was stored; compile the report again."
        ),
    )
    if count:
        logger.warning("Marked %d stalled report compile(s) as failed", count)
    return count


@in_site_language
def report_build(*, report_id: int) -> Report:
    """Render the PDF and store it with its checksum; on failure record why, store nothing.

    Runs in the background. The file is written to storage only once the whole PDF exists.
    """
    if not _claim(report_id):  # done, failed, or another worker has it
        return Report.objects.get(pk=report_id)
    report = Report.objects.select_related("cycle__programme__owner").get(pk=report_id)
    try:
        _set_progress(report, 5)
        data = report_data(report.cycle, number=report.number)
        _set_progress(report, 15)
        html = pdf.render_html(data)
        _set_progress(report, 25)
        rendered = pdf.write_pdf(html, progress=lambda p: _set_progress(report, p))
        # The other editions, from the same data: HTML for the web, Word for the
        # tjänsteskrivelse. (python-docx is loaded here, not when the web process starts.)
        from .docx_edition import write_docx

        html_edition = pdf.render_html(data, edition=True)
        word = write_docx(
            html_edition,
            title=f"{report.cycle.programme} – {report.cycle.title}",
            author=report.cycle.programme.owner.name if report.cycle.programme.owner else "",
        )
    except Exception as error:  # noqa: BLE001 - any failure is recorded for the user
        logger.exception("Compiling report %s failed", report_id)
        Report.objects.filter(pk=report.pk).update(
            status=Report.Status.FAILED,
            error=_(
                "The report could not be compiled (%(kind)s). The details are in the server's "
                "log; try again, and tell the administrators if it fails again."
            )
            % {"kind": type(error).__name__},
            finished_at=timezone.now(),
        )
        report.refresh_from_db()
        return report
    with transaction.atomic():
        report = Report.objects.select_for_update().get(pk=report.pk)
        report.pdf.save(f"report-{report.number}.pdf", ContentFile(rendered.content), save=False)
        report.html_edition.save(
            f"report-{report.number}.html", ContentFile(html_edition.encode()), save=False
        )
        report.docx.save(f"report-{report.number}.docx", ContentFile(word), save=False)
        report.checksum = hashlib.sha256(rendered.content).hexdigest()
        report.page_count = rendered.pages
        report.missing_characters = "".join(rendered.missing)
        report.status = Report.Status.DONE
        report.progress = 100
        report.finished_at = timezone.now()
        report.save()
        report.built_from.set(data.versions)
    return report


@transaction.atomic
def report_publish(*, report: Report, by) -> Report:
    """Make this version the cycle's published report (the one everybody can read)."""
    Cycle.objects.select_for_update().get(pk=report.cycle_id)  # one publisher at a time
    report.refresh_from_db()
    workflow.require(by, workflow.Action.PUBLISH, report)
    for earlier in Report.objects.filter(cycle=report.cycle_id, published=True).exclude(
        pk=report.pk
    ):
        _unpublish(
            earlier, by=by, reason=_("Replaced by version %(number)d.") % {"number": report.number}
        )
    report.published = True
    report.published_at = timezone.now()
    report.published_by = by
    report.save(update_fields=["published", "published_at", "published_by"])
    Publication.objects.create(report=report, action=Publication.Action.PUBLISHED, by=by)
    return report


def _unpublish(report: Report, *, by, reason: str) -> None:
    report.published = False
    report.save(update_fields=["published"])
    Publication.objects.create(
        report=report, action=Publication.Action.WITHDRAWN, by=by, reason=reason
    )


@transaction.atomic
def report_unpublish(*, report: Report, by, reason: str) -> Report:
    """Withdraw a publication: the report is no longer public; who, when and why is kept."""
    Cycle.objects.select_for_update().get(pk=report.cycle_id)
    report.refresh_from_db()
    workflow.require(by, workflow.Action.UNPUBLISH, report)
    reason = as_typed(reason)
    if not reason.strip():
        raise WorkflowError(_("Say why the publication is withdrawn."))
    _unpublish(report, by=by, reason=reason)
    return report


def publication_checklist(report: Report) -> dict:
    """What a version holds and lacks, for the strategist deciding to publish it.

    A fixed number of queries: per focus area how many were asked and approved, which
    syntheses are not written, which indicators are unconfirmed, whether it is demo.
    """
    cycle = report.cycle
    asked = Counter()
    approved = Counter()
    for area_id, state in cycle.contributions.filter(withdrawn=False).values_list(
        "focus_area_id", "state"
    ):
        asked[area_id] += 1
        approved[area_id] += state == Contribution.State.APPROVED
    syntheses = {
        s.focus_area_id: s
        for s in Synthesis.objects.filter(cycle=cycle).only(
            "focus_area_id", "analysis", "assessment"
        )
    }
    areas = list(cycle.programme.focus_areas.order_by("code"))
    rows = []
    for area in areas:
        synthesis = syntheses.get(area.pk)
        rows.append(
            {
                "area": area,
                "asked": asked[area.pk],
                "approved": approved[area.pk],
                "written": bool(synthesis and synthesis.analysis.strip()),
                "assessed": bool(synthesis and synthesis.assessment),
            }
        )
    unconfirmed = list(
        Indicator.objects.filter(focus_area__in=areas, active=True, confirmed=False).select_related(
            "focus_area"
        )
    )
    return {
        "areas": rows,
        "asked": sum(asked.values()),
        "approved": sum(approved.values()),
        "not_written": [row["area"] for row in rows if not row["written"]],
        "not_assessed": [row["area"] for row in rows if not row["assessed"]],
        "unconfirmed": unconfirmed,
        "demo": report.is_demo,
        "built_from": report.built_from.count(),
        "replaces": Report.objects.filter(cycle=cycle, published=True)
        .exclude(pk=report.pk)
        .first(),
    }
