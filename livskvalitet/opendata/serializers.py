"""What the open data API shows of each thing: public fields only, never a person.

Stable ids: a focus area is its code ("2.1"), a global goal its number, a direction its
number; indicators, organisations, governing documents, reports and contribution
versions their database id (an indicator also has its Kolada KPI id).
"""

import dataclasses
import functools
import typing
from urllib.parse import urlencode

from django.urls import reverse
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from programme.comparison import goal_kpi_views
from programme.indicators import programme_indicator_views
from programme.models import (
    Assessment,
    Direction,
    FocusArea,
    GoverningDocument,
    Indicator,
    IndicatorTarget,
    IndicatorValue,
    Organisation,
    Programme,
    Responsibility,
    Sdg,
)
from programme.selectors import current_programme
from programme.targets import Status as TargetStatus
from programme.trend import NO_TREND, Trend
from reporting.content import FIELDS, ContributionContent, items_of
from reporting.models import ActionStatus, Contribution, Report
from reporting.register import published_actions_for_goal
from reporting.report.citations import with_public_ids

from .selectors import indicators_for_api


def absolute(serializer, name: str, *args) -> str:
    """An absolute URL when the serializer has a request, a path otherwise."""
    path = reverse(name, args=args)
    request = serializer.context.get("request")
    return request.build_absolute_uri(path) if request is not None else path


def of_edition(serializer, name: str, *args) -> str:
    """The address of a row of the edition the answer is for: with ?edition= when one was
    asked for, because the plain address answers for the edition in force, which may be
    another, with the same codes, or not have the row at all."""
    url = absolute(serializer, name, *args)
    view = serializer.context.get("view")
    if view is None or not view.request.query_params.get("edition", "").strip():
        return url
    return f"{url}?{urlencode({'edition': view.programme().slug})}"


@extend_schema_field({"type": "string", "nullable": True, "example": "12.5"})
class ExactDecimalField(serializers.Field):
    """A value as the database keeps it, written out in full: no float, no rounding,
    no exponent ("0.000000001", "1200", "-3.25")."""

    def to_representation(self, value):
        return format(value.normalize(), "f")


class SdgSerializer(serializers.ModelSerializer):
    focus_areas = serializers.SerializerMethodField(
        help_text=_("Codes of the focus areas of the programme in force that contribute to it.")
    )

    class Meta:
        model = Sdg
        fields = ["number", "title_sv", "title_en", "colour", "focus_areas"]

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_focus_areas(self, sdg) -> list[str]:
        return [area.code for area in sdg.current_focus_areas]


class FocusAreaSerializer(serializers.ModelSerializer):
    url = serializers.SerializerMethodField()
    direction = serializers.IntegerField(
        source="direction.number", help_text=_("The number of its direction.")
    )
    sdgs = serializers.SerializerMethodField(help_text=_("The numbers of its global goals."))
    lead_organisations = serializers.SerializerMethodField(
        help_text=_("The organisations that lead the work on it.")
    )
    contributing_organisations = serializers.SerializerMethodField(
        help_text=_("The organisations that contribute to it.")
    )
    indicators = serializers.SerializerMethodField(help_text=_("The ids of its active indicators."))
    whole_direction = serializers.BooleanField(
        source="is_whole_direction",
        read_only=True,
        help_text=_(
            "Whether it is its direction as a whole: a direction the programme does not "
            "divide into focus areas is followed up as one, under the direction's code."
        ),
    )

    class Meta:
        model = FocusArea
        fields = [
            "code",
            "url",
            "title",
            "description",
            "direction",
            "whole_direction",
            "sdgs",
            "lead_organisations",
            "contributing_organisations",
            "indicators",
        ]

    def get_url(self, area) -> str:
        return of_edition(self, "api:focus-area-detail", area.code)

    @extend_schema_field(serializers.ListField(child=serializers.IntegerField()))
    def get_sdgs(self, area) -> list[int]:
        return sorted(sdg.number for sdg in area.sdgs.all())

    def _organisations(self, area, role) -> list[str]:
        return sorted(r.organisation.name for r in area.responsibilities.all() if r.role == role)

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_lead_organisations(self, area) -> list[str]:
        return self._organisations(area, Responsibility.Role.LEAD)

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_contributing_organisations(self, area) -> list[str]:
        return self._organisations(area, Responsibility.Role.CONTRIBUTING)

    @extend_schema_field(serializers.ListField(child=serializers.IntegerField()))
    def get_indicators(self, area) -> list[int]:
        return [indicator.pk for indicator in area.active_indicators]


