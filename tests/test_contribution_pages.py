"""The contribution pages: who may use them, and that nobody reads another's drafts."""

import datetime
import re
from decimal import Decimal
from urllib.parse import quote

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from programme.models import Indicator, IndicatorValue, Municipality, Organisation
from reporting import services
from reporting.content import MAX_ACTIONS, ActionContent, ContributionContent
from reporting.models import Answer, Contribution, Question
from reporting.services import WorkflowError, contribution_submit, request_add
from tests.factories import (
    COMPLETE,
    fill,
    form_data,
    form_fields,
    page_text,
    save,
    shown_in_section,
)

pytestmark = pytest.mark.django_db

READ_VIEWS = [
    "reporting:contribution-detail",
    "reporting:contribution-history",
]


def test_my_tasks_shows_what_is_asked_by_when(client, reporter_a, contribution_a):
    client.force_login(reporter_a)
    page = page_text(client.get(reverse("reporting:my-tasks")))
    assert "Uppföljning 2026 – Miljönämnden" in page
    assert "2.1 Minimera klimatpåverkan" in page
    # "inlämnade", as the strategists' pages count the same (submitted or approved):
    # "inskickat" is one state of the list beside it.
    assert "0 av 13 fokusområden inlämnade" in page
    html = client.get(reverse("reporting:my-tasks")).content.decode()
    assert 'aria-label="Inlämnade fokusområden"' in html  # its progress bar says the same
    assert "Helsingborgshem" not in page


def test_my_tasks_tells_a_draft_sent_back_from_one_never_handed_on(
    client, reporter_a, approver_a, contribution_a
):
    """Sent back by the approver, a contribution is a draft again: the list says why, so
    the reporter knows a comment waits, and says it until it is handed on again."""
    fill(contribution_a, reporter_a)
    services.contribution_mark_ready(contribution=contribution_a, by=reporter_a)
    services.contribution_send_back(
        contribution=contribution_a, by=approver_a, comment="Lägg till siffror."
    )
    other = contribution_a.cycle.contributions.get(
        organisation=contribution_a.organisation, focus_area__code="2.2"
    )
    fill(other, reporter_a)
    fill(contribution_a, reporter_a, done="Med siffror nu.")  # saving is not handing on
    for user in (reporter_a, approver_a):
        client.force_login(user)
        page = page_text(client.get(reverse("reporting:my-tasks")))
        assert "✎ utkast – tillbakaskickat av godkännaren" in page
        assert page.count("tillbakaskickat av godkännaren") == 1  # not 2.2, a plain draft
    services.contribution_mark_ready(contribution=contribution_a, by=reporter_a)
    page = page_text(client.get(reverse("reporting:my-tasks")))
    assert "tillbakaskickat" not in page


def test_a_reporter_saves_a_draft_through_the_form(client, reporter_a, contribution_a):
    client.force_login(reporter_a)
    url = reverse("reporting:contribution-edit", args=[contribution_a.pk])
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        form_data(
            contribution_a,
            done="Vi <script>alert(1)</script>har **bytt** bilar & <b>cyklar</b>.",
            **{
                "actions-0-title": "Elbilspool",
                "actions-0-status": "ongoing",
                "actions-0-groups": ["age", "children"],
                "actions-0-sdgs": ["7", "13"],
                "actions-0-reference": "KS 2026/123",
            },
        ),
    )
    assert response.status_code == 302
    contribution_a.refresh_from_db()
    # Stored exactly as typed ...
    assert contribution_a.done == "Vi <script>alert(1)</script>har **bytt** bilar & <b>cyklar</b>."
    action = contribution_a.actions.get()
    assert action.groups == ["age", "children"]
    assert sorted(action.sdgs.values_list("number", flat=True)) == [7, 13]
    page = client.get(
        reverse("reporting:contribution-detail", args=[contribution_a.pk])
    ).content.decode()
    # ... and shown as text: nothing of it runs or formats.
    assert "Vi &lt;script&gt;alert(1)&lt;/script&gt;har **bytt** bilar &amp; &lt;b&gt;" in page
    assert "<script>alert" not in page and "<b>cyklar" not in page
    assert "Elbilspool" in page
    # Its tab names the focus area as the form's does.
    area = contribution_a.focus_area
    assert f"<title>{area.code} {area.title} – Miljönämnden – Livskvalitet</title>" in page


def test_submit_button_path_and_missing_fields_message(client, approver_a, contribution_a):
    client.force_login(approver_a)
    url = reverse("reporting:contribution-edit", args=[contribution_a.pk])
    response = client.post(url, form_data(contribution_a, done="Text", submit="1"), follow=True)
    assert "Fyll i innan du skickar in" in response.content.decode()
    contribution_a.refresh_from_db()
    assert contribution_a.state == "draft"
    assert contribution_a.done == "Text"  # the draft was saved all the same
    response = client.post(url, form_data(contribution_a, submit="1", **COMPLETE))
    contribution_a.refresh_from_db()
    assert contribution_a.state == "submitted"


@pytest.mark.parametrize("view", [*READ_VIEWS, "reporting:contribution-edit"])
def test_another_organisations_draft_is_404_by_get(
    client, reporter_b, approver_a, contribution_a, view
):
    fill(contribution_a, approver_a)
    client.force_login(reporter_b)
    assert client.get(reverse(view, args=[contribution_a.pk])).status_code == 404


@pytest.mark.parametrize(
    "view",
    [
        "reporting:contribution-edit",
        "reporting:contribution-submit",
        "reporting:contribution-review",
    ],
)
def test_another_organisations_draft_cannot_be_changed_by_post(
    client, reporter_b, contribution_a, approver_a, view
):
    fill(contribution_a, approver_a)
    client.force_login(reporter_b)
    response = client.post(
        reverse(view, args=[contribution_a.pk]),
        form_data(contribution_a, done="Kapat", submit="1", approve="1"),
    )
    assert response.status_code == 404
    contribution_a.refresh_from_db()
    assert contribution_a.done == COMPLETE["done"]
    assert contribution_a.state == "draft"


def test_every_id_of_another_organisation_is_404(client, reporter_b, cycle, organisation_a):
    client.force_login(reporter_b)
    ids = cycle.contributions.filter(organisation=organisation_a).values_list("pk", flat=True)
    for pk in ids:
        for view in [*READ_VIEWS, "reporting:contribution-edit"]:
            assert client.get(reverse(view, args=[pk])).status_code == 404
        assert (
            client.get(reverse("reporting:contribution-version", args=[pk, 1])).status_code == 404
        )
    assert client.get(reverse("reporting:contribution-detail", args=[999999])).status_code == 404


