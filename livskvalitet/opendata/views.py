"""The open data API: read-only, without login, the same answer for everybody.

Only what is public: the programme in force with its directions, focus areas, global
goals, organisations, governing documents and active indicators with their values, and
the published reports with the approved contributions they were built from. Never a
draft, a contribution that is not approved, an unpublished report or a person.

Every successful GET is public for five minutes (livskvalitet.core.http.public) and carries
an ETag, the hash of its body, so that If-None-Match is answered with 304 Not Modified.
What is built from published reports (``withdrawable``: the reports, their contributions
and focus areas, the actions, a global goal's insatser) is public but ``no-cache``: a cache
asks again every time, so that a withdrawn publication is gone at once (404, never 304).
Values and reports also carry Last-Modified (see ``last_modified`` of their views); the
programme's tables have no timestamps, so the rest relies on the ETag alone. Refusals
(404, 405, 400) stay ``private, no-store`` like the rest of the site.
"""

from django.conf import settings
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_safe
from drf_spectacular.utils import OpenApiParameter, extend_schema
from drf_spectacular.views import SpectacularJSONAPIView
from rest_framework import generics
from rest_framework.exceptions import NotAcceptable, NotFound, ValidationError
from rest_framework.permissions import AllowAny
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.views import APIView

from livskvalitet.core.http import PUBLIC_SECONDS, conditional, public, revalidated
from programme.models import (
    FocusArea,
    GoverningDocument,
    Indicator,
    IndicatorValue,
    Organisation,
    Programme,
    Sdg,
)
from programme.selectors import current_programme, programme_for_page
from reporting.models import ContributionVersion, Report
from reporting.register import latest_published_actions

from . import schema, selectors, serializers
from .pagination import MAX_PAGE_SIZE, PAGE_SIZE, number_of
from .renderers import CSVRenderer
from .throttling import FairUse, TooManyRequests


def found(queryset, **lookup):
    """The one object, or a plain 404 that says nothing about what was looked for."""
    item = queryset.filter(**lookup).first()
    if item is None:
        raise NotFound
    return item


def cached(request, response, *, last_modified=None, shared=True, withdrawable=False):
    """Public for a while, with an ETag (and Last-Modified); 304 when the client has it.

    ``shared=False``: a page that shows the logged-in user's menu stays private for them.
    ``withdrawable``: built from published reports, public but asked again every time.
    """
    patch_vary_headers(response, ["Accept"])
    if withdrawable:
        return revalidated(response, request, last_modified=last_modified)
    public(response, None if shared else request)
    return conditional(response, request, last_modified=last_modified)


