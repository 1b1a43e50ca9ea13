from decimal import Decimal

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.actions import delete_selected
from django.contrib.admin.utils import model_ngettext
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.db.models import Q
from django.shortcuts import redirect
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.urls import path
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.text import get_text_list
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext, ngettext_lazy
from import_export.admin import ImportExportMixin
from import_export.formats.base_formats import XLSX
from import_export.results import RowResult

from livskvalitet.core.admin import (
    BooleansInWords,
    HistoryAdmin,
    LinksNotListed,
    UnchangedSinceLoaded,
)
from livskvalitet.core.forms import CountedFields

from . import resources
from .admin_forms import (
    CheckedImportForm,
    ColumnNamedExportForm,
    KeyedRowsFormSet,
    NextEditionForm,
)
from .admin_import import PREVIEWED_FILE_GONE, ProgrammeImportPage
from .editions import edition_create_next, edition_mapping
from .formats import SpreadsheetCSV
from .models import (
    Commitment,
    Direction,
    FocusArea,
    FocusAreaLink,
    GoalKpi,
    GoverningDocument,
    Indicator,
    IndicatorTarget,
    IndicatorValue,
    Membership,
    Municipality,
    MunicipalityGroup,
    Organisation,
    Programme,
    Responsibility,
    Sdg,
    exact_text,
    of_installation,
)
from .permissions import can_create_edition
from .services import organisation_retire
from .transfer import installation_municipality_code


def installation_rows(queryset):
    """The rows of the municipality this installation serves (the programme's structure,
    organisations, memberships), by the path the import and export use; rows every city
    shares (global goals, municipalities) all stay."""
    path = resources.MUNICIPALITY_PATHS.get(queryset.model)
    return queryset if path is None else of_installation(queryset, path.removesuffix("__code"))


def name_edition(field, request) -> None:
    """A choice of direction or focus area names its edition once there are several: two
    editions' "2.1 Minimera klimatpåverkan…" are otherwise the same line.

    Asked once a request: an admin page builds its forms several times over."""
    model = field.queryset.model
    if model not in (Direction, FocusArea):
        return
    editions = request.__dict__.setdefault("_editions_offered", {})
    if model not in editions:
        editions[model] = field.queryset.order_by().values("programme").distinct().count()
    if editions[model] < 2:
        return
    field.queryset = field.queryset.select_related("programme")
    field.label_from_instance = lambda obj: f"{obj} ({obj.programme.edition})"


class InstallationChoices:
    """A form's choices are the installation's municipality's rows only: another city's
    directions, focus areas or organisations are not offered, and not accepted if sent."""

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if field is not None:
            field.queryset = installation_rows(field.queryset)
            name_edition(field, request)
        return field

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        field = super().formfield_for_manytomany(db_field, request, **kwargs)
        if field is not None:
            field.queryset = installation_rows(field.queryset)
        return field


class ExactNumberInput(forms.NumberInput):
    """A decimal as typed ("425"), not as the database pads it ("425.000000000000000000")."""

    def format_value(self, value):
        return super().format_value(exact_text(value) if isinstance(value, Decimal) else value)


EXACT_DECIMALS = {models.DecimalField: {"widget": ExactNumberInput}}


def exact_number(value):
    """A decimal in a list, in the page's language and as typed: "425", "425,5"."""
    return None if value is None else number_format(Decimal(exact_text(value)))


def exact_value_column(model):
    """A list's column of the model's ``value``, as typed (exact_number)."""

    @admin.display(description=model._meta.get_field("value").verbose_name, ordering="value")
    def value_shown(modeladmin, obj):
        return exact_number(obj.value)

    return value_shown


# What an import did, one phrase a kind of row: singular or plural by "count", the model's
# name too (model_ngettext), as Django's admin says "%(count)d %(items)s".
IMPORT_COUNTS = {
    RowResult.IMPORT_TYPE_NEW: ngettext_lazy(
        "%(count)d %(items)s added", "%(count)d %(items)s added", "count"
    ),
    RowResult.IMPORT_TYPE_UPDATE: ngettext_lazy(
        "%(count)d %(items)s updated", "%(count)d %(items)s updated", "count"
    ),
    RowResult.IMPORT_TYPE_DELETE: ngettext_lazy(
        "%(count)d %(items)s deleted", "%(count)d %(items)s deleted", "count"
    ),
    RowResult.IMPORT_TYPE_SKIP: ngettext_lazy(
        "%(count)d %(items)s unchanged", "%(count)d %(items)s unchanged", "count"
    ),
}


# A list filter that offers only the rows the list holds: the installation's own.
OWN = admin.RelatedOnlyFieldListFilter


