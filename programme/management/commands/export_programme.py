from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from programme.transfer import export_programme


class Command(BaseCommand):
    help = (
        "Export the programme's whole structure: to a .xlsx workbook (one sheet per table) "
        "or to a folder of CSV files."
    )

    def add_arguments(self, parser):
        parser.add_argument("output", help="A path ending in .xlsx, or a folder for CSV files.")

    def handle(self, *args, output, **options):
        path = Path(output)
        file_format = "xlsx" if path.suffix.lower() == ".xlsx" else "csv"
        files = export_programme(file_format)
        try:
            if file_format == "xlsx":
                path.write_bytes(files["programme.xlsx"])
            else:
                path.mkdir(parents=True, exist_ok=True)
                for name, data in files.items():
                    (path / name).write_bytes(data)
        except OSError as error:
            raise CommandError(
                _("Could not write %(path)s: %(error)s") % {"path": path, "error": error.strerror}
            ) from None
        self.stdout.write(_("Exported the programme to %(path)s.") % {"path": path})
