"""A compiled version keeps each contribution's number in Bilaga 2 with its names
(Report.names[version]["number"]).

The versions compiled before are numbered once, here, as their Bilaga 2 printed them: by
the organisations' names as the version keeps them, then by the focus areas' order as the
programme's history had it when the version was finished. Read on every request instead,
the numbers of an old PDF would move with any later reordering.
"""

from django.db import migrations

from livskvalitet.core.text import swedish_order
from programme.models import code_sort_key


def _sort_key_then(history, area, finished_at):
    then = (
        history.filter(id=area.pk, history_date__lte=finished_at)
        .order_by("-history_date", "-history_id")
        .first()
    )
    return code_sort_key((then or area).code)


def numbered(apps, schema_editor):
    Report = apps.get_model("reporting", "Report")
    HistoricalFocusArea = apps.get_model("programme", "HistoricalFocusArea")
    for report in Report.objects.filter(names__isnull=False):
        names = report.names
        if all("number" in printed for printed in names.values()):
            continue
        versions = report.built_from.filter(event="approved").select_related(
            "contribution__organisation", "contribution__focus_area"
        )

        def printed(version, names=names, finished_at=report.finished_at):
            area = version.contribution.focus_area
            name = names.get(str(version.pk), {}).get(
                "organisation", version.contribution.organisation.name
            )
            sort_key = (
                _sort_key_then(HistoricalFocusArea.objects, area, finished_at)
                if finished_at
                else code_sort_key(area.code)
            )
            return (swedish_order(name), sort_key, version.pk)

        for number, version in enumerate(sorted(versions, key=printed), 1):
            if str(version.pk) in names:
                names[str(version.pk)]["number"] = number
        report.names = names
        report.save(update_fields=["names"])


class Migration(migrations.Migration):
    dependencies = [
        ("programme", "0031_one_line_fields"),
        ("reporting", "0031_report_names"),
    ]

    operations = [migrations.RunPython(numbered, migrations.RunPython.noop)]