class OpenData:
    """What every view of the API shares: no authentication, only safe methods, caching."""

    authentication_classes = []
    permission_classes = [AllowAny]
    throttle_classes = [FairUse]
    http_method_names = ["get", "head", "options"]
    renderer_classes = [JSONRenderer]
    csv_name = "livskvalitet"
    withdrawable = False  # built from published reports: asked again every time

    def last_modified(self):
        """When the data of the answer last changed, if the models can tell."""
        return None

    def throttled(self, request, wait):
        raise TooManyRequests(wait)

    def perform_content_negotiation(self, request, force=False):
        """An unknown ?format= or an Accept header none of the answers fits is refused
        saying which there are (REST framework's own answers are a bare 404, as if the
        address were wrong, and a 406 that names nothing)."""
        try:
            return super().perform_content_negotiation(request, force)
        except Http404:
            # Each once: two renderers may write the same format (the OpenAPI description's).
            formats = ", ".join(dict.fromkeys(r.format for r in self.get_renderers()))
            message = _("Give one of: %(formats)s.") % {"formats": formats}
            raise ValidationError({"format": [message]}) from None
        except NotAcceptable:
            types = ", ".join(renderer.media_type for renderer in self.get_renderers())
            message = _("The answer comes as: %(types)s (Accept or ?format=).")
            raise NotAcceptable(message % {"types": types}) from None

    def get_object(self):
        """Not found, without saying what was looked for (or whether it exists)."""
        try:
            return super().get_object()
        except Http404:
            raise NotFound from None

    def programme(self) -> Programme | None:
        """The edition asked for with ?edition= (published ones only), else the one in force."""
        if not hasattr(self, "_programme"):
            edition = self.request.query_params.get("edition", "").strip()
            if edition:
                # As the site's /program/<edition>/ reads it: by its address (the name
                # gives the same), an unpublished edition for the city's staff only.
                try:
                    self._programme = programme_for_page(
                        Programme.slug_of(edition), self.request.user
                    )
                except Http404:
                    raise NotFound(
                        _("No published edition is named “%(edition)s”.") % {"edition": edition}
                    ) from None
            else:
                self._programme = current_programme()
        return self._programme

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        if request.method not in ("GET", "HEAD") or response.status_code != 200:
            return response
        if (
            getattr(request, "accepted_renderer", None)
            and request.accepted_renderer.format == "csv"
        ):
            response["Content-Disposition"] = f'attachment; filename="{self.csv_name}.csv"'
        response.render()
        return cached(
            request,
            response,
            last_modified=self.last_modified(),
            withdrawable=self.withdrawable,
        )


FORMAT = OpenApiParameter(
    "format",
    str,
    enum=["json", "csv"],
    description=_(
        "csv: the whole list as CSV (in pages only when ?page= or ?page_size= is given), one "
        "row per item."
    ),
)
EDITION = OpenApiParameter(
    "edition",
    str,
    description=_(
        "A published edition of the programme by its name or by its address, the part "
        "after /program/ in its pages' addresses; the edition in force when not given."
    ),
)
INDICATOR_ID = OpenApiParameter(
    "id", int, OpenApiParameter.PATH, description=_("The indicator's id.")
)
REPORT_ID = OpenApiParameter("id", int, OpenApiParameter.PATH, description=_("The report's id."))


class ListData(OpenData):
    """A list: paged, and as CSV with ?format=csv or the .csv address."""

    renderer_classes = [JSONRenderer, CSVRenderer]


class ValuesChanged:
    def last_modified(self):
        """The latest change of a value or an indicator (their history also records
        deletions), or the day the programme in force took effect, if later."""
        return selectors.values_changed_at(self.programme())


class ReportsChanged:
    withdrawable = True

    def last_modified(self):
        """The latest publication or withdrawal, or change of a cycle (its title)."""
        return selectors.reports_changed_at()


# The programme.


@extend_schema(
    summary=_("The programme in force"),
    description=_(
        "The programme in force today (or else the newest one) with its directions "
        "(viljeinriktningar), each with its focus areas (fokusområden), and the governing "
        "documents linked to it."
    ),
    parameters=[EDITION],
)
class ProgrammeView(OpenData, generics.RetrieveAPIView):
    serializer_class = serializers.ProgrammeSerializer
    queryset = Programme.objects.none()

    def get_object(self):
        programme = self.programme()
        if programme is None:
            raise NotFound
        return selectors.programme_for_api(programme)


@extend_schema(
    summary=_("Focus areas"),
    description=_(
        "The focus areas (fokusområden) of the programme in force, by code, with their "
        "global goals, responsible organisations and indicators."
    ),
    parameters=[EDITION, FORMAT],
)
class FocusAreaList(ListData, generics.ListAPIView):
    serializer_class = serializers.FocusAreaSerializer
    queryset = FocusArea.objects.none()
    csv_name = "focus-areas"

    def get_queryset(self):
        return selectors.focus_areas_for_api(self.programme())


