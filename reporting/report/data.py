"""What a report says, read from the approved versions only.

A contribution edited after approval cannot reach the report: its text comes from the
version saved at approval, not from the contribution row.
"""

import datetime
import hashlib
import json
from collections import defaultdict
from dataclasses import dataclass, field
from functools import cached_property

from django.db.models import Count, Prefetch, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from livskvalitet.core.text import swedish_order
from programme.indicators import indicator_views_by_area
from programme.models import (
    ASSESSMENT_SYMBOLS,
    Assessment,
    FocusArea,
    Indicator,
    Responsibility,
    Sdg,
)
from programme.selectors import documents_with_latest_follow_up
from programme.trend import trend_rule_from

from .. import workflow
from ..content import FIELDS, ContributionContent
from ..models import STATES, Action, Contribution, Cycle, Synthesis
from ..selectors import latest_approvals, outdated_syntheses
from . import citations
from . import texts as report_texts


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
    texts: dict = field(default_factory=dict)  # key -> Slot (report_texts)
    overview: list = field(default_factory=list)
    commitments: list = field(default_factory=list)
    response: dict = field(default_factory=dict)
    # Each approved contribution's number in Bilaga 2, by contribution id, and the
    # approved version printed there: what a citation refers to.
    references: dict = field(default_factory=dict)
    printed_versions: dict = field(default_factory=dict)
    reference_titles: dict = field(default_factory=dict)

    @property
    def cited_where(self) -> dict[str, list[str]]:
        """Where the report's own texts cite each contribution: {contribution id (as
        text, for JSON): [the places, in the report's order]}."""
        places = [(str(slot.title), slot.text.text) for slot in self.texts.values() if slot.written]
        places += [
            (
                str(_("Analysis of %(code)s") % {"code": item["area"].code}),
                item["synthesis"].analysis,
            )
            for item in self.overview
            if item["synthesis"]
        ]
        found = defaultdict(list)
        for place, text in places:
            for cited in citations.cited_in(text):
                if (
                    cited.contribution_id in self.references
                    and place not in found[str(cited.contribution_id)]
                ):
                    found[str(cited.contribution_id)].append(place)
        return dict(found)

    def reference_links(self, *, edition: bool) -> dict[int, str]:
        """Where a citation leads: the contribution in Bilaga 2 of this document, or in
        the HTML edition the published contribution's own page."""
        if not (edition and self.number):
            return {pk: f"#contribution-{pk}" for pk in self.references}
        return {
            pk: reverse(
                "reporting:published-contribution", args=[self.cycle.pk, self.number, version]
            )
            for pk, version in self.printed_versions.items()
        }

    @cached_property
    def checklist(self) -> list[dict]:
        """What the preview lists for the strategist (never printed): worked out only when
        the preview asks, so a compile does not load the URLconf for its links."""
        return checklist(self)

    @property
    def is_demo(self) -> bool:
        return self.cycle.is_demo

    @property
    def says_when_empty(self) -> bool:
        return self.cycle.report_says_when_empty

    @property
    def text_summary(self) -> str:
        return self.text("sammanfattning")

    @property
    def text_introduction(self) -> str:
        return self.text("inledning")

    @property
    def text_further_work(self) -> str:
        return self.text("fortsatt-arbete")

    @property
    def indicator_views(self) -> list:
        """The indicators of every focus area in the report: the method explains trends,
        targets, rankings and sources of key figures only where there are some."""
        return [view for item in self.overview for view in item["indicators"]]

    @property
    def trend_rule(self) -> str:
        return trend_rule_from(self.cycle.trend_from, self.cycle.programme.own_municipality_name)

    def text(self, key: str) -> str:
        slot = self.texts.get(key)
        return slot.text.text if slot and slot.written else ""


def _actions_view(content: ContributionContent, sdgs: dict) -> list[dict]:
    return [
        {
            "title": action.title,
            "description": action.description,
            "status": action.status_label(),
            "status_value": action.status,
            "progress": action.progress,
            "moved_to": action.moved_to,
            "initiative": action.initiative,
            "groups": action.group_labels(),
            "sdgs": [sdgs[n] for n in action.sdgs if n in sdgs],
        }
        for action in content.actions
    ]


