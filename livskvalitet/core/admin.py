"""What every admin page for the city's data shares."""

import hashlib

from django import forms
from django.apps import apps
from django.contrib import admin
from django.contrib.admin.utils import flatten_fieldsets
from django.core.exceptions import ValidationError
from django.db import models
from django.forms.models import model_to_dict
from django.templatetags.static import static
from django.utils.html import format_html
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from simple_history.admin import SimpleHistoryAdmin
from simple_history.models import ModelChange, ModelDelta
from simple_history.template_utils import HistoricalRecordContextHelper, ObjDiffDisplay
from simple_history.utils import get_m2m_reverse_field_name

LOADED = "loaded_state"


def _plain(values: dict) -> list:
    return sorted(
        (name, sorted(item.pk for item in value) if isinstance(value, list) else value)
        for name, value in values.items()
    )


def fingerprint(instance, related=()) -> str:
    """What the object's editable fields hold in the database, and the rows its page edits
    with it (``related``: the inlines' models and their keys to it), in short: it changes
    whenever someone saves a change to them."""
    rows = [
        (model._meta.label, row.pk, _plain(model_to_dict(row)))
        for model, key in related
        for row in model._default_manager.filter(**{key: instance}).order_by("pk")
    ]
    state = (_plain(model_to_dict(instance)), rows)
    return hashlib.sha256(repr(state).encode()).hexdigest()[:32]


class LoadedStateChecked:
    """A change form that refuses to save over a change someone else saved since it was
    opened (a second tab, another administrator), instead of silently putting the old
    values back. The form carries the object's fingerprint as it was loaded; saving
    compares it with the object as it is now. Refused, the form keeps what was typed and
    carries the new fingerprint: saving again, knowingly, overwrites."""

    loaded_related = ()  # the inlines' rows, which the page saves with the object

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields[LOADED].initial = fingerprint(self.instance, self.loaded_related)

    def clean(self):
        cleaned = super().clean()
        sent, now = self.cleaned_data.get(LOADED), self.fields[LOADED].initial
        if sent and sent != now:
            self.data = self.data.copy()
            self.data[self.add_prefix(LOADED)] = now
            raise ValidationError(
                _(
                    "Someone saved this since you opened the page, so your changes were not "
                    "saved. Open the page in a new tab to see what is saved now. Saving this "
                    "form again replaces it with what you typed here."
                ),
                code="changed_since_loaded",
            )
        return cleaned


class UnchangedSinceLoaded:
    """ModelAdmin: its change form is a LoadedStateChecked one, whose fingerprint covers the
    inlines' rows too (a form sent without the fingerprint, by a script, is not checked)."""

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if obj is None or LOADED in flatten_fieldsets(fieldsets):
            return fieldsets
        *first, (name, options) = fieldsets
        return [*first, (name, {**options, "fields": [*options["fields"], LOADED]})]

    def get_form(self, request, obj=None, change=False, **kwargs):
        if "fields" not in kwargs:
            kwargs["fields"] = flatten_fieldsets(self.get_fieldsets(request, obj))
        kwargs["fields"] = [name for name in kwargs["fields"] or [] if name != LOADED] or None
        form = super().get_form(request, obj, change=change, **kwargs)
        if obj is None:
            return form
        field = forms.CharField(widget=forms.HiddenInput, required=False)
        related = [
            (inline.model, inline.get_formset(request, obj).fk.name)
            for inline in self.get_inline_instances(request, obj)
        ]
        attrs = {LOADED: field, "loaded_related": related}
        return type(form.__name__, (LoadedStateChecked, form), attrs)


def boolean_icon(value: bool | None) -> str:
    """Django's yes/no icon, with its alternative text in the page's language."""
    icon, word = {
        True: ("yes", _("Yes")),
        False: ("no", _("No")),
        None: ("unknown", _("Unknown")),
    }[value]
    return format_html('<img src="{}" alt="{}">', static(f"admin/img/icon-{icon}.svg"), word)


class BooleansInWords:
    """Yes/no columns that a screen reader reads in Swedish. Django's admin gives their
    icons the alternative text "True" or "False", in English whatever the page's
    language; here each boolean field of the list is shown by a column with the field's
    heading and sorting whose icon says "Ja" or "Nej". (A boolean shown read-only on a
    change form is shown by boolean_icon too, by the admin that shows it.)"""

    def get_list_display(self, request):
        return [self._in_words(name) for name in super().get_list_display(request)]

    def _in_words(self, name):
        field = next((f for f in self.model._meta.concrete_fields if f.name == name), None)
        if not isinstance(field, models.BooleanField):
            return name
        # One column a field, made once: the list finds its sorting by the same object.
        columns = self.__dict__.setdefault("_columns_in_words", {})
        if name not in columns:

            @admin.display(description=field.verbose_name, ordering=name)
            def column(obj):
                return boolean_icon(getattr(obj, name))

            column.__name__ = name  # the column's class, as Django names a field's
            columns[name] = column
        return columns[name]