class DirectionSerializer(serializers.ModelSerializer):
    code = serializers.CharField(
        source="label",
        read_only=True,
        help_text=_("Its code as the programme writes it (A, II), else its number."),
    )
    focus_areas = FocusAreaSerializer(many=True, read_only=True)
    sdgs = serializers.SerializerMethodField(
        help_text=_("The numbers of the global goals of the direction as a whole.")
    )

    class Meta:
        model = Direction
        fields = [
            "number",
            "code",
            "title",
            "ambition",
            "challenges",
            "focus",
            "sdgs",
            "focus_areas",
        ]

    @extend_schema_field(serializers.ListField(child=serializers.IntegerField()))
    def get_sdgs(self, direction) -> list[int]:
        return sorted(sdg.number for sdg in direction.sdgs.all())


class GoverningDocumentSerializer(serializers.ModelSerializer):
    link = serializers.URLField(source="url", help_text=_("Where the document is published."))
    directions = serializers.SerializerMethodField(
        help_text=_("The numbers of the directions it is linked to.")
    )

    class Meta:
        model = GoverningDocument
        fields = ["id", "title", "link", "directions"]

    @extend_schema_field(serializers.ListField(child=serializers.IntegerField()))
    def get_directions(self, document) -> list[int]:
        return sorted(direction.number for direction in document.directions.all())


class LevelsSerializer(serializers.Serializer):
    direction = serializers.CharField()
    directions = serializers.CharField()
    focus_area = serializers.CharField()
    focus_areas = serializers.CharField()


class ProgrammeSerializer(serializers.ModelSerializer):
    owner = serializers.CharField(source="owner.name", default=None, allow_null=True)
    levels = LevelsSerializer(
        read_only=True,
        help_text=_("What the programme calls its directions and focus areas, in lower case."),
    )
    directions = DirectionSerializer(many=True, read_only=True)
    governing_documents = GoverningDocumentSerializer(many=True, read_only=True)

    class Meta:
        model = Programme
        fields = [
            "name",
            "edition",
            "valid_from",
            "valid_until",
            "revised_by",
            "owner",
            "follow_up_interval_years",
            "introduction",
            "levels",
            "directions",
            "governing_documents",
        ]


class OrganisationSerializer(serializers.ModelSerializer):
    served_by = serializers.CharField(
        source="served_by.name",
        default=None,
        allow_null=True,
        help_text=_("The administration (förvaltning) that does the work for a committee."),
    )
    part_of = serializers.CharField(
        source="part_of.name",
        default=None,
        allow_null=True,
        help_text=_("The administration a department belongs to."),
    )
    lead_focus_areas = serializers.SerializerMethodField(
        help_text=_("Codes of the focus areas it leads in the programme in force.")
    )
    contributing_focus_areas = serializers.SerializerMethodField(
        help_text=_("Codes of the focus areas it contributes to in the programme in force.")
    )

    class Meta:
        model = Organisation
        fields = [
            "id",
            "name",
            "short_name",
            "kind",
            "active",
            "served_by",
            "part_of",
            "lead_focus_areas",
            "contributing_focus_areas",
        ]

    def _codes(self, organisation, role) -> list[str]:
        areas = [r.focus_area for r in organisation.current_responsibilities if r.role == role]
        return [area.code for area in sorted(areas, key=lambda area: area.sort_key)]

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_lead_focus_areas(self, organisation) -> list[str]:
        return self._codes(organisation, Responsibility.Role.LEAD)

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_contributing_focus_areas(self, organisation) -> list[str]:
        return self._codes(organisation, Responsibility.Role.CONTRIBUTING)


