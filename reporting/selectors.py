"""Functions that read the follow-up's data."""

import hashlib
import json
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, Exists, Max, OuterRef, Q, Subquery
from django.utils import timezone

from livskvalitet.core.text import swedish_order
from programme.models import FocusArea, Membership, Organisation, Responsibility

from . import workflow
from .content import ACTION_WORDS, PARTNER_WORDS, TEXT_FIELDS, Partner, read_items
from .models import (
    STATES,
    Action,
    Answer,
    Contribution,
    ContributionVersion,
    Cycle,
    IndicatorComment,
    Initiative,
    ReminderSent,
    Synthesis,
)
from .permissions import (
    can_read_content,
    installation_cycles,
    installation_initiatives,
    is_member,
    is_strategist,
    organisation_ids,
)
from .workflow import REVIEWABLE_STATES, REVIEWED_IN, RUNNING, WRITABLE_STATES


def active_cycles():
    """The cycles whose requests are listed as tasks: those running."""
    return installation_cycles().filter(state__in=RUNNING)


def steps(contribution):
    """The versions the contribution's steps left, latest first: every event but a save
    (asked, marked ready, sent back, submitted, returned, withdrawn, asked again...).
    ``contribution``: a contribution, or OuterRef("pk") in a subquery."""
    return (
        ContributionVersion.objects.filter(contribution=contribution)
        .exclude(event=ContributionVersion.Event.SAVED)
        .order_by("-number")
    )


def round_steps(contribution):
    """The steps of the contribution's current round, latest first (see steps): a request
    withdrawn and asked again begins another round, except for a contribution being
    corrected, which is asked again as it was (docs/workflow.md): returned, and being
    corrected until it is submitted again, so the return still speaks for it."""
    found = steps(contribution)
    if contribution.correcting:
        found = found.exclude(
            event__in=[ContributionVersion.Event.WITHDRAWN, ContributionVersion.Event.REQUESTED]
        )
    return found


def listed_for(user, contribution) -> str | None:
    """Where the user finds the contribution listed, for its page's way back: "tasks", the
    user's tasks page (tasks_for: a member's, while the cycle is active); "organisation",
    the strategists' page of the organisation's requests in the cycle; else None."""
    if (
        is_member(user, contribution.organisation_id)
        and not contribution.withdrawn
        and contribution.cycle.state in RUNNING  # loaded with the contribution
    ):
        return "tasks"
    if is_strategist(user):
        return "organisation"
    return None


def tasks_for(user) -> list[dict]:
    """Per open cycle and organisation of the user: what is asked, by when, how far it is,
    and what the user may do with each request (``contribution.may``)."""
    contributions = (
        Contribution.objects.filter(
            organisation_id__in=organisation_ids(user),
            withdrawn=False,
            cycle__in=active_cycles(),
        )
        .select_related("cycle__programme", "organisation", "focus_area")
        # What the workflow asks of each row, read with the list (workflow.has_approver).
        .annotate(
            _has_approver=Exists(
                Membership.objects.filter(
                    organisation=OuterRef("organisation_id"), role=Membership.Role.APPROVER
                )
            ),
            # Its last step other than a save: a draft sent back says so.
            _last_step=Subquery(steps(OuterRef("pk")).values("event")[:1]),
        )
        .order_by("cycle", "organisation__name", "focus_area__sort_key")
    )
    today = timezone.localdate()
    groups: dict[tuple, dict] = {}
    for contribution in contributions:
        key = (contribution.cycle_id, contribution.organisation_id)
        group = groups.setdefault(
            key,
            {
                "cycle": contribution.cycle,
                "organisation": contribution.organisation,
                "contributions": [],
                "days_left": (contribution.cycle.due_on - today).days,
                # In the review nothing is due: only what was returned is still written.
                "reporting_ended": workflow.reporting_ended(contribution.cycle),
                "counts": Counter(),
            },
        )
        contribution.may = workflow.actions_for(user, contribution)
        # Its link: the form to write in, or its page (workflow.opens_form).
        contribution.opens_form = workflow.opens_form(contribution.may)
        # A draft the review caught unsubmitted: it can no longer be handed over.
        contribution.closed_draft = (
            contribution.state in workflow.WRITABLE_STATES
            and not contribution.may[workflow.Step.SAVE]
        )
        contribution.sent_back = (
            contribution.state == Contribution.State.DRAFT
            and contribution._last_step == ContributionVersion.Event.SENT_BACK
        )
        group["contributions"].append(contribution)
        group["counts"][contribution.state] += 1
    for group in groups.values():
        total = len(group["contributions"])
        done = sum(
            count for state, count in group["counts"].items() if state in Contribution.SHARED_STATES
        )
        group["total"] = total
        group["done"] = done
        group["days_overdue"] = max(0, -group["days_left"])
    return list(groups.values())


