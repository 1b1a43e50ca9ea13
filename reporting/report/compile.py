"""The report's services: the synthesis and the report's texts, asking for a compile,
publishing and withdrawing. The compile itself runs in the worker (build.py)."""

from collections import Counter

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from livskvalitet.core.text import as_typed
from programme.models import Indicator

from .. import workflow
from ..models import Action, Contribution, Cycle, Publication, Report, ReportText, Synthesis
from ..selectors import approved_versions
from ..tasks import compile_report_task
from ..workflow import WorkflowError
from . import citations
from .data import CYCLE_GAP_KINDS, cycle_gap_url, cycle_gaps, gap_words, gaps_fingerprint


@transaction.atomic
def synthesis_save(
    *, cycle: Cycle, focus_area, analysis: str, assessment: str, highlighted, by, revision=None
):
    """Save the analysis of a focus area and record the approved versions it rests on.

    ``revision`` is the synthesis's revision when the form was opened: if someone saved
    since, nothing is saved (TextChangedMeanwhile). Under the cycle's lock two first saves
    at the same moment cannot both insert: the second finds the first's text."""
    cycle = cycle.locked()
    workflow.require(by, workflow.Step.WRITE_SYNTHESIS, cycle)
    allowed = set(
        Action.objects.filter(
            contribution__cycle=cycle,
            contribution__focus_area=focus_area,
            contribution__state=Contribution.State.APPROVED,
            contribution__withdrawn=False,
        ).values_list("pk", flat=True)
    )
    if any(action.pk not in allowed for action in highlighted):
        raise WorkflowError(_("Only actions of approved contributions can be highlighted."))
    cited = citations.checked(cycle, as_typed(analysis))
    synthesis = (
        Synthesis.objects.select_for_update().filter(cycle=cycle, focus_area=focus_area).first()
    ) or Synthesis(cycle=cycle, focus_area=focus_area)
    if revision is not None and synthesis.revision != revision:
        raise TextChangedMeanwhile(synthesis)
    synthesis.revision += 1
    synthesis.analysis = as_typed(analysis)
    synthesis.assessment = assessment
    synthesis.updated_by = by
    synthesis._history_user = by
    synthesis.save()
    synthesis.highlighted_actions.set(highlighted)
    citations.keep({"synthesis": synthesis}, cited, cycle)
    synthesis.based_on.set(
        [v for v in approved_versions(cycle) if v.contribution.focus_area_id == focus_area.pk]
    )
    return synthesis


class TextChangedMeanwhile(WorkflowError):
    """Someone saved the text (a report text or a synthesis) after the form was opened;
    nothing was overwritten. ``current`` is what they saved."""

    def __init__(self, current):
        self.current = current
        if current.updated_by is None:
            message = _("Someone saved this text after you opened it. Nothing was saved.")
        else:
            message = _(
                "%(name)s saved this text after you opened it. Nothing was saved: their "
                "text is shown beside yours; merge them and save again."
            ) % {"name": current.updated_by.get_full_name() or current.updated_by.get_username()}
        super().__init__(message)


@transaction.atomic
def report_text_save(
    *, cycle: Cycle, part: str, direction=None, text: str, ready: bool, revision: int, by
) -> ReportText:
    """Save one of the report's own texts; refused if it changed since `revision` (under
    the cycle's lock, as a synthesis)."""
    cycle = cycle.locked()
    workflow.require(by, workflow.Step.WRITE_REPORT_TEXTS, cycle)
    if part not in ReportText.Part.values:
        raise WorkflowError(_("The report has no such text."))
    if (part == ReportText.Part.DIRECTION) != (direction is not None):
        raise WorkflowError(_("The report has no such text."))
    if direction is not None and direction.programme_id != cycle.programme_id:
        raise WorkflowError(_("The report has no such text."))
    report_text = (
        ReportText.objects.select_for_update()
        .filter(cycle=cycle, part=part, direction=direction)
        .first()
    ) or ReportText(cycle=cycle, part=part, direction=direction)
    if report_text.revision != revision:
        raise TextChangedMeanwhile(report_text)
    text = as_typed(text)
    if ready and not text.strip():
        raise WorkflowError(_("An empty text cannot be marked ready."))
    cited = citations.checked(cycle, text)
    report_text.text = text
    report_text.ready = ready
    report_text.revision += 1
    report_text.updated_by = by
    report_text._history_user = by
    report_text.save()
    citations.keep({"report_text": report_text}, cited, cycle)
    return report_text