class TargetSerializer(serializers.Serializer):
    """A target and how the indicator stands against it (programme/targets.py)."""

    value = ExactDecimalField(source="target.value", help_text=_("The target value."))
    year = serializers.IntegerField(source="target.year", help_text=_("The target year."))
    direction = serializers.ChoiceField(
        source="target.direction",
        choices=IndicatorTarget.Direction.choices,
        help_text=_("at_least or at_most the value."),
    )
    set_by = serializers.CharField(
        source="target.source",
        help_text=_("The governing document or programme text that sets it; empty if none."),
    )
    is_demo = serializers.BooleanField(
        source="target.is_demo", help_text=_("A demo target, not the city's.")
    )
    status = serializers.ChoiceField(
        choices=TargetStatus.choices,
        help_text=_(
            "reached, on_track, off_track, missed (the target year has come and the target "
            "is not met) or cannot_assess, by the rule stated on the site."
        ),
    )
    status_words = serializers.CharField(source="words", help_text=_("The status in words."))
    latest_year = serializers.IntegerField(allow_null=True)
    latest = ExactDecimalField(allow_null=True)
    expected = ExactDecimalField(
        allow_null=True,
        help_text=_("Where the straight path from the baseline to the target is in latest_year."),
    )


class ComparisonSerializer(serializers.Serializer):
    """How the programme's municipality compares with all of them (programme/comparison.py)."""

    year = serializers.IntegerField(help_text=_("The latest year the municipality has a value."))
    value = ExactDecimalField(allow_null=True)
    count = serializers.IntegerField(help_text=_("Municipalities with a value that year."))
    rank = serializers.IntegerField(
        allow_null=True, help_text=_("1 is the best; null if not ranked (see reason).")
    )
    better_than = serializers.IntegerField(
        allow_null=True, help_text=_("How many municipalities have a worse value.")
    )
    quartile = serializers.IntegerField(allow_null=True, help_text=_("1 is the best quarter."))
    quartile_words = serializers.CharField()
    group = serializers.CharField(help_text=_("The chosen municipality group; empty if none."))
    group_median = ExactDecimalField(allow_null=True)
    group_count = serializers.IntegerField(help_text=_("Members of the group with a value."))
    group_size = serializers.IntegerField()
    sweden = ExactDecimalField(allow_null=True, help_text=_("Sweden's value that year."))
    is_demo = serializers.BooleanField()
    reason = serializers.CharField(help_text=_("Why it is not ranked; empty if it is."))