@extend_schema(
    summary=_("One focus area"),
    description=_("A focus area of the programme in force, by its code such as 2.1."),
    parameters=[
        EDITION,
        OpenApiParameter(
            "code", str, OpenApiParameter.PATH, description=_("The code, such as 2.1.")
        ),
    ],
)
class FocusAreaDetail(OpenData, generics.RetrieveAPIView):
    serializer_class = serializers.FocusAreaSerializer
    queryset = FocusArea.objects.none()
    lookup_field = "code"

    def get_queryset(self):
        return selectors.focus_areas_for_api(self.programme())


@extend_schema(
    summary=_("Global goals"),
    description=_(
        "The 17 global goals of Agenda 2030 (SDGs) by number, with the focus areas of the "
        "programme in force that contribute to each."
    ),
    parameters=[EDITION, FORMAT],
)
class SdgList(ListData, generics.ListAPIView):
    serializer_class = serializers.SdgSerializer
    queryset = Sdg.objects.none()
    csv_name = "sdgs"

    def get_queryset(self):
        return selectors.sdgs_for_api(self.programme())


@extend_schema(
    summary=_("One global goal"),
    description=_(
        "A global goal by its number (1–17): the focus areas of the programme in force that "
        "contribute to it, their indicators with trends and targets, and the insatser the "
        "published reports tied to it."
    ),
    parameters=[
        EDITION,
        OpenApiParameter(
            "number", int, OpenApiParameter.PATH, description=_("The goal's number, 1–17.")
        ),
    ],
)
class SdgDetail(OpenData, generics.RetrieveAPIView):
    withdrawable = True  # with the insatser the published reports tied to the goal
    serializer_class = serializers.SdgDetailSerializer
    queryset = Sdg.objects.none()
    lookup_field = "number"

    def get_queryset(self):
        return selectors.sdgs_for_api(self.programme())


@extend_schema(
    summary=_("Organisations"),
    description=_(
        "The city's committees, companies, administrations and departments, with the focus "
        "areas each leads or contributes to in the programme in force. Retired "
        "organisations are listed as not active."
    ),
    parameters=[EDITION, FORMAT],
)
class OrganisationList(ListData, generics.ListAPIView):
    serializer_class = serializers.OrganisationSerializer
    queryset = Organisation.objects.none()
    csv_name = "organisations"

    def get_queryset(self):
        return selectors.organisations_for_api(self.programme())


@extend_schema(
    summary=_("Governing documents"),
    description=_(
        "The plans and policies linked to the programme in force, with the numbers of the "
        "directions they belong to."
    ),
    parameters=[EDITION, FORMAT],
)
class GoverningDocumentList(ListData, generics.ListAPIView):
    serializer_class = serializers.GoverningDocumentSerializer
    queryset = GoverningDocument.objects.none()
    csv_name = "governing-documents"

    def get_queryset(self):
        return selectors.documents_for_api(self.programme())


# Indicators and their values.


@extend_schema(
    summary=_("Indicators"),
    description=_(
        "The active indicators (key figures, mostly Kolada KPIs) of the programme in force. "
        "decimals says how many decimals the city shows; confirmed is false while the KPI "
        "and its name are still to be checked against the source."
    ),
    parameters=[EDITION, FORMAT],
)
class IndicatorList(ListData, generics.ListAPIView):
    serializer_class = serializers.IndicatorSerializer
    queryset = Indicator.objects.none()
    csv_name = "indicators"

    def get_queryset(self):
        return selectors.indicators_for_api(self.programme())


@extend_schema(
    summary=_("One indicator"),
    description=_("An active indicator of the programme in force, by its id."),
    parameters=[EDITION, INDICATOR_ID],
)
class IndicatorDetail(OpenData, generics.RetrieveAPIView):
    serializer_class = serializers.IndicatorSerializer
    queryset = Indicator.objects.none()

    def get_queryset(self):
        return selectors.indicators_for_api(self.programme())


# No id or year is larger: a larger number finds nothing (the database is not asked).
LARGEST_NUMBER = 2**63 - 1


