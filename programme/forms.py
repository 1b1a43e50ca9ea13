import re

from django import forms
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from livskvalitet.core.forms import LengthCounted, typed_formfield

from .models import DocumentFollowUp, Responsibility
from .resources import ImportFileError
from .transfer import check_size

ROLES = "|".join(Responsibility.Role.values)
SHOWN_CELL = re.compile(rf"(?P<organisation>\d+)-(?P<area>\d+):(?P<role>{ROLES})")


class ResponsibilityGridForm(forms.Form):
    """Who answers for what (selectors.ResponsibilityGrid): a list of roles per cell,
    organisation × focus area, and, hidden, the roles the page showed when it was made
    ("organisation-area:role" for each cell with one), so that only the cells the user
    changed are saved, and a cell someone else changed meanwhile is seen
    (services.responsibilities_set)."""

    shown = forms.CharField(
        label=_("The roles the page showed"),
        required=False,
        widget=forms.HiddenInput,
        error_messages={"invalid": _("The page sent is not one this app made: open it again.")},
    )

    def __init__(self, *args, grid, **kwargs):
        super().__init__(*args, **kwargs)
        self.grid = grid
        roles = [
            ("", "–"),
            *((value, capfirst(label)) for value, label in Responsibility.Role.choices),
        ]
        self.rows = []  # (organisation, [(area, role, its list)])
        shown = []
        for organisation, cells in grid.rows():
            row = []
            for area, role in cells:
                cell = f"{organisation.pk}-{area.pk}"
                name = f"{organisation.name} – {area.code} {area.title}"
                self.fields[f"r-{cell}"] = forms.ChoiceField(
                    label=name,
                    choices=roles,
                    required=False,
                    initial=role,
                    widget=forms.Select(
                        attrs={"class": "form-select form-select-sm", "aria-label": name}
                    ),
                )
                row.append((area, role, self[f"r-{cell}"]))
                if role:
                    shown.append(f"{cell}:{role}")
            self.rows.append((organisation, row))
        self.fields["shown"].initial = " ".join(shown)

    def clean_shown(self) -> dict:
        """(organisation id, focus area id) → role, of the cells that had one."""
        shown = {}
        for item in self.cleaned_data["shown"].split():
            match = SHOWN_CELL.fullmatch(item)
            if not match:  # said above the form, not as the hidden field's
                self.add_error(None, self.fields["shown"].error_messages["invalid"])
                return {}
            shown[(int(match["organisation"]), int(match["area"]))] = match["role"]
        return shown

    def changes(self) -> tuple[dict, dict]:
        """The cells changed, (organisation id, focus area id) → role, and what the page
        showed of every cell."""
        changes, seen = {}, {}
        for organisation in self.grid.organisations:
            for area in self.grid.focus_areas:
                key = (organisation.pk, area.pk)
                seen[key] = self.cleaned_data["shown"].get(key, "")
                role = self.cleaned_data[f"r-{organisation.pk}-{area.pk}"]
                if role != seen[key]:
                    changes[key] = role
        return changes, seen


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