class IndicatorSerializer(serializers.ModelSerializer):
    url = serializers.SerializerMethodField()
    values_url = serializers.SerializerMethodField()
    kpi = serializers.CharField(
        source="external_id", help_text=_("The Kolada KPI id, such as N00401; empty if none.")
    )
    focus_area = serializers.CharField(
        source="focus_area.code", help_text=_("The code of its focus area.")
    )
    comparisons = serializers.ListField(
        source="comparison_codes",
        child=serializers.CharField(),
        help_text=_("Codes of the municipalities it is compared with; 0000 is Sweden."),
    )
    trend = serializers.SerializerMethodField(
        help_text=_(
            "Where the value went from the baseline year to the latest: up, down or "
            "unchanged (a change within 2 percent); empty where it cannot be said."
        )
    )
    trend_assessment = serializers.SerializerMethodField(
        help_text=_(
            "Whether that is better (positive) or worse (negative) for the indicator, by its "
            "better direction; cannot_assess with too few values or no better direction."
        )
    )
    trend_words = serializers.SerializerMethodField(
        help_text=_("The trend in the site's words, such as “Minskar – bättre”.")
    )
    trend_from_year = serializers.SerializerMethodField(
        help_text=_("The first year the trend is judged from; empty if none.")
    )
    trend_to_year = serializers.SerializerMethodField(
        help_text=_("The last year the trend is judged to; empty if none.")
    )
    targets = serializers.SerializerMethodField()
    comparison = serializers.SerializerMethodField()
    is_demo = serializers.SerializerMethodField(
        help_text=_(
            "Whether its values (and so its trend) include made-up demo values, not real "
            "statistics; the site marks them the same way."
        )
    )

    class Meta:
        model = Indicator
        fields = [
            "id",
            "url",
            "values_url",
            "kpi",
            "title",
            "focus_area",
            "unit",
            "source",
            "better",
            "gender_split",
            "comparisons",
            "decimals",
            "confirmed",
            "trend",
            "trend_assessment",
            "trend_words",
            "trend_from_year",
            "trend_to_year",
            "targets",
            "comparison",
            "is_demo",
        ]

    def _view(self, indicator):
        """The indicator as the site shows it (programme/indicators.py), from the
        programme's baseline year; worked out once for all the indicators of a response."""
        views = self.context.setdefault("indicator_views", {})
        if indicator.pk not in views:
            programme = indicator.focus_area.programme
            by_area = programme_indicator_views(list(programme.focus_areas.all()), programme)
            views.update({v.indicator.pk: v for area in by_area.values() for v in area})
        return views.get(indicator.pk)

    def _trend(self, indicator) -> Trend:
        view = self._view(indicator)
        return view.trend if view is not None else NO_TREND

    @extend_schema_field(ComparisonSerializer(allow_null=True))
    def get_comparison(self, indicator) -> dict | None:
        view = self._view(indicator)
        if view is None or view.comparison is None:
            return None
        return ComparisonSerializer(view.comparison).data

    @extend_schema_field(TargetSerializer(many=True))
    def get_targets(self, indicator) -> list:
        view = self._view(indicator)
        return TargetSerializer(view.targets if view is not None else [], many=True).data

    @extend_schema_field(
        serializers.ChoiceField(choices=["up", "down", "unchanged", ""], allow_blank=True)
    )
    def get_trend(self, indicator) -> str:
        return self._trend(indicator).direction

    @extend_schema_field(
        serializers.ChoiceField(choices=["positive", "unchanged", "negative", "cannot_assess"])
    )
    def get_trend_assessment(self, indicator) -> str:
        return self._trend(indicator).assessment

    def get_trend_words(self, indicator) -> str:
        return self._trend(indicator).words

    def get_trend_from_year(self, indicator) -> int | None:
        return self._trend(indicator).first_year

    def get_trend_to_year(self, indicator) -> int | None:
        return self._trend(indicator).last_year

    def get_is_demo(self, indicator) -> bool:
        view = self._view(indicator)
        return view is not None and view.is_demo

    def get_url(self, indicator) -> str:
        return of_edition(self, "api:indicator-detail", indicator.pk)

    def get_values_url(self, indicator) -> str:
        return of_edition(self, "api:indicator-values", indicator.pk)


class IndicatorValueSerializer(serializers.ModelSerializer):
    indicator = serializers.IntegerField(
        source="indicator_id", help_text=_("The indicator's id, as in /indicators/.")
    )
    kpi = serializers.CharField(
        source="indicator.external_id",
        help_text=_("The indicator's Kolada KPI id, such as N00401; empty if none."),
    )
    focus_area = serializers.CharField(
        source="indicator.focus_area.code", help_text=_("The code of the indicator's focus area.")
    )
    municipality = serializers.CharField(
        source="municipality.code", help_text=_("The municipality's code; 0000 is Sweden.")
    )
    municipality_name = serializers.CharField(
        source="municipality.name", help_text=_("The municipality's name (Riket for Sweden).")
    )
    gender = serializers.ChoiceField(
        choices=IndicatorValue.Gender.choices, help_text=_("T total, K women, M men.")
    )
    value = ExactDecimalField(
        allow_null=True,
        help_text=_(
            "The value as a decimal number written out in full, never rounded; null when "
            "the source has no value."
        ),
    )
    status = serializers.CharField(help_text=_("The source's status of the value, if any."))
    is_demo = serializers.BooleanField(
        help_text=_("A made-up value of the demo data, not a real statistic.")
    )
    year = serializers.IntegerField(help_text=_("The year the value is for."))
    source = serializers.CharField(
        help_text=_("Where the value comes from: Kolada, another source, or Demo.")
    )
    imported_at = serializers.DateTimeField(
        read_only=True, help_text=_("When the value was imported or last changed.")
    )

    class Meta:
        model = IndicatorValue
        fields = [
            "indicator",
            "kpi",
            "focus_area",
            "municipality",
            "municipality_name",
            "year",
            "gender",
            "value",
            "status",
            "source",
            "is_demo",
            "imported_at",
        ]


