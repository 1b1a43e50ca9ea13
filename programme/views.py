import functools

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from livskvalitet.core.forms import show_again
from livskvalitet.core.http import public

from . import selectors, services
from .forms import DocumentFollowUpForm, ResponsibilityGridForm, ResponsibilityImportForm
from .indicators import programme_indicator_views, with_and_without_values
from .models import Organisation, Responsibility
from .permissions import (
    can_see_gaps,
    require_document_follow_up_editor,
    require_responsibility_editor,
)
from .resources import ImportFileError, ResponsibilityResource
from .templatetags.programme_tags import programme_url
from .transfer import ImportRejected, import_dataset, read_dataset
from .workbook import indicator_workbook

# The programme, its directions, focus areas and statistics are public: anybody may read
# them without logging in. Logged-in users see the same pages with their own panels.


@require_safe
def overview(request, edition=None):
    if edition is None:
        programme = selectors.current_programme()
    else:
        programme = selectors.programme_for_page(edition, request.user)
    context = {"programme": programme, "directions": [], "gaps": None}
    if programme is not None:
        context["editions"] = selectors.editions(request.user)
        context["directions"] = selectors.directions_with_focus_areas(programme)
        if can_see_gaps(request.user):
            context["gaps"] = selectors.programme_gaps(programme)
    return public(render(request, "programme/overview.html", context), request)


def or_earlier_edition(name: str, key: str):
    """A page at a short address (no edition in it) that the edition in force lacks but an
    earlier one has (a focus area merged away, an indicator not carried over) is that
    edition's page, which says what became of it; anything else stays not found. ``key``
    names the address's part that identifies the row: ``code`` or ``pk``."""

    def decorate(view):
        @functools.wraps(view)
        def wrapped(request, *args, edition=None, **kwargs):
            try:
                return view(request, *args, edition=edition, **kwargs)
            except Http404:
                if edition is not None:
                    raise
                value = kwargs[key]
                by = {"code": value} if key == "code" else {"indicator": value}
                holding = selectors.edition_holding(request.user, **by)
                if holding is None:
                    raise
                return redirect(programme_url(name, holding, value))

        return wrapped

    return decorate


@require_safe
def direction_detail(request, number, edition=None):
    programme = selectors.programme_for_page(edition, request.user)
    direction = selectors.direction_for_page(programme, number)
    return public(
        render(
            request,
            "programme/direction_detail.html",
            {"programme": programme, "direction": direction},
        ),
        request,
    )


@require_safe
@or_earlier_edition("programme:focus-area-detail", "code")
def focus_area_detail(request, code, edition=None):
    programme = selectors.programme_for_page(edition, request.user)
    focus_area = selectors.focus_area_for_page(programme, code)
    context = {
        "programme": programme,
        "focus_area": focus_area,
        "direction": focus_area.direction,
        "indicators": programme_indicator_views([focus_area], programme)[focus_area.pk],
        "links": selectors.edition_links(focus_area, request.user),
    }
    return public(render(request, "programme/focus_area_detail.html", context), request)


@require_safe
def statistics(request, edition=None):
    """The programme's indicators for residents: every focus area's, with the latest value
    and the trend."""
    programme = selectors.programme_for_page(edition, request.user)
    directions = list(selectors.directions_with_focus_areas(programme))
    areas = [area for direction in directions for area in direction.focus_areas.all()]
    views = programme_indicator_views(areas, programme)
    sections = [
        (
            direction,
            [
                (area, *with_and_without_values(views[area.pk]))
                for area in direction.focus_areas.all()
            ],
        )
        for direction in directions
    ]
    # A programme without any indicator says so once, instead of once per focus area.
    context = {"programme": programme, "sections": sections, "measures": any(views.values())}
    return public(render(request, "programme/statistics.html", context), request)


@require_safe
@or_earlier_edition("programme:statistics-focus-area", "code")
def statistics_focus_area(request, code, edition=None):
    programme = selectors.programme_for_page(edition, request.user)
    focus_area = selectors.focus_area_for_page(programme, code)
    context = {
        "programme": programme,
        "focus_area": focus_area,
        "indicators": programme_indicator_views([focus_area], programme)[focus_area.pk],
    }
    return public(render(request, "programme/statistics_focus_area.html", context), request)


def _indicator_view(request, pk, edition):
    """The edition shown, and the one indicator's IndicatorView (404 where it has none)."""
    programme = selectors.programme_for_page(edition, request.user)
    indicator = selectors.indicator_for_page(programme, pk)
    views = programme_indicator_views([indicator.focus_area], programme, only=indicator.pk)
    (view,) = views[indicator.focus_area_id]
    return programme, view


@require_safe
@or_earlier_edition("programme:statistics-indicator", "pk")
def statistics_indicator(request, pk, edition=None):
    programme, view = _indicator_view(request, pk, edition)
    context = {"programme": programme, "focus_area": view.indicator.focus_area, "view": view}
    return public(render(request, "programme/statistics_indicator.html", context), request)


