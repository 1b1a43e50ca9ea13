"""Migrating to versions that keep the names they print each contribution under
(Report.names): a version compiled before is given each organisation's name and each focus
area's code and title as the programme's history had them when the version was finished,
not as they were renamed since; where the history has nothing from before, as they are."""

import datetime

import pytest
from django.utils import timezone

from tests.factories import migrate, migration_approved, migration_report_setting

BEFORE = [("reporting", "0030_thread_message_label")]
PROGRAMME = [("programme", "0031_one_line_fields")]  # as it is then: not rolled back


@pytest.mark.django_db(transaction=True)
def test_a_version_compiled_before_names_its_contributions_as_they_were_then():
    try:
        apps = migrate(BEFORE, also=PROGRAMME)
        code, user, cycle = migration_report_setting(apps, ["2.1", "2.2"])
        Organisation = apps.get_model("programme", "Organisation")
        History = apps.get_model("programme", "HistoricalOrganisation")
        finished = timezone.now() - datetime.timedelta(days=10)
        day = datetime.timedelta(days=1)

        renamed = Organisation.objects.create(name="Provnämnden, nytt namn", kind="nämnd")
        for days, name in ((-20, "Provnämnden"), (-1, "Provnämnden (ny)"), (5, renamed.name)):
            History.objects.create(
                id=renamed.pk,
                name=name,
                kind="nämnd",
                history_date=finished + days * day,
                history_type="~",
            )
        unrecorded = Organisation.objects.create(name="Andra provnämnden", kind="nämnd")

        def approved(organisation, area):
            return migration_approved(apps, cycle, organisation, code[area])

        first, second = approved(renamed, "2.1"), approved(unrecorded, "2.2")
        Report = apps.get_model("reporting", "Report")
        done = Report.objects.create(
            cycle=cycle, number=1, status="done", finished_at=finished, compiled_by=user
        )
        done.built_from.add(first, second)
        queued = Report.objects.create(cycle=cycle, number=2, status="queued", compiled_by=user)

        apps = migrate(None)
        Report = apps.get_model("reporting", "Report")
        assert Report.objects.get(pk=done.pk).names == {
            str(first.pk): {
                "organisation": "Provnämnden (ny)",  # the last name saved before it finished
                "code": "2.1",
                "title": "Område 2.1",
                "number": 2,  # numbered by 0032, by these names
            },
            str(second.pk): {
                "organisation": "Andra provnämnden",
                "code": "2.2",
                "title": "Område 2.2",
                "number": 1,
            },
        }
        assert Report.objects.get(pk=queued.pk).names is None  # nothing compiled
    finally:
        migrate(None)


NAMED = [("reporting", "0031_report_names")]


@pytest.mark.django_db(transaction=True)
def test_a_version_compiled_before_numbers_were_kept_is_numbered_as_it_printed_them():
    """Numbered once by the migration, as its Bilaga 2 printed them: by the organisations'
    names as the version keeps them (Swedish order), then by the focus areas' order."""
    try:
        apps = migrate(NAMED, also=PROGRAMME)
        code, user, cycle = migration_report_setting(apps, ["2.2", "2.10"])
        Organisation = apps.get_model("programme", "Organisation")
        # Today's names sort the other way round from those the version kept.
        a = Organisation.objects.create(name="Ö-nämnden i dag", kind="nämnd")
        b = Organisation.objects.create(name="A-bolaget i dag", kind="bolag")

        def approved(organisation, area):
            return migration_approved(apps, cycle, organisation, code[area])

        versions = {
            "a 2.10": approved(a, "2.10"),
            "a 2.2": approved(a, "2.2"),
            "b 2.2": approved(b, "2.2"),
        }
        kept = {"a": "Ängelholmsnämnden", "b": "Östra bolaget"}  # ä before ö
        Report = apps.get_model("reporting", "Report")
        report = Report.objects.create(
            cycle=cycle,
            number=1,
            status="done",
            finished_at=timezone.now(),
            compiled_by=user,
            names={
                str(version.pk): {
                    "organisation": kept[key[0]],
                    "code": key[2:],
                    "title": f"Område {key[2:]}",
                }
                for key, version in versions.items()
            },
        )
        report.built_from.add(*versions.values())

        apps = migrate(None)
        names = apps.get_model("reporting", "Report").objects.get(pk=report.pk).names
        numbers = {key: names[str(version.pk)]["number"] for key, version in versions.items()}
        assert numbers == {"a 2.2": 1, "a 2.10": 2, "b 2.2": 3}  # 2.2 before 2.10
        assert names[str(versions["a 2.2"].pk)]["organisation"] == "Ängelholmsnämnden"
    finally:
        migrate(None)