class StructureAdmin(
    LinksNotListed,
    BooleansInWords,
    UnchangedSinceLoaded,
    InstallationChoices,
    CountedFields,
    ImportExportMixin,
    HistoryAdmin,
):
    """Admin for the programme's structure: history, CSV and XLSX import and export; only
    the installation's municipality's rows show."""

    def get_queryset(self, request):
        return installation_rows(super().get_queryset(request))

    def has_import_permission(self, request):
        # An import both adds and changes rows.
        return self.has_add_permission(request) and self.has_change_permission(request)

    def get_resource_kwargs(self, request, *args, **kwargs):
        # The installation's own rows: an import never matches another city's.
        return {**kwargs, "municipality": installation_municipality_code()}

    def get_export_filename(self, request, queryset, file_format):
        resource_class = self.get_export_resource_classes(request)[0]
        date = timezone.localdate().isoformat()
        return f"{resource_class.sheet_name}-{date}.{file_format.get_extension()}"

    def import_action(self, request, *args, **kwargs):
        response = super().import_action(request, *args, **kwargs)
        # django-import-export lists the file's columns only for the resources it made:
        # none when the upload passed the form but its file was then refused (a file with
        # a header row alone), so the page said "exactly these columns:" and nothing.
        context = getattr(response, "context_data", None) or {}
        if "fields_list" in context and not any(cols for _name, cols in context["fields_list"]):
            resource_kwargs = self.get_import_resource_kwargs(request, form=context["form"])
            context["fields_list"] = [
                (
                    resource.get_display_name(),
                    [field.column_name for field in resource.get_user_visible_fields()],
                )
                for resource in (
                    resource_class(**resource_kwargs)
                    for resource_class in self.get_import_resource_classes(request)
                )
            ]
        return response

    def process_import(self, request, *args, **kwargs):
        """The confirmation of a previewed file: it may find the file gone (confirmed
        already, by a double click or Back and Confirm again, or a forged name: its form
        keeps a name's last part only, so the name stays within the import's folder).
        Nothing was read then; it says so, as the whole programme's page does, and sends
        back to the import form."""
        try:
            return super().process_import(request, *args, **kwargs)
        except FileNotFoundError:
            self.message_user(request, PREVIEWED_FILE_GONE, messages.ERROR)
            opts = self.opts
            return redirect(f"{self.admin_site.name}:{opts.app_label}_{opts.model_name}_import")

    def add_success_message(self, result, request):
        """What the import did, each count with the model's name in singular or plural
        (as Django's admin says "%(count)d %(items)s"): django-import-export's message has
        one plural adjective and noun for all four counts ("1 oförändrade fokusområden")."""
        said = [
            phrase % {"count": count, "items": model_ngettext(self.opts, count)}
            for kind, phrase in IMPORT_COUNTS.items()
            if (count := result.totals[kind])
        ]
        self.message_user(
            request,
            _("Import finished: %(changes)s.")
            % {"changes": get_text_list(said, _("and")) if said else _("nothing to import")},
            messages.SUCCESS,
        )

    def get_import_context_data(self, **kwargs):
        context = super().get_import_context_data(**kwargs)
        resource_class = self.resource_classes[0]
        context["column_names"] = {
            field.attribute: field.column_name for field in resource_class().fields.values()
        }
        return context

    formats = [SpreadsheetCSV, XLSX]
    import_form_class = CheckedImportForm
    export_form_class = ColumnNamedExportForm
    formfield_overrides = {
        models.URLField: {"assume_scheme": "https"},
        # Plain checkboxes: few choices, and Django's two-box widget fails axe-core.
        models.ManyToManyField: {"widget": forms.CheckboxSelectMultiple},
        **EXACT_DECIMALS,
    }


def choices_read_once(field) -> None:
    """A list's rows offer the same choices: read them once for the page, not once per
    row (each row's copy of the field would run its query again)."""
    field.choices = [(getattr(value, "value", value), label) for value, label in field.choices]


class LinesChooseOnce:
    """An inline's lines choose their related rows from plain lists read once for the page.
    A search box (autocomplete) would ask the database for its chosen name on every line."""

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if field is not None:
            choices_read_once(field)
        return field


class ResponsibilityInline(
    LinesChooseOnce, InstallationChoices, CountedFields, admin.TabularInline
):
    model = Responsibility
    formset = KeyedRowsFormSet
    extra = 0

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("organisation", "focus_area")