def test_strategists_see_state_but_not_the_content_of_drafts(
    client, strategist, contribution_a, approver_a
):
    fill(contribution_a, approver_a)
    client.force_login(strategist)
    # The page shows the state and the thread, but not a word of the draft.
    page = client.get(reverse("reporting:contribution-detail", args=[contribution_a.pk]))
    assert page.status_code == 200
    assert COMPLETE["done"] not in page.content.decode()
    assert "inte lämnat över" in page_text(page)
    assert (
        client.get(reverse("reporting:contribution-edit", args=[contribution_a.pk])).status_code
        == 404
    )
    contribution_submit(contribution=contribution_a, by=approver_a)
    page = client.get(
        reverse("reporting:contribution-detail", args=[contribution_a.pk])
    ).content.decode()
    assert COMPLETE["done"] in page
    assert (
        client.get(reverse("reporting:contribution-edit", args=[contribution_a.pk])).status_code
        == 404
    )


def test_withdrawn_requests_disappear(client, reporter_a, contribution_a, strategist):
    from reporting.services import request_withdraw

    request_withdraw(contribution=contribution_a, by=strategist)
    client.force_login(reporter_a)
    assert (
        client.get(reverse("reporting:contribution-edit", args=[contribution_a.pk])).status_code
        == 404
    )
    request_add(
        cycle=contribution_a.cycle,
        organisation=contribution_a.organisation,
        focus_area=contribution_a.focus_area,
        by=strategist,
    )
    assert (
        client.get(reverse("reporting:contribution-edit", args=[contribution_a.pk])).status_code
        == 200
    )


@pytest.mark.parametrize(
    "name",
    [
        "reporting:my-tasks",
        "reporting:contribution-detail",
        "reporting:contribution-edit",
        "reporting:contribution-history",
        "reporting:review-queue",
        "reporting:cycle-list",
        "reporting:cycle-detail",
        "reporting:cycle-matrix",
    ],
)
def test_anonymous_visitors_are_sent_to_login(client, contribution_a, name):
    args = (
        []
        if name in ("reporting:my-tasks", "reporting:review-queue", "reporting:cycle-list")
        else [contribution_a.cycle_id if "cycle" in name else contribution_a.pk]
    )
    response = client.get(reverse(name, args=args))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize(
    ("name", "method"),
    [
        ("reporting:my-tasks", "post"),
        ("reporting:contribution-detail", "post"),
        ("reporting:contribution-history", "post"),
        ("reporting:contribution-submit", "get"),
        ("reporting:cycle-transition", "get"),
        ("reporting:cycle-due-date", "get"),
        ("reporting:question-add", "get"),
        ("reporting:contribution-edit", "put"),
        ("reporting:contribution-edit", "delete"),
    ],
)
def test_wrong_methods_are_refused(client, strategist, approver_a, contribution_a, name, method):
    client.force_login(approver_a if "cycle" not in name and "add" not in name else strategist)
    if name == "reporting:cycle-transition":
        args = [contribution_a.cycle_id, "review"]
    elif name in ("reporting:cycle-due-date", "reporting:question-add"):
        args = [contribution_a.cycle_id]
    elif name == "reporting:my-tasks":
        args = []
    else:
        args = [contribution_a.pk]
    response = getattr(client, method)(reverse(name, args=args))
    assert response.status_code == 405


def test_two_people_editing_the_same_contribution(client, reporter_a, approver_a, contribution_a):
    """The second save is not applied; its author sees both texts and chooses."""
    url = reverse("reporting:contribution-edit", args=[contribution_a.pk])
    contribution_a.refresh_from_db()
    opened = contribution_a.version
    client.force_login(approver_a)
    client.post(url, form_data(contribution_a, done="Godkännarens text"))
    client.force_login(reporter_a)
    response = client.post(url, form_data(contribution_a, version=opened, done="Rapportörens text"))
    assert response.status_code == 409
    page = page_text(response)
    # Theirs and mine side by side, the words that differ marked.
    assert "bara i den sparade: Godkännarens text" in page
    assert "bara i din: Rapportörens text" in page
    assert "sparades inte" in page
    contribution_a.refresh_from_db()
    assert contribution_a.done == "Godkännarens text"
    # Saving again from the form shown (which carries the new version) applies the choice.
    response = client.post(url, form_data(contribution_a, done="Rapportörens text"))
    contribution_a.refresh_from_db()
    assert contribution_a.done == "Rapportörens text"


def test_the_same_person_in_two_tabs_is_not_called_someone_else(
    client, reporter_a, approver_a, contribution_a
):
    """Saved first in another tab or window by the same user: the page says so, rather
    than naming the user as "the other person" who saved meanwhile."""
    url = reverse("reporting:contribution-edit", args=[contribution_a.pk])
    contribution_a.refresh_from_db()
    opened = contribution_a.version
    client.force_login(reporter_a)
    client.post(url, form_data(contribution_a, done="Första flikens text"))
    response = client.post(url, form_data(contribution_a, version=opened, done="Andra fliken"))
    assert response.status_code == 409
    page = page_text(response)
    assert "du sparade bidraget i ett annat fönster eller en annan flik" in page
    assert "den andra personen" not in page and "sparade bidraget medan du" not in page
    assert "Sparat under tiden" in page
    # Somebody else's save still names them.
    client.force_login(approver_a)
    response = client.post(url, form_data(contribution_a, version=opened, done="Godkännaren"))
    page = page_text(response)
    assert f"{reporter_a.get_full_name() or reporter_a.username} sparade bidraget" in page


def test_text_typed_while_someone_else_submitted_is_shown_not_lost(
    client, reporter_a, approver_a, contribution_a
):
    url = reverse("reporting:contribution-edit", args=[contribution_a.pk])
    contribution_a.refresh_from_db()
    opened = contribution_a.version
    fill(contribution_a, approver_a)
    contribution_submit(contribution=contribution_a, by=approver_a)
    client.force_login(reporter_a)
    response = client.post(url, form_data(contribution_a, version=opened, done="Min långa text"))
    assert response.status_code == 409
    page = response.content.decode()
    assert "Min långa text" in page
    assert "sparades inte" in page
    contribution_a.refresh_from_db()
    assert contribution_a.done == COMPLETE["done"]