def cycle_organisations(cycle: Cycle) -> dict:
    """The cycle page's rows: one per organisation asked, with how many of its requests
    are in each display state (models.STATES), how many it handed over, and when one was
    last changed. One query whatever the size.

    Also the cycle's totals per state, and the states any request is in (the columns).
    """
    live = Q(withdrawn=False)
    counts = {
        f"n_{key}": Count("pk", filter=Contribution.display_state_filter(key)) for key in STATES
    }
    rows = list(
        cycle.contributions.values("organisation_id", "organisation__name").annotate(
            **counts,
            asked=Count("pk", filter=live),
            handed=Count("pk", filter=live & Q(state__in=Contribution.SHARED_STATES)),
            # A request nobody has touched was "changed" when it was made: not a change.
            last_change=Max(
                "updated_at",
                filter=live & (Q(version__gt=0) | ~Q(state=Contribution.State.DRAFT)),
            ),
        )
    )
    rows.sort(key=lambda row: swedish_order(row["organisation__name"]))
    totals = Counter()
    for row in rows:
        row["counts"] = {key: row[f"n_{key}"] for key in STATES}
        totals.update(row["counts"])
    shown = [key for key in STATES if totals[key]]
    for row in rows:
        row["cells"] = [row["counts"][key] for key in shown]
    return {
        "rows": rows,
        "states": [(key, *STATES[key]) for key in shown],
        "totals": [totals[key] for key in shown],
    }


def organisation_requests(user, cycle: Cycle, organisation: Organisation) -> list[dict]:
    """An organisation's requests in a cycle, each with what the user may do with it and
    whether they may read why it is not relevant. One query whatever the size."""
    contributions = (
        cycle.contributions.filter(organisation=organisation)
        .select_related("focus_area")
        .order_by("focus_area__sort_key")
    )
    rows = []
    for contribution in contributions:
        contribution.organisation = organisation
        rows.append(
            {
                "contribution": contribution,
                "may": workflow.actions_for(user, contribution),
                "readable": not contribution.withdrawn and can_read_content(user, contribution),
            }
        )
    return rows


def reminders_sent(cycle: Cycle, organisation: Organisation, limit: int = 20) -> list:
    """The latest reminders about the organisation's requests in the cycle, daily or by
    hand, newest first. One query."""
    return list(
        ReminderSent.objects.filter(
            contributions__cycle=cycle, contributions__organisation=organisation
        )
        .distinct()
        .select_related("user", "sent_by")
        .order_by("-sent_at")[:limit]
    )


def review_start(cycle: Cycle) -> dict:
    """What starting the review stops and what goes on (the confirmation page): per
    organisation the requests not handed over that can no longer be written in review,
    and how many are being corrected (they go on), wait for review, or are approved.
    One query whatever the size; the workflow says which take text in which state."""
    rows = cycle.contributions.filter(withdrawn=False).values_list(
        "organisation_id", "organisation__name", "state", "version", "correcting"
    )
    stopping: dict[int, dict] = {}
    going_on = waiting = approved = 0
    for organisation_id, name, state, version, correcting in rows.order_by("organisation__name"):
        if state in WRITABLE_STATES:
            if workflow.takes_text(Cycle.State.REVIEW, correcting):
                going_on += 1
                continue
            row = stopping.setdefault(
                organisation_id,
                {"organisation_id": organisation_id, "name": name, "counts": Counter()},
            )
            display = Contribution.display_state_of(state, withdrawn=False, version=version)
            row["counts"][display] += 1
        elif state in REVIEWABLE_STATES:
            waiting += 1
        elif state == Contribution.State.APPROVED:
            approved += 1
    columns = ["not_started", "draft", Contribution.State.READY]
    for row in stopping.values():
        row["cells"] = [row["counts"][key] for key in columns]
    return {
        "organisations": list(stopping.values()),
        "states": [(key, *STATES[key]) for key in columns],
        "going_on": going_on,
        "waiting": waiting,
        "approved": approved,
    }


