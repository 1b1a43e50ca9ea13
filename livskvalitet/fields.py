"""crispy-forms' bootstrap5 field (``|as_crispy_field``), the same bytes at a fraction of
the cost, for the plainest fields: text inputs, textareas and selects, without errors.

crispy renders each field through its field template (forty conditions, three includes):
~0.25 ms a field, a quarter of the contribution form's cost. The markup around the widget
depends here only on the kind of field, whether it is required and whether it has help
text, so it is rendered by crispy itself once per process for each, with markers in place
of the label, the help text, the id and the widget; a field is then that markup with its
own values. Everything else (checkboxes, radios, files, hidden fields, fields with
errors, forms with a helper) crispy renders as always. tests/test_widgets.py holds the
two to the same bytes for every field of the contribution form and the busy pages' forms.
"""

import functools
import re

from crispy_forms.templatetags.crispy_forms_filters import as_crispy_field, uni_form_template
from django import forms
from django.conf import settings
from django.forms.widgets import Input
from django.utils.html import conditional_escape, escape
from django.utils.safestring import mark_safe

_LABEL, _HELP, _WIDGET, _ID = "zzlabelzz", "zzhelpzz", "zzwidgetzz", "zzidzzf"
_MARKERS = re.compile(f"({_LABEL}|{_HELP}|{_WIDGET}|{_ID})")
# Widgets crispy's field template treats as the plain case ("input") or as a select.
_SPECIAL = (
    forms.CheckboxInput,
    forms.FileInput,
    forms.HiddenInput,
    forms.RadioSelect,
    forms.MultiWidget,
)


def _kind(bound) -> str | None:
    widget = bound.field.widget
    if isinstance(widget, _SPECIAL) or hasattr(widget, "widget"):
        return None
    if isinstance(widget, forms.Select):
        return "select"
    if isinstance(widget, Input | forms.Textarea):
        return "input"
    return None


class _MarkerText(forms.Textarea):
    def render(self, *args, **kwargs):
        return mark_safe(_WIDGET)  # noqa: S308 - a marker


class _MarkerSelect(forms.Select):
    def render(self, *args, **kwargs):
        return mark_safe(_WIDGET)  # noqa: S308 - a marker


@functools.lru_cache(maxsize=16)
def _skeleton(kind: str, required: bool, helped: bool) -> tuple[str, ...]:
    """crispy's markup for such a field, split at the markers (odd items are markers)."""
    widget = _MarkerSelect() if kind == "select" else _MarkerText()

    class Probe(forms.Form):
        f = forms.CharField(
            label=_LABEL, help_text=_HELP if helped else "", required=required, widget=widget
        )

    html = str(as_crispy_field(Probe(auto_id=_ID[:-1] + "%s")["f"]))
    return tuple(_MARKERS.split(html))


def _widget(bound, css: str) -> str:
    """What crispy's ``{% crispy_field field 'class' css %}`` does: the widget's class
    name and ``css`` added to its classes (kept on the widget, as crispy keeps them)."""
    widget = bound.field.widget
    name = widget.__class__.__name__.lower()
    name = getattr(settings, "CRISPY_CLASS_CONVERTERS", {}).get(name, name)
    classes = widget.attrs.get("class", "")
    if not classes:
        classes = name
    elif classes.find(name) == -1:
        classes += f" {name}"
    for extra in css.split():
        if extra not in classes.split():
            classes += f" {extra}"
    widget.attrs["class"] = classes
    return str(bound)


def as_field(bound):
    """``bound|as_crispy_field``, written from crispy's own markup where it is plain."""
    kind = _kind(bound)
    if (
        kind is None
        or bound.errors
        or not bound.label
        or not bound.auto_id
        or bound.id_for_label != bound.auto_id
        or bound.use_fieldset
        or bound.css_classes()
        or getattr(bound.form, "helper", None) is not None
    ):
        return as_crispy_field(bound)
    values = {
        _LABEL: conditional_escape(bound.label),
        _HELP: str(bound.help_text),
        _ID: escape(bound.auto_id),
        _WIDGET: _widget(bound, "form-select" if kind == "select" else "form-control"),
    }
    parts = _skeleton(kind, bound.field.required, bool(bound.help_text))
    return mark_safe(  # noqa: S308 - crispy's markup, values escaped as its template does
        "".join(values[part] if index % 2 else part for index, part in enumerate(parts))
    )


def as_form(form):
    """``form|crispy``, the same markup: crispy's own form template, each field of it
    through as_field (templates/livskvalitet/crispy_field.html). Not for formsets."""
    return uni_form_template().render(
        {
            "field_class": "",
            "field_template": "livskvalitet/crispy_field.html",
            "form_show_errors": True,
            "form_show_labels": True,
            "label_class": "",
            "form": form,
        }
    )