def report_settings_save(*, cycle: Cycle, says_when_empty: bool, by) -> Cycle:
    """Whether the compiled report says so when a section is empty, or leaves it out."""
    workflow.require(by, workflow.Step.WRITE_REPORT_TEXTS, cycle)
    cycle.report_says_when_empty = says_when_empty
    cycle._history_user = by
    cycle.save(update_fields=["report_says_when_empty"])
    return cycle


@transaction.atomic
def report_request(*, cycle: Cycle, by) -> Report:
    """Make a new numbered report version and queue its compilation."""
    cycle = Cycle.objects.select_for_update().get(pk=cycle.pk)
    workflow.require(by, workflow.Step.COMPILE_REPORT, cycle)
    number = (cycle.reports.aggregate(n=Max("number"))["n"] or 0) + 1
    report = Report.objects.create(
        cycle=cycle, number=number, compiled_by=by, is_demo=cycle.is_demo
    )
    transaction.on_commit(lambda: compile_report_task.enqueue(report.pk))
    return report


def gaps_to_accept(report: Report, cycle: Cycle) -> list[dict]:
    """What publishing the version now means accepting: its own gaps (Report.gaps, as
    compiled), then what its cycle still waits for (cycle_gaps, as now). One query."""
    return [*(report.gaps or []), *cycle_gaps(cycle)]


@transaction.atomic
def report_publish(
    *, report: Report, by, accept_gaps: bool = False, seen: str | None = None
) -> Report:
    """Make this version the cycle's published report (the one everybody can read).

    A version whose own parts lack something (Report.gaps: texts not written or not
    marked ready, focus areas without analysis or assessment, analyses to revise), or
    whose cycle still waits for contributions (submitted and not reviewed, or not
    submitted while the cycle takes them: data.cycle_gaps), is published only when the
    strategist accepts those gaps; they are kept with the publication. ``seen`` is the
    fingerprint of the gaps the strategist was shown (data.gaps_fingerprint): if they
    have changed since, nothing is published."""
    cycle = Cycle.objects.select_for_update().get(pk=report.cycle_id)  # one publisher at a time
    report.refresh_from_db()
    workflow.require(by, workflow.Step.PUBLISH, report)
    accepted = gaps_to_accept(report, cycle)
    if report.gaps and not accept_gaps:
        raise WorkflowError(
            _(
                "Version %(number)d lacks some of the report's own texts (%(count)d listed on "
                "the publish page). Publish it only by accepting them."
            )
            % {"number": report.number, "count": len(report.gaps)}
        )
    if accepted and not accept_gaps:
        raise WorkflowError(
            _(
                "Version %(number)d would be published while contributions still wait for "
                "review or are not submitted (listed on the publish page). Publish it only by "
                "accepting that."
            )
            % {"number": report.number}
        )
    if seen is not None and gaps_fingerprint(accepted) != seen:
        raise WorkflowError(
            _(
                "What version %(number)d lacks has changed since you looked (contributions "
                "were submitted or reviewed). Nothing was published: look at the publish page "
                "again."
            )
            % {"number": report.number}
        )
    for earlier in Report.objects.filter(cycle=report.cycle_id, published=True).exclude(
        pk=report.pk
    ):
        _unpublish(
            earlier, by=by, reason=_("Replaced by version %(number)d.") % {"number": report.number}
        )
    report.published = True
    report.published_at = timezone.now()
    report.published_by = by
    report.save(update_fields=["published", "published_at", "published_by"])
    Publication.objects.create(
        report=report,
        action=Publication.Action.PUBLISHED,
        by=by,
        accepted_gaps=accepted,
    )
    return report


def _unpublish(report: Report, *, by, reason: str) -> None:
    report.published = False
    report.save(update_fields=["published"])
    Publication.objects.create(
        report=report, action=Publication.Action.WITHDRAWN, by=by, reason=reason
    )


