from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils.translation import gettext as _

from programme import kolada
from programme.indicators import (
    comparison_import,
    goal_kpis_import,
    groups_import,
    municipalities_import,
    values_import,
)
from programme.models import Municipality
from programme.transfer import ImportRejected, installation_municipality_code


class Command(BaseCommand):
    help = (
        "Import Kolada key figures: from saved JSON responses (FILE ...), or live with "
        "--fetch --kpi N00401,... --years 2015-2026 (for the installation's municipality and "
        "Sweden as a whole, or --municipality 1283,0000). With "
        "--all-municipalities, every municipality's values for comparisons; with --groups, "
        "Kolada's municipality groups; with --municipalities, the codes and names of every "
        "municipality and region. All or nothing; the same data again changes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="*", help="Saved Kolada JSON responses.")
        parser.add_argument("--fetch", action="store_true", help="Fetch from Kolada's API.")
        parser.add_argument("--kpi", default="", help="Comma-separated KPI ids (with --fetch).")
        parser.add_argument(
            "--municipality",
            default="",
            help="Comma-separated municipality codes (with --fetch). By default the "
            "installation's own municipality, and Sweden as a whole (0000) where it is known.",
        )
        parser.add_argument("--years", default="", help="For example 2015-2026 (with --fetch).")
        parser.add_argument("--base-url", default="https://api.kolada.se/v3", help="Kolada's API.")
        parser.add_argument("--dry-run", action="store_true", help="Check, write nothing.")
        parser.add_argument(
            "--all-municipalities",
            action="store_true",
            help="The values are every municipality's, kept for comparisons.",
        )
        parser.add_argument(
            "--groups", action="store_true", help="Import Kolada's municipality groups."
        )
        parser.add_argument(
            "--municipalities",
            action="store_true",
            help="Import the codes and names of Sweden's municipalities and regions.",
        )
        parser.add_argument(
            "--goal-kpis",
            action="store_true",
            help="Import Kolada KPI groups (saved /kpi_groups answers) as the Agenda 2030 key "
            "figures of the global goals their titles name.",
        )
        parser.add_argument("--goal", type=int, help="With --goal-kpis: every KPI under this goal.")

    def handle(
        self,
        *args,
        files,
        fetch,
        kpi,
        municipality,
        years,
        base_url,
        dry_run,
        all_municipalities,
        groups,
        goal_kpis,
        goal,
        municipalities=False,
        **options,
    ):
        if bool(files) == bool(fetch):
            raise CommandError(_("Give either JSON files or --fetch, not both or neither."))
        if sum([groups, all_municipalities, goal_kpis, municipalities]) > 1:
            raise CommandError(
                _("Give one of --groups, --municipalities, --goal-kpis and --all-municipalities.")
            )
        if goal_kpis and fetch:
            raise CommandError(_("--goal-kpis reads saved answers of Kolada's /kpi_groups."))
        try:
            if goal_kpis:
                read = kolada.parse_files(files, kolada.parse_kpi_groups)
                with transaction.atomic():
                    summary = goal_kpis_import(read, goal=goal)
                    if dry_run:
                        transaction.set_rollback(True)
                self.say(summary, dry_run, _("Agenda 2030 key figures"))
                return
            # Kolada's lists: (path, how a page is read, how it is stored, what it is).
            lists = {
                "municipalities": ("/municipality", kolada.parse_municipalities,
                                   municipalities_import, _("Municipalities")),
                "groups": ("/municipality_groups", kolada.parse_groups, groups_import,
                           _("Groups")),
            }  # fmt: skip
            chosen = "municipalities" if municipalities else "groups" if groups else None
            if chosen:
                path, parse, store, what = lists[chosen]
                read = (
                    kolada.fetch_list(path, parse, base_url=base_url)
                    if fetch
                    else kolada.parse_files(files, parse)
                )
                with transaction.atomic():
                    summary = store(read)
                    if dry_run:
                        transaction.set_rollback(True)
                self.say(summary, dry_run, what)
                return
            if fetch:
                kpis = [k.strip() for k in kpi.split(",") if k.strip()]
                places = [m.strip() for m in municipality.split(",") if m.strip()]
                if not kpis or not years:
                    raise CommandError(_("--fetch needs --kpi and --years."))
                if not places and not all_municipalities:
                    places = self.own_places()
                values = kolada.fetch(
                    kpis,
                    None if all_municipalities else places,
                    kolada.parse_years(years),
                    base_url=base_url,
                )
                source = "Kolada"
            else:
                values = kolada.parse_files(files)
                source = _("Kolada (file)")
                for warning in kolada.missing_pages(files):
                    self.stderr.write(_("Warning: %(warning)s") % {"warning": warning})
            with transaction.atomic():
                store = comparison_import if all_municipalities else values_import
                summary = store(values, source=source)
                if dry_run:
                    transaction.set_rollback(True)
        except kolada.KoladaError as error:
            raise CommandError(str(error)) from None
        except ImportRejected as error:
            raise CommandError(
                _("Nothing was imported:") + "\n" + "\n".join(error.messages)
            ) from None
        self.say(summary, dry_run, _("Years of all municipalities") if all_municipalities else "")

    def own_places(self) -> list[str]:
        """The installation's own municipality, and Sweden as a whole where it is known:
        whose values a fetch without --municipality asks for."""
        own = installation_municipality_code()
        if not own:
            raise CommandError(
                _("No programme names this installation's municipality: give --municipality.")
            )
        return [own] + (["0000"] if Municipality.objects.filter(code="0000").exists() else [])

    def say(self, summary, dry_run, what):
        self.stdout.write(
            _("%(what)s – new: %(new)d, updated: %(updated)d, unchanged: %(unchanged)d.")
            % {
                "what": what or _("Values"),
                "new": summary.created,
                "updated": summary.updated,
                "unchanged": summary.unchanged,
            }
        )
        if summary.demo_replaced:
            self.stdout.write(
                _("%(count)d demo values removed: real values replace them.")
                % {"count": summary.demo_replaced}
            )
        if dry_run:
            self.stdout.write(_("Dry run: nothing was written."))
