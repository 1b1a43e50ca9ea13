from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.utils.text import slugify
from django.views.decorators.http import require_safe

from ..permissions import cycle_for_strategist
from ..resources import export_cycle

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
    data = export_cycle(cycle, file_format)
    if isinstance(data, str):
        data = data.encode("utf-8-sig")
    response = HttpResponse(data, content_type=CONTENT_TYPES[file_format])
    name = slugify(cycle.title) or "uppfoljning"
    response["Content-Disposition"] = f'attachment; filename="{name}.{file_format}"'
    return response