def report_is_demo(report) -> bool:
    """A report of the demo data: the version, or its cycle, is demo (the report's cycle is
    read with it, so this asks nothing more)."""
    return report.is_demo or report.cycle.is_demo


# What is told of a report, or of what comes from one, that is demo.
DEMO_REPORT = _("From a report of the demo data, not a real follow-up.")


class ReportSerializer(serializers.ModelSerializer):
    url = serializers.SerializerMethodField()
    contributions_url = serializers.SerializerMethodField()
    focus_areas_url = serializers.SerializerMethodField(
        help_text=_(
            "The strategists' assessment and analysis of each focus area, as the report "
            "states them."
        )
    )
    cycle = serializers.IntegerField(source="cycle_id", help_text=_("The follow-up cycle's id."))
    cycle_title = serializers.CharField(source="cycle.title")
    programme = serializers.SerializerMethodField()
    first_year = serializers.IntegerField(source="cycle.first_year")
    last_year = serializers.IntegerField(source="cycle.last_year")
    version = serializers.IntegerField(
        source="number", help_text=_("The report's version number within its cycle.")
    )
    compiled_at = serializers.DateTimeField(source="finished_at")
    checksum = serializers.CharField(help_text=_("SHA-256 of the PDF."))
    is_demo = serializers.SerializerMethodField(
        help_text=_("A report of the demo data, not a real follow-up.")
    )
    contribution_count = serializers.IntegerField(
        help_text=_("How many approved contributions it was built from.")
    )
    request_count = serializers.SerializerMethodField(
        help_text=_(
            "How many requests (an organisation asked about a focus area) it says were "
            "sent; null for a version compiled before it was kept."
        )
    )
    page_url = serializers.SerializerMethodField(help_text=_("The report's public web page."))
    pdf_url = serializers.SerializerMethodField()
    html_url = serializers.SerializerMethodField()
    docx_url = serializers.SerializerMethodField()

    class Meta:
        model = Report
        fields = [
            "id",
            "url",
            "contributions_url",
            "focus_areas_url",
            "cycle",
            "cycle_title",
            "programme",
            "first_year",
            "last_year",
            "version",
            "compiled_at",
            "published_at",
            "page_count",
            "checksum",
            "is_demo",
            "contribution_count",
            "request_count",
            "page_url",
            "pdf_url",
            "html_url",
            "docx_url",
        ]

    def get_url(self, report) -> str:
        return absolute(self, "api:report-detail", report.pk)

    def get_contributions_url(self, report) -> str:
        return absolute(self, "api:report-contributions", report.pk)

    def get_focus_areas_url(self, report) -> str:
        return absolute(self, "api:report-focus-areas", report.pk)

    def get_programme(self, report) -> str:
        return str(report.cycle.programme)

    def get_request_count(self, report) -> int | None:
        return (report.response_counts or {}).get("asked")

    def get_is_demo(self, report) -> bool:
        return report_is_demo(report)

    def get_page_url(self, report) -> str:
        return absolute(self, "reporting:published-report", report.cycle_id, report.number)

    def get_pdf_url(self, report) -> str | None:
        if not report.pdf:
            return None
        return absolute(self, "reporting:report-download", report.cycle_id, report.number)

    def _edition(self, report, edition, stored) -> str | None:
        if not stored:
            return None
        return absolute(self, "reporting:report-edition", report.cycle_id, report.number, edition)

    def get_html_url(self, report) -> str | None:
        return self._edition(report, "html", report.html_edition)

    def get_docx_url(self, report) -> str | None:
        return self._edition(report, "docx", report.docx)


class GoodExampleSerializer(serializers.Serializer):
    title = serializers.CharField(help_text=_("The action's title."))
    organisation = serializers.CharField(help_text=_("The organisation that reported it."))
    description = serializers.CharField(help_text=_("The action as the report describes it."))
    contribution = serializers.IntegerField(
        allow_null=True,
        help_text=_(
            "The id of the contribution that reports it, as in the report's contributions."
        ),
    )


