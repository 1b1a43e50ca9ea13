from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from programme.demo import (
    DEMO_FILE,
    DEMO_PASSWORD,
    demo_load,
    demo_logins,
    demo_values_load,
    describe,
)
from programme.models import Organisation
from reporting.demo import demo_cycle_load


class Command(BaseCommand):
    help = (
        "Add demo users and a demo follow-up cycle (clearly marked as demo) for trying the "
        "app. Safe to run again."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--url", help="Where the app will run, to tell the user where to log in."
        )
        parser.add_argument(
            "--file",
            type=Path,
            default=DEMO_FILE,
            help="The demo file to load (docs/development.md#demo-data); the shipped one, "
            "fixtures/demo.json, unless given.",
        )
        parser.add_argument(
            "--allow-without-debug",
            action="store_true",
            help="Load the demo even though DEBUG is off (never on a production server).",
        )
        parser.add_argument(
            "--logins-only",
            action="store_true",
            help="Only the demo administrator and strategist: for another city's programme, "
            "which the demo's contributions and values are not made for.",
        )

    def handle(
        self,
        *args,
        allow_without_debug=False,
        url=None,
        logins_only=False,
        file=DEMO_FILE,
        **options,
    ):
        if not settings.DEBUG and not allow_without_debug:
            raise CommandError(
                _(
                    "DEBUG is off: demo users with known passwords do not belong on a real "
                    "server. Use --allow-without-debug if this really is a demo server."
                )
            )
        if not Organisation.objects.exists():
            raise CommandError(_("Load the programme first: python manage.py load_programme"))
        if not file.is_file():
            raise CommandError(_("There is no demo file %(file)s.") % {"file": file})
        created = demo_load(logins_only=logins_only, file=file)
        values_created = 0 if logins_only else demo_values_load(file)
        cycle_created = False if logins_only else demo_cycle_load(file)
        if created:
            self.stdout.write(_("Created %(count)d demo users.") % {"count": created})
        if values_created:
            self.stdout.write(
                _("Created %(count)d demo indicator values (fictional).")
                % {"count": values_created}
            )
        if cycle_created:
            self.stdout.write(_("Created the demo cycle with contributions in every state."))
        if not created and not cycle_created and not values_created:
            self.stdout.write(_("Nothing changed: the demo was already loaded."))
        self.stdout.write(
            _("Demo logins (password for all: %(password)s):") % {"password": DEMO_PASSWORD}
        )
        for demo in demo_logins(logins_only=logins_only, file=file):
            self.stdout.write(f"  {demo.username:<18} {describe(demo)}")
        if url:
            base = url.rstrip("/")
            self.stdout.write("")
            self.stdout.write(
                _("Open %(url)s/ and log in as one of the users above.") % {"url": base}
            )
            self.stdout.write(_("The administration is at %(url)s/admin/.") % {"url": base})
