"""The action register (models.Initiative): what approved contributions reported of each
insats. A draft refers to entries; only approving a contribution writes to them, so the
register never shows what was not approved."""

from django.utils.translation import gettext as _

from programme.models import FocusArea

from ..content import ACTION_KEYS, ContributionContent
from ..models import Contribution, Initiative
from .common import WorkflowError

# The largest id the database holds.
LARGEST_ID = 2**63 - 1

# What a report sets on the entry it reports on: the action's own columns (content.py),
# but the link to the entry and where it moved, which approving acts on.
REPORTED = tuple(sorted(ACTION_KEYS - {"sdgs", "initiative", "moved_to"}))


def check_initiatives(contribution: Contribution, content: ContributionContent) -> None:
    """Refuse a content whose actions refer to an entry of another organisation (or to
    none that exists), or to one entry twice."""
    referred = [action.initiative for action in content.actions if action.initiative is not None]
    if len(referred) != len(set(referred)):
        raise WorkflowError(
            _("Two actions report on the same earlier action. Remove one and save again.")
        )
    # An id no entry can have is nobody's (and not one to ask the database about).
    possible = [pk for pk in referred if 0 < pk <= LARGEST_ID]
    own = set(
        Initiative.objects.filter(
            organisation_id=contribution.organisation_id, pk__in=possible
        ).values_list("pk", flat=True)
    )
    if set(referred) - own:
        raise WorkflowError(
            _("An action refers to an earlier action that is not your organisation's.")
        )


def register_actions(contribution: Contribution, *, by) -> None:
    """Write what the contribution, being approved, reports into the register: each action
    updates the entry it reports on, a new one becomes an entry. Its rows are linked to
    their entries, so the approved version records them."""
    actions = contribution.actions.select_related("initiative").prefetch_related("sdgs")
    for action in actions:
        initiative = action.initiative or Initiative(organisation_id=contribution.organisation_id)
        for name in REPORTED:
            setattr(initiative, name, getattr(action, name))
        initiative.reported_in = contribution
        initiative._history_user = by  # simple_history: who changed it
        initiative.save()
        moved_to = None
        if action.moved_to:  # an area of the same edition; the form offers no other
            moved_to = FocusArea.objects.filter(
                programme=contribution.cycle.programme_id, code=action.moved_to
            ).first()
        if moved_to is not None:
            initiative.focus_areas.remove(contribution.focus_area_id)
            initiative.focus_areas.add(moved_to)
        else:
            initiative.focus_areas.add(contribution.focus_area_id)
        initiative.sdgs.set(action.sdgs.all())
        if action.initiative_id != initiative.pk:
            action.initiative = initiative
            action.save(update_fields=["initiative"])
