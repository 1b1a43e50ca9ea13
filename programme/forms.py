from django import forms
from django.utils.translation import gettext_lazy as _

from livskvalitet.core.forms import LengthCounted, typed_formfield

from .models import DocumentFollowUp
from .resources import ImportFileError
from .transfer import check_size


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
        try:
            check_size(upload.size)
        except ImportFileError as error:
            raise forms.ValidationError(str(error)) from None
        return upload


class DocumentFollowUpForm(LengthCounted, forms.ModelForm):
    url = forms.URLField(label=_("Link"), required=False, assume_scheme="https")

    class Meta:
        model = DocumentFollowUp
        fields = ["date", "url", "summary"]
        formfield_callback = typed_formfield
        widgets = {
            "date": forms.DateInput(attrs={"type": "date"}),
            "summary": forms.Textarea(attrs={"rows": 5}),
        }
