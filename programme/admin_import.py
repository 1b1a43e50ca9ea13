"""The admin's page "Import the programme": the whole programme from one uploaded workbook,
as `manage.py import_programme` does from a file on the server. The first step always
previews (a dry run); the second imports the same file, kept between the two in the
storage under a random name that only the uploader's session knows."""

import hashlib
import secrets

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.http import HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path
from django.utils import timezone
from django.utils.crypto import constant_time_compare
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from livskvalitet.core.storage import remove_left_behind

from .admin_forms import ProgrammeWorkbookForm
from .errors import ImportRejected
from .models import Municipality
from .permissions import can_export_programme, can_import_programme
from .resources import ImportFileError
from .transfer import PROGRAMME_MODELS, TOTAL_LABELS, export_programme, programme_import_upload

# Said where a confirmation finds its previewed file gone (this page's, and a table's).
PREVIEWED_FILE_GONE = gettext_lazy(
    "The previewed file is no longer kept: it was imported or cancelled, or "
    "another file was previewed since. Upload it again."
)

PENDING = "programme_import"  # the session's note of the previewed file
FOLDER = "programme-imports"  # passing through (livskvalitet.core.storage.PASSING_THROUGH)


def _digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def keep_upload(request, data: bytes) -> str:
    """Keep a previewed workbook for its confirmation; returns the token that confirms it.
    One a session: a new preview replaces the one before."""
    discard_upload(request)
    remove_left_behind(FOLDER)  # a preview never confirmed nor cancelled
    token = secrets.token_hex(16)
    name = default_storage.save(f"{FOLDER}/{token}.xlsx", ContentFile(data))
    request.session[PENDING] = {"token": token, "name": name, "sha256": _digest(data)}
    return token


def kept_upload(request, token: str) -> bytes | None:
    """The workbook this session previewed under the token, byte for byte, or None."""
    pending = request.session.get(PENDING)
    if not pending or not constant_time_compare(pending["token"], token or ""):
        return None
    try:
        with default_storage.open(pending["name"], "rb") as stored:
            data = stored.read()
    except OSError:
        return None
    return data if constant_time_compare(_digest(data), pending["sha256"]) else None


def discard_upload(request) -> None:
    pending = request.session.pop(PENDING, None)
    if pending:
        default_storage.delete(pending["name"])


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class ProgrammeImportPage:
    """A ModelAdmin's part for Programme: the page, and its button on the list; and the
    whole programme's export beside it, the workbook that page imports."""

    import_export_change_list_template = "admin/programme/programme/change_list.html"

    def get_urls(self):
        return [
            path(
                "importera-programmet/",
                self.admin_site.admin_view(self.import_programme_view),
                name="programme_programme_import_programme",
            ),
            path(
                "exportera-programmet/",
                self.admin_site.admin_view(self.export_programme_view),
                name="programme_programme_export_programme",
            ),
            *super().get_urls(),
        ]

    def has_import_permission(self, request):
        # The programme's row comes with the whole workbook, on the page above: one way in,
        # not a second button beside it for the row alone.
        return False

    def changelist_view(self, request, extra_context=None):
        may = {
            "may_import_programme": can_import_programme(request.user, PROGRAMME_MODELS),
            "may_export_programme": can_export_programme(request.user, PROGRAMME_MODELS),
        }
        return super().changelist_view(request, {**(extra_context or {}), **may})

    def export_programme_view(self, request):
        """The whole programme as one workbook, as `manage.py export_programme` writes it:
        what the import page reads back."""
        if request.method not in ("GET", "HEAD"):
            return HttpResponse(status=405, headers={"Allow": "GET, HEAD"})
        if not can_export_programme(request.user, PROGRAMME_MODELS):
            raise PermissionDenied
        response = HttpResponse(export_programme("xlsx")["programme.xlsx"], content_type=XLSX)
        name = f"programmet-{timezone.localdate().isoformat()}.xlsx"
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response

    def import_programme_view(self, request):
        if not can_import_programme(request.user, PROGRAMME_MODELS):
            raise PermissionDenied
        if request.method != "POST":
            return self.import_programme_page(request, ProgrammeWorkbookForm())
        if "cancel" in request.POST:
            discard_upload(request)
            return redirect("admin:programme_programme_changelist")
        if "confirm" in request.POST:
            return self.import_programme_confirm(request)
        return self.import_programme_preview(request)

    def import_programme_preview(self, request):
        """Step one: the dry run of the uploaded workbook, kept for step two if it passes."""
        form = ProgrammeWorkbookForm(request.POST, request.FILES)
        if not form.is_valid():
            return self.import_programme_page(request, form)
        data = form.cleaned_data["workbook"]
        try:
            summary = programme_import_upload(data=data, by=request.user, dry_run=True)
        except ImportFileError as error:
            form.add_error("workbook", str(error))
            return self.import_programme_page(request, form)
        except ImportRejected as rejected:
            return self.import_programme_page(request, form, problems=rejected.messages)
        token = keep_upload(request, data)
        return self.import_programme_page(request, form, summary=summary, token=token)

    def import_programme_confirm(self, request):
        """Step two: the same file, imported, all or nothing (rows changed since the
        preview are the import's to refuse)."""
        data = kept_upload(request, request.POST.get("token", ""))
        if data is None:
            problem = str(PREVIEWED_FILE_GONE)
            return self.import_programme_page(request, ProgrammeWorkbookForm(), [problem])
        discard_upload(request)
        try:
            summary = programme_import_upload(data=data, by=request.user)
        except (ImportFileError, ImportRejected) as error:
            problems = getattr(error, "messages", None) or [str(error)]
            return self.import_programme_page(request, ProgrammeWorkbookForm(), problems)
        self.message_user(request, imported_message(summary), messages.SUCCESS)
        return redirect("admin:programme_programme_changelist")

    def import_programme_page(self, request, form, problems=(), summary=None, token=""):
        context = {
            **self.admin_site.each_context(request),
            "title": _("Import the programme"),
            "opts": self.model._meta,
            "form": form,
            "problems": problems,
            "summary": summary,
            "municipality": municipality_shown(summary.municipality) if summary else "",
            "labels": list(TOTAL_LABELS.values()),
            "token": token,
            "may_export_programme": can_export_programme(request.user, PROGRAMME_MODELS),
        }
        return TemplateResponse(request, "admin/programme/programme/import_programme.html", context)


def municipality_shown(code: str) -> str:
    """A municipality's code and name ("9999 Exempelstad"), or the code alone where the
    installation does not know it yet (the file's own, in a dry run)."""
    name = Municipality.objects.filter(code=code).values_list("name", flat=True).first()
    return f"{code} {name}" if name else code


def imported_message(summary) -> str:
    """What the import did, as the command says it."""
    return _("The programme of municipality %(municipality)s was imported: %(tables)s.") % {
        "municipality": municipality_shown(summary.municipality),
        "tables": "; ".join(summary.lines()),
    }