def test_an_anonymous_post_stores_nothing_on_the_server(client, reporter_a, contribution_a):
    """What a user typed when the session ran out stays in their browser (keep-typed.js);
    an attacker posting large forms anonymously makes the server store nothing."""
    from django.contrib.sessions.models import Session

    url = reverse("reporting:contribution-edit", args=[contribution_a.pk])
    client.get(reverse("login"))
    for _ in range(3):
        response = client.post(url, form_data(contribution_a, done="x" * 200_000))
        assert response.status_code == 302
        assert response["Location"] == f"{reverse('login')}?next={url}"
    assert Session.objects.count() == 0
    contribution_a.refresh_from_db()
    assert contribution_a.done == "" and contribution_a.version == 0


def test_each_page_names_whose_kept_text_it_may_hold_without_naming_the_user(
    client, reporter_a, reporter_b
):
    """The browser keeps a copy for the user who typed it (keep-typed.js): every page says
    who that is by a value that is the same in each of the user's sessions, differs from
    any other user's, and names nobody; a page for a visitor not logged in says nobody."""

    def owner():
        page = client.get(reverse("reporting:my-tasks")).content.decode()
        return re.search(r'<body[^>]* data-typed-owner="([^"]*)"', page).group(1)

    client.force_login(reporter_a)
    first = owner()
    client.logout()
    client.force_login(reporter_a)  # a new session
    assert owner() == first
    client.force_login(reporter_b)
    other = owner()
    assert len(first) >= 32 and len(other) >= 32 and first != other
    for user in (reporter_a, reporter_b):
        assert user.username not in first + other and str(user.pk) not in (first, other)
    client.logout()
    login_page = client.get(reverse("login")).content.decode()
    assert 'data-typed-owner=""' in login_page


def test_an_anonymous_post_to_a_missing_contribution_stores_nothing(client):
    client.get(reverse("login"))
    client.post(reverse("reporting:contribution-edit", args=[987654]), {"done": "x" * 1000})
    assert "pending-contribution" not in client.session


def test_a_session_ends_after_a_working_day_without_activity(client, reporter_a, settings):
    import time

    from django.contrib.sessions.models import Session

    assert settings.SESSION_COOKIE_AGE == 9 * 60 * 60
    client.force_login(reporter_a)
    client.get(reverse("reporting:my-tasks"))
    session = Session.objects.get()
    left = (session.expire_date - timezone.now()).total_seconds()
    assert 8.9 * 3600 < left <= 9 * 3600
    # An hour later the next request moves the end of the session.
    stored = client.session
    stored["_last_refresh"] = int(time.time()) - 3600
    stored.save()
    Session.objects.update(expire_date=timezone.now() + datetime.timedelta(hours=8))
    client.get(reverse("reporting:my-tasks"))
    session.refresh_from_db()
    assert (session.expire_date - timezone.now()).total_seconds() > 8.9 * 3600


def test_custom_questions_appear_in_every_form_and_can_be_required(
    client, approver_a, contribution_a, strategist
):
    client.force_login(strategist)
    client.post(
        reverse("reporting:question-add", args=[contribution_a.cycle_id]),
        {
            "text": "Hur många deltog?",
            "kind": "number",
            "required": "on",
            "position": "1",
            "choices": "",
            "help_text": "",
        },
    )
    client.post(
        reverse("reporting:question-add", args=[contribution_a.cycle_id]),
        {
            "text": "Vilken nivå?",
            "kind": "choice",
            "choices": "Låg\nHög",
            "position": "2",
            "help_text": "",
        },
    )
    number, choice = Question.objects.order_by("position")
    client.force_login(approver_a)
    url = reverse("reporting:contribution-edit", args=[contribution_a.pk])
    page = client.get(url).content.decode()
    assert "Hur många deltog?" in page and "Hög" in page
    client.post(url, form_data(contribution_a, submit="1", **COMPLETE))
    contribution_a.refresh_from_db()
    assert contribution_a.state == "draft"
    client.post(
        url,
        form_data(
            contribution_a,
            submit="1",
            **COMPLETE,
            **{f"question_{number.pk}": "42", f"question_{choice.pk}": "Hög"},
        ),
    )
    contribution_a.refresh_from_db()
    assert contribution_a.state == "submitted"
    assert {a.question.text: a.value for a in contribution_a.answers.all()} == {
        "Hur många deltog?": "42",
        "Vilken nivå?": "Hög",
    }


def test_a_number_answer_is_checked_and_written_out(client, reporter_a, contribution_a):
    question = Question.objects.create(cycle=contribution_a.cycle, text="Hur många?", kind="number")
    client.force_login(reporter_a)
    url = reverse("reporting:contribution-edit", args=[contribution_a.pk])
    response = client.post(
        url, form_data(contribution_a, **{f"question_{question.pk}": "1e999999"})
    )
    assert response.status_code == 200 and "Ingenting sparades" in response.content.decode()
    assert not Answer.objects.exists()
    client.post(url, form_data(contribution_a, **{f"question_{question.pk}": "3,5"}))
    assert Answer.objects.get().value == "3.5"
    contribution_a.refresh_from_db()
    client.post(url, form_data(contribution_a, **{f"question_{question.pk}": "1e2"}))
    assert Answer.objects.get().value == "100"


def test_the_previous_cycles_answer_is_shown_beside_the_field(
    client, approver_a, contribution_a, strategist
):

    fill(contribution_a, approver_a, **{**COMPLETE, "done": "Förra gångens text"})
    contribution_submit(contribution=contribution_a, by=approver_a)
    new = asked_again_in_a_later_cycle(contribution_a, strategist)
    client.force_login(approver_a)
    page = page_text(client.get(reverse("reporting:contribution-edit", args=[new.pk])))
    assert "Ert svar i Uppföljning 2026" in page
    assert "Förra gångens text" in page