# What a published report states of one focus area: the strategists' synthesis as the
# version was compiled with it (Report.syntheses), not as it may have been edited since.
# The view puts the report in the context. (A comment: a docstring would be published.)
class ReportFocusAreaSerializer(serializers.Serializer):
    report = serializers.SerializerMethodField(help_text=_("The report's id."))
    focus_area = serializers.CharField(source="code", help_text=_("The code of the focus area."))
    title = serializers.CharField(help_text=_("The focus area's title, as the report names it."))
    assessment = serializers.ChoiceField(
        choices=Assessment.choices,
        allow_blank=True,
        help_text=_(
            "The strategists' overall assessment of the focus area, as the report states "
            "it; empty where the report says it is not assessed."
        ),
    )
    assessment_words = serializers.SerializerMethodField(
        help_text=_("The assessment in the report's words; empty where there is none.")
    )
    analysis = serializers.CharField(
        help_text=_(
            "The strategists' analysis as the report prints it, exactly as they wrote it "
            "(plain text; a blank line separates paragraphs), empty where it prints none. "
            "[#12] or [#12: quoted words] in it cites the contribution whose id is 12 in the "
            "report's contributions, as cites lists them; the quoted words are as written. "
            "[#] or [#: quoted words] without an id cites a contribution the report does not "
            "hold."
        )
    )
    cites = serializers.ListField(
        child=serializers.IntegerField(),
        help_text=_(
            "The ids of the contributions the analysis cites, as in the report's "
            "contributions, in the order it first cites them."
        ),
    )
    highlighted = serializers.SerializerMethodField(
        help_text=_(
            "The good examples (goda exempel) the report highlights under the focus area; "
            "empty for a version compiled before they were kept."
        )
    )
    asked = serializers.IntegerField(
        allow_null=True,
        help_text=_(
            "How many organisations the report says were asked about the focus area; null "
            "for a version compiled before the counts were kept."
        ),
    )
    approved = serializers.IntegerField(
        allow_null=True,
        help_text=_(
            "How many of them the report says answered and were approved; null for a "
            "version compiled before the counts were kept."
        ),
    )
    is_demo = serializers.SerializerMethodField(help_text=DEMO_REPORT)

    @extend_schema_field(GoodExampleSerializer(many=True))
    def get_highlighted(self, stated) -> list:
        return GoodExampleSerializer(stated.get("highlighted", []), many=True).data

    def get_report(self, stated) -> int:
        return self.context["report"].pk

    def to_representation(self, stated):
        row = super().to_representation(stated)
        # Its citations name the contributions by their public ids, as cites does.
        row["analysis"] = with_public_ids(row["analysis"], self.context.get("printed", {}))
        return row

    def get_assessment_words(self, stated) -> str:
        words = dict(Assessment.choices).get(stated["assessment"], "")
        return capfirst(words)

    def get_is_demo(self, stated) -> bool:
        return report_is_demo(self.context["report"])


# The content of a contribution is described from its dataclasses (reporting.content): a
# field's type says which serializer field shows it, its metadata its help text and
# choices, so that a field added there is in the API and its description without more.
SCALARS = {
    bool: serializers.BooleanField,
    int: serializers.IntegerField,
    str: serializers.CharField,
}


def _scalar(annotation, choices=None, **options) -> serializers.Field:
    if choices is not None:
        return serializers.ChoiceField(choices=choices, **options)
    kinds = typing.get_args(annotation)  # "int | None"
    if type(None) in kinds:
        (annotation,) = [kind for kind in kinds if kind is not type(None)]
        options["allow_null"] = True
    return SCALARS[annotation](**options)


def content_field(dataclass_field) -> serializers.Field:
    """The serializer field of one field of a content dataclass."""
    metadata = dataclass_field.metadata
    options = {"help_text": metadata["help_text"]} if "help_text" in metadata else {}
    if not options and "part" in metadata:  # a column of its own: its label in the form
        label = Contribution._meta.get_field(dataclass_field.name).verbose_name
        options["help_text"] = capfirst(label)  # lazy: in the reader's language
    annotation = dataclass_field.type
    if typing.get_origin(annotation) is list:
        item_type = items_of(annotation)
        if item_type is not None:
            return content_serializer(item_type)(many=True, **options)
        (item,) = typing.get_args(annotation)
        return serializers.ListField(child=_scalar(item, metadata.get("choices")), **options)
    return _scalar(annotation, metadata.get("choices"), **options)


