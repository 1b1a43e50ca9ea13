"""The demo's follow-up cycle, as the demo file describes it (fixtures/demo.json,
docs/development.md#demo-data): contributions in every state, the strategist's analyses
and the report's texts, each step through the services. Everything is marked demo."""

import datetime
import re
from pathlib import Path

from django.contrib.auth import get_user_model
from django.db import transaction

from programme.demo import DEMO_FILE, demo_data, demo_logins
from programme.models import Membership, Organisation, Programme

from . import services
from .content import ContributionContent
from .models import Contribution, ContributionVersion, Cycle, Question
from .report import texts as report_texts
from .report.compile import report_text_save, synthesis_save
from .selectors import approved_versions

# How demo text starts; a synthesis quotes the results without it.
DEMO_MARK = "(Demo) "
# A citation of a focus area in the file's report texts: [#{2.1}] is the first approved
# contribution in 2.1 (left out, with the space before it, where there is none).
AREA_CITATION = re.compile(r"( ?)\[#\{([^{}]+)\}\]")


def _demo_synthesis(cycle, area, contributions, strategist, template):
    """The strategist's analysis of a focus area, citing each approved contribution."""
    paragraphs = [
        template.format(
            organisation=c.organisation.name,
            contribution=c.pk,
            results=c.results.removeprefix(DEMO_MARK),
        )
        for c in contributions
    ]
    assessments = [c.assessment for c in contributions if c.assessment]
    synthesis_save(
        cycle=cycle,
        focus_area=area,
        analysis="\n\n".join(paragraphs),
        assessment=max(set(assessments), key=assessments.count) if assessments else "",
        highlighted=[],
        by=strategist,
    )


def _demo_report(cycle, strategist, report):
    """Every focus area with an approved contribution analysed, every report text written
    and marked ready: the report a newcomer compiles is a whole council report."""
    approved = {}
    for contribution in cycle.contributions.filter(
        state=Contribution.State.APPROVED
    ).select_related("organisation", "focus_area"):
        approved.setdefault(contribution.focus_area, []).append(contribution)
    for area, contributions in approved.items() if "synthesis" in report else ():
        _demo_synthesis(cycle, area, contributions, strategist, report["synthesis"])
    cite = {area.code: contributions[0].pk for area, contributions in approved.items()}
    texts = {
        key: AREA_CITATION.sub(
            lambda m: f"{m.group(1)}[#{cite[m.group(2)]}]" if m.group(2) in cite else "", text
        )
        for key, text in report.get("texts", {}).items()
    }
    for direction in cycle.programme.directions.all() if "direction" in report else ():
        codes = [area.code for area in direction.focus_areas.all() if area.code in cite]
        texts[report_texts.direction_key(direction)] = (
            report["direction"].format(count=len(codes), contribution=cite[codes[0]])
            if codes
            else report["direction_uncited"].format(count=0)
        )
    for key, text in texts.items():
        slot = report_texts.slot(cycle, key)
        if slot is None:  # a part this report does not have
            continue
        report_text_save(
            cycle=cycle,
            part=slot.part,
            direction=slot.direction,
            text=text,
            ready=True,
            revision=slot.revision,
            by=strategist,
        )


def _partners(names, programme):
    """Collaboration from names: one of the city's organisations by its name, any other
    as written (the demo's own are marked "(Demo)")."""
    city = dict(
        Organisation.objects.of_programme(programme)
        .filter(name__in=names)
        .values_list("name", "pk")
    )
    return [{"name": name, "organisation_id": city.get(name)} for name in names]


def _save(contribution, user, fields, actions):
    if "collaboration" in fields:
        partners = _partners(fields["collaboration"], contribution.cycle.programme)
        fields = {**fields, "collaboration": partners}
    content = ContributionContent.of(contribution).replaced(actions=actions, **fields)
    return services.contribution_save(
        contribution=contribution, content=content, expected_version=contribution.version, by=user
    )