class ShortenedInWords(ObjDiffDisplay):
    """A long value in the history list shortened around what changed, saying in the
    page's language how much is left out (the version itself shows it whole)."""

    def shortened_str(self, prefix: str, num_skipped_chars: int, suffix: str) -> str:
        left_out = ngettext(
            "[%(count)d character left out]", "[%(count)d characters left out]", num_skipped_chars
        ) % {"count": num_skipped_chars}
        return f"{prefix}{left_out}{suffix}"


class ChangesInWords(HistoricalRecordContextHelper):
    def get_obj_diff_display(self) -> ObjDiffDisplay:
        return ShortenedInWords(max_length=self.max_displayed_delta_change_chars)


class HistoryAdmin(SimpleHistoryAdmin):
    """django-simple-history's admin with its history list in the page's language: no
    column of change reasons (the app records none, so it said "None" on every line),
    and a shortened value says how much of it is left out."""

    object_history_list_template = "admin/history_list.html"

    def get_historical_record_context_helper(self, request, historical_record):
        return ChangesInWords(self.model, historical_record)

    def get_history_queryset(self, request, history_manager, pk_name, object_id):
        """Each line's user, the objects it links to and the rows of its lists, read with
        the list of changes: django-simple-history reads them once per line (and, for a
        model without links to others, its select_related() without names drops the user
        it asked for)."""
        historical = history_manager.model
        links = [
            field.name
            for field in historical._meta.fields
            if field.many_to_one and field.name != "history_relation"
        ]
        lists = [
            f"{_rows_of(historical, field)}__{get_m2m_reverse_field_name(field)}"
            for field in historical._history_m2m_fields
        ]
        return (
            super()
            .get_history_queryset(request, history_manager, pk_name, object_id)
            .select_related(*links)
            .prefetch_related(*lists)
        )

    def set_history_delta_changes(self, request, historical_records, foreign_keys_are_objs=True):
        """What each change changed, as django-simple-history says it, but with the rows of
        the lists (a focus area's global goals) compared as read with the list of changes:
        the library asks the database for both sides of every line."""
        records = list(historical_records)
        if not records:
            return
        historical = type(records[0])
        lists = [
            (field.name, _rows_of(historical, field), get_m2m_reverse_field_name(field))
            for field in historical._history_m2m_fields
        ]
        previous = None
        for current in records:
            current.as_it_was = _as_it_was(current)
            if previous is not None:
                delta = previous.diff_against(
                    current,
                    excluded_fields=[name for name, _rows, _linked in lists],
                    foreign_keys_are_objs=foreign_keys_are_objs,
                )
                changes = [*delta.changes, *_list_changes(current, previous, lists)]
                delta = ModelDelta(changes, [change.field for change in changes], current, previous)
                helper = self.get_historical_record_context_helper(request, previous)
                previous.history_delta_changes = helper.context_for_delta_changes(delta)
            previous = current


def _as_it_was(record):
    """The object as a version of it was (what the history list names each line by), with
    the objects it links to as read with the list, not once more for each line."""
    obj = record.history_object
    for field in obj._meta.concrete_fields:
        if not field.many_to_one:
            continue
        kept = record._meta.get_field(field.name)
        if kept.is_cached(record):
            field.set_cached_value(obj, kept.get_cached_value(record))
    return obj


def _rows_of(historical, field) -> str:
    """The name under which a version holds the rows of a many-to-many field (its
    global goals), as a relation that prefetch_related() follows."""
    rows = historical.__dict__[field.name].model
    return next(
        relation.get_accessor_name()
        for relation in historical._meta.related_objects
        if relation.related_model is rows
    )


def _list_changes(old, new, lists) -> list[ModelChange]:
    """The many-to-many fields whose rows differ between two versions, each side as the
    library gives them (the rows' linked objects, in the order of their ids). ``lists``:
    (field, where a version holds its rows, the rows' link to the listed object)."""
    changes = []
    for field, rows, name in lists:
        sides = [
            sorted(
                ({name: getattr(row, name)} for row in getattr(record, rows).all()),
                key=lambda row: getattr(row[name], "pk", 0),
            )
            for record in (old, new)
        ]
        ids = [[getattr(row[name], "pk", None) for row in side] for side in sides]
        if ids[0] != ids[1]:
            changes.append(ModelChange(field, *sides))
    return changes


class LinksNotListed:
    """The delete page lists what goes with the object, without the rows that only link
    it to others (a document's link to a direction): Django names those by their class,
    in English ("GoverningDocument_directions object (1)"), and they go with the object
    in any case."""

    def get_deleted_objects(self, objs, request):
        deleted, counts, perms_needed, protected = super().get_deleted_objects(objs, request)
        links = [
            m._meta for m in apps.get_models(include_auto_created=True) if m._meta.auto_created
        ]
        names = {str(opts.verbose_name_plural) for opts in links}
        counts = {name: count for name, count in counts.items() if str(name) not in names}
        prefixes = tuple(f"{capfirst(opts.verbose_name)}: " for opts in links)
        return _without(deleted, prefixes), counts, perms_needed, protected


def _without(items: list, prefixes: tuple) -> list:
    kept = []
    for item in items:
        if isinstance(item, list):
            kept.append(_without(item, prefixes))
        elif not str(item).startswith(prefixes):
            kept.append(item)
    return [item for item in kept if item != []]
