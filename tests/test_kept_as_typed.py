"""What people type is stored exactly as typed: no form strips the spaces and line breaks
around a text (Django's CharField does unless told not to). Spaces alone are no text: a
required field refuses them with a message, an optional one stays empty. What is shown
stays escaped."""

import importlib
import inspect

import pytest
from django import forms
from django.contrib import admin
from django.test import RequestFactory
from django.urls import resolve, reverse

from livskvalitet.core.forms import TypedText
from reporting.forms import question_field
from reporting.models import Contribution, Question
from tests.factories import form_data, new_cycle, page_text

pytestmark = pytest.mark.django_db

REQUIRED = "Detta fält måste fyllas i."
ONE_LINE = "Skriv texten på en rad, utan radbrytningar eller tabbar."

# Every module of the project that defines forms.
FORM_MODULES = [
    "reporting.forms",
    "programme.forms",
    "programme.admin_forms",
    "livskvalitet.accounts.auth",
    "livskvalitet.accounts.admin",
]


def question_post(**typed):
    return {"text": "Fråga", "help_text": "", "kind": "long_text", "position": 0} | typed


def test_a_question_is_stored_as_typed_when_added_and_when_changed(client, strategist):
    cycle = new_cycle()
    client.force_login(strategist)
    client.post(
        reverse("reporting:question-add", args=[cycle.pk]),
        question_post(
            text="  Vad har ni gjort <för> barnen? ",
            help_text=" Tänk på  hela året. ",
            kind="choice",
            choices="  Mycket \r\nLite\r\n\r\n",
        ),
    )
    question = cycle.questions.get()
    assert question.text == "  Vad har ni gjort <för> barnen? "
    assert question.help_text == " Tänk på  hela året. "
    assert question.choices == "  Mycket \nLite\n\n"
    shown = client.get(reverse("reporting:cycle-detail", args=[cycle.pk])).content.decode()
    assert "Vad har ni gjort &lt;för&gt; barnen?" in shown and "<för>" not in shown

    client.post(
        reverse("reporting:question-edit", args=[cycle.pk, question.pk]),
        question_post(text=" Vad har ni lärt er?  ", help_text="\u00a0Kort. ", kind="long_text"),
    )
    question.refresh_from_db()
    assert (question.text, question.help_text) == (" Vad har ni lärt er?  ", "\u00a0Kort. ")


def test_a_question_with_a_line_break_around_it_is_refused_not_cut(client, strategist):
    """A text field cannot hold a line break, a forged form can: refused, as any inside."""
    cycle = new_cycle()
    client.force_login(strategist)
    response = client.post(
        reverse("reporting:question-add", args=[cycle.pk]),
        question_post(text="Vad har ni gjort?\n"),
        follow=True,
    )
    assert ONE_LINE in page_text(response)
    assert not cycle.questions.exists()


def test_a_question_of_spaces_alone_is_refused_as_empty(client, strategist):
    cycle = new_cycle()
    question = Question.objects.create(cycle=cycle, text="Fråga", kind="long_text")
    client.force_login(strategist)
    response = client.post(
        reverse("reporting:question-add", args=[cycle.pk]), question_post(text="   "), follow=True
    )
    assert REQUIRED in page_text(response)
    response = client.post(
        reverse("reporting:question-edit", args=[cycle.pk, question.pk]),
        question_post(text=" \u00a0 "),
    )
    assert REQUIRED in page_text(response)
    assert list(cycle.questions.values_list("text", flat=True)) == ["Fråga"]


def test_a_contributions_texts_answers_and_comments_are_stored_as_typed(
    client, reporter_a, contribution_a
):
    question = Question.objects.create(cycle=contribution_a.cycle, text="Hur?", kind="long_text")
    indicator = contribution_a.focus_area.indicators.first()
    client.force_login(reporter_a)
    client.post(
        reverse("reporting:contribution-edit", args=[contribution_a.pk]),
        form_data(
            contribution_a,
            done="\n  Vi har bytt till elbilar.\r\n\r\n",
            challenges=" \r\n ",
            **{
                f"question_{question.pk}": "  Så här. ",
                f"indicator_{indicator.pk}": " Det går åt rätt håll.\n",
                "actions-0-title": " Elbilar ",
                "actions-0-description": "\tFyra bilar.  ",
            },
        ),
    )
    contribution = Contribution.objects.get(pk=contribution_a.pk)
    assert contribution.done == "\n  Vi har bytt till elbilar.\n\n"
    assert contribution.challenges == ""  # spaces alone are no text: not written
    assert contribution.answers.get(question=question).value == "  Så här. "
    assert contribution.indicator_comments.get().text == " Det går åt rätt håll.\n"
    action = contribution.actions.get()
    assert (action.title, action.description) == (" Elbilar ", "\tFyra bilar.  ")