def whole_number(request, name):
    """The parameter as a whole number written in digits 0-9 (isdigit() alone takes "²",
    which int() does not), or None when not given."""
    value = request.query_params.get(name, "").strip()
    if not value:
        return None
    if not (value.isascii() and value.isdigit()):
        raise ValidationError({name: [_("Give a whole number.")]})
    return number_of(value)


VALUE_FILTERS = [
    OpenApiParameter("indicator", int, description=_("Only this indicator's values (its id).")),
    OpenApiParameter("kpi", str, description=_("Only the values of this Kolada KPI id.")),
    OpenApiParameter("focus_area", str, description=_("Only this focus area's (its code).")),
    OpenApiParameter("year", int, description=_("Only this year's values.")),
    OpenApiParameter(
        "municipality", str, description=_("Only this municipality's (its code; 0000 Sweden).")
    ),
    OpenApiParameter(
        "gender", str, enum=["T", "K", "M"], description=_("T total, K women, M men.")
    ),
]


def filtered_values(request, values):
    indicator = whole_number(request, "indicator")
    year = whole_number(request, "year")
    if max(indicator or 0, year or 0) > LARGEST_NUMBER:
        return values.none()
    if indicator is not None:
        values = values.filter(indicator_id=indicator)
    if year is not None:
        values = values.filter(year=year)
    params = request.query_params
    for name, lookup in (
        ("kpi", "indicator__external_id"),
        ("focus_area", "indicator__focus_area__code"),
        ("municipality", "municipality__code"),
    ):
        if params.get(name, "").strip():
            values = values.filter(**{lookup: params[name].strip()})
    gender = params.get("gender", "").strip()
    if gender:
        if gender not in IndicatorValue.Gender.values:
            raise ValidationError({"gender": [_("T, K or M.")]})
        values = values.filter(gender=gender)
    return values


@extend_schema(
    summary=_("Indicator values"),
    description=_(
        "Every value of the active indicators of the programme in force: per indicator, "
        "municipality, year and gender. A value is a decimal number written out in full as "
        "a string, never rounded (null where the source has none); is_demo marks made-up "
        "demo values."
    ),
    parameters=[EDITION, *VALUE_FILTERS, FORMAT],
)
class ValueList(ValuesChanged, ListData, generics.ListAPIView):
    serializer_class = serializers.IndicatorValueSerializer
    queryset = IndicatorValue.objects.none()
    csv_name = "values"

    def get_queryset(self):
        return filtered_values(self.request, selectors.values_for_api(self.programme()))


@extend_schema(
    summary=_("One indicator's values"),
    description=_("The values of one active indicator, as in /values/."),
    parameters=[
        EDITION,
        INDICATOR_ID,
        *[p for p in VALUE_FILTERS if p.name != "indicator"],
        FORMAT,
    ],
)
class IndicatorValueList(ValuesChanged, ListData, generics.ListAPIView):
    serializer_class = serializers.IndicatorValueSerializer
    queryset = IndicatorValue.objects.none()
    csv_name = "values"

    def get_queryset(self):
        indicator = found(selectors.indicators_for_api(self.programme()), pk=self.kwargs["pk"])
        self.csv_name = f"values-{indicator.external_id or indicator.pk}"
        values = selectors.values_for_api(self.programme()).filter(indicator=indicator)
        return filtered_values(self.request, values)


# Published reports.


@extend_schema(
    summary=_("Published reports"),
    description=_(
        "The published follow-up reports to the city council, newest first, with links to "
        "their PDF, HTML and Word editions. is_demo marks reports of the demo data."
    ),
    parameters=[FORMAT],
)
class ReportList(ReportsChanged, ListData, generics.ListAPIView):
    serializer_class = serializers.ReportSerializer
    queryset = Report.objects.none()
    csv_name = "reports"

    def get_queryset(self):
        return selectors.published_reports()