def test_a_previous_answer_never_approved_says_so(client, approver_a, contribution_a, strategist):
    """An earlier answer returned for correction, and never approved, is not one to copy
    as it stands: the hint beside the field says its state, as it says nothing of an
    approved one."""

    fill(contribution_a, approver_a, **{**COMPLETE, "done": "Förra gångens text"})
    contribution_submit(contribution=contribution_a, by=approver_a)
    services.contribution_return(
        contribution=contribution_a, by=strategist, comment="Siffrorna stämmer inte."
    )
    new = asked_again_in_a_later_cycle(contribution_a, strategist)
    client.force_login(approver_a)
    url = reverse("reporting:contribution-edit", args=[new.pk])
    page = page_text(client.get(url))
    assert "Ert svar i Uppföljning 2026 (återsänt, inte godkänt)" in page
    contribution_a.refresh_from_db()
    fill(contribution_a, approver_a, **COMPLETE)
    contribution_submit(contribution=contribution_a, by=approver_a)
    contribution_a.refresh_from_db()
    services.contribution_approve(contribution=contribution_a, by=strategist)
    page = page_text(client.get(url))
    assert "Ert svar i Uppföljning 2026" in page
    assert "inte godkänt" not in page


def test_history_lists_every_version_and_each_can_be_viewed(client, approver_a, contribution_a):
    fill(contribution_a, approver_a, done="Första")
    fill(contribution_a, approver_a, done="Andra")
    client.force_login(approver_a)
    page = client.get(
        reverse("reporting:contribution-history", args=[contribution_a.pk])
    ).content.decode()
    assert "Version 1" in page and "Version 2" in page
    page = client.get(
        reverse("reporting:contribution-version", args=[contribution_a.pk, 2])
    ).content.decode()
    assert '<del><span class="visually-hidden">borttaget: </span>Första</del>' in page
    assert '<ins><span class="visually-hidden">tillagt: </span>Andra</ins>' in page
    page = client.get(
        reverse("reporting:contribution-version", args=[contribution_a.pk, 1])
    ).content.decode()
    assert "Hela versionen" in page and "Vad som har gjorts Första" in page_text(page)
    assert (
        client.get(
            reverse("reporting:contribution-version", args=[contribution_a.pk, 9])
        ).status_code
        == 404
    )


def test_matrix_query_count_does_not_grow_with_organisations(client, strategist, cycle):
    url = reverse("reporting:cycle-matrix", args=[cycle.pk])
    client.force_login(strategist)
    client.get(url)
    with CaptureQueriesContext(connection) as small:
        assert client.get(url).status_code == 200
    for i in range(40):
        organisation = Organisation.objects.create(name=f"Testbolag {i}", kind="bolag")
        for area in cycle.programme.focus_areas.all()[:3]:
            Contribution.objects.create(cycle=cycle, organisation=organisation, focus_area=area)
    with CaptureQueriesContext(connection) as large:
        page = client.get(url).content.decode()
    assert "Testbolag 39" in page
    assert len(large) == len(small)


def test_cycle_page_query_count_does_not_grow_with_organisations(client, strategist, cycle):
    url = reverse("reporting:cycle-detail", args=[cycle.pk])
    client.force_login(strategist)
    client.get(url)
    with CaptureQueriesContext(connection) as small:
        assert client.get(url).status_code == 200
    for i in range(40):
        organisation = Organisation.objects.create(name=f"Testbolag {i}", kind="bolag")
        for area in cycle.programme.focus_areas.all()[:3]:
            Contribution.objects.create(cycle=cycle, organisation=organisation, focus_area=area)
    with CaptureQueriesContext(connection) as large:
        page = client.get(url).content.decode()
    assert "Testbolag 39" in page
    assert len(large) == len(small), [q["sql"] for q in large.captured_queries]


def test_the_cycle_page_links_each_organisation_to_a_page_of_its_requests(
    client, strategist, cycle, contribution_a, approver_a
):
    """One row per organisation on the cycle page; the organisation's page lists its
    requests (escaped, isolated), each withdraw button a form of its own, shown only
    where the workflow lets the request be withdrawn."""
    fill(contribution_a, approver_a, not_relevant=True, not_relevant_reason="<Inga fordon>")
    contribution_submit(contribution=contribution_a, by=approver_a)
    approved = cycle.contributions.get(
        organisation=contribution_a.organisation, focus_area__code="2.2"
    )
    Contribution.objects.filter(pk=approved.pk).update(state=Contribution.State.APPROVED)
    client.force_login(strategist)
    cycle_page = client.get(reverse("reporting:cycle-detail", args=[cycle.pk])).content.decode()
    url = reverse("reporting:cycle-organisation", args=[cycle.pk, contribution_a.organisation_id])
    assert f'<a href="{url}"><bdi>Miljönämnden</bdi></a>' in cycle_page
    assert "/aterkalla/" not in cycle_page and "Inga fordon" not in cycle_page
    page = client.get(url).content.decode()
    detail = reverse("reporting:contribution-detail", args=[contribution_a.pk])
    withdraw = reverse("reporting:request-withdraw", args=[cycle.pk, contribution_a.pk])
    assert f'<a href="{detail}">2.1 <bdi>' in page
    assert "inskickat</span> – inte relevant: <bdi>&lt;Inga fordon&gt;</bdi>" in page
    assert f'href="{withdraw}" aria-label="Återkalla 2.1 från Miljönämnden"' in page
    approved_withdraw = reverse("reporting:request-withdraw", args=[cycle.pk, approved.pk])
    assert approved_withdraw not in page  # an approved contribution is not withdrawn
    assert page.count("/aterkalla/") == 12
    response = client.post(withdraw)
    assert (response.status_code, response["Location"]) == (302, url)
    assert Contribution.objects.get(pk=contribution_a.pk).withdrawn


def test_the_form_costs_the_same_queries_whatever_the_contribution_holds(
    client, reporter_a, contribution_a
):
    """What is saved is read once for the form, its actions and what submitting needs."""
    url = reverse("reporting:contribution-edit", args=[contribution_a.pk])
    client.force_login(reporter_a)

    def queries_with(actions: int):
        save(
            contribution_a,
            reporter_a,
            done="Vi har bytt till elbilar.",
            actions=[{"title": "Insats 0", "status": "ongoing", "sdgs": [7, 13]}] * actions,
        )
        client.get(url)
        with CaptureQueriesContext(connection) as queries:
            page = client.get(url).content.decode()
        assert page.count('name="edit_action"') == actions  # each saved action, closed
        return queries

    one, many = queries_with(1), queries_with(6)
    # 22: two since issue 23, the indicators' targets and their comparison with all
    # municipalities (one query each, whatever the indicators hold).
    assert len(many) == len(one) <= 22, [q["sql"] for q in many.captured_queries]


