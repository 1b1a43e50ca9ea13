"""What every form of the app shares: text limits are counted, never cut by the browser;
a textarea's text is kept as typed."""

from django import forms
from django.core import validators

from .text import as_typed


def count_instead_of_cutting(field) -> None:
    """Browsers cut pasted text at ``maxlength`` without a word. Count it instead: the
    field shows how much room is left (static/js/length-counter.js) and the server
    refuses too long a text with a message, keeping what was typed."""
    limit = field.widget.attrs.pop("maxlength", None)
    if limit:
        field.widget.attrs["data-maxlength"] = limit


class LengthCounted:
    """A form none of whose fields lets the browser cut what is typed."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            count_instead_of_cutting(field)


class Uncut:
    """A form of short fields (a user name, say): the browser does not cut them either,
    but a counter under them would only be in the way. The server checks the limit (which
    Django's login form leaves to the browser's maxlength)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            limit = field.widget.attrs.pop("maxlength", None)
            checked = any(isinstance(v, validators.MaxLengthValidator) for v in field.validators)
            if limit and not checked:
                field.validators.append(validators.MaxLengthValidator(int(limit)))


class CountedFields:
    """Admin forms whose limits are counted, never cut by the browser."""

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        if field is not None:
            count_instead_of_cutting(field)
        return field


class TypedText(forms.CharField):
    """A textarea's text as typed, its line breaks one kind (as_typed): browsers send them
    as CR LF, which would make an unchanged text differ from its own export."""

    def to_python(self, value):
        return as_typed(super().to_python(value))