@extend_schema(
    summary=_("One published report"),
    description=_("A published report by its id; any other version is not found."),
    parameters=[REPORT_ID],
)
class ReportDetail(ReportsChanged, OpenData, generics.RetrieveAPIView):
    serializer_class = serializers.ReportSerializer
    queryset = Report.objects.none()

    def get_queryset(self):
        return selectors.published_reports()


@extend_schema(
    summary=_("A published report's contributions"),
    description=_(
        "The approved contributions a published report was built from, as they were "
        "approved: what each organisation reported on each focus area. Texts are exactly "
        "as the organisations typed them (plain text; a blank line separates paragraphs); "
        "in CSV, actions, answers, comments and attachments are JSON."
    ),
    parameters=[REPORT_ID, FORMAT],
)
class OfPublishedReport(ReportsChanged, ListData):
    """A list read from one published report: any other version is not found."""

    def report(self) -> Report:
        if not hasattr(self, "_report"):
            self._report = found(selectors.published_reports(), pk=self.kwargs["pk"])
        return self._report


class ReportContributionList(OfPublishedReport, generics.ListAPIView):
    serializer_class = serializers.ContributionSerializer
    queryset = ContributionVersion.objects.none()
    csv_name = "contributions"

    def get_queryset(self):
        report = self.report()
        self.csv_name = f"contributions-report-{report.pk}"
        return selectors.report_contributions_for_api(report)

    def get_serializer_context(self):
        context = super().get_serializer_context()
        if "pk" in getattr(self, "kwargs", {}):
            if not hasattr(self, "_shapes"):
                report = self.report()
                self._shapes = {
                    "report": report,
                    "report_id": report.pk,
                    "is_demo": serializers.report_is_demo(report),
                    **selectors.report_shapes(report),
                }
            context.update(self._shapes)
        return context


@extend_schema(
    summary=_("A published report's focus areas"),
    description=_(
        "What a published report states of each focus area, in its order: how many "
        "were asked and approved, the strategists' overall assessment (bedömning) and "
        "their analysis, as the version was compiled with them; a synthesis edited or a "
        "contribution approved after that is not here until a report built with it is "
        "published."
    ),
    parameters=[REPORT_ID, FORMAT],
)
class ReportFocusAreaList(OfPublishedReport, generics.ListAPIView):
    STATED = ("asked", "approved")  # of each area in Report.response_counts["areas"]
    serializer_class = serializers.ReportFocusAreaSerializer
    queryset = Report.objects.none()
    csv_name = "focus-areas"

    def get_queryset(self):
        report = self.report()
        self.csv_name = f"focus-areas-report-{report.pk}"
        # With each focus area, how many the version says were asked and approved.
        counts = {area["code"]: area for area in (report.response_counts or {}).get("areas", [])}
        return [  # none kept: a version compiled without them
            {**stated, **{key: counts.get(stated["code"], {}).get(key) for key in self.STATED}}
            for stated in report.syntheses or []
        ]

    def get_serializer_context(self):
        context = super().get_serializer_context()
        if "pk" in getattr(self, "kwargs", {}):
            report = self.report()
            context["report"] = report
            if not hasattr(self, "_printed"):  # the public id of each cited contribution
                self._printed = selectors.printed_versions(report)
            context["printed"] = self._printed
        return context


@extend_schema(
    summary=_("Actions"),
    description=_(
        "What the committees and companies do for the programme: each action (insats) as "
        "the latest published report that told of it says, with its status. Only what "
        "published reports hold; ?focus_area= narrows to a focus area (its code)."
    ),
    parameters=[
        OpenApiParameter("focus_area", str, description=_("Only this focus area's (its code).")),
        FORMAT,
    ],
)
class ActionList(ReportsChanged, ListData, generics.ListAPIView):
    serializer_class = serializers.PublishedActionSerializer
    queryset = Report.objects.none()
    csv_name = "actions"

    def get_queryset(self):
        code = self.request.GET.get("focus_area", "")
        return latest_published_actions(code)