# How a chapter follows the actions up, in the order it tells them: what was finished, what
# goes on from an earlier follow-up, what is new since, what was cancelled (with what the
# organisation said of it).
FOLLOW_UP = {
    "completed": _("Finished"),
    "ongoing": _("Reported in an earlier follow-up"),
    "new": _("New since the last follow-up"),
    "cancelled": _("Cancelled"),
    "moved": _("Moved to %(level)s %(code)s"),
}


def _follow_up(action: dict, reported_before: set[int] | None) -> str:
    status = action["status_value"]
    if action["moved_to"]:
        return "moved"
    if status in (Action.Status.COMPLETED, Action.Status.CANCELLED):
        return status
    return "ongoing" if action["initiative"] in (reported_before or ()) else "new"


def _follow_up_label(action: dict, reported_before: set[int] | None, level: str) -> str:
    """Where an action stands, in words: finished or cancelled, or new or carried on from
    an earlier follow-up with its status ("Ny sedan förra uppföljningen (pågående)"); in
    the first follow-up there is no earlier one to be new since: its status alone. ``level``:
    what the programme calls a focus area, for the one an action was moved to."""
    key = _follow_up(action, reported_before)
    if key == "new" and reported_before is None:
        return capfirst(action["status"])
    if key in ("new", "ongoing"):
        return f"{FOLLOW_UP[key]} ({action['status']})"
    if key == "moved":
        return str(FOLLOW_UP[key]) % {"level": level, "code": action["moved_to"]}
    return str(FOLLOW_UP[key])


def reported_before(cycle: Cycle, versions) -> set[int] | None:
    """The register's entries among the versions' actions that an earlier cycle's
    contribution reported on; None in the municipality's first follow-up (no cycle of its
    programmes opened before it)."""
    earlier = Cycle.objects.filter(
        programme__municipality=cycle.programme.municipality_id, opens_on__lt=cycle.opens_on
    )
    if not earlier.exists():
        return None
    ids = {
        action.get("initiative")
        for version in versions
        for action in (version.data or {}).get("actions", [])
        if action.get("initiative")
    }
    if not ids:
        return set()
    return set(
        Action.objects.filter(
            initiative_id__in=ids, contribution__cycle__opens_on__lt=cycle.opens_on
        ).values_list("initiative_id", flat=True)
    )


