from django.urls import path

from . import views

app_name = "programme"
urlpatterns = [
    path("", views.overview, name="overview"),
    path("viljeinriktningar/<int:number>/", views.direction_detail, name="direction-detail"),
    path("fokusomraden/<str:code>/", views.focus_area_detail, name="focus-area-detail"),
    path("organisationer/", views.organisation_list, name="organisation-list"),
    path("ansvar/", views.responsibilities, name="responsibilities"),
    path("ansvar/import/", views.responsibilities_import, name="responsibilities-import"),
    path(
        "ansvar/export.<str:file_format>",
        views.responsibilities_export,
        name="responsibilities-export",
    ),
]
