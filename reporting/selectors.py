"""Functions that read the follow-up's data."""

from collections import Counter, defaultdict

from django.db.models import Count, Q
from django.utils import timezone

from programme.models import Organisation

from .models import Contribution, ContributionVersion, Cycle
from .permissions import organisation_ids


def active_cycles():
    return Cycle.objects.filter(state__in=[Cycle.State.OPEN, Cycle.State.REVIEW])


def tasks_for(user) -> list[dict]:
    """Per open cycle and organisation of the user: what is asked, by when, how far it is."""
    contributions = (
        Contribution.objects.filter(
            organisation_id__in=organisation_ids(user),
            withdrawn=False,
            cycle__in=active_cycles(),
        )
        .select_related("cycle", "organisation", "focus_area")
        .order_by("cycle", "organisation__name", "focus_area__code")
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
                "counts": Counter(),
            },
        )
        group["contributions"].append(contribution)
        group["counts"][contribution.state] += 1
    for group in groups.values():
        total = len(group["contributions"])
        done = sum(
            count
            for state, count in group["counts"].items()
            if state != Contribution.State.DRAFT and state != Contribution.State.RETURNED
        )
        group["total"] = total
        group["done"] = done
        group["days_overdue"] = max(0, -group["days_left"])
    return list(groups.values())


def matrix(cycle: Cycle, *, kind: str = "", state: str = "", overdue_only: bool = False):
    """Organisations × focus areas of a cycle with each contribution's state.

    Three queries whatever the number of organisations.
    """
    contributions = list(
        cycle.contributions.filter(withdrawn=False).only(
            "id", "cycle_id", "organisation_id", "focus_area_id", "state", "not_relevant"
        )
    )
    focus_areas = list(cycle.programme.focus_areas.order_by("code"))
    organisation_ids_in_cycle = {c.organisation_id for c in contributions}
    organisations = Organisation.objects.filter(pk__in=organisation_ids_in_cycle).order_by("name")
    if kind:
        organisations = organisations.filter(kind=kind)
    cells = defaultdict(dict)
    for contribution in contributions:
        cells[contribution.organisation_id][contribution.focus_area_id] = contribution
    overdue = timezone.localdate() > cycle.due_on
    rows = []
    totals = Counter()
    for organisation in organisations:
        row_cells = [cells[organisation.pk].get(area.pk) for area in focus_areas]
        asked = [c for c in row_cells if c is not None]
        if state and not any(c.state == state for c in asked):
            continue
        late = [c for c in asked if overdue and c.state in Contribution.EDITABLE_STATES]
        if overdue_only and not late:
            continue
        for c in asked:
            totals[c.state] += 1
        rows.append({"organisation": organisation, "cells": row_cells, "late": len(late)})
    return {
        "focus_areas": focus_areas,
        "rows": rows,
        "totals": [(s, label, totals[s]) for s, label in Contribution.State.choices],
        "overdue": overdue,
    }


def review_queue():
    return (
        Contribution.objects.filter(withdrawn=False, state__in=Contribution.REVIEWABLE_STATES)
        .select_related("cycle", "organisation", "focus_area")
        .order_by("submitted_at")
    )


def version_returned_last(contribution: Contribution) -> ContributionVersion | None:
    """The version the strategist returned, to compare a resubmission with."""
    return (
        contribution.versions.filter(event=ContributionVersion.Event.RETURNED)
        .order_by("-number")
        .first()
    )


def previous_contribution(contribution: Contribution) -> Contribution | None:
    """The same organisation's answer on the same focus area in the cycle before."""
    earlier = (
        Contribution.objects.filter(
            organisation_id=contribution.organisation_id,
            focus_area__code=contribution.focus_area.code,
            cycle__programme=contribution.cycle.programme_id,
            cycle__opens_on__lt=contribution.cycle.opens_on,
            withdrawn=False,
        )
        .exclude(state=Contribution.State.DRAFT)
        .order_by("-cycle__opens_on")
        .prefetch_related("actions")
    )
    return earlier.first()


def cycle_counts(cycle: Cycle) -> dict:
    return cycle.contributions.filter(withdrawn=False).aggregate(
        total=Count("id"),
        approved=Count("id", filter=Q(state=Contribution.State.APPROVED)),
        waiting=Count("id", filter=Q(state__in=Contribution.REVIEWABLE_STATES)),
    )