def matrix(cycle: Cycle, *, kind: str = "", state: str = "", overdue_only: bool = False):
    """Organisations × focus areas of a cycle with each contribution's state, and how far
    each organisation and each focus area has come. Three queries whatever the size.

    ``state`` is a display state (models.STATES): rows with a contribution in it. A cell
    is None (not asked) or a dict with the contribution's ``pk``, ``state``,
    ``display_state``, ``withdrawn`` (shown, counted in the legend, not among those asked)
    and ``not_relevant`` (once handed over): values rather than models, as the page shows
    hundreds of cells.
    """
    contributions = cycle.contributions.values_list(
        "pk", "organisation_id", "focus_area_id", "state", "version", "not_relevant", "withdrawn"
    )
    cells = defaultdict(dict)
    shared = set(Contribution.SHARED_STATES)
    for (
        pk,
        organisation_id,
        focus_area_id,
        contribution_state,
        version,
        not_relevant,
        withdrawn,
    ) in contributions:
        cells[organisation_id][focus_area_id] = {
            "pk": pk,
            "state": contribution_state,
            # A withdrawn request is shown as one, but not counted as asked.
            "withdrawn": withdrawn,
            # Said once handed over (strategists do not read drafts).
            "not_relevant": not_relevant and not withdrawn and contribution_state in shared,
            "display_state": Contribution.display_state_of(
                contribution_state, withdrawn=withdrawn, version=version
            ),
        }
    focus_areas = list(cycle.programme.focus_areas.order_by("sort_key"))
    organisations = Organisation.objects.filter(pk__in=list(cells)).order_by("name")
    if kind:
        organisations = organisations.filter(kind=kind)
    overdue = timezone.localdate() > cycle.due_on
    editable = set(WRITABLE_STATES)
    rows = []
    totals = Counter()
    columns = [Counter() for _area in focus_areas]
    for organisation in organisations:
        row_cells = [cells[organisation.pk].get(area.pk) for area in focus_areas]
        shown = [c for c in row_cells if c is not None]
        asked = [c for c in shown if not c["withdrawn"]]
        if state and not any(c["display_state"] == state for c in shown):
            continue
        late = [c for c in asked if overdue and c["state"] in editable]
        if overdue_only and not late:
            continue
        for column, c in zip(columns, row_cells, strict=True):
            if c is not None:
                totals[c["display_state"]] += 1
            if c is not None and not c["withdrawn"]:
                column["asked"] += 1
                column["handed"] += c["state"] in shared
        rows.append(
            {
                "organisation": organisation,
                "cells": list(zip(focus_areas, row_cells, strict=True)),
                "late": len(late),
                "asked": len(asked),
                "handed": sum(c["state"] in shared for c in asked),
            }
        )
    return {
        "focus_areas": focus_areas,
        "rows": rows,
        "columns": columns,
        "totals": [(key, label, symbol, totals[key]) for key, (label, symbol) in STATES.items()],
        "overdue": overdue,
    }


def _searched(contributions, text: str) -> Q:
    """The contributions among ``contributions`` that show ``text`` (any case): in their
    own text, their actions' written parts, their answers and indicator comments, or the
    name of a partner (Samverkan), as content.py tells the organisation's words."""
    own = Q()
    for name in TEXT_FIELDS:
        own |= Q(**{f"{name}__icontains": text})
    in_actions = Q()
    for name in ACTION_WORDS:
        in_actions |= Q(**{f"{name}__icontains": text})
    return (
        own
        | Q(pk__in=Action.objects.filter(in_actions).values("contribution_id"))
        | Q(pk__in=Answer.objects.filter(value__icontains=text).values("contribution_id"))
        | Q(pk__in=IndicatorComment.objects.filter(text__icontains=text).values("contribution_id"))
        | Q(pk__in=_with_partner(contributions, text))
    )