@functools.cache
def content_serializer(item_type) -> type[serializers.Serializer]:
    """The serializer of a content dataclass, made once: ActionContent → ActionSerializer
    (the description's component "Action")."""
    name = item_type.__name__.removesuffix("Content") + "Serializer"
    return type(
        name,
        (serializers.Serializer,),
        {f.name: content_field(f) for f in dataclasses.fields(item_type)},
    )


# The parts of a contribution's content the API shows as the content holds them: its own
# fields and its actions. Answers, indicator comments and attachments are told below.
AS_HELD = (*FIELDS, "actions")


class AnswerSerializer(serializers.Serializer):
    question = serializers.CharField()
    answer = serializers.CharField()


class IndicatorCommentSerializer(serializers.Serializer):
    indicator = serializers.IntegerField(help_text=_("The indicator's id."))
    indicator_title = serializers.CharField()
    text = serializers.CharField()


class AttachmentSerializer(serializers.Serializer):
    name = serializers.CharField()
    size = serializers.IntegerField(help_text=_("In bytes."))


# An approved contribution as the report was built from it: the version saved when it was
# approved, read through the one shape every reader uses (reporting.content). The view puts
# the cycle's question texts and the indicators' titles in the context. (A comment, not a
# docstring: drf-spectacular would publish a docstring as the schema's description.)
class ContributionSerializer(serializers.Serializer):
    id = serializers.IntegerField(help_text=_("The id of the approved version."))
    report = serializers.IntegerField(help_text=_("The report's id."))
    organisation = serializers.CharField(
        help_text=_("The organisation's name, as the report was compiled with it.")
    )
    organisation_id = serializers.IntegerField()
    focus_area = serializers.CharField(
        help_text=_("The code of the focus area, as the report was compiled with it.")
    )
    version = serializers.IntegerField(help_text=_("The contribution's version number."))
    approved_at = serializers.DateTimeField()
    # Here: the content's own fields and its actions (AS_HELD), see get_fields.
    answers = AnswerSerializer(many=True)
    indicator_comments = IndicatorCommentSerializer(many=True)
    attachments = AttachmentSerializer(many=True)
    is_demo = serializers.BooleanField(help_text=DEMO_REPORT)  # last: the columns before stay
    appendix_number = serializers.IntegerField(  # added after it, for the same reason
        allow_null=True,
        help_text=_(
            "The contribution's number in Appendix 2 of the report, as the report printed "
            "it: its citations ([10]) refer to it by this number."
        ),
    )

    def get_fields(self):
        """The declared fields with the content's (AS_HELD) after "approved_at"."""
        held = {f.name: f for f in dataclasses.fields(ContributionContent)}
        fields = {}
        for name, declared in super().get_fields().items():
            fields[name] = declared
            if name == "approved_at":
                fields |= {name: content_field(held[name]) for name in AS_HELD}
        return fields

    def to_representation(self, version):
        content = ContributionContent.from_json(version.data)
        held = dataclasses.asdict(content)
        contribution = version.contribution
        questions = self.context.get("questions", {})
        indicators = self.context.get("indicators", {})
        report = self.context.get("report")
        # Named as the report was compiled with them, as its files print them.
        printed = report.printed_as(version) if report is not None else {}
        row = {
            "id": version.pk,
            "report": self.context.get("report_id"),
            "organisation": printed.get("organisation", contribution.organisation.name),
            "organisation_id": contribution.organisation_id,
            "focus_area": printed.get("code", contribution.focus_area.code),
            "version": version.number,
            "approved_at": version.created_at,
            **{name: held[name] for name in AS_HELD},
            # As in the report: answered questions of the cycle, commented indicators.
            "answers": [
                {"question": questions[int(pk)], "answer": answer}
                for pk, answer in content.answers.items()
                if answer and int(pk) in questions
            ],
            "indicator_comments": [
                {"indicator": int(pk), "indicator_title": indicators.get(int(pk), ""), "text": text}
                for pk, text in content.indicator_comments.items()
                if text
            ],
            "attachments": [{"name": a.name, "size": a.size} for a in content.attachments],
            "is_demo": self.context.get("is_demo", False),
            "appendix_number": report.appendix_numbers.get(version.pk) if report else None,
        }
        return super().to_representation(row)


