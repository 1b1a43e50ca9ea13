"""A new cycle may start from the questions of the cycle before, which it then owns: they
are changed or removed until it opens, and the old cycle's stay as they were."""

import datetime
import re

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from programme.editions import edition_create_next
from programme.models import Programme
from reporting import services
from reporting.models import Cycle
from reporting.services import WorkflowError
from tests.factories import new_cycle, page_text

pytestmark = pytest.mark.django_db

# Typed with what a careless copy would lose: spaces at both ends, two spaces inside, a
# non-breaking space, a choice line with trailing spaces.
TYPED = "  Hur har ni arbetat med  barnrätten\u00a0i år? "
CHOICES = "Mycket  \nLite\n\nInte alls"


def _form(**extra):
    if "programme" not in extra:  # the one programme (with two, the test names it)
        extra["programme"] = Programme.objects.get().pk
    return {
        "title": "Uppföljning 2028",
        "first_year": 2027,
        "last_year": 2027,
        "opens_on": "2028-01-10",
        "due_on": "2028-03-31",
        **extra,
    }


@pytest.fixture
def asked(cycle, strategist):
    """The open cycle's two questions, as typed."""
    services.question_add(
        cycle=cycle, by=strategist, text=TYPED, kind="long_text", help_text=" Ett stycke. "
    )
    services.question_add(
        cycle=cycle,
        by=strategist,
        text="Hur mycket?",
        kind="choice",
        choices=CHOICES,
        required=True,
        position=2,
    )
    return list(cycle.questions.values_list("pk", "text", "help_text", "choices", "required"))


def _fields(questions):
    return [(q.text, q.help_text, q.kind, q.choices, q.required, q.position) for q in questions]


def test_a_new_cycle_starts_with_the_questions_of_the_one_before_as_typed(
    client, strategist, cycle, asked
):
    client.force_login(strategist)
    form = client.get(reverse("reporting:cycle-create"))
    assert "Börja med frågorna från förra uppföljningen" in page_text(form)
    assert re.search(
        r'<input type="checkbox" name="copy_questions"[^>]* checked', form.content.decode()
    )
    response = client.post(
        reverse("reporting:cycle-create"), _form(copy_questions="on"), follow=True
    )
    new = Cycle.objects.get(title="Uppföljning 2028")
    assert _fields(new.questions.all()) == _fields(cycle.questions.all())
    assert new.questions.get(position=0).text == TYPED  # exactly as typed
    assert new.questions.get(position=2).choices == CHOICES
    assert "2 frågor kopierades från Uppföljning 2026" in page_text(response)
    # The old cycle's questions are its own still: the same rows, unchanged.
    assert list(cycle.questions.values_list("pk", "text", "help_text", "choices", "required")) == (
        asked
    )
    assert not set(new.questions.values_list("pk", flat=True)) & {pk for pk, *_ in asked}


def test_without_the_tick_the_new_cycle_starts_without_questions(client, strategist, asked):
    client.force_login(strategist)
    response = client.post(reverse("reporting:cycle-create"), _form(), follow=True)
    new = Cycle.objects.get(title="Uppföljning 2028")
    assert not new.questions.exists()
    assert "kopierades" not in page_text(response)


def test_copied_questions_are_changed_and_removed_until_the_cycle_opens(
    client, strategist, cycle, asked
):
    client.force_login(strategist)
    client.post(reverse("reporting:cycle-create"), _form(copy_questions="on"))
    new = Cycle.objects.get(title="Uppföljning 2028")
    first, second = new.questions.all()
    edit = reverse("reporting:question-edit", args=[new.pk, first.pk])
    assert edit in client.get(reverse("reporting:cycle-detail", args=[new.pk])).content.decode()
    changed = "Hur har ni arbetat med  barnets bästa?"
    fields = {"text": changed, "help_text": "", "kind": "long_text", "choices": "", "position": 0}
    response = client.post(edit, fields, follow=True)
    assert "Frågan är ändrad." in page_text(response)
    # Saved again as it is: nothing to change, and the page says so.
    response = client.post(edit, fields, follow=True)
    assert "Inget ändrades." in page_text(response)
    assert "Frågan är ändrad." not in page_text(response)
    response = client.post(reverse("reporting:question-remove", args=[new.pk, second.pk]))
    assert response.status_code == 302
    assert list(new.questions.values_list("text", flat=True)) == [changed]
    assert cycle.questions.get(position=0).text == TYPED  # the old cycle's is as it was
    assert cycle.questions.count() == 2
    # Once the cycle opens, its questions are asked: the services refuse, the page says so.
    services.cycle_open(cycle=new, by=strategist)
    with pytest.raises(WorkflowError, match="har öppnat"):
        services.question_remove(question=new.questions.get(), by=strategist)
    with pytest.raises(WorkflowError, match="har öppnat"):
        services.question_edit(question=new.questions.get(), by=strategist, text="Annan")
    assert "har öppnat" in page_text(client.get(edit))


