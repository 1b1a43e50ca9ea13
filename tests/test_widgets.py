"""The form renderer writes what Django's widget templates write (livskvalitet/widgets.py)."""

import datetime
from contextlib import nullcontext
from decimal import Decimal
from unittest import mock

import pytest
from crispy_forms.utils import render_crispy_form
from django import forms
from django.forms.renderers import DjangoTemplates, get_default_renderer
from django.utils import translation
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy

from livskvalitet.widgets import WRITERS, QuickRenderer

DJANGO = DjangoTemplates()
QUICK = QuickRenderer()
TRICKY = "a<b> & \"c\" 'd' é"

CHOICES = [
    ("", "---------"),
    (1, "ett"),
    ("två", TRICKY),
    (3, gettext_lazy("draft")),
    ("Grupp <1>", [(4, "fyra"), ("5", mark_safe("<em>fem</em>"))]),
    (6, 1234567),
]

WIDGETS = [
    (forms.TextInput(), [None, "", "0", TRICKY, 0]),
    (forms.TextInput(attrs={"class": "x", "required": True, "disabled": False, "size": 3}), ["v"]),
    (forms.NumberInput(), [None, 3, Decimal("2.50"), 0]),
    (forms.EmailInput(), ["a@b.se"]),
    (forms.URLInput(), ["https://x.se/?a=1&b=<2>"]),
    (forms.PasswordInput(render_value=True), ["hemligt"]),
    (forms.HiddenInput(), [None, 7, TRICKY]),
    (forms.DateInput(attrs={"type": "date"}), [None, datetime.date(2026, 12, 2), "2026-12-02"]),
    (forms.TimeInput(), [datetime.time(8, 30)]),
    (forms.CheckboxInput(), [None, True, False, "on"]),
    (forms.FileInput(), [None]),
    (forms.Textarea(), [None, "", "\nrad\n<två>", TRICKY, mark_safe("<b>säker</b>")]),
    (forms.Textarea(attrs={"rows": 2, "data-maxlength": 500}), ["x"]),
    (forms.Select(choices=CHOICES), [None, "", 1, "två", 4, "5", 6]),
    (forms.Select(choices=CHOICES, attrs={"class": "form-select", "required": True}), ["3"]),
    (forms.SelectMultiple(choices=CHOICES), [None, [1, "5"]]),
    (forms.NullBooleanSelect(), [None, True, False]),
    (forms.RadioSelect(choices=CHOICES[1:4]), [None, 1]),
    (forms.CheckboxSelectMultiple(choices=CHOICES[1:4], attrs={"class": "c"}), [None, [1, 3]]),
    (forms.ClearableFileInput(), [None]),
]


@pytest.mark.parametrize("language", ["sv", "en"])
@pytest.mark.parametrize(("widget", "values"), WIDGETS, ids=lambda w: type(w).__name__)
def test_every_widget_renders_as_django_renders_it(widget, values, language):
    # Those it writes, it writes without Django's templates; the others Django renders.
    written = mock.patch.object(DjangoTemplates, "render", side_effect=AssertionError)
    with translation.override(language):
        for value in values:
            for attrs in (None, {"id": "id_f", "aria-describedby": "id_f_help"}):
                expected = widget.render("f", value, attrs=attrs, renderer=DJANGO)
                with written if widget.template_name in WRITERS else nullcontext():
                    assert widget.render("f", value, attrs=attrs, renderer=QUICK) == expected


@pytest.mark.parametrize(
    "widget", [forms.RadioSelect, forms.CheckboxSelectMultiple], ids=lambda w: w.__name__
)
def test_each_box_and_its_label_render_as_django_renders_them(widget):
    class Form(forms.Form):
        choice = forms.MultipleChoiceField(
            choices=[("a", TRICKY), ("b", "b")], widget=widget(attrs={"class": "form-check-input"})
        )

    for renderer in (DJANGO, QUICK):
        form = Form({"choice": ["a"]}, renderer=renderer)
        boxes = [(b.tag(), b.tag(wrap_label=True), str(b)) for b in form["choice"]]
        if renderer is DJANGO:
            expected = boxes
    assert boxes == expected


def test_the_app_renders_its_forms_with_it():
    assert isinstance(get_default_renderer(), QuickRenderer)


@pytest.mark.django_db
def test_the_contribution_form_is_the_same_page(programme_data, cycle, contribution_a):
    from reporting.forms import ActionFormSet, ContributionForm, action_form_options

    def rendered(renderer):
        form = ContributionForm(instance=contribution_a, initial={"version": 0}, renderer=renderer)
        formset = ActionFormSet(
            prefix="actions",
            initial=[{"title": TRICKY, "status": "ongoing", "sdgs": [13], "groups": ["age"]}],
            form_kwargs={**action_form_options(contribution_a.focus_area), "renderer": renderer},
        )
        parts = [render_crispy_form(form)]
        for action in [*formset.forms, formset.empty_form]:
            parts.append(render_crispy_form(action))
            parts.extend(box.tag() for box in action["sdgs"])
        return parts

    assert rendered(QUICK) == rendered(DJANGO)
