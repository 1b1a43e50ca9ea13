from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.utils.text import slugify
from django.views.decorators.http import require_safe

from .. import selectors
from ..forms import InitiativeFilter
from ..permissions import cycle_for_strategist, require_strategist
from ..resources import export_cycle, export_initiatives

CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


@require_safe
@login_required
def cycle_export(request, pk, file_format):
    cycle = cycle_for_strategist(request.user, pk)
    if file_format not in CONTENT_TYPES:
        raise Http404
    return _file(
        export_cycle(cycle, file_format), slugify(cycle.title) or "uppfoljning", file_format
    )


@require_safe
@login_required
def initiative_export(request, file_format):
    """The action register as its page shows it, narrowed by the same filters."""
    require_strategist(request.user)
    if file_format not in CONTENT_TYPES:
        raise Http404
    form = InitiativeFilter(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    initiatives = selectors.with_codes(selectors.registered_initiatives(**filters))
    return _file(export_initiatives(initiatives, file_format), "insatser", file_format)


def _file(data, name: str, file_format: str) -> HttpResponse:
    if isinstance(data, str):
        data = data.encode("utf-8-sig")
    response = HttpResponse(data, content_type=CONTENT_TYPES[file_format])
    response["Content-Disposition"] = f'attachment; filename="{name}.{file_format}"'
    return response
