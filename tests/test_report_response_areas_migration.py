"""Migrating to versions that keep how many were asked and approved per focus area
(Report.response_counts["areas"]): a version that kept its totals is given its counts per
focus area from what it kept (the approved versions it was built from) and from the
requests' history (asked, asked again, withdrawn), only where they add up to the totals
it stated and nothing changed while it was compiled; any other is given none."""

import datetime

import pytest
from django.utils import timezone

from tests.factories import migrate, migration_report_setting

BEFORE = [("reporting", "0028_report_syntheses")]
PROGRAMME = [("programme", "0031_one_line_fields")]  # as it is then: not rolled back


@pytest.mark.django_db(transaction=True)
def test_a_version_that_kept_its_totals_is_given_its_counts_per_focus_area():
    try:
        apps = migrate(BEFORE, also=PROGRAMME)
        code, user, cycle = migration_report_setting(apps, ["2.1", "2.2"])
        Organisation = apps.get_model("programme", "Organisation")
        Contribution = apps.get_model("reporting", "Contribution")
        Version = apps.get_model("reporting", "ContributionVersion")
        started = timezone.now() - datetime.timedelta(days=10)
        finished = started + datetime.timedelta(minutes=1)

        def asked(name, area, *events, **fields):
            organisation = Organisation.objects.create(name=name, kind="nämnd")
            contribution = Contribution.objects.create(
                cycle=cycle, organisation=organisation, focus_area=code[area], **fields
            )
            for number, (event, at) in enumerate(events, 1):
                version = Version.objects.create(
                    contribution=contribution, number=number, state="draft", data={}, event=event
                )
                Version.objects.filter(pk=version.pk).update(created_at=at)
            return contribution

        day = datetime.timedelta(days=1)
        approved = asked("A", "2.1", ("approved", started - day), state="approved")
        asked("B", "2.1")  # asked when the cycle opened, never answered
        asked("C", "2.2", ("requested", finished + day))  # asked after the version
        asked("D", "2.2", ("withdrawn", finished + day), withdrawn=True)  # withdrawn after
        asked("E", "2.2", ("withdrawn", started - day))  # withdrawn before
        asked("F", "2.2", ("withdrawn", started - 2 * day), ("requested", started - day))
        Report = apps.get_model("reporting", "Report")

        def version(number, counts, *, created=started):
            report = Report.objects.create(
                cycle=cycle,
                number=number,
                status="done",
                finished_at=finished,
                compiled_by=user,
                response_counts=counts,
            )
            Report.objects.filter(pk=report.pk).update(created_at=created)
            report.built_from.add(Version.objects.get(contribution=approved, event="approved"))
            return report

        stated = {"asked": 4, "approved": 1, "rate": 25}
        kept = version(1, stated)
        other_totals = version(2, {"asked": 5, "approved": 1, "rate": 20})
        unkept = version(3, None)
        # D was withdrawn while this one was compiled: which it counted is not known.
        during = version(4, stated, created=finished + day - datetime.timedelta(minutes=1))
        Report.objects.filter(pk=during.pk).update(finished_at=finished + 2 * day)

        apps = migrate(None)
        Report = apps.get_model("reporting", "Report")
        assert Report.objects.get(pk=kept.pk).response_counts == {
            **stated,
            "areas": [
                {
                    "direction": "1",
                    "direction_title": "Provriktning",
                    "code": "2.1",
                    "title": code["2.1"].title,
                    "asked": 2,
                    "approved": 1,
                },
                {
                    "direction": "1",
                    "direction_title": "Provriktning",
                    "code": "2.2",
                    "title": code["2.2"].title,
                    "asked": 2,  # D (withdrawn since) and F (asked again before)
                    "approved": 0,
                },
            ],
        }
        # Nothing invented where what is known does not add up to what it stated.
        assert Report.objects.get(pk=other_totals.pk).response_counts == {
            "asked": 5,
            "approved": 1,
            "rate": 20,
        }
        assert Report.objects.get(pk=unkept.pk).response_counts is None
        assert Report.objects.get(pk=during.pk).response_counts == stated
    finally:
        migrate(None)