class RootSerializer(serializers.Serializer):
    title = serializers.CharField()
    description = serializers.CharField()
    version = serializers.CharField()
    licence = serializers.DictField(child=serializers.CharField())
    documentation = serializers.URLField()
    openapi = serializers.URLField()
    endpoints = serializers.DictField(child=serializers.URLField())
    paging = serializers.CharField()
    csv = serializers.CharField()
    caching = serializers.CharField()


class PublishedActionSerializer(serializers.Serializer):
    """An insats as the latest published report that told of it says (reporting/register.py)."""

    id = serializers.IntegerField(
        source="initiative",
        allow_null=True,
        help_text=_("Its id in the city's register of actions; null if it has none."),
    )
    title = serializers.CharField(source="action.title")
    organisation = serializers.CharField(help_text=_("The organisation that reports on it."))
    focus_area = serializers.CharField(source="code", help_text=_("The focus area's code."))
    status = serializers.ChoiceField(
        source="action.status",
        choices=ActionStatus.choices,
        help_text=_("planned, ongoing, completed or cancelled."),
    )
    description = serializers.CharField(source="action.description")
    progress = serializers.CharField(
        source="action.progress", help_text=_("What happened since the last follow-up.")
    )
    sdgs = serializers.ListField(
        child=serializers.IntegerField(),
        source="action.sdgs",
        help_text=_("The numbers of its global goals."),
    )
    reference = serializers.CharField(source="action.reference")
    report = serializers.IntegerField(
        source="report.pk", help_text=_("The published report that told of it last (its id).")
    )
    is_demo = serializers.SerializerMethodField(help_text=DEMO_REPORT)

    def get_is_demo(self, item) -> bool:
        return report_is_demo(item.report)


class GoalKpiSerializer(serializers.Serializer):
    kpi = serializers.CharField(source="kpi.kpi", help_text=_("The Kolada KPI id."))
    title = serializers.CharField(source="kpi.title")
    comparison = ComparisonSerializer(allow_null=True)


class SdgDetailSerializer(SdgSerializer):
    """A global goal as its page shows it: the contributing focus areas' indicators and the
    insatser the published reports tied to it."""

    indicators = serializers.SerializerMethodField(
        help_text=_("The active indicators of the focus areas that contribute to it.")
    )
    actions = serializers.SerializerMethodField(
        help_text=_(
            "The insatser whose latest published report tied them to the goal, as that "
            "report told them."
        )
    )

    agenda2030_kpis = serializers.SerializerMethodField(
        help_text=_(
            "The goal's key figures of an Agenda 2030 set imported from Kolada, each with the "
            "municipality's latest value and its comparison (null if none is imported)."
        )
    )

    class Meta(SdgSerializer.Meta):
        fields = [*SdgSerializer.Meta.fields, "indicators", "agenda2030_kpis", "actions"]

    @extend_schema_field(GoalKpiSerializer(many=True))
    def get_agenda2030_kpis(self, sdg) -> list:
        programme = self._programme()
        if programme is None:
            return []
        return GoalKpiSerializer(goal_kpi_views(sdg, programme), many=True).data

    def _programme(self):
        """The edition the view answers for (?edition=), or the one in force."""
        view = self.context.get("view")
        return view.programme() if view is not None else current_programme()

    @extend_schema_field(IndicatorSerializer(many=True))
    def get_indicators(self, sdg) -> list:
        indicators = indicators_for_api(self._programme()).filter(
            focus_area__in=sdg.current_focus_areas
        )
        return IndicatorSerializer(indicators, many=True, context=self.context).data

    @extend_schema_field(PublishedActionSerializer(many=True))
    def get_actions(self, sdg) -> list:
        actions = published_actions_for_goal(sdg.number)
        return PublishedActionSerializer(actions, many=True, context=self.context).data