def test_the_form_reads_no_figures_and_fetches_an_indicators_when_asked(
    client, reporter_a, reporter_b, contribution_a
):
    """The form has a comment field for each indicator but reads none of their values,
    shown or saved: an indicator's chart and figures come from their own address when
    its "chart and figures" is opened (static/js/figures.js), over the cycle's years, for
    those who may read the contribution, and only for its focus area's indicators."""
    indicator = Indicator.objects.filter(focus_area=contribution_a.focus_area, active=True).first()
    assert indicator is not None
    IndicatorValue.objects.create(
        indicator=indicator,
        municipality=Municipality.objects.get(code="1283"),
        year=2024,
        value=Decimal("3.5"),
    )
    url = reverse("reporting:contribution-edit", args=[contribution_a.pk])
    figures = reverse("reporting:contribution-indicator", args=[contribution_a.pk, indicator.pk])
    client.force_login(reporter_a)
    with CaptureQueriesContext(connection) as shown:
        page = client.get(url).content.decode()
    assert not any("programme_indicatorvalue" in q["sql"] for q in shown.captured_queries)
    assert f'<details data-figures="{figures}">' in page
    assert "3,5" not in page_text(page) and "<svg" not in page
    comment = f"indicator_{indicator.pk}"
    with CaptureQueriesContext(connection) as saved:
        response = client.post(url, sent_form(page, done="Sparat", **{comment: "Vår kommentar"}))
    assert response.status_code == 302
    assert not any("programme_indicatorvalue" in q["sql"] for q in saved.captured_queries)
    comments = ContributionContent.of(contribution_a).indicator_comments
    assert comments == {str(indicator.pk): "Vår kommentar"} or comments == {
        indicator.pk: "Vår kommentar"
    }

    assert Indicator.objects.filter(focus_area=contribution_a.focus_area, active=True).count() > 1
    with CaptureQueriesContext(connection) as fetched:
        fragment = client.get(figures)
    assert fragment.status_code == 200
    # This indicator's figures, not those of every indicator of the focus area.
    reads = [q["sql"] for q in fetched if 'FROM "programme_indicatorvalue"' in q["sql"]]
    assert len(reads) == 1 and f"IN ({indicator.pk})" in reads[0], reads
    html = fragment.content.decode()
    assert html.lstrip().startswith('<section class="indicator"') and "<html" not in html
    assert indicator.title in html and "3,5" in page_text(html) and "<svg" in html
    # Another focus area's indicator, another organisation's contribution, no login: 404
    # (or the login page), never the figures through this address.
    other = Indicator.objects.exclude(focus_area=contribution_a.focus_area).first()
    forged = reverse("reporting:contribution-indicator", args=[contribution_a.pk, other.pk])
    assert client.get(forged).status_code == 404
    client.force_login(reporter_b)
    assert client.get(figures).status_code == 404
    client.logout()
    assert client.get(figures).status_code == 302


def test_a_form_sent_without_its_security_check_is_refused_on_the_sites_own_page(
    client, reporter_a, contribution_a
):
    """A form sent without its CSRF token (the site's cookies removed while the page was
    open): nothing is saved, and the page says so in Swedish, in the site's layout, with
    no inline style the site's Content Security Policy would block."""
    client.handler.enforce_csrf_checks = True
    client.force_login(reporter_a)
    url = reverse("reporting:contribution-edit", args=[contribution_a.pk])
    response = client.post(url, form_data(contribution_a, done="Utan kontroll"))
    assert response.status_code == 403
    html = response.content.decode()
    assert '<html lang="sv">' in html and "<style" not in html and ' style="' not in html
    text = page_text(html)
    assert "Formuläret kunde inte skickas" in text and "Ingenting sparades" in text
    contribution_a.refresh_from_db()
    assert contribution_a.version == 0 and contribution_a.done == ""


THREE_ACTIONS = [
    {"title": "Elbilspool", "status": "ongoing", "sdgs": [7, 13], "groups": ["age"]},
    {"title": "Solceller", "status": "planned", "description": "På <tre> tak."},
    {"title": "Cykelgarage", "status": "completed", "reference": "Dnr 2026/12"},
]


def sent_form(page: str, **changes) -> dict:
    """The contribution form's fields as a browser sends them (no button, no file), with
    some changed."""
    return form_fields(page, "data-keep-typed", **changes)


def test_saved_actions_show_in_short_and_one_is_opened_for_changes(
    client, reporter_a, contribution_a
):
    """The form shows saved actions as summaries; "Change action 2" saves what was typed
    and opens action 2, whose changes are saved; the others keep what they hold."""
    save(contribution_a, reporter_a, actions=THREE_ACTIONS)
    client.force_login(reporter_a)
    url = reverse("reporting:contribution-edit", args=[contribution_a.pk])
    page = client.get(url).content.decode()
    text = page_text(page)
    assert "Elbilspool · pågående" in text
    assert "7. Hållbar energi för alla, 13. Bekämpa klimatförändringarna" in text
    assert "Solceller · planerad" in text and "På <tre> tak." in text
    assert "Dnr 2026/12" in text
    assert 'name="actions-0-title"' not in page  # closed: nothing of it to write in
    assert 'name="actions-3-title"' not in page  # a new one when asked for
    for number in (1, 2, 3):
        assert f'<button type="submit" name="edit_action" value="{number}"' in page

    # "Change action 2" saves the draft, text typed in the form included, and opens it.
    fields = sent_form(page, done="Skrivet före ändringen", edit_action="2")
    response = client.post(url, fields)
    assert response.status_code == 302
    assert response["Location"] == f"{url}?insats=2#insats-2"
    contribution_a.refresh_from_db()
    assert contribution_a.done == "Skrivet före ändringen"
    page = client.get(response["Location"]).content.decode()
    assert shown_in_section(page, "insats-2", "Utkastet är sparat. Ändra insatsen nedan.")
    assert 'name="actions-1-title" value="Solceller"' in page
    assert "På &lt;tre&gt; tak.</textarea>" in page
    assert 'name="actions-0-title"' not in page and 'name="actions-2-title"' not in page

    response = client.post(url, sent_form(page, **{"actions-1-title": "Solceller på skolor"}))
    assert response.status_code == 302
    actions = list(contribution_a.actions.order_by("position"))
    assert [a.title for a in actions] == ["Elbilspool", "Solceller på skolor", "Cykelgarage"]
    assert actions[0].groups == ["age"] and actions[2].reference == "Dnr 2026/12"
    assert sorted(actions[0].sdgs.values_list("number", flat=True)) == [7, 13]
    assert actions[1].description == "På <tre> tak."