class IndicatorTargetInline(
    LinesChooseOnce, InstallationChoices, CountedFields, admin.TabularInline
):
    model = IndicatorTarget
    extra = 0
    fields = ["direction", "value", "year", "document", "basis", "is_demo"]
    formfield_overrides = EXACT_DECIMALS

    def get_queryset(self, request):  # each line is named after its indicator
        return super().get_queryset(request).select_related("indicator")


@admin.register(Programme)
class ProgrammeAdmin(ProgrammeImportPage, StructureAdmin):
    resource_classes = [resources.ProgrammeResource]
    list_display = ["name", "edition", "valid_from", "valid_until", "owner", "previous"]
    autocomplete_fields = ["owner"]
    readonly_fields = ["next_edition", "mapping"]
    search_fields = ["name", "edition"]

    def get_urls(self):
        return [
            path(
                "<int:pk>/nasta-utgava/",
                self.admin_site.admin_view(self.next_edition_view),
                name="programme_programme_next_edition",
            ),
            *super().get_urls(),
        ]

    @admin.display(description=_("next edition"))
    def next_edition(self, obj):
        if obj.pk is None:
            return "–"
        following = obj.next_editions.all()  # an edition has one next edition
        return render_to_string(
            "admin/programme/programme/_next_edition_field.html",
            {"following": following, "pk": obj.pk},
        )

    @admin.display(description=_("focus areas of the previous edition"))
    def mapping(self, obj):
        mappings = edition_mapping(obj) if obj.pk else []
        if not mappings:
            return _("No previous edition.")
        return render_to_string(
            "admin/programme/programme/_mapping_field.html", {"mappings": mappings}
        )

    def next_edition_view(self, request, pk):
        """A page, not an action at one click: what is copied, then the new edition's
        name and dates."""
        programme = self.get_object(request, str(pk))
        if programme is None or not can_create_edition(request.user):
            raise PermissionDenied
        existing = programme.next_editions.first()
        form = NextEditionForm(request.POST or None, initial={"name": programme.name})
        if existing is None and request.method == "POST" and form.is_valid():
            try:
                following = edition_create_next(
                    programme=programme, by=request.user, **form.cleaned_data
                )
            except ValidationError as error:
                # The model's fields the form lacks (slug, from the name) are said on the
                # form as a whole, never a crash.
                problems = (
                    error.error_dict if hasattr(error, "error_dict") else {None: error.error_list}
                )
                for name, errors in problems.items():
                    form.add_error(name if name in form.fields else None, errors)
            else:
                self.message_user(
                    request,
                    _("%(edition)s was created from %(previous)s. Edit its structure and "
                      "the mapping of its focus areas before it takes effect.")
                    % {"edition": following, "previous": programme},
                    messages.SUCCESS,
                )  # fmt: skip
                return redirect("admin:programme_programme_change", following.pk)
        context = {
            **self.admin_site.each_context(request),
            "title": _("Create the next edition of %(programme)s") % {"programme": programme},
            "programme": programme,
            "existing": existing,  # then there is nothing to create: it says so, no form
            "form": form,
            "opts": self.model._meta,
        }
        return TemplateResponse(request, "admin/programme/programme/next_edition.html", context)


class EditionLinkInline(InstallationChoices, CountedFields, admin.TabularInline):
    """A focus-area mapping on a focus area's page: the other side is chosen among the
    focus areas of the neighbouring edition only, each labelled with its edition (two
    editions have areas of the same code and title)."""

    model = FocusAreaLink
    extra = 0
    other_side = ""  # the field naming the other edition's focus area

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if db_field.name == self.other_side:
            area = FocusArea.objects.filter(
                pk=request.resolver_match.kwargs.get("object_id")
            ).first()
            areas = (
                FocusArea.objects.select_related("programme")
                .filter(programme__in=Programme.objects.of_installation())
                .order_by("programme__valid_from", "sort_key")
            )
            # On the add form the edition is not chosen yet: every area that can be on the
            # other side, labelled with its edition; the link's own check then says when
            # the editions do not follow each other.
            field.queryset = self.neighbours(areas, area.programme) if area else self.any(areas)
            field.label_from_instance = lambda other: (
                f"{other.code} {other.title} ({other.programme.edition})"
            )
        return field


class ContinuesAsInline(EditionLinkInline):
    """On a focus area of an earlier edition: what it continues as in the next."""

    fk_name = "previous"
    other_side = "successor"

    def neighbours(self, areas, programme):
        return areas.filter(programme__previous=programme)

    def any(self, areas):
        return areas.filter(programme__previous__isnull=False)

    verbose_name = _("continues as (next edition)")
    verbose_name_plural = _("continues as (next edition)")


