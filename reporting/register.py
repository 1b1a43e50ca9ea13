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

from .content import ActionContent, read_items
from .models import ContributionVersion, Initiative, Report
from .permissions import published_reports


@dataclass
class PublishedAction:
    """One action as one published report published it."""

    initiative: int | None  # the register's id
    organisation: str
    code: str  # the focus area's
    report: Report
    version_pk: int
    action: ActionContent
    area_title: str = ""  # the focus area's, as the edition reported on names it


def title_key(organisation_id: int, code: str, title: str) -> tuple:
    return organisation_id, code, " ".join(title.split()).casefold()


def published_actions(
    *, code: str = "", focus_areas: list[int] | None = None, organisation_id: int | None = None
):
    """Every action of every published report of the installation, in the order the reports
    were published (the latest last), narrowed to a focus area's code (in any edition), to
    the focus areas of ``focus_areas`` (ids), or to an organisation."""
    built_from = Report.built_from.through.objects.filter(
        report__in=published_reports(),
        contributionversion__event=ContributionVersion.Event.APPROVED,
    )
    if code:
        built_from = built_from.filter(contributionversion__contribution__focus_area__code=code)
    if focus_areas is not None:
        built_from = built_from.filter(
            contributionversion__contribution__focus_area__in=focus_areas
        )
    if organisation_id is not None:
        built_from = built_from.filter(
            contributionversion__contribution__organisation_id=organisation_id
        )
    rows = list(
        built_from.select_related(
            "report__cycle",
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
    published = []
    for row in rows:
        version = row.contributionversion
        contribution = version.contribution
        for action in read_items(ActionContent, (version.data or {}).get("actions", [])):
            initiative = action.initiative or known.get(
                title_key(contribution.organisation_id, contribution.focus_area.code, action.title)
            )
            published.append(
                PublishedAction(
                    initiative=initiative,
                    organisation=contribution.organisation.name,
                    code=contribution.focus_area.code,
                    report=row.report,
                    version_pk=version.pk,
                    action=action,
                    area_title=contribution.focus_area.title,
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
    """latest_published(published_actions(code=code, focus_areas=focus_areas)), kept while
    nothing it is made of changes: reading every published report's versions again on every
    request would cost more with every report published (three small queries instead)."""
    areas = "" if focus_areas is None else ",".join(map(str, sorted(focus_areas)))
    key = f"published-actions:{code}:{areas}:{_published_state()}"
    found = cache.get(key)
    if found is None:
        found = latest_published(published_actions(code=code, focus_areas=focus_areas))
        cache.set(key, found, 3600)
    return found


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