# The root, the description and the documentation.

LIST_ENDPOINTS = [
    ("programme", "api:programme"),
    ("focus_areas", "api:focus-area-list"),
    ("sdgs", "api:sdg-list"),
    ("organisations", "api:organisation-list"),
    ("governing_documents", "api:governing-document-list"),
    ("indicators", "api:indicator-list"),
    ("values", "api:value-list"),
    ("reports", "api:report-list"),
    ("actions", "api:action-list"),
]

PAGING_NOTE = _(
    "Lists come in pages of %(size)d items: ?page=2 for the next, ?page_size= up to "
    "%(most)d. count, next and previous are in the answer, next and previous also in the "
    "Link header."
)
CSV_NOTE = _(
    "Every list also comes as CSV: add ?format=csv, or use the address ending in .csv. The "
    "whole list in one file (in pages only when ?page= or ?page_size= is given), one row "
    "per item, UTF-8 with a byte-order mark, fields separated by commas and numbers with a "
    "decimal point, as programs read CSV; lists of numbers or codes are joined with “;”; "
    "a cell that a spreadsheet would run as a formula begins with an apostrophe. A "
    "spreadsheet set to Swedish (semicolons, decimal comma) reads it through its import "
    "(in Excel: Data › From Text/CSV, with comma as the separator); each indicator's page "
    "also has its values as an Excel file."
)
CACHING_NOTE = _(
    "Answers may be cached for %(minutes)d minutes (Cache-Control: public), except what "
    "is built from published reports (/reports/ and what is under it, /actions/, a global "
    "goal's /sdgs/<number>/): those are Cache-Control: public, no-cache, to be asked for "
    "again every time, so that a withdrawn publication is gone at once. Each answer has an "
    "ETag: send it back in If-None-Match and an unchanged answer is 304 Not Modified. "
    "Values and reports also have Last-Modified."
)


def notes() -> dict:
    return {
        "paging": PAGING_NOTE % {"size": PAGE_SIZE, "most": MAX_PAGE_SIZE},
        "csv": str(CSV_NOTE),
        "caching": CACHING_NOTE % {"minutes": PUBLIC_SECONDS // 60},
    }


@extend_schema(
    summary=_("The API's root"),
    description=_("What the API holds: its lists, its licence and its documentation."),
    responses=serializers.RootSerializer,
)
class Root(OpenData, APIView):
    def get(self, request):
        spectacular = settings.SPECTACULAR_SETTINGS
        return Response(
            {
                "title": str(spectacular["TITLE"]),
                "description": str(spectacular["DESCRIPTION"]),
                "version": spectacular["VERSION"],
                "licence": dict(settings.OPEN_DATA_LICENCE),
                "documentation": request.build_absolute_uri(reverse("api:docs")),
                "openapi": request.build_absolute_uri(reverse("api:openapi")),
                "endpoints": {
                    key: request.build_absolute_uri(reverse(name)) for key, name in LIST_ENDPOINTS
                },
                **notes(),
            }
        )


class OpenApi(OpenData, SpectacularJSONAPIView):
    """The OpenAPI 3 description of the API, as JSON."""

    renderer_classes = SpectacularJSONAPIView.renderer_classes


@require_safe
def docs(request):
    """The documentation, read from the OpenAPI description: a page without scripts.

    It shows the site's menu, which names a logged-in user: public for anonymous
    visitors only."""
    description = schema.schema()
    context = {
        "info": description.get("info", {}),
        "endpoints": schema.endpoints(description),
        "objects": schema.objects(description),
        "notes": notes(),
        "root_url": reverse("api:root"),
        "openapi_url": reverse("api:openapi"),
        "page_size": PAGE_SIZE,
        "max_page_size": MAX_PAGE_SIZE,
    }
    return cached(request, render(request, "api/docs.html", context), shared=False)