def _with_partner(contributions, text: str) -> list[int]:
    """Those with a partner whose name holds ``text``. The partners are stored as JSON,
    whose text also holds its keys, and on SQLite escapes letters like å: the database
    narrows by the text as typed or as escaped, and each name read here decides."""
    escaped = json.dumps(text)[1:-1]
    narrowed = Q(collaboration__icontains=text) | Q(collaboration__icontains=escaped)
    wanted = text.casefold()
    return [
        pk
        for pk, stored in contributions.filter(narrowed).values_list("pk", "collaboration")
        if any(
            wanted in str(getattr(partner, name)).casefold()
            for partner in read_items(Partner, stored)
            for name in PARTNER_WORDS
        )
    ]


def review_queue(*, cycle=None, organisation=None, code="", state="", query=""):
    """Contributions handed over for review, waiting ones by default (those of a cycle in
    which they can still be reviewed), oldest first; or those of one state, whatever their
    cycle's.

    Only what strategists may read is listed and searched: submitted, resubmitted and
    approved contributions, never drafts or returned ones being corrected.
    """
    if state in Contribution.SHARED_STATES:
        contributions = Contribution.objects.filter(withdrawn=False, state=state)
    else:
        contributions = Contribution.objects.filter(
            withdrawn=False, state__in=REVIEWABLE_STATES, cycle__state__in=REVIEWED_IN
        )
    if cycle is not None:
        contributions = contributions.filter(cycle=cycle)
    if organisation is not None:
        contributions = contributions.filter(organisation=organisation)
    if code:
        contributions = contributions.filter(focus_area__code=code)
    if query.strip():
        contributions = contributions.filter(_searched(contributions, query.strip()))
    return contributions.select_related("cycle", "organisation", "focus_area").order_by(
        "submitted_at", "pk"
    )


def version_returned_last(contribution: Contribution) -> ContributionVersion | None:
    """The version the strategist returned, to compare a resubmission with."""
    return (
        contribution.versions.filter(event=ContributionVersion.Event.RETURNED)
        .order_by("-number")
        .first()
    )


def previous_contributions(contribution: Contribution) -> list[Contribution]:
    """The same organisation's answers on the same focus area in the cycle before: in the
    same edition, or else in the previous edition on each focus area this one continues
    (FocusAreaLink: the same area, or those split from or merged into it; a merged area
    has an answer on each), by code. Two queries, and one for their actions."""
    same_area = Q(
        focus_area__code=contribution.focus_area.code,
        cycle__programme=contribution.cycle.programme_id,
    )
    continued = Q(focus_area__successor_links__successor=contribution.focus_area_id)
    earlier = Contribution.objects.filter(
        same_area | continued,
        organisation_id=contribution.organisation_id,
        cycle__opens_on__lt=contribution.cycle.opens_on,
        withdrawn=False,
    ).exclude(state=Contribution.State.DRAFT)
    latest = earlier.order_by("-cycle__opens_on", "-cycle_id").values("cycle_id")[:1]
    answers = list(
        earlier.filter(cycle_id__in=Subquery(latest))
        .distinct()  # an area split in the next edition has a link to each part
        .order_by("focus_area__sort_key")
        .select_related("cycle__programme", "focus_area")
        .prefetch_related("actions")
    )
    # The latest answer is the one to build on, approved or not (a contribution approved is
    # never returned, so no approved version of it hides behind a return); the hint says
    # when it was not approved, lest rejected or unreviewed text be copied as accepted.
    for answer in answers:
        answer.unapproved = answer.state != Contribution.State.APPROVED
    return answers


def open_initiatives(contribution: Contribution):
    """The organisation's registered actions still planned or ongoing for the focus area
    (the same area of the edition, or those this one continues: FocusAreaLink), which its
    next contribution on the area reports on. An area split in two offers an action of the
    old area on both until one reports it: then it lives in that area of the edition."""
    edition = contribution.cycle.programme_id
    same_area = Q(focus_areas__code=contribution.focus_area.code, focus_areas__programme=edition)
    placed = Initiative.focus_areas.through.objects.filter(focusarea__programme=edition)
    continued = Q(focus_areas__successor_links__successor=contribution.focus_area_id) & ~Q(
        pk__in=placed.values("initiative")
    )
    return (
        Initiative.objects.filter(
            same_area | continued,
            organisation_id=contribution.organisation_id,
            status__in=Initiative.OPEN_STATES,
        )
        .distinct()
        .prefetch_related("sdgs")
        .order_by("pk")
    )


