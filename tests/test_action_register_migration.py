"""The actions reported before the register existed become its entries (issue 22): on a
copy of the demo with a second cycle, the data migration joins the same insats across
cycles (organisation, focus area and title, spaces and case aside), lets the later report
set its status, joins a draft's action only to an entry that exists (a draft's new action
becomes an entry when its contribution is approved, as any new action does: the register is
read by strategists and residents, who may not read a draft), leaves every saved version as
it was, and is reversed."""

import datetime
import io

import pytest
from django.core.management import call_command
from django.db import connection

from reporting import services
from reporting.models import Action, Contribution, ContributionVersion, Cycle, Initiative
from tests.factories import COMPLETE, make_strategist, make_user, migrate, new_cycle, save

BEFORE = [("reporting", "0019_citations")]


def columns(table: str) -> set[str]:
    with connection.cursor() as cursor:
        return {c.name for c in connection.introspection.get_table_description(cursor, table)}


@pytest.mark.django_db(transaction=True)
def test_existing_actions_become_register_entries_and_back():
    call_command("load_programme", stdout=io.StringIO())
    call_command("load_demo", "--allow-without-debug", stdout=io.StringIO())
    demo = Cycle.objects.get(is_demo=True)
    earlier = (
        Action.objects.filter(contribution__cycle=demo, contribution__state="approved")
        .select_related("contribution__organisation", "contribution__focus_area")
        .first()
    )
    organisation = earlier.contribution.organisation
    code = earlier.contribution.focus_area.code

    # A second cycle: the same organisation reports the same insats (spaced and cased
    # otherwise) finished and is approved; a draft of another area reports one that
    # matches nothing.
    strategist = make_strategist("strateg.migrering")
    approver = make_user("godkannare.migrering", organisation=organisation, role="approver")
    later_cycle = new_cycle(opens_on=datetime.date(2028, 1, 1), due_on=datetime.date(2099, 1, 1))
    services.cycle_open(cycle=later_cycle, by=strategist)
    later = later_cycle.contributions.get(organisation=organisation, focus_area__code=code)
    title = "  " + earlier.title.upper().replace(" ", "  ") + " "
    save(later, approver, actions=[{"title": title, "status": "completed"}], **COMPLETE)
    services.contribution_submit(contribution=later, by=approver)
    services.contribution_approve(contribution=later, by=strategist)
    draft = later_cycle.contributions.exclude(focus_area__code=code).filter(
        organisation=organisation
    )[0]
    save(draft, approver, actions=[{"title": "Något helt nytt", "status": "planned"}])

    versions = dict(ContributionVersion.objects.values_list("pk", "data"))
    approved = Action.objects.filter(contribution__state="approved", contribution__withdrawn=False)
    keys = {
        (
            a.contribution.organisation_id,
            a.contribution.focus_area.code,
            " ".join(a.title.split()).casefold(),
        )
        for a in approved.select_related("contribution__focus_area")
    }
    try:
        migrate(BEFORE)
        assert "initiative_id" not in columns("reporting_action")
        migrate(None)  # forward: the data migration builds the register

        assert Initiative.objects.count() == len(keys)
        entry = Action.objects.get(contribution=later).initiative
        assert Action.objects.get(pk=earlier.pk).initiative == entry  # joined across cycles
        assert entry.status == "completed"  # the later report's
        assert entry.reported_in == Contribution.objects.get(pk=later.pk)
        assert entry.organisation == organisation
        assert Action.objects.get(contribution=draft).initiative is None  # not approved
        assert (
            Action.objects.filter(initiative__isnull=True, contribution__state="approved").count()
            == 0
        )
        # Every saved version reads as before.
        assert dict(ContributionVersion.objects.values_list("pk", "data")) == versions
        # The draft's new action is nobody's entry yet; approving the draft makes it one.
        assert not Initiative.objects.filter(title="Något helt nytt").exists()
        draft = Contribution.objects.get(pk=draft.pk)
        new = {"title": "Något helt nytt", "status": "planned"}
        save(draft, approver, actions=[new], **COMPLETE)
        services.contribution_submit(contribution=draft, by=approver)
        services.contribution_approve(contribution=draft, by=strategist)
        made = Action.objects.get(contribution=draft).initiative
        assert (made.title, made.status, made.reported_in) == ("Något helt nytt", "planned", draft)
        assert set(made.focus_areas.all()) == {draft.focus_area}
        versions = dict(ContributionVersion.objects.values_list("pk", "data"))

        migrate(BEFORE)  # and back
        assert "initiative_id" not in columns("reporting_action")
        assert "reporting_initiative" not in connection.introspection.table_names()
        assert dict(ContributionVersion.objects.values_list("pk", "data")) == versions
    finally:
        migrate(None)