def test_only_a_strategist_copies_changes_or_removes_questions(
    client, strategist, reporter_a, approver_a, cycle, asked
):
    new = services.cycle_create(
        by=strategist,
        programme=cycle.programme,
        title="Uppföljning 2028",
        first_year=2027,
        last_year=2027,
        opens_on=datetime.date(2028, 1, 10),
        due_on=datetime.date(2028, 3, 31),
    )
    question = services.question_add(cycle=new, by=strategist, text="Egen?", kind="short_text")
    for user in (reporter_a, approver_a):
        with pytest.raises(WorkflowError):
            services.questions_copy(cycle=new, by=user)
        with pytest.raises(WorkflowError):
            services.question_edit(question=question, by=user, text="Ändrad")
        with pytest.raises(WorkflowError):
            services.question_remove(question=question, by=user)
        with pytest.raises(WorkflowError):
            services.cycle_create(
                by=user,
                programme=cycle.programme,
                title="Egen",
                first_year=2027,
                last_year=2027,
                opens_on=datetime.date(2028, 1, 10),
                due_on=datetime.date(2028, 3, 31),
                copy_questions=True,
            )
        client.force_login(user)
        edit = reverse("reporting:question-edit", args=[new.pk, question.pk])
        assert client.get(edit).status_code == 404
        remove = reverse("reporting:question-remove", args=[new.pk, question.pk])
        assert client.post(remove).status_code == 404
    assert list(new.questions.values_list("text", flat=True)) == ["Egen?"]
    assert not Cycle.objects.filter(title="Egen").exists()


def test_a_strategist_may_copy_later_and_the_copy_says_where_it_came_from(strategist, cycle, asked):
    new = services.cycle_create(
        by=strategist,
        programme=cycle.programme,
        title="Uppföljning 2028",
        first_year=2027,
        last_year=2027,
        opens_on=datetime.date(2028, 1, 10),
        due_on=datetime.date(2028, 3, 31),
    )
    source, copies = services.questions_copy(cycle=new, by=strategist)
    assert source == cycle and [q.text for q in copies] == [TYPED, "Hur mycket?"]
    assert copies[0].history.latest().history_user == strategist


def test_the_questions_follow_the_programme_into_its_next_edition(
    client, administrator, strategist, cycle, asked
):
    # A question is asked in every contribution, whatever its focus area: it carries over
    # as it is, however the focus areas were merged, split or renamed.
    edition = edition_create_next(
        programme=cycle.programme,
        edition="2028–2031",
        valid_from=datetime.date(2028, 1, 1),
        valid_until=datetime.date(2031, 12, 31),
        by=administrator,
    )
    client.force_login(strategist)
    response = client.post(
        reverse("reporting:cycle-create"),
        _form(programme=edition.pk, first_year=2028, last_year=2029, copy_questions="on"),
        follow=True,
    )
    new = Cycle.objects.get(title="Uppföljning 2028")
    assert new.programme == edition
    assert _fields(new.questions.all()) == _fields(cycle.questions.all())
    assert "2 frågor kopierades från Uppföljning 2026" in page_text(response)


def _offers_to_copy(page) -> bool:
    return 'name="copy_questions"' in page.content.decode() or "frågorna från" in page_text(page)


def test_with_no_earlier_cycle_nothing_is_offered_to_copy(client, strategist, programme_data):
    client.force_login(strategist)
    assert not _offers_to_copy(client.get(reverse("reporting:cycle-create")))
    # A form sent with the tick anyway (from a page of before) copies nothing, silently.
    response = client.post(
        reverse("reporting:cycle-create"), _form(copy_questions="on"), follow=True
    )
    assert not Cycle.objects.get(title="Uppföljning 2028").questions.exists()
    assert "Uppföljningen är skapad." in page_text(response)
    assert "kopiera" not in page_text(response)


