"""A compiled version keeps how many were asked and approved per focus area
(Report.response_counts["areas"], as its overview says them).

The versions compiled before that, which kept their totals, are given them from what they
kept and from the requests' history: approved, the approved versions each was built from;
asked, each request as it stood (asked when the cycle opened, asked again or withdrawn
since, by its versions' "requested" and "withdrawn" events). Only where the same requests
were asked when the compile was asked for and when it finished, and the counts add up to
the totals the version stated; any other version, and those that kept no totals, are given
nothing for it rather than a guess.
"""

from collections import Counter, defaultdict

from django.db import migrations


def _asked_at(requests, events, moment) -> set[int]:
    """The requests asked (and not withdrawn) at that moment."""
    asked = set()
    for pk in requests:
        history = events.get(pk, [])
        before = [event for at, event in history if at <= moment]
        if before:
            live = before[-1] == "requested"
        elif history:  # its first step came after: withdrawn, so it was asked; or asked then
            live = history[0][1] == "withdrawn"
        else:  # asked when the cycle opened and never withdrawn
            live = True
        if live:
            asked.add(pk)
    return asked


def per_area(apps, schema_editor):
    Report = apps.get_model("reporting", "Report")
    Contribution = apps.get_model("reporting", "Contribution")
    ContributionVersion = apps.get_model("reporting", "ContributionVersion")
    FocusArea = apps.get_model("programme", "FocusArea")
    reports = Report.objects.filter(
        status="done", finished_at__isnull=False, response_counts__isnull=False
    ).select_related("cycle")
    for report in reports:
        stated = report.response_counts
        if not isinstance(stated, dict) or "areas" in stated:
            continue
        requests = dict(
            Contribution.objects.filter(cycle_id=report.cycle_id).values_list("pk", "focus_area_id")
        )
        events = defaultdict(list)
        for contribution_id, event, at in (
            ContributionVersion.objects.filter(
                contribution__cycle_id=report.cycle_id, event__in=["requested", "withdrawn"]
            )
            .order_by("contribution_id", "number")
            .values_list("contribution_id", "event", "created_at")
        ):
            events[contribution_id].append((at, event))
        asked = _asked_at(requests, events, report.finished_at)
        if asked != _asked_at(requests, events, report.created_at):
            continue  # asked or withdrawn while it was compiled: which it counted is unknown
        approved = list(report.built_from.values_list("contribution__focus_area_id", flat=True))
        if (len(asked), len(approved)) != (stated.get("asked"), stated.get("approved")):
            continue
        asked_by_area = Counter(requests[pk] for pk in asked)
        approved_by_area = Counter(approved)
        areas = FocusArea.objects.filter(programme_id=report.cycle.programme_id).select_related(
            "direction"
        )
        report.response_counts = {
            **stated,
            "areas": [
                {
                    "direction": area.direction.code or str(area.direction.number),
                    "direction_title": area.direction.title,
                    "code": area.code,
                    "title": area.title,
                    "asked": asked_by_area[area.pk],
                    "approved": approved_by_area[area.pk],
                }
                for area in areas.order_by("direction__number", "sort_key")
            ],
        }
        report.save(update_fields=["response_counts"])


class Migration(migrations.Migration):
    dependencies = [
        ("programme", "0031_one_line_fields"),
        ("reporting", "0028_report_syntheses"),
    ]

    operations = [migrations.RunPython(per_area, migrations.RunPython.noop)]
