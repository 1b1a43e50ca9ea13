import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.translation import gettext as _

from reporting.reminders import digest_text, send_reminders


class Command(BaseCommand):
    help = (
        "E-mail reminders of unsubmitted contributions (run daily from cron): one digest per "
        "person, at most one a day, on the days set by REMINDER_DAYS_BEFORE and "
        "REMINDER_DAYS_AFTER."
    )

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="Show, send nothing.")
        parser.add_argument("--date", help="Act as if today were this date (YYYY-MM-DD).")

    def handle(self, *args, dry_run=False, date=None, **options):
        try:
            today = datetime.date.fromisoformat(date) if date else timezone.localdate()
        except ValueError:
            raise CommandError(_("Give the date as YYYY-MM-DD.")) from None
        digests = send_reminders(today, dry_run=dry_run)
        for digest in digests:
            subject, _body = digest_text(digest)
            self.stdout.write(f"{digest.user.email}: {subject} ({len(digest.contributions)})")
        if dry_run:
            self.stdout.write(
                _("Dry run: %(count)d reminders would be sent.") % {"count": len(digests)}
            )
        else:
            self.stdout.write(_("%(count)d reminders sent.") % {"count": len(digests)})