def test_the_open_action_stays_open_through_a_login(client, reporter_a, contribution_a):
    """The form's address names the open action, so that the text the browser kept when
    the session ran out goes back into it after logging in (static/js/keep-typed.js)."""
    save(contribution_a, reporter_a, actions=THREE_ACTIONS)
    client.force_login(reporter_a)
    url = reverse("reporting:contribution-edit", args=[contribution_a.pk])
    page = client.get(f"{url}?insats=2").content.decode()
    assert f'action="{url}?insats=2"' in page
    fields = sent_form(page, **{"actions-1-title": "Skrivet när sessionen gått ut"})
    client.logout()
    response = client.post(f"{url}?insats=2", fields)
    assert response.status_code == 302
    assert response["Location"].endswith("?next=" + quote(f"{url}?insats=2"))
    assert contribution_a.actions.get(position=1).title == "Solceller"


def test_a_new_action_is_added_without_the_page_s_script(client, reporter_a, contribution_a):
    """ "Add another action" saves the draft and brings an empty action; the form's address
    says so, so that it comes back with it (after a login, say)."""
    client.force_login(reporter_a)
    url = reverse("reporting:contribution-edit", args=[contribution_a.pk])
    page = client.get(url).content.decode()
    assert 'name="actions-0-title"' not in page  # no action is rendered until asked for
    assert 'name="actions-TOTAL_FORMS" value="0"' in page
    response = client.post(url, sent_form(page, done="Skrivet först", add_action=""))
    # The page lands on the new action, with the word that the draft is saved.
    assert response["Location"] == f"{url}?nya=1#insats-1"
    page = client.get(response["Location"]).content.decode()
    assert 'name="actions-0-title"' in page and f'action="{url}?nya=1"' in page
    assert shown_in_section(page, "insats-1", "Utkastet är sparat. Skriv den nya insatsen nedan.")
    fields = sent_form(page, **{"actions-0-title": "Elbilspool"}, add_action="")
    response = client.post(url, fields)
    assert response["Location"] == f"{url}?nya=1#insats-2"  # after the one saved
    page = client.get(response["Location"]).content.decode()
    assert 'name="edit_action" value="1"' in page  # saved, in short
    assert 'name="actions-1-title"' in page and 'name="actions-0-title"' not in page
    contribution_a.refresh_from_db()
    assert contribution_a.done == "Skrivet först"
    assert [a.title for a in contribution_a.actions.all()] == ["Elbilspool"]


def test_a_form_sent_with_more_actions_than_a_contribution_holds_is_refused(
    client, reporter_a, contribution_a
):
    """A contribution holds at most MAX_ACTIONS actions: a form sent by hand with thousands
    of them is refused with a message (not validated and drawn again one by one, which kept
    the server busy for half a minute), and the page shows no more forms than that; the
    service refuses such a content whatever sends it."""
    client.force_login(reporter_a)
    url = reverse("reporting:contribution-edit", args=[contribution_a.pk])
    page = client.get(url).content.decode()
    fields = sent_form(page, done="Skrivet")
    fields["actions-TOTAL_FORMS"] = "99999999999999999999"
    response = client.post(url, fields)
    assert response.status_code == 200
    assert f"Ett bidrag kan ha högst {MAX_ACTIONS} insatser." in page_text(response)
    assert f'name="actions-{MAX_ACTIONS - 1}-title"' in response.content.decode()
    assert f'name="actions-{MAX_ACTIONS}-title"' not in response.content.decode()
    contribution_a.refresh_from_db()
    assert contribution_a.done == ""  # nothing saved
    content = ContributionContent.of(contribution_a)
    content.actions = [ActionContent(title=f"Insats {n}") for n in range(MAX_ACTIONS + 1)]
    with pytest.raises(WorkflowError, match=f"högst {MAX_ACTIONS} insatser"):
        services.contribution_save(
            contribution=contribution_a,
            content=content,
            expected_version=contribution_a.version,
            by=reporter_a,
        )
    assert not contribution_a.actions.exists()


def test_a_closed_action_keeps_what_is_saved_whatever_is_sent(client, reporter_a, contribution_a):
    save(contribution_a, reporter_a, actions=THREE_ACTIONS)
    client.force_login(reporter_a)
    url = reverse("reporting:contribution-edit", args=[contribution_a.pk])
    page = client.get(url).content.decode()
    fields = sent_form(page, **{"actions-0-title": "Skrivet över", "actions-0-sdgs": "1"})
    assert client.post(url, fields).status_code == 302
    action = contribution_a.actions.get(position=0)
    assert action.title == "Elbilspool"
    assert sorted(action.sdgs.values_list("number", flat=True)) == [7, 13]


def test_a_closed_action_is_removed_and_the_right_one_opens_after_it(
    client, reporter_a, contribution_a
):
    save(contribution_a, reporter_a, actions=THREE_ACTIONS)
    client.force_login(reporter_a)
    url = reverse("reporting:contribution-edit", args=[contribution_a.pk])
    page = client.get(url).content.decode()
    # Action 1 ticked for removal, then "Change action 3": it is action 2 once saved.
    response = client.post(url, sent_form(page, **{"actions-0-DELETE": "on", "edit_action": "3"}))
    assert response["Location"] == f"{url}?insats=2#insats-2"
    assert [a.title for a in contribution_a.actions.order_by("position")] == [
        "Solceller",
        "Cykelgarage",
    ]
    page = client.get(response["Location"]).content.decode()
    assert 'name="actions-1-title" value="Cykelgarage"' in page


def test_an_open_action_with_errors_stays_open_with_what_was_typed(
    client, reporter_a, contribution_a
):
    save(contribution_a, reporter_a, actions=THREE_ACTIONS)
    client.force_login(reporter_a)
    url = reverse("reporting:contribution-edit", args=[contribution_a.pk])
    page = client.get(f"{url}?insats=1").content.decode()
    typed = "Ny beskrivning\nmed två rader"
    fields = sent_form(page, **{"actions-0-title": "", "actions-0-description": typed})
    response = client.post(url, fields)
    page = response.content.decode()
    assert response.status_code == 200
    assert 'href="#id_actions-0-title">Insats 1, Titel' in page
    assert "Ny beskrivning\nmed två rader</textarea>" in page
    assert 'name="actions-1-title"' not in page  # the others stay closed
    assert contribution_a.actions.get(position=0).title == "Elbilspool"


