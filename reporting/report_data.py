"""What a report says, read from the approved versions only.

A contribution edited after approval cannot reach the report: its text comes from the
version saved at approval, not from the contribution row.
"""

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Prefetch
from django.utils import timezone

from programme.indicators import indicator_views_by_area
from programme.models import ASSESSMENT_SYMBOLS, Assessment, FocusArea, Indicator, Sdg

from .content import ContributionContent
from .models import Action, Contribution, ContributionVersion, Cycle, Synthesis


def assessment_view(value: str) -> dict | None:
    if not value:
        return None
    return {
        "value": value,
        "label": dict(Assessment.choices).get(value, ""),
        "symbol": ASSESSMENT_SYMBOLS.get(value, ""),
    }


@dataclass
class ReportData:
    cycle: Cycle
    directions: list = field(default_factory=list)
    organisations: list = field(default_factory=list)
    requests: list = field(default_factory=list)
    versions: list = field(default_factory=list)
    compiled_at: object = None
    number: int | None = None

    @property
    def is_demo(self) -> bool:
        return self.cycle.is_demo


def approved_versions(cycle: Cycle):
    return (
        ContributionVersion.objects.filter(
            contribution__cycle=cycle,
            contribution__withdrawn=False,
            contribution__state=Contribution.State.APPROVED,
            event="approved",
        )
        .select_related("contribution__organisation", "contribution__focus_area")
        .order_by("contribution__organisation__name", "contribution__focus_area__code", "-number")
    )


def _actions_view(content: ContributionContent, sdgs: dict) -> list[dict]:
    return [
        {
            "title": action.title,
            "description": action.description,
            "status": action.status_label(),
            "groups": action.group_labels(),
            "sdgs": [sdgs[n] for n in action.sdgs if n in sdgs],
        }
        for action in content.actions
    ]


def report_data(cycle: Cycle, *, number: int | None = None) -> ReportData:
    """Everything the report shows, in a fixed number of queries."""
    sdgs = {sdg.number: sdg for sdg in Sdg.objects.all()}
    titles = dict(Indicator.objects.values_list("pk", "title"))
    questions = dict(cycle.questions.values_list("pk", "text"))
    versions = []
    seen = set()
    for version in approved_versions(cycle):
        if version.contribution_id not in seen:  # the latest approval of each
            seen.add(version.contribution_id)
            versions.append(version)
    by_area = defaultdict(list)
    by_organisation = defaultdict(list)
    for version in versions:
        contribution = version.contribution
        content = ContributionContent.from_json(version.data)
        entry = {
            "organisation": contribution.organisation.name,
            "focus_area": contribution.focus_area,
            "version": version,
            "not_relevant": content.not_relevant,
            "not_relevant_reason": content.not_relevant_reason,
            "done": content.done,
            "results": content.results,
            "assessment": assessment_view(content.assessment),
            "assessment_motivation": content.assessment_motivation,
            "challenges": content.challenges,
            "next_steps": content.next_steps,
            "answers": [
                (questions[int(pk)], answer)
                for pk, answer in content.answers.items()
                if answer and int(pk) in questions
            ],
            "actions": _actions_view(content, sdgs),
            "indicator_comments": [
                (titles.get(int(pk), ""), text)
                for pk, text in content.indicator_comments.items()
                if text
            ],
            "attachments": content.attachments,
        }
        by_area[contribution.focus_area_id].append(entry)
        by_organisation[contribution.organisation.name].append(entry)

    syntheses = {
        synthesis.focus_area_id: synthesis
        for synthesis in Synthesis.objects.filter(cycle=cycle).prefetch_related(
            Prefetch(
                "highlighted_actions",
                queryset=Action.objects.select_related("contribution__organisation"),
            )
        )
    }
    focus_areas = FocusArea.objects.order_by("code").prefetch_related("sdgs")
    directions = cycle.programme.directions.order_by("number").prefetch_related(
        Prefetch("focus_areas", queryset=focus_areas)
    )
    indicators = indicator_views_by_area(
        list(FocusArea.objects.filter(programme=cycle.programme_id)),
        first_year=cycle.first_year,
        last_year=cycle.last_year,
    )
    data = ReportData(cycle=cycle, versions=versions, number=number)
    data.compiled_at = timezone.now()
    for direction in directions:
        areas = []
        for area in direction.focus_areas.all():
            synthesis = syntheses.get(area.pk)
            areas.append(
                {
                    "area": area,
                    "sdgs": list(area.sdgs.all()),
                    "synthesis": synthesis,
                    "assessment": assessment_view(synthesis.assessment if synthesis else ""),
                    "highlighted": list(synthesis.highlighted_actions.all()) if synthesis else [],
                    "contributions": by_area.get(area.pk, []),
                    "indicators": indicators[area.pk],
                }
            )
        data.directions.append({"direction": direction, "areas": areas})
    data.organisations = sorted(by_organisation.items())
    data.requests = list(
        cycle.contributions.filter(withdrawn=False)
        .select_related("organisation", "focus_area")
        .order_by("organisation__name", "focus_area__code")
    )
    return data
