"""The admin's forms: import with the same file checks as the import commands, the whole
programme's workbook, export named by the file's columns, the next edition."""

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.forms.models import BaseInlineFormSet
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _
from import_export.forms import ImportForm, SelectableFieldsExportForm

from livskvalitet.core.forms import LengthCounted
from livskvalitet.core.text import one_line

from .resources import ImportFileError
from .transfer import check_size, read_dataset


class CheckedImportForm(ImportForm):
    """The admin's import form, with the same file checks as the import commands."""

    def clean(self):
        cleaned = super().clean()
        upload = cleaned.get("import_file")
        format_index = cleaned.get("format")
        if upload is None or format_index in (None, ""):
            return cleaned
        file_format = self.fields["format"].choices_titles.get(str(format_index), "")
        if upload.size > 0:
            upload.seek(0)
        data = upload.read() if upload.size else b""
        upload.seek(0)
        try:
            read_dataset(data, file_format.lower())
        except ImportFileError as error:
            self.add_error("import_file", str(error))
        return cleaned

    def _init_formats(self, formats):
        super()._init_formats(formats)
        self.fields["format"].choices_titles = {
            str(index): format_class().get_title() for index, format_class in enumerate(formats)
        }
        self.fields["format"].label = _("Format")
        self.fields["import_file"].label = _("File to import")
        self.fields["import_file"].widget = forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx"})


class ProgrammeWorkbookForm(forms.Form):
    """The whole programme's workbook, to preview and then import. Its type and size are
    checked here; whether it reads as a programme, by the import."""

    workbook = forms.FileField(
        label=_("Programme workbook (.xlsx)"),
        widget=forms.FileInput(attrs={"accept": ".xlsx"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["workbook"].help_text = _(
            "An Excel workbook with one sheet per table, as an export writes it; at most %(limit)s."
        ) % {"limit": filesizeformat(settings.IMPORT_MAX_BYTES)}

    def clean_workbook(self) -> bytes:
        upload = self.cleaned_data["workbook"]
        if not upload.name.lower().endswith(".xlsx"):
            raise ValidationError(
                _(
                    "Choose an Excel workbook (.xlsx). A folder of CSV files is imported "
                    "with the command import_programme, or a table at a time on its page."
                )
            )
        try:
            check_size(upload.size)  # before reading it
        except ImportFileError as error:
            raise ValidationError(str(error)) from None
        return upload.read()


class ColumnNamedExportForm(SelectableFieldsExportForm):
    """The export page names each field to export as the file's column ("giltig_fran"),
    not by the model's English attribute ("Valid From (giltig_fran)")."""

    def _get_field_label(self, resource, field_name: str) -> str:
        field = resource.fields.get(field_name)
        return field.column_name if field else field_name


class NextEditionForm(LengthCounted, forms.Form):
    """The next edition's name and dates; its structure is copied from the current one."""

    required_css_class = "required"  # the admin marks such labels as required

    # Stripped of the spaces around them, as the admin's one-line fields are (CountedFields):
    # the edition is what imports find the programme by.
    edition = forms.CharField(
        label=_("Edition"),
        max_length=50,
        help_text=_("For example 2028–2031."),
        validators=[one_line],
    )
    name = forms.CharField(label=_("Name"), max_length=200, validators=[one_line])
    valid_from = forms.DateField(
        label=_("Valid from"), widget=forms.DateInput(attrs={"type": "date"})
    )
    valid_until = forms.DateField(
        label=_("Valid until"), widget=forms.DateInput(attrs={"type": "date"})
    )

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("valid_from"), cleaned.get("valid_until")
        if start and end and end < start:
            self.add_error("valid_until", _("The edition cannot end before it takes effect."))
        return cleaned


class KeyedRowsFormSet(BaseInlineFormSet):
    """An inline's rows that are unique by their parent and one other field (a focus area's
    responsibilities by organisation, an organisation's by focus area). Django saves the
    rows one at a time in the page's order, so a row taking the organisation another row
    gives up in the same save (two rows swapping, a row taking a deleted row's) broke the
    database's rule half-way. Here deletions go first, then each row as soon as no row
    still holds what it takes; rows that take each other's in a ring are taken out of the
    table, the others saved, and put back under their own id: one transaction (the admin's
    save), each row's history saying it was changed, by whom."""

    def key_field(self) -> str:
        (constraint,) = (
            c for c in self.model._meta.constraints if isinstance(c, models.UniqueConstraint)
        )
        (name,) = [name for name in constraint.fields if name != self.fk.name]
        return self.model._meta.get_field(name).attname

    def save_existing_objects(self, commit=True):
        if not commit:
            return super().save_existing_objects(commit)
        self.changed_objects = []
        self.deleted_objects = []
        deleted = self.deleted_forms
        forms_kept = [form for form in self.initial_forms if form.instance.pk is not None]
        for form in forms_kept:
            if form in deleted:
                self.deleted_objects.append(form.instance)
                self.delete_existing(form.instance, commit=True)
        changed = [form for form in forms_kept if form not in deleted and form.has_changed()]
        key = self.key_field()
        rows = self.model._default_manager.filter(**{self.fk.name: self.instance})
        holders = {held: pk for pk, held in rows.values_list("pk", key)}
        pending, taken_out = list(changed), []
        while pending:
            ready = next(
                (
                    form
                    for form in pending
                    if holders.get(getattr(form.instance, key), form.instance.pk)
                    == form.instance.pk
                ),
                None,
            )
            if ready is None:  # a ring: one row leaves the table until the others moved
                ready = pending[0]
                rows.filter(pk=ready.instance.pk)._raw_delete(rows.db)
                taken_out.append(ready)
            else:
                self.save_existing(ready, ready.instance, commit=True)
            pending.remove(ready)
            holders = {held: pk for held, pk in holders.items() if pk != ready.instance.pk}
            holders[getattr(ready.instance, key)] = ready.instance.pk
        for form in taken_out:
            row = form.instance
            row.skip_history_when_saving = True
            try:
                row.save(force_insert=True)
            finally:
                del row.skip_history_when_saving
            self.model.history.bulk_history_create([row], update=True)
        for form in changed:
            self.changed_objects.append((form.instance, form.changed_data))
        return [form.instance for form in changed]