@transaction.atomic
def demo_cycle_load(file: Path = DEMO_FILE) -> bool:
    """Create the demo cycle once; returns False if it was already there, or if the file
    has none, or names an edition the installation lacks, or no strategist."""
    spec = demo_data(file).get("cycle")
    if not spec or Cycle.objects.filter(title=spec["title"]).exists():
        return False
    programme = Programme.objects.of_installation().filter(edition=spec["programme"]).first()
    users = demo_logins(file=file)
    by_name = get_user_model().objects.in_bulk([d.username for d in users], field_name="username")
    strategist = next((by_name.get(d.username) for d in users if d.strategist), None)
    if programme is None or strategist is None:
        return False
    # Each organisation's first reporter and first approver in the file.
    reporters, approvers = {}, {}
    for demo in reversed(users):
        role = {Membership.Role.REPORTER: reporters, Membership.Role.APPROVER: approvers}.get(
            demo.role
        )
        if demo.organisation and role is not None:
            role[demo.organisation] = by_name[demo.username]
    cycle = Cycle.objects.create(
        programme=programme,
        title=spec["title"],
        first_year=spec["first_year"],
        last_year=spec["last_year"],
        opens_on=datetime.date.fromisoformat(spec["opens_on"]),
        due_on=datetime.date.fromisoformat(spec["due_on"]),
        is_demo=True,
    )
    for position, question in enumerate(spec.get("questions", []), start=1):
        Question.objects.create(
            cycle=cycle, text=question["text"], kind=question["kind"], position=position
        )
    services.cycle_open(cycle=cycle, by=strategist)
    for entry in spec.get("contributions", []):
        _demo_contribution(cycle, entry, reporters, approvers, strategist)
    _demo_report(cycle, strategist, spec.get("report", {}))
    return True


def _demo_contribution(cycle, entry, reporters, approvers, strategist):
    """One contribution written and taken to its state, as the file's entry says; left out
    where the organisation, its demo users or the focus area are not there."""
    organisation, state = entry["organisation"], entry["state"]
    reporter, approver = reporters.get(organisation), approvers.get(organisation)
    contribution = cycle.contributions.filter(
        organisation__name=organisation, focus_area__code=entry["focus_area"]
    ).first()
    if contribution is None or reporter is None or approver is None:
        return
    actions = entry.get("actions", [])
    contribution = _save(contribution, reporter, entry["fields"], actions)
    if state == Contribution.State.DRAFT:
        return
    if state == Contribution.State.READY:
        services.contribution_mark_ready(contribution=contribution, by=reporter, note=entry["note"])
        return
    services.contribution_submit(contribution=contribution, by=approver)
    if state in (Contribution.State.RETURNED, Contribution.State.RESUBMITTED):
        services.contribution_return(
            contribution=contribution, comment=entry["comment"], by=strategist
        )
    if state == Contribution.State.RESUBMITTED:
        contribution.refresh_from_db()
        contribution = _save(contribution, reporter, entry["revised"], actions)
        services.contribution_submit(contribution=contribution, by=approver)
    if state == Contribution.State.APPROVED:
        services.contribution_approve(contribution=contribution, by=strategist)


def demo_more_organisations(cycle: Cycle, count: int, name: str = "Exempelbolag") -> None:
    """The cycle's approved contributions again for ``count`` more (demo) companies, each
    approved as it is: to see and measure a report of many organisations
    (bench/report.py, tests/test_report_pages.py)."""
    versions = list(approved_versions(cycle))
    for index in range(count):
        organisation = Organisation.objects.create(
            name=f"{name} {index + 1} (demo)", kind=Organisation.Kind.COMPANY
        )
        for version in versions:
            contribution = Contribution.objects.create(
                cycle=cycle,
                organisation=organisation,
                focus_area=version.contribution.focus_area,
                state=Contribution.State.APPROVED,
                version=1,
            )
            ContributionVersion.objects.create(
                contribution=contribution,
                number=1,
                state=Contribution.State.APPROVED,
                data=version.data,
                event=ContributionVersion.Event.APPROVED,
            )
