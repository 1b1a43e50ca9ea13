"""The report's addresses, in the reporting namespace (included by reporting/urls.py)."""

from django.urls import path

from . import text_views, views

urlpatterns = [
    path("uppfoljningar/<int:pk>/syntes/", views.synthesis_list, name="synthesis-list"),
    path("uppfoljningar/<int:pk>/syntes/<str:code>/", views.synthesis_edit, name="synthesis-edit"),
    path("uppfoljningar/<int:pk>/rapport/", views.report_list, name="report-list"),
    path(
        "uppfoljningar/<int:pk>/rapport/texter/",
        text_views.report_text_list,
        name="report-text-list",
    ),
    path(
        "uppfoljningar/<int:pk>/rapport/texter/<slug:key>/",
        text_views.report_text_edit,
        name="report-text-edit",
    ),
    path(
        "uppfoljningar/<int:pk>/rapport/forhandsgranskning/",
        views.report_preview,
        name="report-preview",
    ),
    path(
        "uppfoljningar/<int:pk>/rapport/sammanstall/", views.report_compile, name="report-compile"
    ),
    path(
        "uppfoljningar/<int:pk>/rapport/<int:number>/publicera/",
        views.report_publish,
        name="report-publish",
    ),
    path(
        "uppfoljningar/<int:pk>/rapport/<int:number>/avpublicera/",
        views.report_unpublish,
        name="report-unpublish",
    ),
    path(
        "uppfoljningar/<int:pk>/rapport/<int:number>.pdf",
        views.report_download,
        name="report-download",
    ),
    path(
        "uppfoljningar/<int:pk>/rapport/<int:number>.<str:edition>",
        views.report_edition,
        name="report-edition",
    ),
    path("rapporter/", views.published_reports, name="published-reports"),
    path(
        "rapporter/<int:pk>/<int:number>/",
        views.published_report_page,
        name="published-report",
    ),
    path(
        "rapporter/<int:pk>/<int:number>/bidrag/<int:version_pk>/",
        views.published_contribution,
        name="published-contribution",
    ),
]
