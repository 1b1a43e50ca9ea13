"""A programme's logo: an SVG, PNG or JPEG file uploaded in the admin or named in the
programme file, kept through the storage API and printed on the cover of the report's
three editions."""

import base64

import defusedxml.ElementTree
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from livskvalitet.core.text import size_and_limit

LOGO_MAX_BYTES = 1024 * 1024
LOGO_FOLDER = "logos"  # in the storage


def logo_type(data: bytes) -> str:
    """The logo's media type, read from its content (not its name); refused with a message
    when it is not an SVG, PNG or JPEG image, is too large or cannot be read."""
    if len(data) > LOGO_MAX_BYTES:
        raise ValidationError(
            _("The logo is %(size)s; it may be at most %(limit)s.")
            % size_and_limit(len(data), LOGO_MAX_BYTES)
        )
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if data.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    try:
        root = defusedxml.ElementTree.fromstring(data)
    except Exception:  # noqa: BLE001 - anything unreadable is refused alike
        root = None
    if root is not None and root.tag in ("svg", "{http://www.w3.org/2000/svg}svg"):
        return "image/svg+xml"
    raise ValidationError(_("The logo must be an SVG, PNG or JPEG image."))


def validate_logo(file) -> None:
    """The model field's validator: the uploaded or stored file's content is checked."""
    file.open("rb")
    file.seek(0)
    data = file.read()
    file.seek(0)
    logo_type(data)


def logo_data_uri(data: bytes) -> str:
    """The logo inside the page itself, so that the stored HTML edition and the PDF need
    no other file."""
    return f"data:{logo_type(data)};base64,{base64.b64encode(data).decode('ascii')}"