def project_form_classes():
    for name in FORM_MODULES:
        module = importlib.import_module(name)
        for _name, value in inspect.getmembers(module, inspect.isclass):
            if issubclass(value, forms.BaseForm) and value.__module__ == name:
                yield value
            for inner in vars(value).values():  # a form defined inside an admin class
                if inspect.isclass(inner) and issubclass(inner, forms.BaseForm):
                    yield inner


def written_in_a_text_area(fields: dict) -> list[str]:
    """The fields of a text area that would not keep the text as typed (JSON is data, read
    as such, not text)."""
    return [
        name
        for name, field in fields.items()
        if isinstance(field.widget, forms.Textarea)
        and not isinstance(field, TypedText | forms.JSONField)
    ]


def test_every_text_area_of_the_project_keeps_its_text_as_typed():
    """Every form field of a text area is a TypedText: nothing stripped, line breaks one
    kind, spaces alone refused where a text is required."""
    checked = list(project_form_classes())
    assert len(checked) > 20
    stripped = {form.__name__: written_in_a_text_area(form.base_fields) for form in checked}
    stripped = {name: fields for name, fields in stripped.items() if fields}
    assert stripped == {}
    # The fields a form makes as it is made: a long answer to a question.
    long_answer = Question(text="Hur?", kind="long_text")
    assert written_in_a_text_area({"answer": question_field(long_answer)}) == []
    assert isinstance(question_field(Question(text="Hur?", kind="short_text")), TypedText)


def test_every_text_area_of_the_admin_keeps_its_text_as_typed(administrator):
    request = RequestFactory().get("/")
    request.user, request.resolver_match = administrator, resolve(reverse("admin:index"))
    stripped = {}
    for model, model_admin in admin.site._registry.items():
        forms_of_page = [model_admin.get_form(request)] + [
            inline.get_formset(request).form for inline in model_admin.get_inline_instances(request)
        ]
        for form in forms_of_page:
            if names := written_in_a_text_area(form.base_fields):
                stripped[f"{model.__name__}: {form.__name__}"] = names
    assert stripped == {}


def test_a_required_text_of_spaces_alone_is_refused_as_empty():
    field = TypedText()
    assert field.clean("  Hej\r\n") == "  Hej\n"
    for blank in ["", "   ", "\r\n\t", "\u00a0"]:
        with pytest.raises(forms.ValidationError) as caught:
            field.clean(blank)
        assert caught.value.messages == [REQUIRED]
    assert TypedText(required=False).clean(" \r\n\u00a0") == ""  # no text: empty


def test_an_analysis_and_a_report_text_are_stored_as_typed(client, strategist, approved):
    from reporting.models import ReportText, Synthesis

    client.force_login(strategist)
    cycle_pk = approved.cycle_id
    client.post(
        reverse("reporting:synthesis-edit", args=[cycle_pk, "2.1"]),
        {"analysis": "  Det går framåt.\r\n\r\n- elbilar\r\n", "assessment": "unchanged"},
    )
    assert Synthesis.objects.get().analysis == "  Det går framåt.\n\n- elbilar\n"
    client.post(
        reverse("reporting:report-text-edit", args=[cycle_pk, "viljeinriktning-2"]),
        {"text": "\n Klimat först. \n", "revision": "0"},
    )
    assert ReportText.objects.get(part="direction").text == "\n Klimat först. \n"


def test_a_cycles_title_and_instructions_are_stored_as_typed(client, strategist):
    cycle = new_cycle()
    client.force_login(strategist)
    data = {
        "first_year": 2026,
        "last_year": 2027,
        "opens_on": "2028-01-01",
        "due_on": "2028-03-01",
    }
    url = reverse("reporting:cycle-edit", args=[cycle.pk])
    response = client.post(url, data | {"title": "  ", "instructions": "Läs först."})
    assert REQUIRED in page_text(response)
    client.post(url, data | {"title": " Uppföljning 2028 ", "instructions": "\n  Läs först.\n"})
    cycle.refresh_from_db()
    assert (cycle.title, cycle.instructions) == (" Uppföljning 2028 ", "\n  Läs först.\n")
