"""The open data's queries: what the API may show, with what each answer needs."""

import datetime
from collections.abc import Sequence

from django.db.models import Count, Max, Prefetch, Q
from django.utils import timezone

from programme.models import (
    Direction,
    FocusArea,
    GoverningDocument,
    Indicator,
    IndicatorValue,
    Organisation,
    Programme,
    Responsibility,
    Sdg,
)
from reporting import permissions as reporting_permissions
from reporting.models import ContributionVersion, Cycle, Publication


def latest(*moments):
    moments = [moment for moment in moments if moment is not None]
    return max(moments) if moments else None


# The programme.


def focus_areas_for_api(programme):
    return (
        FocusArea.objects.filter(programme=programme)
        .select_related("direction")
        .prefetch_related(
            "sdgs",
            Prefetch(
                "responsibilities",
                queryset=Responsibility.objects.select_related("organisation"),
            ),
            Prefetch(
                "indicators",
                queryset=Indicator.objects.filter(active=True).order_by("pk"),
                to_attr="active_indicators",
            ),
        )
        .order_by("sort_key")
    )


def documents_for_api(programme):
    return (
        GoverningDocument.objects.filter(programme=programme)
        .prefetch_related("directions")
        .order_by("title")
    )


def programme_for_api(programme):
    return (
        Programme.objects.select_related("owner")
        .prefetch_related(
            Prefetch(
                "directions",
                queryset=Direction.objects.order_by("number").prefetch_related(
                    "sdgs", Prefetch("focus_areas", queryset=focus_areas_for_api(programme))
                ),
            ),
            Prefetch("governing_documents", queryset=documents_for_api(programme)),
        )
        .get(pk=programme.pk)
    )


def sdgs_for_api(programme):
    return Sdg.objects.prefetch_related(
        Prefetch(
            "focus_areas",
            queryset=FocusArea.objects.filter(programme=programme).order_by("sort_key"),
            to_attr="current_focus_areas",
        )
    ).order_by("number")


def organisations_for_api(programme):
    responsibilities = Responsibility.objects.filter(
        focus_area__programme=programme
    ).select_related("focus_area")
    return (
        Organisation.objects.of_programme(programme)
        .select_related("served_by", "part_of")
        .prefetch_related(
            Prefetch(
                "responsibilities",
                queryset=responsibilities,
                to_attr="current_responsibilities",
            )
        )
        .order_by("name", "pk")
    )


# Indicators and their values.


def indicators_for_api(programme):
    return (
        Indicator.objects.filter(active=True, focus_area__programme=programme)
        .select_related("focus_area__programme")
        .order_by("focus_area__sort_key", "title", "pk")
    )


def values_for_api(programme):
    return (
        IndicatorValue.objects.filter(
            indicator__active=True, indicator__focus_area__programme=programme
        )
        .select_related("indicator__focus_area", "municipality")
        .order_by("indicator_id", "municipality__code", "year", "gender", "pk")
    )


def values_changed_at(programme):
    """The latest change of a value or an indicator (their history also records
    deletions), or the day the programme in force took effect, if later."""
    took_effect = None
    if programme is not None:  # the day it took effect, never later than now
        took_effect = min(
            timezone.make_aware(datetime.datetime.combine(programme.valid_from, datetime.time())),
            timezone.now(),
        )
    return latest(
        IndicatorValue.history.aggregate(at=Max("history_date"))["at"],
        Indicator.history.aggregate(at=Max("history_date"))["at"],
        took_effect,
    )


# Published reports.


def published_reports():
    """Published, compiled reports: no other version exists here, whatever its id."""
    return (
        reporting_permissions.published_reports()
        .select_related("cycle__programme")
        .annotate(
            contribution_count=Count(
                "built_from", filter=Q(built_from__event=ContributionVersion.Event.APPROVED)
            )
        )
        .order_by("-published_at", "-pk")
    )


def reports_changed_at():
    """The latest publication or withdrawal, or change of a cycle (its title)."""
    return latest(
        Publication.objects.aggregate(at=Max("at"))["at"],
        Cycle.history.aggregate(at=Max("history_date"))["at"],
    )


class InPrintedOrder(Sequence):
    """A report's approved versions in the order its Bilaga 2 prints them: by their
    numbers there (Report.appendix_numbers), and any it does not number by the
    organisation's name as the report was compiled with it (Report.names), which the
    database cannot sort by. The order is decided on light rows (id, names); a page's
    versions, with their content, are read when the page is asked for, so a page costs the
    same however large the report."""

    def __init__(self, report):
        rows = report.built_from.filter(event=ContributionVersion.Event.APPROVED).values_list(
            "pk", "contribution__organisation__name", "contribution__focus_area__sort_key"
        )
        self.ids = [row[0] for row in sorted(rows, key=lambda row: report.printed_order(*row))]

    def __len__(self):
        return len(self.ids)

    def __iter__(self):  # the whole list (a CSV download): one read, not one an item
        return iter(self[:])

    def __getitem__(self, index):
        if not isinstance(index, slice):
            return self[index : index + 1 or None][0]
        ids = self.ids[index]
        versions = ContributionVersion.objects.select_related(
            "contribution__organisation", "contribution__focus_area"
        ).in_bulk(ids)
        return [versions[pk] for pk in ids]


def report_contributions_for_api(report):
    """Its approved versions in the order its Bilaga 2 prints them (InPrintedOrder)."""
    return InPrintedOrder(report)


def printed_versions(report) -> dict[int, int]:
    """The approved version a report printed of each contribution: its id (the public id
    of the contribution) by the contribution's, as the strategists' texts cite it."""
    return dict(
        report.built_from.filter(event=ContributionVersion.Event.APPROVED).values_list(
            "contribution_id", "pk"
        )
    )


def report_shapes(report) -> dict:
    """The questions' and indicators' texts by id, for a report's contributions."""
    return {
        "questions": dict(report.cycle.questions.values_list("pk", "text")),
        "indicators": dict(Indicator.objects.values_list("pk", "title")),
    }
