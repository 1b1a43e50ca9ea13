"""A compiled version keeps what it states of each focus area (Report.syntheses).

The versions compiled before are given it from the synthesis's history: each focus area's
synthesis as it was saved last before the version was finished (or, where the history has
nothing, the synthesis itself if it has not changed since). The compile reads the
syntheses a little before it finishes; a save within those seconds is the one uncertainty.
"""

import re

from django.db import migrations, models

# reporting.report.citations.MARKER, as it is today: "[#123]" or "[#123: quoted words]".
MARKER = re.compile(r"\[#(\d+)(?::\s*([^\[\]]*?))?\s*\]")


def stated(apps, schema_editor):
    Report = apps.get_model("reporting", "Report")
    Synthesis = apps.get_model("reporting", "Synthesis")
    HistoricalSynthesis = apps.get_model("reporting", "HistoricalSynthesis")
    FocusArea = apps.get_model("programme", "FocusArea")
    reports = Report.objects.filter(
        status="done", finished_at__isnull=False, syntheses__isnull=True
    )
    for report in reports.select_related("cycle"):
        saved = {}
        history = HistoricalSynthesis.objects.filter(
            cycle_id=report.cycle_id, history_date__lte=report.finished_at
        ).order_by("history_date", "history_id")
        for row in history:  # the last save before the version was finished
            saved[row.focus_area_id] = None if row.history_type == "-" else row
        for synthesis in Synthesis.objects.filter(
            cycle_id=report.cycle_id, updated_at__lte=report.finished_at
        ):
            saved.setdefault(synthesis.focus_area_id, synthesis)
        printed = {
            version.contribution_id: version.pk
            for version in report.built_from.filter(event="approved")
        }
        areas = FocusArea.objects.filter(programme_id=report.cycle.programme_id).order_by(
            "direction__number", "sort_key"
        )
        syntheses = []
        for area in areas:
            synthesis = saved.get(area.pk)
            analysis = synthesis.analysis if synthesis else ""
            cited = [int(found.group(1)) for found in MARKER.finditer(analysis)]
            syntheses.append(
                {
                    "code": area.code,
                    "title": area.title,
                    "assessment": synthesis.assessment if synthesis else "",
                    "analysis": analysis,
                    "cites": list(dict.fromkeys(printed[pk] for pk in cited if pk in printed)),
                }
            )
        report.syntheses = syntheses
        report.save(update_fields=["syntheses"])


class Migration(migrations.Migration):
    dependencies = [
        ("programme", "0031_one_line_fields"),
        ("reporting", "0027_report_response_counts"),
    ]

    operations = [
        migrations.AddField(
            model_name="report",
            name="syntheses",
            field=models.JSONField(
                blank=True,
                editable=False,
                null=True,
                verbose_name="the strategists' assessments",
            ),
        ),
        migrations.RunPython(stated, migrations.RunPython.noop),
    ]