def test_the_demo_cycles_questions_are_not_copied_into_a_real_one(client, strategist, cycle, asked):
    Cycle.objects.filter(pk=cycle.pk).update(is_demo=True)
    client.force_login(strategist)
    # The demo's cycle is never copied: as if there were no earlier cycle, nothing is offered.
    assert not _offers_to_copy(client.get(reverse("reporting:cycle-create")))
    response = client.post(
        reverse("reporting:cycle-create"), _form(copy_questions="on"), follow=True
    )
    assert not Cycle.objects.get(title="Uppföljning 2028").questions.exists()
    assert "kopiera" not in page_text(response)
    # Once a real cycle exists, its questions are offered.
    Cycle.objects.filter(pk=cycle.pk).update(is_demo=False)
    assert _offers_to_copy(client.get(reverse("reporting:cycle-create")))


def _question(**typed):
    return {"text": "Fråga", "help_text": "", "kind": "long_text", "position": 0} | typed


def test_a_refused_new_question_comes_back_on_the_cycle_page_as_typed(client, strategist):
    """Not a redirect that loses it: the cycle's page again, the form open, what was typed
    in it and why it is refused under the field."""
    cycle = new_cycle()
    client.force_login(strategist)
    typed = _question(
        text="  Vilka grupper  nådde ni? ",
        help_text=" Kryssa i alla. ",
        kind="choices",
        choices="Barn\nÄldre\nBarn ",
    )
    response = client.post(reverse("reporting:question-add", args=[cycle.pk]), typed)
    assert response.status_code == 200
    page = response.content.decode()
    assert 'value="  Vilka grupper  nådde ni? "' in page
    assert 'value=" Kryssa i alla. "' in page
    assert ">\nBarn\nÄldre\nBarn </textarea>" in page
    assert '<option value="choices" selected>' in page
    assert "<details open>" in page
    assert "Alternativet ”Barn” står två gånger; skriv varje alternativ en gång." in (
        page_text(response)
    )
    assert not cycle.questions.exists()


@pytest.mark.parametrize("kind", ["choice", "choices"])
def test_a_question_with_choices_needs_one_and_each_once(client, strategist, kind):
    cycle = new_cycle()
    question = services.question_add(
        cycle=cycle, by=strategist, text="Vilka?", kind=kind, choices="Ja\nNej"
    )
    client.force_login(strategist)
    add = reverse("reporting:question-add", args=[cycle.pk])
    edit = reverse("reporting:question-edit", args=[cycle.pk, question.pk])
    for url in (add, edit):
        response = client.post(url, _question(text="Ny?", kind=kind, choices=" \n\n"))
        assert "En flervalsfråga behöver minst ett alternativ." in page_text(response), url
        response = client.post(url, _question(text="Ny?", kind=kind, choices="a\na"))
        assert response.status_code == 200
        assert "Alternativet ”a” står två gånger" in page_text(response), url
        assert 'value="Ny?"' in response.content.decode()
        # Alike but for capitals, two choices are one to the reader.
        response = client.post(url, _question(text="Ny?", kind=kind, choices="Ja\nnej\nja"))
        assert "Alternativet ”ja” står två gånger" in page_text(response), url
    assert list(cycle.questions.values_list("text", "choices")) == [("Vilka?", "Ja\nNej")]
    # The service refuses them too, whatever calls it.
    for choices in ("", "a\n a"):
        with pytest.raises(ValidationError):
            services.question_add(
                cycle=cycle, by=strategist, text="Ny?", kind=kind, choices=choices
            )
        with pytest.raises(ValidationError):
            services.question_edit(question=question, by=strategist, choices=choices)
    assert list(cycle.questions.values_list("text", "choices")) == [("Vilka?", "Ja\nNej")]


def test_adding_a_question_to_a_closed_cycle_says_why_not(client, strategist, cycle):
    """Its page offers no form then, so the refusal is a message, even for a form that
    would have been refused anyway."""
    Cycle.objects.filter(pk=cycle.pk).update(state=Cycle.State.CLOSED)
    client.force_login(strategist)
    url = reverse("reporting:question-add", args=[cycle.pk])
    for typed in (_question(text="Ny?"), _question(text="")):
        response = client.post(url, typed, follow=True)
        assert "Uppföljningen är avslutad." in page_text(response)
    assert not cycle.questions.exists()
