"""The contribution form's groups and languages as a screen reader meets them: each group
of boxes has a name (fieldset and legend), and in English the fields holding Swedish
answers and the programme's Swedish questions are marked lang="sv", as the read-only
pages mark the same texts."""

import lxml.html
import pytest
from django.urls import reverse
from django.utils import translation

from reporting.models import Question

pytestmark = pytest.mark.django_db


def _page(client, user, contribution, query=""):
    client.force_login(user)
    url = reverse("reporting:contribution-edit", args=[contribution.pk]) + query
    response = client.get(url)
    assert response.status_code == 200
    return lxml.html.fromstring(response.content)


def test_an_actions_groups_reached_are_a_named_group(client, reporter_a, contribution_a):
    page = _page(client, reporter_a, contribution_a, "?nya=1")
    boxes = page.xpath("//input[@name='actions-0-groups']")
    assert boxes
    for box in boxes:
        legends = box.xpath("ancestor::fieldset[1]/legend")
        assert [" ".join(legend.text_content().split()) for legend in legends] == [
            "Grupper som nås"
        ]


def test_in_english_the_answers_and_the_programmes_questions_are_marked_swedish(
    client, reporter_a, contribution_a
):
    contribution_a.cycle.questions.create(
        text="Hur många elbilar har ni?", help_text="Räkna alla.", kind=Question.Kind.SHORT_TEXT
    )
    client.cookies["django_language"] = "en"
    with translation.override("en"):
        page = _page(client, reporter_a, contribution_a, "?nya=1")
    assert page.xpath("string(/html/@lang)") == "en"
    for name in ("done", "results", "not_relevant_reason", "message", "actions-0-title"):
        (field,) = page.xpath(f"//*[@name='{name}']")
        assert field.get("lang") == "sv", name
    question = page.xpath("//label[contains(., 'Hur många elbilar')]")[0]
    assert question.xpath("string(.//span[@lang='sv'])") == "Hur många elbilar har ni?"
    (answer,) = page.xpath(f"//*[@id='{question.get('for')}']")
    assert answer.get("lang") == "sv"
    # The app's own fields are not: a date is the page's.
    (starts,) = page.xpath("//*[@name='actions-0-starts_on']")
    assert starts.get("lang") is None


def test_in_swedish_nothing_is_marked(client, reporter_a, contribution_a):
    page = _page(client, reporter_a, contribution_a)
    assert not page.xpath("//main//*[@lang]")


@pytest.mark.parametrize("language", ["sv", "en"])
def test_a_questions_text_and_help_are_shown_as_typed_never_as_markup(
    client, reporter_a, contribution_a, language
):
    contribution_a.cycle.questions.create(
        text="Fråga <i>kursiv</i>",
        help_text='Hjälp <img src=x onerror="alert(1)"> & <b>fet</b>',
        kind=Question.Kind.SHORT_TEXT,
    )
    client.cookies["django_language"] = language
    with translation.override(language):
        page = _page(client, reporter_a, contribution_a, "?nya=1")
    assert not page.xpath("//main//img[@onerror] | //main//b | //main//i")
    text = " ".join(page.xpath("string(//main)").split())
    assert "Fråga <i>kursiv</i>" in text
    assert 'Hjälp <img src=x onerror="alert(1)"> & <b>fet</b>' in text


@pytest.mark.parametrize("language", ["sv", "en"])
def test_an_indicators_title_is_shown_once_escaped_in_its_comments_label(
    client, reporter_a, contribution_a, language
):
    from programme.models import Indicator

    indicator = Indicator.objects.filter(focus_area=contribution_a.focus_area, active=True).first()
    Indicator.objects.filter(pk=indicator.pk).update(title='Andel & "andra" <b>')
    client.cookies["django_language"] = language
    with translation.override(language):
        page = _page(client, reporter_a, contribution_a)
    (label,) = page.xpath(f"//label[@for='id_indicator_{indicator.pk}']")
    assert 'Andel & "andra" <b>' in label.text_content()
    assert "&amp;" not in label.text_content()
    assert not label.xpath(".//b")
