from django.urls import include, path

from . import views

app_name = "programme"

# The programme's public pages: at the short addresses for the edition in force, and for
# every edition (that one included) under /program/<edition>/, where a link keeps its
# meaning when a new edition takes effect. Both share the names; reverse() picks by the
# arguments given (templates use the programme_url tag).
public_pages = [
    path("", views.overview, name="overview"),
    path("viljeinriktningar/<int:number>/", views.direction_detail, name="direction-detail"),
    path("fokusomraden/<str:code>/", views.focus_area_detail, name="focus-area-detail"),
    path("statistik/", views.statistics, name="statistics"),
    path("statistik/<str:code>/", views.statistics_focus_area, name="statistics-focus-area"),
    path(
        "statistik/indikatorer/<int:pk>/", views.statistics_indicator, name="statistics-indicator"
    ),
    path(
        "statistik/indikatorer/<int:pk>/varden.xlsx",
        views.statistics_indicator_workbook,
        name="statistics-indicator-workbook",
    ),
]

urlpatterns = [
    *public_pages,
    path("program/<slug:edition>/", include(public_pages)),
    path("organisationer/", views.organisation_list, name="organisation-list"),
    path("ansvar/", views.responsibilities, name="responsibilities"),
    path("styrdokument/", views.document_follow_ups, name="document-follow-ups"),
    path(
        "styrdokument/<int:pk>/uppfoljning/",
        views.document_follow_up_add,
        name="document-follow-up-add",
    ),
    path("ansvar/import/", views.responsibilities_import, name="responsibilities-import"),
    path(
        "ansvar/export.<str:file_format>",
        views.responsibilities_export,
        name="responsibilities-export",
    ),
]
