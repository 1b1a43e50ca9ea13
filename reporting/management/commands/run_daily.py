import datetime

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.translation import gettext as _

from livskvalitet.core.storage import PASSING_THROUGH, remove_left_behind
from reporting.reminders import send_reminders
from reporting.services import cycles_open_scheduled


class Command(BaseCommand):
    help = (
        "The daily jobs, run once a day: open the cycles scheduled to open today (their "
        "requests are sent), send the day's reminders (see send_reminders), and remove "
        "expired sessions (Django's clearsessions) and the import files they left behind."
    )

    def add_arguments(self, parser):
        parser.add_argument("--date", help="Act as if today were this date (YYYY-MM-DD).")

    def handle(self, *args, date=None, **options):
        try:
            today = datetime.date.fromisoformat(date) if date else timezone.localdate()
        except ValueError:
            raise CommandError(_("Give the date as YYYY-MM-DD.")) from None
        for cycle, count in cycles_open_scheduled(today):
            self.stdout.write(
                _("Opened %(cycle)s: %(count)d requests sent.")
                % {"cycle": cycle.title, "count": count}
            )
        digests = send_reminders(today)
        self.stdout.write(_("%(count)d reminders sent.") % {"count": len(digests)})
        # Sessions nobody will use again: logged out, run out, or a sign-in never finished.
        call_command("clearsessions")
        for folder in PASSING_THROUGH:  # import files whose sessions have run out
            remove_left_behind(folder)