@require_safe
def statistics_indicator_workbook(request, pk, edition=None):
    """The indicator page's values as a spreadsheet for residents (programme/workbook.py)."""
    programme, view = _indicator_view(request, pk, edition)
    indicator = view.indicator
    page = programme_url("programme:statistics-indicator", programme, indicator.pk)
    response = HttpResponse(
        indicator_workbook(view, url=request.build_absolute_uri(page)),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    name = slugify(f"{indicator.external_id or indicator.pk} {indicator.title}")[:60]
    response["Content-Disposition"] = f'attachment; filename="{name}.xlsx"'
    return public(response, request)


@require_safe
@login_required
def organisation_list(request):
    programme = selectors.current_programme()
    organisations = selectors.organisations_with_responsibilities(programme)
    groups = [
        (Organisation.KIND_PLURALS[kind], [org for org in organisations if org.kind == kind])
        for kind in Organisation.Kind
    ]
    companies = [
        org for org in organisations if org.kind == Organisation.Kind.COMPANY and org.active
    ]
    context = {
        "programme": programme,
        "groups": [group for group in groups if group[1]],
        "company_count": len(companies),
    }
    return render(request, "programme/organisation_list.html", context)


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def responsibilities(request):
    """Who answers for what: organisations × focus areas, lead, contributing or none."""
    require_responsibility_editor(request.user)
    programme = selectors.current_programme_or_404()
    grid = selectors.responsibility_grid(programme)
    form = ResponsibilityGridForm(request.POST or None, grid=grid)
    if request.method == "POST" and form.is_valid():
        changes, seen = form.changes()
        try:
            count = services.responsibilities_set(
                programme=programme, changes=changes, seen=seen, by=request.user
            )
        except services.ResponsibilityConflict as conflict:
            names = grid.cell_names(conflict.cells)
            messages.error(
                request,
                _(
                    "Nothing was saved: someone changed these cells while you were editing: "
                    "%(cells)s. Their choices are shown now; make yours again and save."
                )
                % {"cells": "; ".join(names)},
            )
            return redirect("programme:responsibilities")
        except ValueError:  # an organisation or focus area left the grid meanwhile
            messages.error(
                request,
                _(
                    "Nothing was saved: the grid changed while you were editing (organisations "
                    "or %(focus_areas)s were added or removed). It is shown as it is now; make "
                    "your choices again and save."
                )
                % {"focus_areas": programme.levels.focus_areas},
            )
            return redirect("programme:responsibilities")
        messages.success(
            request,
            ngettext("%(count)d change saved.", "%(count)d changes saved.", count)
            % {"count": count},
        )
        return redirect("programme:responsibilities")
    # Shown again, the form carries what the page shows now, not what was sent.
    show_again(form, "shown", form.fields["shown"].initial)
    return render(
        request,
        "programme/responsibilities.html",
        {
            "programme": programme,
            "grid": grid,
            "form": form,
            "import_form": ResponsibilityImportForm(),
        },
    )


@require_safe
@login_required
def responsibilities_export(request, file_format):
    require_responsibility_editor(request.user)
    programme = selectors.current_programme_or_404()
    if file_format not in ("csv", "xlsx"):
        raise Http404
    queryset = Responsibility.objects.filter(focus_area__programme=programme)
    dataset = ResponsibilityResource().export(queryset)
    data = dataset.export(file_format)
    if isinstance(data, str):
        data = ("\ufeff" + data).encode("utf-8")
    content_type = {
        "csv": "text/csv; charset=utf-8",
        "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    }[file_format]
    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="ansvar.{file_format}"'
    return response


@require_POST
@login_required
def responsibilities_import(request):
    """The same file checks and all-or-nothing import as the admin's."""
    require_responsibility_editor(request.user)
    form = ResponsibilityImportForm(request.POST, request.FILES)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect("programme:responsibilities")
    upload = form.cleaned_data["file"]
    file_format = "xlsx" if upload.name.lower().endswith(".xlsx") else "csv"
    try:
        dataset = read_dataset(upload.read(), file_format)
        result = import_dataset(ResponsibilityResource, dataset, user=request.user)
    except ImportFileError as error:
        messages.error(request, str(error))
    except ImportRejected as rejected:
        said = _("Nothing was imported from %(file)s:") % {"file": upload.name}
        messages.error(request, said + " " + " ".join(rejected.messages))
    else:
        totals = result.totals
        messages.success(
            request,
            _("Imported – new: %(new)d, changed: %(updated)d, unchanged: %(unchanged)d.")
            % {"new": totals["new"], "updated": totals["update"], "unchanged": totals["skip"]},
        )
    return redirect("programme:responsibilities")


@require_safe
@login_required
def document_follow_ups(request):
    """The programme's governing documents and the latest follow-up of each."""
    require_document_follow_up_editor(request.user)
    programme = selectors.current_programme_or_404()
    return render(
        request,
        "programme/document_follow_ups.html",
        {"programme": programme, "documents": selectors.documents_with_latest_follow_up(programme)},
    )


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def document_follow_up_add(request, pk):
    require_document_follow_up_editor(request.user)
    programme = selectors.current_programme_or_404()
    document = get_object_or_404(programme.governing_documents, pk=pk)
    form = DocumentFollowUpForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.document_follow_up_add(document=document, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The follow-up is saved."))
            return redirect("programme:document-follow-ups")
    earlier = document.follow_ups.select_related("entered_by")
    return render(
        request,
        "programme/document_follow_up_form.html",
        {"document": document, "form": form, "earlier": earlier},
    )
