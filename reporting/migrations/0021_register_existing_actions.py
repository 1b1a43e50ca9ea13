"""Every action already reported becomes an entry of the register (issue 22).

An approved contribution's actions are registered in the order the cycles opened: the same
insats in a later cycle is the same entry when the organisation, the focus area's code and
the title (spaces and case aside) match, otherwise an entry of its own; the later report
sets its status and texts. An action of a contribution not approved is joined to a matching
entry if there is one, and otherwise waits for its approval (the register holds approved
reports only: nothing unapproved shows through it). Saved versions are not touched.

Reversed, the links go and so do the entries.
"""

from django.db import migrations

FIELDS = ("title", "description", "status", "groups", "reference", "progress")


def key(organisation_id, code, title):
    return organisation_id, code, " ".join(title.split()).casefold()


def register(apps, schema_editor):
    Action = apps.get_model("reporting", "Action")
    Initiative = apps.get_model("reporting", "Initiative")
    entries = {}
    approved = (
        Action.objects.filter(contribution__state="approved", contribution__withdrawn=False)
        .select_related("contribution__focus_area", "contribution__cycle")
        .order_by("contribution__cycle__opens_on", "contribution__approved_at", "position", "pk")
    )
    for action in approved:
        contribution = action.contribution
        found = key(contribution.organisation_id, contribution.focus_area.code, action.title)
        initiative = entries.get(found)
        if initiative is None:
            initiative = Initiative(organisation_id=contribution.organisation_id)
        for name in FIELDS:
            setattr(initiative, name, getattr(action, name))
        initiative.reported_in_id = contribution.pk
        initiative.save()
        initiative.focus_areas.add(contribution.focus_area_id)
        initiative.sdgs.set(action.sdgs.all())
        entries[found] = initiative
        action.initiative = initiative
        action.save(update_fields=["initiative"])
    others = Action.objects.filter(initiative__isnull=True).select_related(
        "contribution__focus_area"
    )
    for action in others:
        contribution = action.contribution
        found = key(contribution.organisation_id, contribution.focus_area.code, action.title)
        if found in entries:
            action.initiative = entries[found]
            action.save(update_fields=["initiative"])


def unregister(apps, schema_editor):
    apps.get_model("reporting", "Action").objects.update(initiative=None)
    apps.get_model("reporting", "Initiative").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("reporting", "0020_action_register")]

    operations = [migrations.RunPython(register, unregister)]
