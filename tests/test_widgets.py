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


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["sv", "en"])
def test_every_field_of_the_contribution_form_is_what_crispy_writes(
    programme_data, cycle, contribution_a, language
):
    """livskvalitet/fields.py writes the plain fields from crispy's own markup; the
    others go to crispy. Either way the bytes are crispy's, with and without values."""
    from crispy_forms.templatetags.crispy_forms_filters import as_crispy_field

    from livskvalitet import fields
    from programme.models import Indicator
    from reporting.forms import ActionForm, ContributionForm, action_form_options
    from reporting.models import Question

    question = Question.objects.create(cycle=cycle, text="Hur?", kind="long_text", required=True)
    choice = Question.objects.create(cycle=cycle, text="Vilken?", kind="choice", choices="a\nb")
    indicators = list(Indicator.objects.filter(focus_area=contribution_a.focus_area))

    def forms_(data):
        def contribution_form():
            return ContributionForm(
                data,
                instance=contribution_a,
                initial={"version": 0},
                questions=[question, choice],
                indicators=indicators,
            )

        def action_form():
            return ActionForm(data, prefix="actions-0", **action_form_options())

        return contribution_form, action_form

    filled = {
        "done": TRICKY,
        "results": "\nrad ett\n",
        "actions-0-title": TRICKY,
        "actions-0-status": "ongoing",
        "actions-0-description": "x",
        f"question_{question.pk}": "Så här",
    }
    written = 0
    with translation.override(language):
        for data in (None, filled):
            for make in forms_(data):
                crispy, quick = make(), make()
                if data is not None:
                    crispy.is_valid(), quick.is_valid()
                for name in crispy.fields:
                    assert fields.as_field(quick[name]) == as_crispy_field(crispy[name]), name
                    written += fields._kind(quick[name]) is not None and not quick[name].errors
    assert written >= 20  # the plain fields were written, not all handed to crispy


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["sv", "en"])
def test_the_busy_pages_forms_are_what_crispy_writes(programme_data, cycle, language):
    from crispy_forms.templatetags.crispy_forms_filters import as_crispy_form

    from livskvalitet import fields
    from reporting.forms import DueDateForm, QuestionForm, RequestForm, SendBackForm, ThreadForm

    makers = [
        lambda data: DueDateForm(data, initial={"due_on": cycle.due_on}),
        lambda data: RequestForm(data, cycle=cycle),
        lambda data: QuestionForm(data),
        lambda data: ThreadForm(data, back="edit"),
        lambda data: SendBackForm(data),
    ]
    wrong = {"due_on": "inte ett datum", "kind": "choice", "text": TRICKY, "organisation": "x"}
    with translation.override(language):
        for make in makers:
            for data in (None, {}, wrong):
                assert fields.as_form(make(data)) == as_crispy_form(make(data))
