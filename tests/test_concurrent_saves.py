"""Two people saving a text that does not exist yet at the same moment (PostgreSQL, two
connections): the second is told that the text changed meanwhile, as after any edit
conflict, and its text is shown beside the first; never a 500 (IntegrityError on the table's
unique constraint) that loses what was typed. A row that is not there yet cannot be locked:
each service locks the row it belongs to (the cycle, the programme) first."""

import contextlib
import threading

import pytest
from django.db import connection, connections

from programme.models import Organisation, Responsibility
from programme.services import ResponsibilityConflict, responsibilities_set
from reporting.models import ReportText, Synthesis
from reporting.report.compile import TextChangedMeanwhile, report_text_save, synthesis_save

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite locks the whole file"),
]


def at_the_same_moment(monkeypatch, model, *saves):
    """Run the saves in threads of their own that each read before either writes: both
    wait at ``model``'s save for the other (a while: a save that waits for a lock never
    comes). Returns what each returned or raised."""
    barrier = threading.Barrier(len(saves))
    original = model.save

    def save(self, *args, **kwargs):
        # Broken: the other waits for a lock this transaction holds.
        with contextlib.suppress(threading.BrokenBarrierError):
            barrier.wait(timeout=3)
        return original(self, *args, **kwargs)

    monkeypatch.setattr(model, "save", save)
    outcomes = [None] * len(saves)

    def run(index, call):
        try:
            outcomes[index] = call()
        except Exception as error:  # noqa: BLE001 - what the test looks at
            outcomes[index] = error
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i, call)) for i, call in enumerate(saves)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return outcomes


def one_saved_one_told(outcomes, refusal):
    kinds = sorted(type(outcome).__name__ for outcome in outcomes)
    assert sum(isinstance(outcome, refusal) for outcome in outcomes) == 1, kinds
    assert not any(
        isinstance(outcome, Exception) and not isinstance(outcome, refusal) for outcome in outcomes
    ), outcomes


def test_two_new_syntheses_of_a_focus_area(monkeypatch, cycle, strategist):
    area = cycle.programme.focus_areas.get(code="2.1")

    def analyse(text):
        return lambda: synthesis_save(
            cycle=cycle,
            focus_area=area,
            analysis=text,
            assessment="positive",
            highlighted=[],
            by=strategist,
            revision=0,  # both opened the form before anything was saved
        )

    outcomes = at_the_same_moment(monkeypatch, Synthesis, analyse("Min analys."), analyse("Din."))
    one_saved_one_told(outcomes, TextChangedMeanwhile)
    refused = next(o for o in outcomes if isinstance(o, TextChangedMeanwhile))
    saved = Synthesis.objects.get(cycle=cycle, focus_area=area)
    assert refused.current.analysis == saved.analysis  # shown beside the refused text


def test_two_new_report_texts(monkeypatch, cycle, strategist):
    def write(text):
        return lambda: report_text_save(
            cycle=cycle, part="further_work", text=text, ready=False, revision=0, by=strategist
        )

    outcomes = at_the_same_moment(monkeypatch, ReportText, write("Min text."), write("Din."))
    one_saved_one_told(outcomes, TextChangedMeanwhile)
    assert ReportText.objects.filter(cycle=cycle, part="further_work").count() == 1


def test_two_new_responsibilities_of_one_cell(monkeypatch, programme_data, administrator):
    from programme.models import Programme

    programme = Programme.objects.first()
    area = programme.focus_areas.first()
    organisation = (
        Organisation.objects.of_programme(programme)
        .reporting()
        .exclude(responsibilities__focus_area=area)[0]
    )
    cell = (organisation.pk, area.pk)

    def set_role(role):
        return lambda: responsibilities_set(
            programme=programme, changes={cell: role}, seen={cell: ""}, by=administrator
        )

    outcomes = at_the_same_moment(
        monkeypatch, Responsibility, set_role("lead"), set_role("contributing")
    )
    one_saved_one_told(outcomes, ResponsibilityConflict)
    assert Responsibility.objects.filter(organisation=organisation, focus_area=area).count() == 1
