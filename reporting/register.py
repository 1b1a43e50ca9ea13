"""The action register as the public reads it: from published reports only.

What the public sees of an insats is what the published reports said of it: the actions of
the approved versions each published report was built from, never the register's own row
(which follows approvals, published or not). An action published before the register
existed carries no register id in its version; it is identified the way the data
migration joined the register (organisation, focus area, title with spaces and case aside).
"""

import hashlib
from dataclasses import dataclass

from django.core.cache import cache
from django.db.models import Count, Max
from django.utils.translation import gettext as _

from programme.models import FocusArea

from .content import ActionContent, read_items
from .models import ContributionVersion, Initiative, Report
from .permissions import published_reports


@dataclass
class PublishedAction:
    """One action as one published report published it."""

    initiative: int | None  # the register's id
    organisation: str
    code: str  # the focus area's it belongs to after the report: where it moved, if it did
    report: Report
    version_pk: int
    action: ActionContent
    area_title: str = ""  # that focus area's, as the edition reported on names it
    area: int | None = None  # that focus area's id
    moved_from: str = ""  # the code of the focus area it was reported under and left
    moved_from_area: int | None = None  # that focus area's id

    def move(self) -> str:
        """The move the report told, in words; empty if it told none."""
        if not self.moved_from:
            return ""
        return _("Moved from %(from)s to %(level)s %(to)s") % {
            "from": self.moved_from,
            "level": self.report.cycle.programme.levels.focus_area,
            "to": self.code,
        }


def _in_areas(item: PublishedAction, code: str, focus_areas: set[int] | None) -> bool:
    """Whether the item is told of a focus area: the one it belongs to, or the one it left
    (whose chapter in the report tells the move)."""
    if code and code not in (item.code, item.moved_from):
        return False
    return focus_areas is None or bool({item.area, item.moved_from_area} & focus_areas)


def title_key(organisation_id: int, code: str, title: str) -> tuple:
    return organisation_id, code, " ".join(title.split()).casefold()


def published_actions(*, organisation_id: int | None = None) -> list[PublishedAction]:
    """Every action of every published report of the installation, in the order the reports
    were published (the latest last), or an organisation's. An action moved to another
    focus area belongs to that area from the report that told the move on, as the register
    has it from that approval on (services/register.py)."""
    built_from = Report.built_from.through.objects.filter(
        report__in=published_reports(),
        contributionversion__event=ContributionVersion.Event.APPROVED,
    )
    if organisation_id is not None:
        built_from = built_from.filter(
            contributionversion__contribution__organisation_id=organisation_id
        )
    rows = list(
        built_from.select_related(
            "report__cycle__programme",
            "contributionversion__contribution__organisation",
            "contributionversion__contribution__focus_area",
        ).order_by("report__published_at", "report__pk", "contributionversion__pk")
    )
    organisations = {row.contributionversion.contribution.organisation_id for row in rows}
    known = {}
    for initiative in Initiative.objects.filter(organisation_id__in=organisations).prefetch_related(
        "focus_areas"
    ):
        for area in initiative.focus_areas.all():
            known.setdefault(
                title_key(initiative.organisation_id, area.code, initiative.title), initiative.pk
            )
    told = [
        (row, action)
        for row in rows
        for action in read_items(
            ActionContent, (row.contributionversion.data or {}).get("actions", [])
        )
    ]
    # An area moved to is of the edition reported on, as the form offers and the register
    # reads it; a code that names none there is no move, for the register as here.
    moved_to = {action.moved_to for _row, action in told if action.moved_to}
    areas = {
        (area.programme_id, area.code): area
        for area in FocusArea.objects.filter(code__in=moved_to).only("programme", "code", "title")
    }
    published = []
    for row, action in told:
        version = row.contributionversion
        contribution = version.contribution
        reported = contribution.focus_area
        initiative = action.initiative or known.get(
            title_key(contribution.organisation_id, reported.code, action.title)
        )
        area = areas.get((reported.programme_id, action.moved_to), reported)
        # Named as the report was compiled with them; an area moved to, as it is today.
        printed = row.report.printed_as(version)
        published.append(
            PublishedAction(
                initiative=initiative,
                organisation=printed["organisation"],
                code=area.code,
                report=row.report,
                version_pk=version.pk,
                action=action,
                area_title=printed["title"] if area == reported else area.title,
                area=area.pk,
                moved_from=reported.code if area != reported else "",
                moved_from_area=reported.pk if area != reported else None,
            )
        )
    return published


def latest_published(actions: list[PublishedAction]) -> list[PublishedAction]:
    """Each insats once, as the latest published report tells it, by organisation and title."""
    latest = {}
    for item in actions:  # the latest last
        key = item.initiative or (item.organisation, item.code, item.action.title)
        latest[key] = item
    return sorted(latest.values(), key=lambda item: (item.organisation, item.action.title))


def _published_state() -> str:
    """What the public list of insatser is made of, in short: the published reports (whose
    versions never change; whether they are demo, which the list says) and the register's
    rows, which join an action published before the register existed to its entry. It
    changes whenever either does."""
    reports = list(
        published_reports().order_by("pk").values_list("pk", "is_demo", "cycle__is_demo")
    )
    register = Initiative.objects.aggregate(count=Count("pk"), changed=Max("updated_at"))
    areas = Initiative.focus_areas.through.objects.aggregate(count=Count("pk"), last=Max("pk"))
    state = repr((reports, sorted(register.items()), sorted(areas.items())))
    return hashlib.sha256(state.encode()).hexdigest()[:32]


def latest_published_actions(
    code: str = "", focus_areas: list[int] | None = None
) -> list[PublishedAction]:
    """Each insats once, as the latest published report that told of it for a focus area's
    code (in any edition) or for the focus areas of ``focus_areas`` (ids) says: under the
    area it belongs to and the one it moved from. The published actions are kept while
    nothing they are made of changes: reading every published report's versions again on
    every request would cost more with every report published (three small queries
    instead)."""
    found = _kept_published_actions()
    areas = None if focus_areas is None else set(focus_areas)
    return latest_published([item for item in found if _in_areas(item, code, areas)])


def _kept_published_actions() -> list[PublishedAction]:
    key = f"published-actions:{_published_state()}"
    found = cache.get(key)
    if found is None:
        found = published_actions()
        cache.set(key, found, 3600)
    return found


def published_action_counts(continued: dict[int, list[int]]) -> dict[int, int]:
    """How many insatser each focus area's page lists (latest_published_actions with its
    ``focus_areas``): ``continued`` gives, by focus area id, the ids it continues. Read
    once for all of them."""
    found = _kept_published_actions()
    return {
        pk: len(latest_published([item for item in found if _in_areas(item, "", set(areas))]))
        for pk, areas in continued.items()
    }


def initiative_history(pk: int) -> list[PublishedAction]:
    """What the published reports said of one insats, oldest first; empty if none did (so
    nothing unpublished is told)."""
    initiative = Initiative.objects.filter(pk=pk).first()
    if initiative is None:
        return []
    actions = published_actions(organisation_id=initiative.organisation_id)
    return [item for item in actions if item.initiative == pk]


def published_actions_for_goal(number: int) -> list[PublishedAction]:
    """Each insats whose latest published report tied it to the global goal."""
    return [item for item in latest_published_actions() if number in item.action.sdgs]
