"""Text is kept as typed and made safe when shown, by one rule everywhere
(livskvalitet/core/text.py)."""

import pytest
from django.urls import reverse

from livskvalitet.core.text import as_typed, isolated, render_text
from reporting.content import ContributionContent
from tests.factories import COMPLETE, form_data

pytestmark = pytest.mark.django_db

AS_TYPED = ["x<y och y>z", "<Miljöplan 2030>", "a &lt;b&gt; c", "<script>alert(1)</script>"]


def test_only_line_endings_change_on_save():
    for text in AS_TYPED:
        assert as_typed(text) == text
    assert as_typed("rad ett\r\nrad två\rtre") == "rad ett\nrad två\ntre"


@pytest.mark.parametrize("typed", AS_TYPED)
def test_text_survives_a_save_through_the_form_unchanged(client, reporter_a, contribution_a, typed):
    client.force_login(reporter_a)
    url = reverse("reporting:contribution-edit", args=[contribution_a.pk])
    client.post(
        url,
        form_data(
            contribution_a,
            done=typed,
            results=f"Före\r\n\r\n{typed}",
            **{"actions-0-title": typed, "actions-0-description": typed},
        ),
    )
    contribution_a.refresh_from_db()
    assert contribution_a.done == typed
    assert contribution_a.results == f"Före\n\n{typed}"
    action = contribution_a.actions.get()
    assert (action.title, action.description) == (typed, typed)
    assert contribution_a.versions.latest("number").data["done"] == typed
    # In the form again: what was typed, to be saved again unchanged.
    page = client.get(url).content.decode()
    assert page.count(escape(typed)) >= 4
    assert "<script>alert(1)</script>" not in page


def escape(text):
    from django.utils.html import escape as django_escape

    return django_escape(text)


def test_shown_escaped_never_as_markup():
    html = render_text('<script>alert(1)</script> <img src=x onerror=alert(1)> <a rel="x">l</a>')
    assert "<script" not in html and "<img" not in html and "<a rel" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert render_text("a &lt;b&gt; c") == '<p dir="auto">a &amp;lt;b&amp;gt; c</p>'


def test_paragraphs_lines_lists_and_links_without_syntax_to_learn():
    html = render_text(
        "Första stycket\nmed en radbrytning.\n\n- ett\n- två\n\n1. först\n2. sedan\n\n"
        "Se https://helsingborg.se/livskvalitet. **Inte fet** [inte](länk) ![inte](bild)"
    )
    assert '<p dir="auto">Första stycket<br>med en radbrytning.</p>' in html
    assert '<ul><li dir="auto">ett</li><li dir="auto">två</li></ul>' in html
    assert '<ol><li dir="auto">först</li><li dir="auto">sedan</li></ol>' in html
    assert (
        '<a href="https://helsingborg.se/livskvalitet" rel="noopener noreferrer nofollow">'
        "https://helsingborg.se/livskvalitet</a>." in html
    )
    assert "**Inte fet** [inte](länk) ![inte](bild)" in html
    assert render_text("") == "" and render_text(None) == ""


def test_links_are_only_web_addresses():
    html = render_text('javascript:alert(1) https://x.se/?a=1&b="2" data:text/html,x')
    assert 'href="javascript' not in html and 'href="data' not in html
    assert 'href="https://x.se/?a=1&amp;b=&quot;2&quot;"' in html


def test_a_web_address_stops_before_a_bracket():
    # A citation typed right after an address ("https://example.se/[#67: Fler]") is the
    # strategist's, not part of the address: inside the link it would become markup in
    # the link's href (reporting/report/citations.py).
    html = render_text("Se https://example.se/[#67: Fler]onmouseover=x och mer")
    assert '<a href="https://example.se/" rel="noopener noreferrer nofollow">' in html
    assert "https://example.se/</a>[#67: Fler]onmouseover=x och mer" in html


def test_inline_text_is_isolated_from_the_words_around_it():
    assert isolated("\u202eabc") == "<bdi>\u202eabc</bdi>"
    assert isolated("<b>") == "<bdi>&lt;b&gt;</bdi>"


MARKUP = "![x](https://evil.example/x.png) [klicka](https://evil.example) <a rel=x>länk</a> **fet**"


def test_one_rule_in_every_field_of_the_report(
    strategist, approver_a, contribution_a, cycle, client
):
    """Good examples, indicator comments, answers and the texts all show markup as text."""
    from programme.models import Indicator
    from reporting import services
    from reporting.models import Question
    from reporting.report import pdf
    from reporting.report.data import report_data

    question = Question.objects.create(cycle=cycle, text="Fråga", kind="long_text")
    indicator = Indicator.objects.filter(focus_area=contribution_a.focus_area).first()
    contribution_a.refresh_from_db()
    services.contribution_save(
        contribution=contribution_a,
        content=ContributionContent.of(contribution_a).replaced(
            actions=[{"title": "Insats", "status": "completed", "description": MARKUP}],
            answers={question: MARKUP},
            indicator_comments={indicator: MARKUP},
            **{**COMPLETE, "done": MARKUP, "challenges": MARKUP},
        ),
        expected_version=contribution_a.version,
        by=approver_a,
    )
    services.contribution_submit(contribution=contribution_a, by=approver_a)
    services.contribution_approve(contribution=contribution_a, by=strategist)
    from reporting.report.compile import synthesis_save

    synthesis_save(
        cycle=cycle,
        focus_area=contribution_a.focus_area,
        analysis=MARKUP,
        assessment="positive",
        highlighted=list(contribution_a.actions.all()),
        by=strategist,
    )
    html = pdf.render_html(report_data(cycle))
    shown = render_text(MARKUP)
    # Analysis, good example, done, challenges, the answer, the indicator comment, and the
    # action's description in Bilaga 2.
    assert html.count(shown) == 7, [html[max(0, i - 200) : i] for i in find_all(html, shown)]
    # No image is loaded, no markup link is made: the addresses show as what they are.
    assert "<img" not in html
    assert ">klicka</a>" not in html and "[klicka](" in html


def find_all(text, part):
    start = text.find(part)
    while start != -1:
        yield start
        start = text.find(part, start + 1)
