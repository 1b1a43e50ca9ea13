"""The admin's forms: import with the same file checks as the import commands, the whole
programme's workbook, export named by the file's columns, the next edition."""

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
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