def registered_initiatives(
    *, focus_area: str = "", sdg: int | None = None, organisation=None, status="", cycle=None
):
    """The action register, narrowed: each entry with its organisation, focus areas, goals
    and the contribution (and cycle) that reported on it last, in one query each."""
    initiatives = installation_initiatives()
    if focus_area:
        initiatives = initiatives.filter(focus_areas__code=focus_area)
    if sdg:
        initiatives = initiatives.filter(sdgs__number=sdg)
    if organisation is not None:
        initiatives = initiatives.filter(organisation=organisation)
    if status:
        initiatives = initiatives.filter(status=status)
    if cycle is not None:
        initiatives = initiatives.filter(reported_in__cycle=cycle)
    return (
        initiatives.distinct()
        .select_related("organisation", "reported_in__cycle")
        .order_by("organisation__name", "title", "pk")
    )


def with_codes(initiatives) -> list:
    """The entries (a page of them) each with ``area_codes``, ``sdg_numbers`` and
    ``document_titles``: one query per relation for the whole page, where prefetching
    makes a queryset for every entry."""
    initiatives = list(initiatives)
    ids = [initiative.pk for initiative in initiatives]
    relations = {  # attribute: (the relation's through model, the column read, its order)
        "area_codes": (Initiative.focus_areas.through, "focusarea__code", "focusarea__sort_key"),
        "sdg_numbers": (Initiative.sdgs.through, "sdg__number", "sdg__number"),
        "document_titles": (
            Initiative.documents.through,
            "governingdocument__title",
            "governingdocument__title",
        ),
    }
    for attribute, (through, column, order) in relations.items():
        values = defaultdict(list)
        rows = through.objects.filter(initiative_id__in=ids).order_by(order)
        for pk, value in rows.values_list("initiative_id", column):
            values[pk].append(value)
        for initiative in initiatives:
            setattr(initiative, attribute, values[initiative.pk])
    return initiatives


def cycle_counts(cycle: Cycle) -> dict:
    """How many requests, approved, waiting for review (none once the cycle is past its
    review: what was left submitted then can no longer be reviewed) and handed over."""
    return cycle.contributions.filter(withdrawn=False).aggregate(
        total=Count("id"),
        approved=Count("id", filter=Q(state=Contribution.State.APPROVED)),
        waiting=Count("id", filter=Q(state__in=REVIEWABLE_STATES, cycle__state__in=REVIEWED_IN)),
        handed=Count("id", filter=Q(state__in=Contribution.SHARED_STATES)),
    )


@dataclass
class OpeningPlan:
    """Who a cycle will ask about what when it opens, and what is wrong with that."""

    cycle: Cycle
    requests: list  # (organisation, focus area) pairs to ask
    existing: int  # requests made by hand before opening
    everyone: bool  # no responsibilities set: every organisation about every focus area
    organisations: list = field(default_factory=list)  # dicts, see opening_plan
    bound: list = field(default_factory=list)  # every active nämnd and bolag
    focus_areas: list = field(default_factory=list)
    asked: set = field(default_factory=set)  # organisation ids asked (now or before)
    asked_about: set = field(default_factory=set)  # focus area ids asked about

    @property
    def fingerprint(self) -> str:
        """Changes when the plan does: the preview confirmed must be what is sent."""
        pairs = sorted((o.pk, a.pk) for o, a in self.requests)
        return hashlib.sha256(repr(pairs).encode()).hexdigest()[:16]

    @property
    def asked_nothing(self):
        """Organisations the programme binds that get no request at all."""
        return [o for o in self.bound if o.pk not in self.asked]

    @property
    def areas_without_request(self):
        """Focus areas nobody is asked about."""
        return [area for area in self.focus_areas if area.pk not in self.asked_about]

    @property
    def without_users(self):
        return [o["organisation"] for o in self.organisations if not o["members"]]

    @property
    def without_email(self):
        """Organisations with members of which none has an e-mail address (users made in
        the admin have none until one is added): opening tells nobody there."""
        return [o["organisation"] for o in self.organisations if o["members"] and not o["mailed"]]

    @property
    def without_approver(self):
        return [
            o["organisation"] for o in self.organisations if o["members"] and not o["approvers"]
        ]


