from django import forms
from django.utils.translation import gettext_lazy as _
from import_export.forms import ImportForm

from .models import DocumentFollowUp
from .resources import ImportFileError
from .transfer import check_size, read_dataset


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


class ResponsibilityImportForm(forms.Form):
    file = forms.FileField(
        label=_("File to import (CSV or XLSX)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx"}),
        help_text=_(
            "With the columns of the export: organisation, program, fokusomrade, roll "
            "(huvudansvarig or bidragande). All or nothing: one bad row and nothing changes."
        ),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        name = upload.name.lower()
        if not (name.endswith(".csv") or name.endswith(".xlsx")):
            raise forms.ValidationError(_("Choose a CSV or XLSX file."))
        check_size(upload.size)
        return upload


class DocumentFollowUpForm(LengthCounted, forms.ModelForm):
    url = forms.URLField(label=_("Link"), required=False, assume_scheme="https")

    class Meta:
        model = DocumentFollowUp
        fields = ["date", "url", "summary"]
        widgets = {
            "date": forms.DateInput(attrs={"type": "date"}),
            "summary": forms.Textarea(attrs={"rows": 5}),
        }