def report_data(cycle: Cycle, *, number: int | None = None) -> ReportData:
    """Everything the report shows, in a fixed number of queries."""
    sdgs = {sdg.number: sdg for sdg in Sdg.objects.all()}
    titles = dict(Indicator.objects.values_list("pk", "title"))
    questions = dict(cycle.questions.values_list("pk", "text"))
    versions = sorted(
        latest_approvals(cycle).values(),
        key=lambda v: (
            swedish_order(v.contribution.organisation.name),
            v.contribution.focus_area.sort_key,
        ),
    )
    by_area = defaultdict(list)
    by_organisation = defaultdict(list)
    for version in versions:
        contribution = version.contribution
        content = ContributionContent.from_json(version.data)
        entry = {
            "organisation": contribution.organisation.name,
            "focus_area": contribution.focus_area,
            "version": version,
            **{name: getattr(content, name) for name in FIELDS},
            "assessment": assessment_view(content.assessment),
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
    focus_areas = FocusArea.objects.order_by("sort_key").prefetch_related("sdgs")
    directions = cycle.programme.directions.order_by("number").prefetch_related(
        "sdgs", Prefetch("focus_areas", queryset=focus_areas)
    )
    indicators = indicator_views_by_area(
        list(FocusArea.objects.filter(programme=cycle.programme_id)),
        first_year=cycle.trend_from,
        last_year=cycle.last_year,
    )
    data = ReportData(cycle=cycle, versions=versions, number=number)
    data.compiled_at = timezone.now()
    data.requests = sorted(
        cycle.contributions.filter(withdrawn=False).select_related("organisation", "focus_area"),
        key=lambda c: (swedish_order(c.organisation.name), c.focus_area.sort_key),
    )
    earlier = reported_before(cycle, versions)
    levels = cycle.programme.levels
    asked = defaultdict(list)
    for contribution in data.requests:
        asked[contribution.focus_area_id].append(contribution)
    for direction in directions:
        areas = []
        for area in direction.focus_areas.all():
            synthesis = syntheses.get(area.pk)
            areas.append(
                {
                    "area": area,
                    "sdgs": list(area.sdgs.all()),
                    # Followed up as a whole with the direction's goals: said once, above.
                    "goals_as_direction": area.is_whole_direction
                    and set(area.sdgs.all()) == set(direction.sdgs.all()),
                    "synthesis": synthesis,
                    "assessment": assessment_view(synthesis.assessment if synthesis else ""),
                    "highlighted": list(synthesis.highlighted_actions.all()) if synthesis else [],
                    "contributions": by_area.get(area.pk, []),
                    **what_was_reported(
                        asked[area.pk], by_area.get(area.pk, []), earlier, levels.focus_area
                    ),
                    "collaboration": [
                        (entry["organisation"], entry["collaboration"])
                        for entry in by_area.get(area.pk, [])
                        if entry["collaboration"] and not entry["not_relevant"]
                    ],
                    "indicators": indicators[area.pk],
                }
            )
        data.directions.append({"direction": direction, "areas": areas})
    data.organisations = list(by_organisation.items())  # versions are in Swedish order
    names = {v.contribution_id: v.contribution.organisation.name for v in versions}
    for item in (item for chapter in data.directions for item in chapter["areas"]):
        analysis = item["synthesis"].analysis if item["synthesis"] else ""
        item["excerpts"] = [
            {
                "text": cited.excerpt,
                "organisation": names[cited.contribution_id],
                "contribution": cited.contribution_id,
            }
            for cited in citations.cited_in(analysis)
            if cited.excerpt and cited.contribution_id in names
        ]
    for number, entry in enumerate(
        (entry for _name, entries in data.organisations for entry in entries), 1
    ):
        entry["reference"] = number
        data.references[entry["version"].contribution_id] = number
        data.printed_versions[entry["version"].contribution_id] = entry["version"].pk
        area = entry["focus_area"]
        data.reference_titles[entry["version"].contribution_id] = _(
            "Appendix 2, contribution %(number)d: %(organisation)s, %(code)s %(title)s"
        ) % {
            "number": number,
            "organisation": entry["organisation"],
            "code": area.code,
            "title": area.title,
        }
    data.texts = {slot.key: slot for slot in report_texts.slots(cycle)}
    documents = documents_with_latest_follow_up(cycle.programme)
    for chapter in data.directions:
        chapter["follow_ups"] = [
            document
            for document in documents
            if document.latest and chapter["direction"] in document.directions.all()
        ]
        chapter["text"] = data.text(report_texts.direction_key(chapter["direction"]))
    data.overview = [item for chapter in data.directions for item in chapter["areas"]]
    _tell_where_moved(data.overview, levels.focus_area)
    for item in data.overview:
        item["trends"] = trend_counts(item["indicators"])
    data.commitments = sorted(
        cycle.programme.commitments.all(), key=lambda c: swedish_order(c.title)
    )
    data.response = response_table(data.requests, [item["area"] for item in data.overview])
    return data


def _tell_where_moved(items: list[dict], level: str) -> None:
    """An action moved to another focus area is told in that area's chapter too, last
    among its actions, pointing to the contribution that moved it (``level``: what the
    programme calls a focus area)."""
    by_code = {item["area"].code: item for item in items}
    for item in items:
        for action in item["reported_actions"]:
            target = by_code.get(action["moved_to"]) if action["follow_up"] == "moved" else None
            if target is not None:
                label = _("Moved here from %(level)s %(code)s") % {
                    "level": level,
                    "code": item["area"].code,
                }
                target["reported_actions"].append(
                    {**action, "follow_up": "moved_in", "follow_up_label": label}
                )


# How a request stands in the response table: the symbol of the state it is counted by
# (models.STATES, as every page shows it) and the council's word for it.
RESPONSE_MARKS = {
    "approved": (STATES["approved"][1], _("approved")),
    "handed_over": (STATES["submitted"][1], _("handed over, not approved")),
    "returned": (STATES["returned"][1], _("returned for correction, not handed over again")),
    "started": (STATES["draft"][1], _("started, not handed over")),
    "not_answered": (STATES["not_started"][1], _("not answered")),
}


def what_was_reported(
    requests: list[Contribution],
    entries: list[dict],
    earlier: set[int] | None = None,
    level: str = "",
) -> dict:
    """What a focus area's chapter says the organisations reported, before the
    strategist's analysis: who was asked, grouped by how each request stands; the
    approved contributions' own assessments, and their actions followed up (FOLLOW_UP;
    ``earlier``: the register's entries reported on in an earlier cycle, None in the first
    follow-up; ``level``: what the programme calls a focus area), each pointing to the
    contribution in Bilaga 2; the organisations' assessments counted in words."""
    by_mark = defaultdict(list)
    for contribution in requests:
        by_mark[_response_mark(contribution)].append(contribution.organisation.name)
    approved = len(by_mark.get("approved", []))
    counts = defaultdict(int)
    for entry in entries:
        if not entry["not_relevant"]:
            counts[entry["assessment"]["value"] if entry["assessment"] else ""] += 1
    return {
        "asked": [
            {"symbol": symbol, "label": label, "organisations": by_mark[mark]}
            for mark, (symbol, label) in RESPONSE_MARKS.items()
            if by_mark.get(mark)
        ],
        "response": {"asked": len(requests), "approved": approved},
        "reported_actions": sorted(
            (
                {
                    **action,
                    "organisation": entry["organisation"],
                    "contribution": entry["version"].contribution_id,
                    "follow_up": _follow_up(action, earlier),
                    "follow_up_label": _follow_up_label(action, earlier, level),
                }
                for entry in entries
                if not entry["not_relevant"]
                for action in entry["actions"]
            ),
            # In FOLLOW_UP's order; the sort is stable, so organisations stay in theirs.
            key=lambda action: list(FOLLOW_UP).index(action["follow_up"]),
        ),
        "own_assessments": [
            {"label": label, "count": counts[value], "symbol": ASSESSMENT_SYMBOLS.get(value, "")}
            for value, label in [*Assessment.choices, ("", _("not assessed"))]
            if counts.get(value)
        ],
    }


def _response_mark(contribution: Contribution) -> str:
    """As the cycle's pages count them: handed over is what the organisation has handed
    over and not got back (Contribution.SHARED_STATES); a returned one is being corrected."""
    if contribution.state == Contribution.State.APPROVED:
        return "approved"
    if contribution.state in Contribution.SHARED_STATES:
        return "handed_over"
    if contribution.state == Contribution.State.RETURNED:
        return "returned"
    return "started" if contribution.started else "not_answered"


def response_table(requests, focus_areas) -> dict:
    """Organisations × focus areas, one mark per request; totals and the response rate;
    and on what ``basis`` they were asked, as the introduction says it: what each answers
    for (the responsibilities), everyone about everything (none set), or neither."""
    rows = defaultdict(dict)
    for contribution in requests:
        rows[contribution.organisation.name][contribution.focus_area_id] = _response_mark(
            contribution
        )
    approved = sum(1 for c in requests if c.state == Contribution.State.APPROVED)
    responsible = set(
        Responsibility.objects.filter(focus_area__in=focus_areas).values_list(
            "organisation_id", "focus_area_id"
        )
    )
    if requests and all((c.organisation_id, c.focus_area_id) in responsible for c in requests):
        basis = "responsibilities"  # each was asked about what it answers for
    elif requests and all(len(marks) == len(focus_areas) for marks in rows.values()):
        basis = "everything"  # no responsibilities set: everyone about every focus area
    else:
        basis = "asked"
    return {
        "areas": focus_areas,
        "rows": [
            (name, [marks.get(area.pk) for area in focus_areas])
            for name, marks in sorted(rows.items(), key=lambda row: swedish_order(row[0]))
        ],
        "marks": RESPONSE_MARKS,
        "asked": len(requests),
        "approved": approved,
        "organisations": len(rows),
        "basis": basis,
        "rate": round(100 * approved / len(requests)) if requests else 0,
    }


TREND_JUDGEMENTS = {
    Assessment.POSITIVE: _("better"),
    Assessment.UNCHANGED: _("unchanged"),
    Assessment.NEGATIVE: _("worse"),
    Assessment.CANNOT_ASSESS: _("cannot be assessed"),
}


def trend_counts(views) -> list[dict]:
    """How many of a focus area's indicators went the better or the worse way, in words:
    no arrow here, since "better" is up for some indicators and down for others."""
    counts = {}
    for view in views:
        value = getattr(view.trend, "assessment", "") or Assessment.CANNOT_ASSESS
        counts[value] = counts.get(value, 0) + 1
    return [
        {"value": value, "label": label, "count": counts[value]}
        for value, label in TREND_JUDGEMENTS.items()
        if value in counts
    ]


@dataclass
class Check:
    """One line of the preview's checklist, with where it is put right: a page of the
    strategy department's (``url``), or the administration (``administrators``)."""

    text: str
    url: str = ""
    administrators: bool = False


# What the strategy department's own parts of a report can lack, in words.
GAP_WORDS = {
    "not_written": _("Not written: %(title)s."),
    "not_ready": _("Written but not marked ready: %(title)s."),
    "no_analysis": _("No analysis for %(code)s."),
    "no_assessment": _("No overall assessment for %(code)s."),
    "outdated": _("The analysis of %(code)s has new approved contributions since it was written."),
}


def gaps(data: ReportData) -> list[dict]:
    """What the strategy department's own parts lack: its texts not written or not marked
    ready, focus areas without analysis or overall assessment, analyses written before one
    of their area's contributions was approved (as the synthesis list says them) or with
    paragraphs citing nothing. Kept with each compiled version (Report.gaps), listed by the
    preview and the publish page, and accepted explicitly when a version is published with
    them."""
    found = []
    for slot in data.texts.values():
        if not slot.written or not slot.ready:
            kind = "not_written" if not slot.written else "not_ready"
            found.append({"kind": kind, "text": slot.key, "title": str(slot.title)})
    outdated = outdated_syntheses([data.cycle])[data.cycle.pk]
    for item in data.overview:
        code = item["area"].code
        analysis = item["synthesis"].analysis if item["synthesis"] else ""
        if not analysis.strip():
            found.append({"kind": "no_analysis", "code": code})
        else:
            if item["area"].pk in outdated:
                found.append({"kind": "outdated", "code": code})
            uncited = citations.uncited_paragraphs(analysis)
            if uncited:
                found.append({"kind": "uncited", "code": code, "count": uncited})
        if not item["assessment"]:
            found.append({"kind": "no_assessment", "code": code})
    return found


def kept_with_version(data: ReportData) -> dict:
    """What a compiled version keeps of the data it was built from, by Report field: what
    it states, so that its pages, its publishing and the open data say the same whatever
    changes after it."""
    return {
        "gaps": gaps(data),
        "cited_where": data.cited_where,
        "response_counts": stated_response(data),
        "syntheses": stated_syntheses(data),
        "names": stated_names(data),
    }


def stated_names(data: ReportData) -> dict:
    """The names each approved version is printed under, by the version's id: its
    organisation's and its focus area's code and title, as Bilaga 2 prints them, and its
    number there (what citations refer to, and what its public pages and the open data say
    it is). Kept with each compiled version (Report.names), since the programme's names and
    order may change after it."""
    return {
        str(entry["version"].pk): {
            "organisation": entry["organisation"],
            "code": entry["focus_area"].code,
            "title": entry["focus_area"].title,
            "number": entry["reference"],
        }
        for _name, entries in data.organisations
        for entry in entries
    }


def stated_response(data: ReportData) -> dict:
    """How many requests the report says were sent and answered and approved, and the
    rate, as Bilaga 3 prints them; and per focus area, in its order, as its overview says
    them ("1 av 16"), each with its direction. Kept with each compiled version
    (Report.response_counts), since more may be approved after it."""
    return {
        **{key: data.response[key] for key in ("asked", "approved", "rate")},
        "areas": [
            {
                "direction": chapter["direction"].label,
                "direction_title": chapter["direction"].title,
                "code": item["area"].code,
                "title": item["area"].title,
                "asked": item["response"]["asked"],
                "approved": item["response"]["approved"],
            }
            for chapter in data.directions
            for item in chapter["areas"]
        ],
    }


def stated_syntheses(data: ReportData) -> list[dict]:
    """What the report states of each focus area, in its order: the strategists' overall
    assessment ("" where the report says "not assessed") and their analysis as typed (""
    where it prints none), with the approved versions the analysis cites (their ids, as
    Bilaga 2 and the open data name them) and the good examples it highlights. Kept with
    each compiled version
    (Report.syntheses), since the synthesis may change after it."""
    stated = []
    for item in data.overview:
        analysis = item["synthesis"].analysis if item["synthesis"] else ""
        cited = [c.contribution_id for c in citations.cited_in(analysis)]
        stated.append(
            {
                "code": item["area"].code,
                "title": item["area"].title,
                "assessment": item["assessment"]["value"] if item["assessment"] else "",
                "analysis": analysis,
                "cites": list(
                    dict.fromkeys(
                        data.printed_versions[pk] for pk in cited if pk in data.printed_versions
                    )
                ),
                # The good examples it prints, each with the contribution that reports it.
                "highlighted": [
                    {
                        "title": action.title,
                        "organisation": action.contribution.organisation.name,
                        "description": action.description,
                        "contribution": data.printed_versions.get(action.contribution_id),
                    }
                    for action in item["highlighted"]
                ],
            }
        )
    return stated


def outdated_citations(data: ReportData) -> dict[tuple, list[Check]]:
    """Checks for citations whose contribution changed or was withdrawn after the text
    citing it was saved, by where they are: ("synthesis", code) or ("text", key)."""
    cycle = data.cycle.pk
    keys = {slot.text.pk: slot.key for slot in data.texts.values() if slot.text}
    found = defaultdict(list)
    for citation in citations.outdated(data.cycle):
        contribution = citation.version.contribution
        if citation.synthesis_id:
            code = citation.synthesis.focus_area.code
            where = ("synthesis", code)
            url = reverse("reporting:synthesis-edit", args=[cycle, code])
            place = _("the analysis of %(code)s") % {"code": code}
        else:
            key = keys.get(citation.report_text_id, "")
            where = ("text", key)
            url = reverse("reporting:report-text-edit", args=[cycle, key]) if key else ""
            place = str(data.texts[key].title) if key in data.texts else ""
        found[where].append(
            Check(
                _(
                    "A citation in %(place)s rests on %(organisation)s's contribution on "
                    "%(code)s, which has changed or been withdrawn since."
                )
                % {
                    "place": place,
                    "organisation": contribution.organisation.name,
                    "code": contribution.focus_area.code,
                },
                url,
            )
        )
    return found


# The kinds of cycle_gaps: the cycle's, not the version's own.
CYCLE_GAP_KINDS = ("waiting", "open", "correcting")


def cycle_gaps(cycle: Cycle) -> list[dict]:
    """What the cycle still waits for, which a report published now would go without:
    contributions submitted and not reviewed yet (while they can be), and those not
    submitted while the cycle still takes them: every draft while reporting is open, until
    its due date; once it is in review, those returned for correction. One query.

    Not the version's own gaps (gaps, kept with the version): as things are when looked at
    or published; accepted explicitly when a version is published with them, and kept with
    the publication with the version's own."""
    counts = cycle.contributions.filter(withdrawn=False).aggregate(
        asked=Count("id"),
        waiting=Count("id", filter=Q(state__in=workflow.REVIEWABLE_STATES)),
        unsubmitted=Count("id", filter=Q(state__in=workflow.WRITABLE_STATES)),
        correcting=Count("id", filter=Q(state__in=workflow.WRITABLE_STATES, correcting=True)),
    )
    found = []
    if counts["waiting"] and cycle.state in workflow.REVIEWED_IN:
        found.append({"kind": "waiting", "count": counts["waiting"]})
    if workflow.takes_text(cycle.state, correcting=False):
        if counts["unsubmitted"]:
            found.append(
                {
                    "kind": "open",
                    "due": cycle.due_on.isoformat(),
                    "overdue": cycle.due_on < timezone.localdate(),
                    "count": counts["unsubmitted"],
                    "asked": counts["asked"],
                }
            )
    elif workflow.takes_text(cycle.state, correcting=True) and counts["correcting"]:
        found.append({"kind": "correcting", "count": counts["correcting"]})
    return found


def gaps_fingerprint(gaps: list[dict]) -> str:
    """Changes when the gaps do: what the strategist accepted must be what is kept."""
    return hashlib.sha256(json.dumps(gaps, sort_keys=True).encode()).hexdigest()[:16]


def cycle_gap_url(cycle: Cycle, gap: dict) -> str:
    """Where a gap of cycle_gaps is seen to: the cycle's review queue, or its matrix of
    who has reported."""
    if gap["kind"] == "waiting":
        return f"{reverse('reporting:review-queue')}?cycle={cycle.pk}"
    return reverse("reporting:cycle-matrix", args=[cycle.pk])


def gap_words(gap: dict) -> str:
    if gap["kind"] == "waiting":
        return (
            ngettext(
                "%(count)d contribution waits for review.",
                "%(count)d contributions wait for review.",
                gap["count"],
            )
            % gap
        )
    if gap["kind"] == "open":
        values = {**gap, "date": date_format(datetime.date.fromisoformat(gap["due"]))}
        if gap["overdue"]:
            words = ngettext(
                "Reporting is still open, its due date %(date)s passed: %(count)d of "
                "%(asked)d requested contributions is not submitted yet.",
                "Reporting is still open, its due date %(date)s passed: %(count)d of "
                "%(asked)d requested contributions are not submitted yet.",
                gap["count"],
            )
        else:
            words = ngettext(
                "Reporting is open until %(date)s: %(count)d of %(asked)d requested "
                "contributions is not submitted yet.",
                "Reporting is open until %(date)s: %(count)d of %(asked)d requested "
                "contributions are not submitted yet.",
                gap["count"],
            )
        return words % values
    if gap["kind"] == "correcting":
        return (
            ngettext(
                "%(count)d contribution returned for correction is not submitted again yet.",
                "%(count)d contributions returned for correction are not submitted again yet.",
                gap["count"],
            )
            % gap
        )
    if gap["kind"] == "uncited":
        return (
            ngettext(
                "%(count)d paragraph of the analysis of %(code)s cites no contribution.",
                "%(count)d paragraphs of the analysis of %(code)s cite no contribution.",
                gap["count"],
            )
            % gap
        )
    return GAP_WORDS[gap["kind"]] % gap


def checklist(data: ReportData) -> list[dict]:
    """What the strategist should see before compiling, grouped: the report's texts, then
    each focus area; never printed in the report."""
    cycle = data.cycle.pk
    found = gaps(data)
    texts = [
        Check(gap_words(gap), reverse("reporting:report-text-edit", args=[cycle, gap["text"]]))
        for gap in found
        if "text" in gap
    ]
    outdated = outdated_citations(data)
    for key, checks in outdated.items():
        if key[0] == "text":
            texts += checks
    pending = [
        Check(gap_words(gap), cycle_gap_url(data.cycle, gap)) for gap in cycle_gaps(data.cycle)
    ]
    groups = [
        {"title": _("Submitting and review"), "checks": pending},
        {"title": _("The report's texts"), "checks": texts},
    ]
    if not data.versions:
        groups[1]["checks"].append(Check(_("No contribution is approved yet.")))
    for item in data.overview:
        area = item["area"]
        code = area.code
        synthesis = reverse("reporting:synthesis-edit", args=[cycle, code])
        checks = [Check(gap_words(gap), synthesis) for gap in found if gap.get("code") == code]
        checks += outdated.get(("synthesis", code), [])
        if not item["sdgs"]:
            checks.append(
                Check(
                    _("The programme does not say which global goals %(code)s contributes to.")
                    % {"code": code},
                    administrators=True,
                )
            )
        if not item["indicators"]:
            checks.append(
                Check(
                    _("No indicators are defined for %(code)s.") % {"code": code},
                    administrators=True,
                )
            )
        for view in item["indicators"]:
            if not view.indicator.confirmed:
                checks.append(
                    Check(
                        _("Indicator not checked against its source: %(title)s.")
                        % {"title": view.indicator.title},
                        administrators=True,
                    )
                )
            if not view.years:
                checks.append(
                    Check(
                        _("No values imported for %(title)s.") % {"title": view.indicator.title},
                        administrators=True,
                    )
                )
        groups.append({"title": f"{code} {area.title}", "checks": checks})
    return [group for group in groups if group["checks"]]