def opening_plan(cycle: Cycle) -> OpeningPlan:
    """The requests opening the cycle would send. A fixed number of queries."""
    focus_areas = list(FocusArea.objects.filter(programme=cycle.programme_id).order_by("sort_key"))
    responsibilities = Responsibility.objects.filter(focus_area__programme=cycle.programme_id)
    responsible = set(responsibilities.values_list("organisation_id", "focus_area_id"))
    existing = set(cycle.contributions.values_list("organisation_id", "focus_area_id"))
    # In Swedish order of their names, nämnder and bolag together, as the cycle's page.
    organisations = sorted(
        Organisation.objects.of_programme(cycle.programme)
        .filter(active=True, kind__in=Organisation.REPORTING_KINDS)
        .annotate(
            members=Count("memberships", distinct=True),
            approvers=Count(
                "memberships",
                filter=Q(memberships__role=Membership.Role.APPROVER),
                distinct=True,
            ),
            mailed=Count(
                "memberships",
                filter=Q(memberships__user__is_active=True) & ~Q(memberships__user__email=""),
                distinct=True,
            ),
        ),
        key=lambda organisation: swedish_order(organisation.name),
    )
    plan = OpeningPlan(
        cycle=cycle,
        requests=[],
        existing=len(existing),
        everyone=not responsible,
        bound=organisations,
        focus_areas=focus_areas,
        asked={organisation_id for organisation_id, _area in existing},
        asked_about={area_id for _organisation, area_id in existing},
    )
    for organisation in organisations:
        areas = [
            area
            for area in focus_areas
            if (plan.everyone or (organisation.pk, area.pk) in responsible)
            and (organisation.pk, area.pk) not in existing
        ]
        plan.requests.extend((organisation, area) for area in areas)
        if areas:
            plan.asked.add(organisation.pk)
            plan.asked_about.update(area.pk for area in areas)
        if areas:
            plan.organisations.append(
                {
                    "organisation": organisation,
                    "focus_areas": areas,
                    "members": organisation.members,
                    "approvers": organisation.approvers,
                    "mailed": organisation.mailed,
                }
            )
    return plan


def next_cycle_years(programme) -> dict:
    """The years a new cycle of the programme would follow up: from the year after its last
    cycle (or the programme's first year) for the programme's interval, within the years
    the programme is valid. Empty when the programme has no year left."""
    if programme is None:
        return {}
    last = programme.cycles.aggregate(last=Max("last_year"))["last"]
    first = max(last + 1, programme.valid_from.year) if last else programme.valid_from.year
    end = programme.valid_until.year
    if first > end:
        return {}
    interval = programme.follow_up_interval_years or 1
    return {"first_year": first, "last_year": min(first + interval - 1, end)}


def question_source(cycle: Cycle) -> Cycle | None:
    """The cycle whose questions a new cycle may start from: the latest before it of its
    programme or of an earlier edition of it. A question is asked in every contribution,
    whatever the focus area, so it carries over to a new edition as it is. The demo's
    cycle is never one: its text is demo and stays where it says so."""
    editions, edition = [], cycle.programme
    while edition is not None and edition.pk not in editions:  # a short chain
        editions.append(edition.pk)
        edition = edition.previous
    earlier = Q(opens_on__lt=cycle.opens_on) | Q(opens_on=cycle.opens_on, pk__lt=cycle.pk)
    return (
        Cycle.objects.filter(earlier, programme__in=editions, is_demo=False)
        .select_related("programme")
        .order_by("-opens_on", "-pk")
        .first()
    )


def questions_to_copy() -> bool:
    """Whether a new cycle could start from an earlier cycle's questions (question_source):
    whether the installation has a cycle other than the demo's. Which one it copies depends
    on the new cycle's programme and opening date."""
    return installation_cycles().filter(is_demo=False).exists()


def demo_cycle_exists() -> bool:
    """Whether the installation holds the demo's cycle (which question_source passes over)."""
    return Cycle.objects.filter(is_demo=True).exists()


