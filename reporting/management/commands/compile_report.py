import logging
import os
import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from reporting import pdf
from reporting.models import Cycle, Report
from reporting.report_data import report_data


class Command(BaseCommand):
    help = (
        "Write a cycle's report as PDF (from approved contributions only). Writes the file "
        "only; compiling in the app also stores a numbered version."
    )

    # The app's checks run where it is deployed; a compile does not need them (≈0.1 s).
    requires_system_checks = []

    def run_from_argv(self, argv):
        """From the command line only (``call_command`` does not come here): once the file
        is written and the database connection closed, the process ends without tearing
        down the interpreter. Freeing the render's objects one by one cost ≈0.7 s, more
        than a third of the compile (measured with bench/report.py)."""
        super().run_from_argv(argv)
        sys.stdout.flush()
        sys.stderr.flush()
        logging.shutdown()
        os._exit(0)

    def add_arguments(self, parser):
        parser.add_argument("--cycle", required=True, type=int, help="The cycle's id.")
        parser.add_argument("--output", required=True, help="The PDF file to write.")

    def handle(self, *args, cycle, output, **options):
        try:
            found = Cycle.objects.select_related("programme__owner").get(pk=cycle)
        except Cycle.DoesNotExist:
            known = ", ".join(f"{c.pk}: {c.title}" for c in Cycle.objects.all()) or "–"
            raise CommandError(
                _("There is no cycle %(id)s. Cycles: %(known)s") % {"id": cycle, "known": known}
            ) from None
        path = Path(output)
        if path.is_dir() or not path.parent.is_dir():
            raise CommandError(_("Cannot write %(path)s: no such folder.") % {"path": path})
        rendered = pdf.write_pdf(pdf.render_html(report_data(found)))
        content, pages = rendered.content, rendered.pages
        try:
            temporary = path.with_name(path.name + ".part")
            temporary.write_bytes(content)
            temporary.replace(path)  # no half file if writing fails
        except OSError as error:
            raise CommandError(
                _("Cannot write %(path)s: %(error)s") % {"path": path, "error": error.strerror}
            ) from None
        self.stdout.write(_("Wrote %(path)s (%(pages)d pages).") % {"path": path, "pages": pages})
        if rendered.missing:
            self.stderr.write(Report(missing_characters="".join(rendered.missing)).missing_message)
