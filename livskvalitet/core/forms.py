"""What every form of the app shares: text limits are counted, never cut by the browser;
what is typed is kept as typed (``TypedText``), nothing stripped around it."""

from django import forms
from django.core import validators
from django.db import models

from .text import as_typed, storable


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
    """Admin forms that never cut or rewrite what is typed: limits are counted, not cut by
    the browser, and a text area's text is kept as typed (TypedText).

    A one-line name, title or code in the admin is stripped of the spaces around it, as
    Django does: they are what the programme's imports and exports match rows by, and an
    import reads each cell without them."""

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if type(db_field) is models.TextField and not db_field.choices:
            kwargs.setdefault("form_class", TypedText)
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        if field is not None:
            count_instead_of_cutting(field)
        return field


class TypedText(forms.CharField):
    """Text as typed: nothing stripped around it (Django's CharField strips unless told
    not to), its line breaks one kind (as_typed): browsers send them as CR LF, which would
    make an unchanged text differ from its own export.

    Spaces and line breaks alone are no text: empty, as Django has them, so that a
    required field refuses them ("This field is required.") and every page agrees that
    nothing was written.

    A character no text can be stored with is refused with the reason (``storable``, in
    place of Django's check of NUL alone)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("strip", False)
        super().__init__(**kwargs)
        self.validators = [
            v
            for v in self.validators
            if not isinstance(v, validators.ProhibitNullCharactersValidator)
        ] + [storable]

    def to_python(self, value):
        text = as_typed(super().to_python(value))
        return text if text.strip() else ""


def typed_formfield(db_field, **kwargs):
    """A model form's field (``Meta.formfield_callback``): a model's text, one line or
    many, kept as typed (TypedText); choices, codes in fields of their own kind (URLField,
    EmailField …) and all else as Django makes them."""
    if type(db_field) in (models.CharField, models.TextField) and not db_field.choices:
        kwargs.setdefault("form_class", TypedText)
    return db_field.formfield(**kwargs)


def show_again(form, name: str, value) -> None:
    """The hidden field ``name`` sends ``value`` back, whatever was sent before: a form
    shown again carries what its page shows now (the version read, the gaps looked at)."""
    if form.is_bound:
        form.data = form.data.copy()
        form.data[name] = value
    else:
        form.initial[name] = value
