"""/api/v1/: every list also at an address ending in .csv (the same view, as CSV)."""

from django.urls import path

from . import views

app_name = "api"


def listed(route: str, view, name: str):
    """The list, and the same list as CSV at route.csv (without the trailing slash)."""
    return [
        path(route, view.as_view(), name=name),
        path(route.rstrip("/") + ".csv", view.as_view(), {"format": "csv"}, name=f"{name}-csv"),
    ]


urlpatterns = [
    path("", views.Root.as_view(), name="root"),
    path("openapi.json", views.OpenApi.as_view(), name="openapi"),
    path("docs/", views.docs, name="docs"),
    path("programme/", views.ProgrammeView.as_view(), name="programme"),
    *listed("focus-areas/", views.FocusAreaList, "focus-area-list"),
    path("focus-areas/<str:code>/", views.FocusAreaDetail.as_view(), name="focus-area-detail"),
    *listed("sdgs/", views.SdgList, "sdg-list"),
    path("sdgs/<int:number>/", views.SdgDetail.as_view(), name="sdg-detail"),
    *listed("organisations/", views.OrganisationList, "organisation-list"),
    *listed("governing-documents/", views.GoverningDocumentList, "governing-document-list"),
    *listed("indicators/", views.IndicatorList, "indicator-list"),
    path("indicators/<int:pk>/", views.IndicatorDetail.as_view(), name="indicator-detail"),
    *listed("indicators/<int:pk>/values/", views.IndicatorValueList, "indicator-values"),
    *listed("values/", views.ValueList, "value-list"),
    *listed("reports/", views.ReportList, "report-list"),
    path("reports/<int:pk>/", views.ReportDetail.as_view(), name="report-detail"),
    *listed(
        "reports/<int:pk>/contributions/", views.ReportContributionList, "report-contributions"
    ),
    *listed("reports/<int:pk>/focus-areas/", views.ReportFocusAreaList, "report-focus-areas"),
    *listed("actions/", views.ActionList, "action-list"),
]
