from django.urls import path

from .views import contributions, cycles, export, reading, report_texts, reports, review, tasks

app_name = "reporting"
urlpatterns = [
    path("mina-uppgifter/", tasks.my_tasks, name="my-tasks"),
    path("bidrag/<int:pk>/", reading.contribution_detail, name="contribution-detail"),
    path("bidrag/<int:pk>/redigera/", contributions.contribution_edit, name="contribution-edit"),
    path(
        "bidrag/<int:pk>/skicka-in/", contributions.contribution_submit, name="contribution-submit"
    ),
    path("bidrag/<int:pk>/klar/", contributions.contribution_ready, name="contribution-ready"),
    path(
        "bidrag/<int:pk>/skicka-tillbaka/",
        contributions.contribution_send_back,
        name="contribution-send-back",
    ),
    path("bidrag/<int:pk>/meddelanden/", reading.thread_post, name="thread-post"),
    path("bidrag/<int:pk>/historik/", reading.contribution_history, name="contribution-history"),
    path(
        "bidrag/<int:pk>/versioner/<int:number>/",
        reading.contribution_version,
        name="contribution-version",
    ),
    path(
        "bidrag/<int:pk>/bilagor/<int:attachment_pk>/",
        reading.attachment_download,
        name="attachment-download",
    ),
    path("bidrag/<int:pk>/granska/", review.contribution_review, name="contribution-review"),
    path("granskning/", review.review_queue, name="review-queue"),
    path("uppfoljningar/", cycles.cycle_list, name="cycle-list"),
    path("uppfoljningar/ny/", cycles.cycle_create, name="cycle-create"),
    path("uppfoljningar/<int:pk>/", cycles.cycle_detail, name="cycle-detail"),
    path("uppfoljningar/<int:pk>/matris/", review.cycle_matrix, name="cycle-matrix"),
    path(
        "uppfoljningar/<int:pk>/organisationer/<int:organisation_pk>/",
        cycles.cycle_organisation,
        name="cycle-organisation",
    ),
    path("uppfoljningar/<int:pk>/oppna/", cycles.cycle_open, name="cycle-open"),
    path(
        "uppfoljningar/<int:pk>/granskning/", cycles.cycle_start_review, name="cycle-start-review"
    ),
    path("uppfoljningar/<int:pk>/oppna-igen/", cycles.cycle_reopen, name="cycle-reopen"),
    path(
        "uppfoljningar/<int:pk>/status/<str:action>/",
        cycles.cycle_transition,
        name="cycle-transition",
    ),
    path("uppfoljningar/<int:pk>/sista-dag/", cycles.cycle_due_date, name="cycle-due-date"),
    path("uppfoljningar/<int:pk>/forfragningar/", cycles.request_add, name="request-add"),
    path(
        "uppfoljningar/<int:pk>/forfragningar/<int:contribution_pk>/aterkalla/",
        cycles.request_withdraw,
        name="request-withdraw",
    ),
    path("uppfoljningar/<int:pk>/fragor/", cycles.question_add, name="question-add"),
    path("uppfoljningar/<int:pk>/syntes/", reports.synthesis_list, name="synthesis-list"),
    path(
        "uppfoljningar/<int:pk>/syntes/<str:code>/", reports.synthesis_edit, name="synthesis-edit"
    ),
    path("uppfoljningar/<int:pk>/rapport/", reports.report_list, name="report-list"),
    path(
        "uppfoljningar/<int:pk>/rapport/texter/",
        report_texts.report_text_list,
        name="report-text-list",
    ),
    path(
        "uppfoljningar/<int:pk>/rapport/texter/<slug:key>/",
        report_texts.report_text_edit,
        name="report-text-edit",
    ),
    path(
        "uppfoljningar/<int:pk>/rapport/forhandsgranskning/",
        reports.report_preview,
        name="report-preview",
    ),
    path(
        "uppfoljningar/<int:pk>/rapport/sammanstall/", reports.report_compile, name="report-compile"
    ),
    path(
        "uppfoljningar/<int:pk>/rapport/<int:number>/publicera/",
        reports.report_publish,
        name="report-publish",
    ),
    path(
        "uppfoljningar/<int:pk>/rapport/<int:number>/avpublicera/",
        reports.report_unpublish,
        name="report-unpublish",
    ),
    path(
        "uppfoljningar/<int:pk>/rapport/<int:number>.pdf",
        reports.report_download,
        name="report-download",
    ),
    path(
        "uppfoljningar/<int:pk>/rapport/<int:number>.<str:edition>",
        reports.report_edition,
        name="report-edition",
    ),
    path("rapporter/", reports.published_reports, name="published-reports"),
    path(
        "rapporter/<int:pk>/<int:number>/",
        reports.published_report_page,
        name="published-report",
    ),
    path(
        "rapporter/<int:pk>/<int:number>/bidrag/<int:version_pk>/",
        reports.published_contribution,
        name="published-contribution",
    ),
    path(
        "uppfoljningar/<int:pk>/export.<str:file_format>",
        export.cycle_export,
        name="cycle-export",
    ),
]