class ContinuesFromInline(EditionLinkInline):
    """On a focus area of a later edition: which of the previous edition's it continues."""

    fk_name = "successor"
    other_side = "previous"

    def neighbours(self, areas, programme):
        return areas.filter(programme=programme.previous_id)

    def any(self, areas):
        return areas.filter(programme__next_editions__isnull=False).distinct()

    verbose_name = _("continues from (previous edition)")
    verbose_name_plural = _("continues from (previous edition)")


@admin.register(Direction)
class DirectionAdmin(StructureAdmin):
    resource_classes = [resources.DirectionResource]
    list_display = ["number", "code", "title", "programme"]
    list_display_links = ["number", "title"]
    list_filter = [("programme", OWN)]
    search_fields = ["title"]


@admin.register(FocusArea)
class FocusAreaAdmin(StructureAdmin):
    resource_classes = [resources.FocusAreaResource]
    list_display = ["code_label", "title", "direction", "sdg_numbers"]
    list_display_links = ["code_label", "title"]
    list_filter = [("programme", OWN), ("direction", OWN), "sdgs"]
    search_fields = ["code", "title", "description"]
    inlines = [ResponsibilityInline, ContinuesFromInline, ContinuesAsInline]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("direction").prefetch_related("sdgs")

    @admin.display(description=_("code"), ordering="sort_key")
    def code_label(self, obj):
        return obj.code  # sorted as people read codes: 2.2 before 2.10

    @admin.display(description=_("global goals"))
    def sdg_numbers(self, obj):
        numbers = [str(sdg.number) for sdg in obj.sdgs.all()]
        return ", ".join(numbers) or _("none yet")


@admin.register(Sdg)
class SdgAdmin(StructureAdmin):
    resource_classes = [resources.SdgResource]

    def has_delete_permission(self, request, obj=None):
        # The 17 goals are the UN's; deleting one would silently unlink focus areas.
        return False

    def delete_view(self, request, object_id, extra_context=None):
        """No goal is deleted by anyone: its delete page says why and goes back to the
        goal, rather than the 403 page's advice to ask an administrator."""
        if not self.has_view_or_change_permission(request):
            raise PermissionDenied
        if self.get_object(request, object_id) is None:
            return super().delete_view(request, object_id, extra_context)
        self.message_user(
            request,
            _("The global goals are the UN's 17 goals and fixed: they cannot be deleted."),
            messages.WARNING,
        )
        return redirect("admin:programme_sdg_change", object_id)

    list_display = ["number", "title_sv", "title_en", "colour"]
    list_display_links = ["number", "title_sv"]


def in_use(organisations):
    """Those of the organisations that users or responsibilities refer to: they are
    retired, not deleted."""
    referred = Q(memberships__isnull=False) | Q(responsibilities__isnull=False)
    return organisations.filter(referred).distinct()


def delete_unused_organisations(modeladmin, request, queryset):
    """Django's "delete selected", unless one of them is in use: then it says which, and
    that they are retired instead, rather than that the account may not delete them."""
    used = list(in_use(queryset).order_by("name"))
    if used:
        modeladmin.message_user(
            request,
            _(
                "In use (by users or responsibilities), so not deleted: %(names)s. Retire "
                "them instead: they keep their history."
            )
            % {"names": ", ".join(org.name for org in used)},
            messages.WARNING,
        )
        return None
    return delete_selected(modeladmin, request, queryset)