def strategist_tasks() -> list[dict]:
    """What waits for the strategy department, per running cycle: reviews, syntheses to
    write or to revise, and the deadline. Seven queries whatever the number of cycles."""
    cycles = list(active_cycles().select_related("programme").order_by("due_on"))
    counts = {
        row["cycle_id"]: row
        for row in Contribution.objects.filter(cycle__in=cycles, withdrawn=False)
        .values("cycle_id")
        .annotate(
            asked=Count("id"),
            waiting=Count("id", filter=Q(state__in=REVIEWABLE_STATES)),
            open=Count("id", filter=Q(state__in=WRITABLE_STATES)),
        )
    }
    approved_areas = defaultdict(set)
    for cycle_id, area_id in Contribution.objects.filter(
        cycle__in=cycles, withdrawn=False, state=Contribution.State.APPROVED
    ).values_list("cycle_id", "focus_area_id"):
        approved_areas[cycle_id].add(area_id)
    written = defaultdict(set)
    for cycle_id, area_id in (
        Synthesis.objects.filter(cycle__in=cycles)
        .exclude(analysis="")
        .values_list("cycle_id", "focus_area_id")
    ):
        written[cycle_id].add(area_id)
    outdated = outdated_syntheses(cycles)
    today = timezone.localdate()
    tasks = []
    for cycle in cycles:
        row = counts.get(cycle.pk, {"asked": 0, "waiting": 0, "open": 0})
        tasks.append(
            {
                "cycle": cycle,
                "waiting": row["waiting"],
                "not_submitted": row["open"],
                "asked": row["asked"],
                "to_write": len(approved_areas[cycle.pk] - written[cycle.pk]),
                "to_revise": len(outdated[cycle.pk] & written[cycle.pk]),
                "days_left": (cycle.due_on - today).days,
                "reporting_ended": workflow.reporting_ended(cycle),
            }
        )
    return tasks


def outdated_syntheses(cycles) -> dict[int, set[int]]:
    """Per cycle, the focus areas whose synthesis was saved before one of the area's
    contributions was approved: an approval it does not rest on. Three queries whatever the
    number of cycles."""
    approvals = defaultdict(set)
    for cycle_id, area_id, version_id in ContributionVersion.objects.filter(
        contribution__cycle__in=cycles,
        contribution__withdrawn=False,
        contribution__state=Contribution.State.APPROVED,
        event=ContributionVersion.Event.APPROVED,
    ).values_list("contribution__cycle_id", "contribution__focus_area_id", "pk"):
        approvals[cycle_id, area_id].add(version_id)
    rests_on = defaultdict(set)
    for cycle_id, area_id, version_id in Synthesis.based_on.through.objects.filter(
        synthesis__cycle__in=cycles
    ).values_list("synthesis__cycle_id", "synthesis__focus_area_id", "contributionversion_id"):
        rests_on[cycle_id, area_id].add(version_id)
    saved = Synthesis.objects.filter(cycle__in=cycles).values_list("cycle_id", "focus_area_id")
    outdated = defaultdict(set)
    for cycle_id, area_id in saved:
        if approvals[cycle_id, area_id] - rests_on[cycle_id, area_id]:
            outdated[cycle_id].add(area_id)
    return outdated


def approved_versions(cycle: Cycle):
    """The approvals of the cycle's approved contributions (not withdrawn), by
    organisation and focus area, the latest approval of each first."""
    return (
        ContributionVersion.objects.filter(
            contribution__cycle=cycle,
            contribution__withdrawn=False,
            contribution__state=Contribution.State.APPROVED,
            event=ContributionVersion.Event.APPROVED,
        )
        .select_related("contribution__organisation", "contribution__focus_area")
        .order_by(
            "contribution__organisation__name", "contribution__focus_area__sort_key", "-number"
        )
    )


def latest_approvals(cycle: Cycle) -> dict[int, ContributionVersion]:
    """Each approved contribution of the cycle (not withdrawn): its latest approval, by
    contribution id, in the order of approved_versions."""
    latest = {}
    for version in approved_versions(cycle):
        latest.setdefault(version.contribution_id, version)
    return latest
