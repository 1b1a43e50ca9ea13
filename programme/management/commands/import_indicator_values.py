from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from programme.resources import ImportFileError, IndicatorValueResource
from programme.transfer import ImportRejected, import_dataset, read_dataset


class Command(BaseCommand):
    help = (
        "Import indicator values from a CSV or XLSX file with the columns of the admin's "
        "export (program, fokusomrade, indikator, kommun, ar, kon, varde, status, kalla). "
        "All or nothing; the same file again changes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="A .csv or .xlsx file.")

    def handle(self, *args, file, **options):
        path = Path(file)
        if not path.is_file():
            raise CommandError(_("There is no file or folder %(path)s.") % {"path": path})
        file_format = "xlsx" if path.suffix.lower() == ".xlsx" else "csv"
        try:
            result = import_dataset(
                IndicatorValueResource, read_dataset(path.read_bytes(), file_format)
            )
        except ImportFileError as error:
            raise CommandError(str(error)) from None
        except ImportRejected as rejected:
            raise CommandError(
                _("Nothing was imported:") + "\n" + "\n".join(rejected.messages)
            ) from None
        totals = result.totals
        self.stdout.write(
            _("Values – new: %(new)d, updated: %(updated)d, unchanged: %(unchanged)d.")
            % {"new": totals["new"], "updated": totals["update"], "unchanged": totals["skip"]}
        )
