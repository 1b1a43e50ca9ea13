from django.urls import include, path

from .views import contributions, cycles, export, reading, register, review, tasks

app_name = "reporting"
urlpatterns = [
    path("mina-uppgifter/", tasks.my_tasks, name="my-tasks"),
    path("bidrag/<int:pk>/", reading.contribution_detail, name="contribution-detail"),
    path("bidrag/<int:pk>/redigera/", contributions.contribution_edit, name="contribution-edit"),
    path(
        "bidrag/<int:pk>/indikatorer/<int:indicator>/",
        contributions.contribution_indicator,
        name="contribution-indicator",
    ),
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
    path("insatser/", register.initiative_list, name="initiative-list"),
    path("insatser/export.<str:file_format>", export.initiative_export, name="initiative-export"),
    path("insatser/<int:pk>/", register.initiative_detail, name="initiative-detail"),
    # Open to the public: what the published reports said of the insatser.
    path("rapporter/insatser/", register.published_actions_index, name="published-actions-index"),
    path(
        "rapporter/insatser/<str:code>/",
        register.published_actions_page,
        name="published-actions",
    ),
    path("rapporter/insats/<int:pk>/", register.published_action_page, name="published-action"),
    path("globala-mal/", register.sdg_list, name="sdg-list"),
    path("globala-mal/<int:number>/", register.sdg_detail, name="sdg-detail"),
    path("uppfoljningar/", cycles.cycle_list, name="cycle-list"),
    path("uppfoljningar/ny/", cycles.cycle_create, name="cycle-create"),
    path("uppfoljningar/<int:pk>/", cycles.cycle_detail, name="cycle-detail"),
    path("uppfoljningar/<int:pk>/matris/", review.cycle_matrix, name="cycle-matrix"),
    path(
        "uppfoljningar/<int:pk>/organisationer/<int:organisation_pk>/",
        cycles.cycle_organisation,
        name="cycle-organisation",
    ),
    path(
        "uppfoljningar/<int:pk>/organisationer/<int:organisation_pk>/paminn/",
        cycles.organisation_remind,
        name="organisation-remind",
    ),
    path("uppfoljningar/<int:pk>/oppna/", cycles.cycle_open, name="cycle-open"),
    path("uppfoljningar/<int:pk>/avsluta/", cycles.cycle_close, name="cycle-close"),
    path("uppfoljningar/<int:pk>/andra/", cycles.cycle_edit, name="cycle-edit"),
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
    path(
        "uppfoljningar/<int:pk>/fragor/<int:question_pk>/",
        cycles.question_edit,
        name="question-edit",
    ),
    path(
        "uppfoljningar/<int:pk>/fragor/<int:question_pk>/ta-bort/",
        cycles.question_remove,
        name="question-remove",
    ),
    # The report: syntheses, texts, compiling, publishing, the published reports.
    path("", include("reporting.report.urls")),
    path(
        "uppfoljningar/<int:pk>/export.<str:file_format>",
        export.cycle_export,
        name="cycle-export",
    ),
]
