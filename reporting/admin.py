from django.contrib import admin
from django_tasks_db.models import DBTaskResult

from livskvalitet.core.admin import HistoryAdmin, LinksNotListed
from livskvalitet.core.forms import CountedFields
from programme.admin import OWN, InstallationChoices
from programme.models import of_installation

from .models import Initiative

# The task queue's own admin is English only and shows nothing an administrator acts on:
# a report's progress and any failure are on the report's page.
admin.site.unregister(DBTaskResult)


@admin.register(Initiative)
class InitiativeAdmin(LinksNotListed, InstallationChoices, CountedFields, HistoryAdmin):
    """The action register: set by approved contributions; an administrator may mend an
    entry (its dates, a governing document), and its history keeps who did."""

    list_display = ["title", "organisation", "status", "starts_on", "ends_on", "reported_in"]
    list_filter = ["status", ("organisation", OWN), ("focus_areas", OWN)]
    search_fields = ["title", "description", "organisation__name"]
    autocomplete_fields = ["organisation"]
    filter_horizontal = ["focus_areas", "sdgs", "documents"]
    readonly_fields = ["reported_in", "created_at", "updated_at"]

    def has_delete_permission(self, request, obj=None):
        """Never deleted: every entry is what an approved contribution reported, and the
        published reports and the public register tell of it (its page would be gone)."""
        return False

    def get_queryset(self, request):
        queryset = (
            super()
            .get_queryset(request)
            .select_related(
                "organisation",
                "reported_in__cycle",
                # The list names the contribution: organisation, focus area and cycle.
                "reported_in__organisation",
                "reported_in__focus_area",
            )
        )
        return of_installation(queryset, "organisation__municipality")