@admin.register(Organisation)
class OrganisationAdmin(StructureAdmin):
    resource_classes = [resources.OrganisationResource]
    list_display = ["name", "short_name", "kind", "served_by", "active", "municipality"]
    list_filter = ["kind", "active"]
    search_fields = ["name", "short_name"]
    autocomplete_fields = ["served_by", "part_of"]
    inlines = [ResponsibilityInline]
    actions = ["retire"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("served_by", "municipality")

    def get_actions(self, request):
        actions = super().get_actions(request)
        if "delete_selected" in actions:
            _function, name, description = actions["delete_selected"]
            actions["delete_selected"] = (delete_unused_organisations, name, description)
        return actions

    def has_delete_permission(self, request, obj=None):
        # Organisations are retired, not deleted, once anything refers to them.
        if obj is not None and in_use(Organisation.objects.filter(pk=obj.pk)).exists():
            return False
        return super().has_delete_permission(request, obj)

    def delete_view(self, request, object_id, extra_context=None):
        organisation = self.get_object(request, object_id)
        if organisation is not None and not self.has_delete_permission(request, organisation):
            self.message_user(
                request,
                _(
                    "%(name)s is in use (users or responsibilities) and cannot be deleted. "
                    "Retire it instead: it keeps its history."
                )
                % {"name": organisation},
                messages.WARNING,
            )
            return redirect("admin:programme_organisation_change", organisation.pk)
        return super().delete_view(request, object_id, extra_context)

    @admin.action(description=_("Retire the selected organisations"), permissions=["change"])
    def retire(self, request, queryset):
        count = 0
        for organisation in queryset.filter(active=True):
            organisation_retire(organisation=organisation, by=request.user)
            count += 1
        self.message_user(
            request,
            ngettext("%(count)d organisation retired.", "%(count)d organisations retired.", count)
            % {"count": count},
            messages.SUCCESS,
        )


@admin.register(Responsibility)
class ResponsibilityAdmin(StructureAdmin):
    resource_classes = [resources.ResponsibilityResource]
    list_display = ["focus_area", "organisation", "role"]
    list_filter = ["role", ("focus_area__programme", OWN), ("focus_area", OWN)]
    autocomplete_fields = ["organisation"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("focus_area", "organisation")


@admin.register(GoverningDocument)
class GoverningDocumentAdmin(StructureAdmin):
    resource_classes = [resources.GoverningDocumentResource]
    list_display = ["title", "programme"]
    list_filter = [("programme", OWN), ("directions", OWN)]
    search_fields = ["title"]


@admin.register(Commitment)
class CommitmentAdmin(StructureAdmin):
    resource_classes = [resources.CommitmentResource]
    list_display = ["title", "programme"]
    list_filter = [("programme", OWN)]
    search_fields = ["title"]


@admin.register(Membership)
class MembershipAdmin(
    BooleansInWords, UnchangedSinceLoaded, InstallationChoices, CountedFields, HistoryAdmin
):
    list_display = ["user", "organisation", "role", "from_sign_in", "is_demo"]
    list_filter = ["role", ("organisation", OWN), "from_sign_in", "is_demo"]
    search_fields = ["user__username", "user__first_name", "user__last_name", "organisation__name"]
    autocomplete_fields = ["user", "organisation"]

    def get_queryset(self, request):
        return installation_rows(
            super().get_queryset(request).select_related("user", "organisation")
        )


@admin.register(Municipality)
class MunicipalityAdmin(StructureAdmin):
    resource_classes = [resources.MunicipalityResource]
    list_display = ["code", "name", "comparison_group"]
    search_fields = ["code", "name"]
    autocomplete_fields = ["comparison_group"]


@admin.register(GoalKpi)
class GoalKpiAdmin(UnchangedSinceLoaded, CountedFields, HistoryAdmin):
    """Agenda 2030 key figures (import_kolada --goal-kpis), under their global goals."""

    list_display = ["title", "kpi", "sdg", "better"]
    list_filter = ["sdg", "better"]
    search_fields = ["title", "kpi"]


@admin.register(MunicipalityGroup)
class MunicipalityGroupAdmin(BooleansInWords, UnchangedSinceLoaded, CountedFields, HistoryAdmin):
    """Kolada's municipality groups (import_kolada --groups); a municipality chooses one."""

    list_display = ["title", "code", "is_demo"]
    search_fields = ["title", "code"]


@admin.register(Indicator)
class IndicatorAdmin(StructureAdmin):
    resource_classes = [resources.IndicatorResource]
    inlines = [IndicatorTargetInline]
    list_display = ["title", "focus_area", "external_id", "better", "confirmed", "active"]
    list_filter = [
        ("focus_area__programme", OWN),
        "confirmed",
        "active",
        "better",
        ("focus_area", OWN),
    ]
    search_fields = ["title", "external_id"]
    autocomplete_fields = ["carried_from"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("focus_area")


@admin.register(IndicatorTarget)
class IndicatorTargetAdmin(StructureAdmin):
    resource_classes = [resources.IndicatorTargetResource]
    list_display = ["indicator", "direction", "value_shown", "year", "document", "is_demo"]
    list_filter = [("indicator__focus_area__programme", OWN), "is_demo", "year"]
    search_fields = ["indicator__title", "basis", "document__title"]
    autocomplete_fields = ["indicator", "document"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("indicator", "document")

    value_shown = exact_value_column(IndicatorTarget)


@admin.register(IndicatorValue)
class IndicatorValueAdmin(StructureAdmin):
    resource_classes = [resources.IndicatorValueResource]
    list_display = [
        "indicator",
        "municipality",
        "year",
        "gender",
        "value_shown",
        "status",
        "is_demo",
    ]
    list_filter = ["is_demo", "gender", ("municipality", OWN), "year"]
    search_fields = ["indicator__title", "indicator__external_id"]
    autocomplete_fields = ["indicator"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("indicator", "municipality")

    value_shown = exact_value_column(IndicatorValue)
