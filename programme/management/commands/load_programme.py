from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from programme.services import programme_load_default


def describe(counter) -> str:
    return ", ".join(f"{count} {name}" for name, count in sorted(counter.items()))


class Command(BaseCommand):
    help = (
        "Load the programme shipped in fixtures/ (its municipality, organisations and "
        "indicators) and the 17 global goals. Safe to run again: existing rows are kept."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--reset",
            action="store_true",
            help="Restore rows that administrators have changed to the default data.",
        )

    def handle(self, *args, reset=False, **options):
        summary = programme_load_default(reset=reset)
        if summary.created:
            self.stdout.write(_("Created: %s.") % describe(summary.created))
        if summary.updated:
            self.stdout.write(_("Restored to the default data: %s.") % describe(summary.updated))
        if summary.differing:
            self.stdout.write(
                _("Left as edited (differ from the default data; --reset restores them): %s.")
                % describe(summary.differing)
            )
        if not summary.changed:
            self.stdout.write(_("Nothing changed: the programme was already loaded."))
