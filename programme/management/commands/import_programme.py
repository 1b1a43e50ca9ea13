from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from programme.resources import ImportFileError
from programme.transfer import ImportRejected, import_programme, read_programme_files


class Command(BaseCommand):
    help = (
        "Import the programme's structure from a .xlsx workbook or a folder of CSV files "
        "made by export_programme. All or nothing: one bad row and nothing is written."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="A .xlsx workbook or a folder of CSV files.")
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Say what would be created, updated or left unchanged, and write nothing.",
        )
        parser.add_argument(
            "--municipality",
            help="Whose programme it is (a municipality code such as 1283). By default the "
            "one the file's programmes name, else the installation's.",
        )

    def handle(self, *args, path, dry_run=False, municipality=None, **options):
        source = Path(path)
        if not source.exists():
            raise CommandError(_("There is no file or folder %(path)s.") % {"path": source})
        try:
            tables = read_programme_files(source)
            folder = source if source.is_dir() else source.parent  # where the logo is
            summary = import_programme(
                tables, municipality=municipality, folder=folder, dry_run=dry_run
            )
        except ImportFileError as error:
            raise CommandError(str(error)) from None
        except ImportRejected as rejected:
            raise CommandError(
                _("Nothing was imported:") + "\n" + "\n".join(rejected.messages)
            ) from None
        if summary.municipality:
            self.stdout.write(_("Municipality %(code)s:") % {"code": summary.municipality})
        for line in summary.lines():
            self.stdout.write(line)
        if dry_run:
            self.stdout.write(_("Dry run: nothing was written."))
        else:
            self.stdout.write(_("Import finished."))