def breadcrumb(response) -> tuple[str, list[str]]:
    """The page's breadcrumb: its words and its links."""
    html = response.content.decode()
    start = html.find('<ol class="breadcrumb">')
    if start == -1:
        return "", []
    trail = html[start : html.find("</ol>", start)]
    return page_text(trail), re.findall(r'href="([^"]+)"', trail)


def test_the_contribution_s_page_leads_back_to_where_each_role_finds_it(
    client, reporter_a, approver_a, strategist, cycle, contribution_a
):
    """Members come from their tasks, strategists from the cycle's page of the organisation;
    once the cycle is closed the contribution is no longer among the members' tasks."""
    fill(contribution_a, approver_a)
    contribution_submit(contribution=contribution_a, by=approver_a)
    url = reverse("reporting:contribution-detail", args=[contribution_a.pk])
    tasks = reverse("reporting:my-tasks")
    for member in (reporter_a, approver_a):
        client.force_login(member)
        assert breadcrumb(client.get(url)) == ("Mina uppgifter 2.1", [tasks])
    client.force_login(strategist)
    assert breadcrumb(client.get(url)) == (
        "Uppföljningar Uppföljning 2026 Miljönämnden 2.1",
        [
            reverse("reporting:cycle-list"),
            reverse("reporting:cycle-detail", args=[cycle.pk]),
            reverse(
                "reporting:cycle-organisation", args=[cycle.pk, contribution_a.organisation_id]
            ),
        ],
    )
    services.cycle_start_review(cycle=cycle, by=strategist)
    services.cycle_close(cycle=cycle, by=strategist)
    client.force_login(approver_a)
    assert breadcrumb(client.get(url)) == ("", [])


def test_the_matrix_shows_every_change_at_once(
    client, strategist, cycle, contribution_a, approver_a, organisation_a
):
    """Its rows are kept rendered under what they show, so a new state, a withdrawn
    request, a renamed organisation or another language shows at the next look."""
    from reporting.services import request_withdraw

    client.force_login(strategist)
    url = reverse("reporting:cycle-matrix", args=[cycle.pk])
    detail = reverse("reporting:contribution-detail", args=[contribution_a.pk])

    def cell():
        page = client.get(url).content.decode()
        start = page.find(f'<a href="{detail}"')
        return page[start : page.find("</a>", start)] if start >= 0 else None

    assert cell() == (
        f'<a href="{detail}" title="2.1: inte påbörjat">'
        '<span class="visually-hidden">Miljönämnden, 2.1: </span>'
        '<span class="state state-not_started"><span aria-hidden="true">○</span> '
        '<span class="visually-hidden">inte påbörjat</span></span>'
    )
    fill(contribution_a, approver_a, not_relevant=True, not_relevant_reason="Inte vårt")
    assert 'title="2.1: utkast"' in cell()  # a draft's answer is not the strategist's to read
    contribution_submit(contribution=contribution_a, by=approver_a)
    assert 'title="2.1: inskickat, inte relevant"' in cell()
    assert '<span class="visually-hidden">, inte relevant</span>' in cell()
    organisation_a.name = "Miljö- och hälsoskyddsnämnden"
    organisation_a.save()
    assert "Miljö- och hälsoskyddsnämnden, 2.1: " in cell()
    client.cookies["django_language"] = "en"
    assert 'title="2.1: submitted, not relevant"' in cell()
    request_withdraw(contribution=contribution_a, by=strategist)
    assert cell() is None


def test_matrix_filters(client, strategist, cycle, contribution_a, approver_a):
    fill(contribution_a, approver_a)
    contribution_submit(contribution=contribution_a, by=approver_a)
    client.force_login(strategist)
    url = reverse("reporting:cycle-matrix", args=[cycle.pk])
    page = client.get(url, {"state": "submitted"}).content.decode()
    assert "Miljönämnden" in page and "Öresundskraft AB" not in page
    page = client.get(url, {"kind": "bolag"}).content.decode()
    assert "Öresundskraft AB" in page and "Miljönämnden" not in page
    assert client.get(url, {"kind": "<script>", "state": "nonsense"}).status_code == 200


def test_the_matrix_filter_is_a_form_of_its_own(
    client, strategist, cycle, contribution_a, approver_a
):
    """Its fields are the form's (MatrixFilter), rendered by crispy: each label for its
    field, the choice made kept, and a value it does not offer said under its field and
    not used, while the other fields still filter; the links' parameter names stay."""
    fill(contribution_a, approver_a)
    contribution_submit(contribution=contribution_a, by=approver_a)
    client.force_login(strategist)
    url = reverse("reporting:cycle-matrix", args=[cycle.pk])
    page = client.get(url, {"kind": "nämnd", "state": "submitted", "overdue": "1"})
    text = page.content.decode()
    for name in ("kind", "state", "overdue"):
        assert re.search(rf'<label\s+for="id_{name}"', text), name
        assert f'name="{name}"' in text
    assert re.search(r'<option value="nämnd"\s+selected>', text)
    assert re.search(r'<option value="submitted"\s+selected>', text)
    assert re.search(r'<input[^>]*name="overdue"[^>]*checked', text)
    # A value it does not offer: said under its field, the others still used.
    page = client.get(url, {"kind": "bolag", "state": "nonsense"})
    assert page.status_code == 200
    assert "Välj ett giltigt alternativ." in page_text(page)
    assert "Öresundskraft AB" in page_text(page) and "Miljönämnden" not in page_text(page)


def test_review_queue_and_pages_render_for_strategists(
    client, strategist, contribution_a, approver_a
):
    fill(contribution_a, approver_a)
    contribution_submit(contribution=contribution_a, by=approver_a)
    client.force_login(strategist)
    page = page_text(client.get(reverse("reporting:review-queue")))
    assert "Miljönämnden – 2.1" in page
    for name in ["reporting:cycle-list"]:
        assert client.get(reverse(name)).status_code == 200
    assert (
        client.get(reverse("reporting:cycle-detail", args=[contribution_a.cycle_id])).status_code
        == 200
    )
    assert (
        client.get(reverse("reporting:contribution-review", args=[contribution_a.pk])).status_code
        == 200
    )


