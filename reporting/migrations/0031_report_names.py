"""A compiled version keeps the names it prints each contribution under (Report.names).

The versions compiled before are given them from the programme's history: each
organisation's name and each focus area's code and title as saved last before the version
was finished (or, where the history has nothing from before, as they are now).
"""

from django.db import migrations, models


def as_then(history, pk, finished_at):
    return (
        history.filter(id=pk, history_date__lte=finished_at)
        .order_by("-history_date", "-history_id")
        .first()
    )


def named(apps, schema_editor):
    Report = apps.get_model("reporting", "Report")
    HistoricalOrganisation = apps.get_model("programme", "HistoricalOrganisation")
    HistoricalFocusArea = apps.get_model("programme", "HistoricalFocusArea")
    reports = Report.objects.filter(status="done", finished_at__isnull=False, names__isnull=True)
    for report in reports:
        names = {}
        versions = report.built_from.filter(event="approved").select_related(
            "contribution__organisation", "contribution__focus_area"
        )
        for version in versions:
            contribution = version.contribution
            organisation = (
                as_then(
                    HistoricalOrganisation.objects, contribution.organisation_id, report.finished_at
                )
                or contribution.organisation
            )
            area = (
                as_then(HistoricalFocusArea.objects, contribution.focus_area_id, report.finished_at)
                or contribution.focus_area
            )
            names[str(version.pk)] = {
                "organisation": organisation.name,
                "code": area.code,
                "title": area.title,
            }
        report.names = names
        report.save(update_fields=["names"])


class Migration(migrations.Migration):
    dependencies = [
        ("programme", "0031_one_line_fields"),
        ("reporting", "0030_thread_message_label"),
    ]

    operations = [
        migrations.AddField(
            model_name="report",
            name="names",
            field=models.JSONField(blank=True, editable=False, null=True),
        ),
        migrations.RunPython(named, migrations.RunPython.noop),
    ]
