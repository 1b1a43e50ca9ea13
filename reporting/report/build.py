"""Compiling a report version in the worker: the PDF, the HTML edition and the Word file,
stored together or not at all; and the versions a stopped worker left running."""

import datetime
import hashlib
import logging

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from livskvalitet.core.i18n import in_site_language

from ..models import Report
from . import pdf
from .data import kept_with_version, report_data
from .word import write_docx

logger = logging.getLogger(__name__)


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
        # tjänsteskrivelse.
        html_edition = pdf.render_html(data, edition=True)
        programme = report.cycle.programme
        word = write_docx(
            html_edition,
            title=f"{programme}: {report.cycle.title_marked}",  # as the PDF and the page say
            author=programme.owner.name if programme.owner else "",
            subject=_("Report to the city council (kommunfullmäktige)"),  # as the PDF's
            page_words=(pgettext("page footer", "Page"), pgettext("page footer", "of")),
            contents=(
                _("Contents"),
                _("Word fills in the contents when the file is opened (or: update the field)."),
            ),
            logo=pdf.logo_data(programme),
            compiled_at=data.compiled_at,
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
        for name, value in kept_with_version(data).items():
            setattr(report, name, value)
        report.status = Report.Status.DONE
        report.progress = 100
        report.finished_at = timezone.now()
        report.save()
        report.built_from.set(data.versions)
    return report