def test_form_errors_are_summarised_for_screen_readers_and_nothing_is_saved(
    client, reporter_a, contribution_a
):
    client.force_login(reporter_a)
    url = reverse("reporting:contribution-edit", args=[contribution_a.pk])
    response = client.post(
        url,
        form_data(contribution_a, done="Sparas inte", **{"actions-0-description": "Utan titel"}),
    )
    page = response.content.decode()
    assert 'role="alert"' in page
    assert 'href="#id_actions-0-title"' in page
    assert "Insats 1, Titel" in page
    contribution_a.refresh_from_db()
    assert contribution_a.done == ""


def test_the_matrix_counts_and_finds_withdrawn_requests(
    client, strategist, cycle, contribution_a, organisation_a
):
    """Its legend and its state filter offer "withdrawn": a withdrawn request is shown as
    one (not as a request never made), counted there, and not among those asked."""
    from reporting.services import request_withdraw

    request_withdraw(contribution=contribution_a, by=strategist)
    client.force_login(strategist)
    url = reverse("reporting:cycle-matrix", args=[cycle.pk])
    page = page_text(client.get(url))
    assert "⊘ Återkallad: 1" in page
    assert "Miljönämnden, 2.1: ⊘ återkallad" in page
    asked = cycle.contributions.filter(organisation=organisation_a, withdrawn=False).count()
    assert f"Miljönämnden 0 / {asked}" in page
    page = page_text(client.get(url, {"state": "withdrawn"}))
    assert "Miljönämnden" in page and "Öresundskraft AB" not in page


def test_the_history_and_version_pages_lead_back_through_the_contribution(
    client, reporter_a, approver_a, strategist, cycle, contribution_a
):
    """They had only 'Tillbaka till bidraget' (history) or nothing (a version): now the
    contribution's trail, for each role, then the contribution, then the page."""
    fill(contribution_a, approver_a)
    contribution_submit(contribution=contribution_a, by=approver_a)
    detail = reverse("reporting:contribution-detail", args=[contribution_a.pk])
    history = reverse("reporting:contribution-history", args=[contribution_a.pk])
    version = reverse("reporting:contribution-version", args=[contribution_a.pk, 1])
    tasks = reverse("reporting:my-tasks")
    client.force_login(approver_a)
    assert breadcrumb(client.get(history)) == (
        "Mina uppgifter 2.1 Sparade versioner",
        [tasks, detail],
    )
    assert breadcrumb(client.get(version)) == (
        "Mina uppgifter 2.1 Sparade versioner Version 1",
        [tasks, detail, history],
    )
    client.force_login(strategist)
    organisation = [
        reverse("reporting:cycle-list"),
        reverse("reporting:cycle-detail", args=[cycle.pk]),
        reverse("reporting:cycle-organisation", args=[cycle.pk, contribution_a.organisation_id]),
    ]
    submitted = contribution_a.versions.order_by("number").last().number
    assert breadcrumb(
        client.get(reverse("reporting:contribution-version", args=[contribution_a.pk, submitted]))
    ) == (
        f"Uppföljningar Uppföljning 2026 Miljönämnden 2.1 Sparade versioner Version {submitted}",
        [*organisation, detail, history],
    )
    # Once the cycle is closed the members' tasks no longer list it: the way back is the
    # contribution itself.
    services.cycle_start_review(cycle=cycle, by=strategist)
    services.cycle_close(cycle=cycle, by=strategist)
    client.force_login(approver_a)
    assert breadcrumb(client.get(history)) == ("2.1 Sparade versioner", [detail])


@pytest.mark.parametrize("version", ["abc", ""])
def test_a_broken_version_says_the_page_is_out_of_date(client, reporter_a, contribution_a, version):
    """The hidden version is never wrong unless the page is broken or forged: nothing is
    saved, and the page says what to do rather than 'Version: enter a whole number'."""
    client.force_login(reporter_a)
    url = reverse("reporting:contribution-edit", args=[contribution_a.pk])
    response = client.post(url, form_data(contribution_a, done="Min text", version=version))
    assert response.status_code == 200
    text = page_text(response)
    assert (
        "Ingenting sparades. Rätta detta: Sidan är inaktuell och ingenting sparades. Kopiera "
        "det du skrev, ladda om sidan och spara igen."
    ) in text
    assert "Version:" not in text
    assert "Min text</textarea>" in response.content.decode()
    contribution_a.refresh_from_db()
    assert contribution_a.done == ""


def test_my_tasks_in_the_review_says_reporting_has_ended(
    client, strategist, reporter_a, contribution_a
):
    """Once the review starts, reporting is over: no days are left to count, and a draft
    can no longer be handed over, which the list says rather than offering its form."""
    fill(contribution_a, reporter_a)
    services.cycle_start_review(cycle=contribution_a.cycle, by=strategist)
    client.force_login(reporter_a)
    page = page_text(client.get(reverse("reporting:my-tasks")))
    assert "Rapporteringen är avslutad" in page
    assert "kvar" not in page
    assert "✎ utkast – kan inte längre lämnas in" in page
    edit = reverse("reporting:contribution-edit", args=[contribution_a.pk])
    assert edit not in client.get(reverse("reporting:my-tasks")).content.decode()
    # The strategists' panel counts no days left either: it says what is left to hand over.
    client.force_login(strategist)
    page = page_text(client.get(reverse("reporting:my-tasks")))
    ended = "Rapporteringen är avslutad: uppföljningen granskas."
    assert f"{ended} 208 av 208 förfrågningar lämnades inte in." in page
    assert "dagar kvar" not in page and "dag kvar" not in page


def asked_again_in_a_later_cycle(contribution, strategist):
    """The same organisation's request about the same focus area in a cycle opened later."""
    import datetime

    from reporting.models import Cycle
    from reporting.services import cycle_open

    later = Cycle.objects.create(
        programme=contribution.cycle.programme,
        title="Uppföljning 2028",
        first_year=2027,
        last_year=2028,
        opens_on=datetime.date(2028, 1, 10),
        due_on=datetime.date(2099, 3, 1),
    )
    cycle_open(cycle=later, by=strategist)
    return later.contributions.get(
        organisation=contribution.organisation, focus_area=contribution.focus_area
    )
