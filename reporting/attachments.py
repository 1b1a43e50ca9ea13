"""Files attached to contributions: what is accepted, checked by content, stored once.

A file is accepted when both its name and its first bytes say it is one of the kinds
below; a renamed program or a web page called "rapport.pdf" is refused. Files go through
Django's storage API under a name of our own, and are never changed or deleted.
"""

import hashlib
import io
import zipfile
from pathlib import PurePath

from django.conf import settings
from django.core.files.base import ContentFile
from django.utils.translation import gettext as _

from livskvalitet.core.text import size_and_limit

from .models import Attachment
from .workflow import WorkflowError


class AttachmentRefused(WorkflowError):
    """An upload that cannot be attached; the message names the file and why."""


def _zip_with(data: bytes, member: str) -> bool:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return member in archive.namelist()
    except (zipfile.BadZipFile, ValueError):
        return False


def _odf_text(data: bytes) -> bool:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            first = archive.infolist()[0]
            return first.filename == "mimetype" and archive.read(first)[:60] == (
                b"application/vnd.oasis.opendocument.text"
            )
    except (zipfile.BadZipFile, ValueError, IndexError, KeyError):
        return False


# Extension → (content type, check of the content).
KINDS = {
    ".pdf": ("application/pdf", lambda data: data.startswith(b"%PDF-")),
    ".docx": (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        lambda data: _zip_with(data, "word/document.xml"),
    ),
    ".xlsx": (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        lambda data: _zip_with(data, "xl/workbook.xml"),
    ),
    ".odt": ("application/vnd.oasis.opendocument.text", _odf_text),
    ".png": ("image/png", lambda data: data.startswith(b"\x89PNG\r\n\x1a\n")),
    ".jpg": ("image/jpeg", lambda data: data.startswith(b"\xff\xd8\xff")),
    ".jpeg": ("image/jpeg", lambda data: data.startswith(b"\xff\xd8\xff")),
}
KIND_NAMES = "PDF, DOCX, XLSX, ODT, PNG, JPEG"


def _read(upload) -> bytes:
    upload.seek(0)
    data = upload.read(settings.ATTACHMENT_MAX_BYTES + 1)
    upload.seek(0)
    return data


def check_upload(upload) -> str:
    """The content type of an acceptable upload, or AttachmentRefused saying why."""
    name = PurePath(upload.name or "").name
    if getattr(upload, "size", 0) > settings.ATTACHMENT_MAX_BYTES:
        raise AttachmentRefused(
            _("%(name)s is %(size)s; a file can be at most %(limit)s.")
            % {"name": name, **size_and_limit(upload.size, settings.ATTACHMENT_MAX_BYTES)}
        )
    data = _read(upload)
    if not data:
        raise AttachmentRefused(_("%(name)s is empty.") % {"name": name})
    kind = KINDS.get(PurePath(name).suffix.lower())
    if kind is None or not kind[1](data):
        raise AttachmentRefused(
            _("%(name)s is not a file of an accepted kind (%(kinds)s), judged by its content.")
            % {"name": name, "kinds": KIND_NAMES}
        )
    return kind[0]


def check_uploads(uploads, *, already: int) -> None:
    """Every upload acceptable, and no more files in all than the limit."""
    uploads = list(uploads)
    limit = settings.ATTACHMENT_MAX_COUNT
    if already + len(uploads) > limit:
        raise AttachmentRefused(
            _("A contribution can have at most %(limit)d attachments.") % {"limit": limit}
        )
    for upload in uploads:
        check_upload(upload)


def attachments_add(*, contribution, files, by) -> list[Attachment]:
    """Store checked uploads as attachments of the contribution (inside its save)."""
    added = []
    for upload in files:
        content_type = check_upload(upload)
        data = _read(upload)
        attachment = Attachment(
            contribution=contribution,
            name=PurePath(upload.name).name[:255],
            content_type=content_type,
            size=len(data),
            sha256=hashlib.sha256(data).hexdigest(),
            uploaded_by=by,
        )
        attachment.file.save(attachment.name, ContentFile(data), save=False)
        attachment.save()
        added.append(attachment)
    return added
