from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from reporting.models import Cycle, Report
from reporting.report import pdf
from reporting.report.data import report_data


class Command(BaseCommand):
    help = (
        "Write a cycle's report as PDF (from approved contributions only). Writes the file "
        "only; compiling in the app also stores a numbered version."
    )

    # The app's checks run where it is deployed (``manage.py check``, the server's start);
    # writing a file does not depend on them.
    requires_system_checks = []

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