@transaction.atomic
def report_unpublish(*, report: Report, by, reason: str) -> Report:
    """Withdraw a publication: the report is no longer public; who, when and why is kept."""
    Cycle.objects.select_for_update().get(pk=report.cycle_id)
    report.refresh_from_db()
    workflow.require(by, workflow.Step.UNPUBLISH, report)
    reason = as_typed(reason)
    if not reason.strip():
        raise WorkflowError(_("Say why the publication is withdrawn."))
    _unpublish(report, by=by, reason=reason)
    return report


def publication_checklist(report: Report) -> dict:
    """What a version holds and lacks, for the strategist deciding to publish it.

    A fixed number of queries: per focus area how many were asked and approved, as the
    version states them where it kept them (Report.response_counts), else as now; which
    syntheses are not written, which indicators are unconfirmed, whether it is demo, how
    many contributions were approved after it was compiled; what the cycle still waits
    for (data.cycle_gaps, as now) and so what publishing it means accepting.
    """
    cycle = report.cycle
    areas = list(cycle.programme.focus_areas.order_by("sort_key"))
    asked = Counter()
    approved = Counter()
    stated = (report.response_counts or {}).get("areas")
    if stated is not None:
        by_code = {area.code: area.pk for area in areas}
        for row in stated:
            asked[by_code.get(row["code"])] += row["asked"]
            approved[by_code.get(row["code"])] += row["approved"]
    else:
        for area_id, state in cycle.contributions.filter(withdrawn=False).values_list(
            "focus_area_id", "state"
        ):
            asked[area_id] += 1
            approved[area_id] += state == Contribution.State.APPROVED
    syntheses = {
        s.focus_area_id: s
        for s in Synthesis.objects.filter(cycle=cycle).only(
            "focus_area_id", "analysis", "assessment"
        )
    }
    # As this version printed them, where that was recorded (Report.gaps); else as now.
    lacking = {(gap["kind"], gap.get("code")) for gap in report.gaps or []}
    # Written, but older than an approval of its area or with paragraphs citing nothing.
    revise = {code for kind, code in lacking if kind in ("outdated", "uncited")}
    rows = []
    for area in areas:
        synthesis = syntheses.get(area.pk)
        if report.gaps is None:
            written = bool(synthesis and synthesis.analysis.strip())
            assessed = bool(synthesis and synthesis.assessment)
        else:
            written = ("no_analysis", area.code) not in lacking
            assessed = ("no_assessment", area.code) not in lacking
        rows.append(
            {
                "area": area,
                "asked": asked[area.pk],
                "approved": approved[area.pk],
                "written": written,
                "assessed": assessed,
                "revise": area.code in revise,
            }
        )
    unconfirmed = list(
        Indicator.objects.filter(focus_area__in=areas, active=True, confirmed=False).select_related(
            "focus_area"
        )
    )
    to_accept = gaps_to_accept(report, cycle)
    return {
        "areas": rows,
        # Accepted with the version's own gaps: which, the gaps' fingerprint, and the
        # cycle's in words, each with where it is seen to.
        "to_accept": to_accept,
        "seen": gaps_fingerprint(to_accept),
        "pending": [
            {"words": gap_words(gap), "url": cycle_gap_url(cycle, gap)}
            for gap in to_accept
            if gap["kind"] in CYCLE_GAP_KINDS
        ],
        "asked": sum(asked.values()),
        "approved": sum(approved.values()),
        "not_written": [row["area"] for row in rows if not row["written"]],
        "not_assessed": [row["area"] for row in rows if not row["assessed"]],
        "unconfirmed": unconfirmed,
        "demo": report.is_demo,
        "gaps": None if report.gaps is None else [gap_words(gap) for gap in report.gaps],
        "built_from": report.built_from.count(),
        # Approved after the version read the contributions: not in it.
        "approved_later": cycle.contributions.filter(
            state=Contribution.State.APPROVED, withdrawn=False
        )
        .exclude(pk__in=report.built_from.values("contribution_id"))
        .count(),
        "replaces": Report.objects.filter(cycle=cycle, published=True)
        .exclude(pk=report.pk)
        .first(),
    }
