"""Migrating to versions that keep what they state of each focus area (Report.syntheses):
a version compiled before is given each synthesis as it was when the version was finished,
from the synthesis's history, not as it was edited since."""

import datetime

import pytest
from django.utils import timezone

from tests.factories import migrate, migration_report_setting

BEFORE = [("reporting", "0027_report_response_counts")]
PROGRAMME = [("programme", "0031_one_line_fields")]  # as it is then: not rolled back


@pytest.mark.django_db(transaction=True)
def test_a_version_compiled_before_states_the_syntheses_as_they_were_then():
    try:
        apps = migrate(BEFORE, also=PROGRAMME)
        code, user, cycle = migration_report_setting(apps, ["2.1", "2.2", "2.3"])
        finished = timezone.now() - datetime.timedelta(days=10)
        Synthesis = apps.get_model("reporting", "Synthesis")
        History = apps.get_model("reporting", "HistoricalSynthesis")
        # 2.1: positive when the version was compiled, edited since.
        edited = Synthesis.objects.create(
            cycle=cycle, focus_area=code["2.1"], assessment="negative", analysis="Efter."
        )
        for days, kind, assessment, analysis in (
            (20, "+", "unchanged", "Första."),
            (15, "~", "positive", "Före [#7: ord]."),
            (5, "~", "negative", "Efter."),
        ):
            History.objects.create(
                id=edited.pk,
                cycle=cycle,
                focus_area=code["2.1"],
                assessment=assessment,
                analysis=analysis,
                revision=1,
                updated_at=finished,
                history_date=finished + datetime.timedelta(days=10 - days),
                history_type=kind,
            )
        # 2.2: no history, not changed since the version was finished.
        untouched = Synthesis.objects.create(
            cycle=cycle, focus_area=code["2.2"], assessment="unchanged", analysis="Orörd."
        )
        Synthesis.objects.filter(pk=untouched.pk).update(
            updated_at=finished - datetime.timedelta(days=1)
        )
        Report = apps.get_model("reporting", "Report")
        done = Report.objects.create(
            cycle=cycle, number=1, status="done", finished_at=finished, compiled_by=user
        )
        queued = Report.objects.create(cycle=cycle, number=2, status="queued", compiled_by=user)

        apps = migrate(None)
        Report = apps.get_model("reporting", "Report")
        assert Report.objects.get(pk=done.pk).syntheses == [
            {
                "code": "2.1",
                "title": code["2.1"].title,
                "assessment": "positive",
                "analysis": "Före [#7: ord].",
                "cites": [],  # contribution 7 is not among what it was built from
            },
            {
                "code": "2.2",
                "title": code["2.2"].title,
                "assessment": "unchanged",
                "analysis": "Orörd.",
                "cites": [],
            },
            {
                "code": "2.3",
                "title": code["2.3"].title,
                "assessment": "",
                "analysis": "",
                "cites": [],
            },
        ]
        assert Report.objects.get(pk=queued.pk).syntheses is None  # nothing compiled
    finally:
        migrate(None)
