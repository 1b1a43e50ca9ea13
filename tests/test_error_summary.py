"""A form sent with a mistake comes back with the error summary of the contribution form on
every page (templates/_error_summary.html, shown by base.html): at the top of the page,
taking the keyboard's focus, each error a link to its field, and the page's title starting
with "Fel:" so that a screen reader says so at once."""

import lxml.html
import pytest
from django.urls import reverse

from tests.factories import form_data, page_text

pytestmark = pytest.mark.django_db


def _summary(response):
    """The page's title and its error summary: (focused, heading, [(text, link)])."""
    assert response.status_code == 200
    page = lxml.html.fromstring(response.content)
    title = page.xpath("string(//title)")
    summaries = page.xpath("//main//*[@id='error-summary']")
    if not summaries:
        return title, None
    (summary,) = summaries
    # Above the page's own content: the first thing in <main> after its messages.
    assert summary.getparent().tag == "main"
    items = [
        (" ".join(li.text_content().split()), li.xpath("string(.//a/@href)") or None)
        for li in summary.xpath(".//li")
    ]
    for _text, link in items:
        if link:  # each link leads to a field of the page
            assert page.xpath(f"//*[@id='{link[1:]}']"), link
    heading = " ".join(summary.xpath("string(.//h2)").split())
    return title, (summary.get("autofocus") is not None, heading, items)


def test_publishing_without_the_confirmations_has_the_summary(client, strategist, report):
    client.force_login(strategist)
    url = reverse("reporting:report-publish", args=[report.cycle_id, 1])
    title, summary = _summary(client.get(url))
    assert summary is None and not title.startswith("Fel")
    title, (focused, heading, items) = _summary(client.post(url, {}))
    assert title.startswith("Fel: Publicera version 1")
    assert focused
    assert heading == "Ingenting publicerades. Rätta detta:"
    # The cycle is open, its requests not submitted: that is accepted too, in its box.
    assert [link for _text, link in items] == ["#id_confirm", "#id_accept_gaps"]
    assert items[0][0].endswith("Kryssa i rutan för att bekräfta publiceringen.")
    assert items[1][0].endswith("Kryssa i rutan för att godta det som versionen saknar.")
    # A label that is a sentence keeps one stop before the error, not ".:".
    assert all(".:" not in text for text, _link in items), items


def test_a_label_ending_in_a_stop_is_named_without_it():
    from django import forms
    from django.utils.safestring import mark_safe

    from livskvalitet.core.templatetags.livskvalitet import _form_entries

    class Sentences(forms.Form):
        plain = forms.BooleanField(label="Jag har läst listan.")
        marked = forms.BooleanField(label=mark_safe('<span lang="sv">Jag godtar det.</span>'))

    entries = _form_entries(Sentences({}))
    assert [str(text) for _link, text in entries] == [
        "Jag har läst listan: Detta fält måste fyllas i.",
        '<span lang="sv">Jag godtar det.</span>: Detta fält måste fyllas i.',
    ]


def test_a_new_question_refused_has_the_summary_on_the_cycle_page(client, strategist, cycle):
    client.force_login(strategist)
    response = client.post(reverse("reporting:question-add", args=[cycle.pk]), {"kind": "text"})
    title, (focused, heading, items) = _summary(response)
    assert title.startswith("Fel: ")
    assert focused and heading == "Ingenting sparades. Rätta detta:"
    assert items[0] == ("Fråga: Detta fält måste fyllas i.", "#id_text")
    # The other forms of the cycle page, not sent, say nothing.
    assert "Ange ett giltigt datum" not in page_text(response)


def test_a_new_cycle_refused_has_the_summary(client, strategist, programme_data):
    client.force_login(strategist)
    title, (focused, _heading, items) = _summary(
        client.post(reverse("reporting:cycle-create"), {"title": ""})
    )
    assert title.startswith("Fel: ")
    assert focused
    assert "#id_title" in [link for _text, link in items]


def test_a_request_refused_has_the_summary(client, strategist, cycle):
    client.force_login(strategist)
    title, (focused, _heading, items) = _summary(
        client.post(
            reverse("reporting:request-add", args=[cycle.pk]),
            {"organisation": "", "focus_area": ""},
        )
    )
    assert title.startswith("Fel: ")
    assert focused
    assert [link for _text, link in items] == ["#id_organisation", "#id_focus_area"]


def test_the_contribution_form_keeps_its_summary_naming_the_action(
    client, reporter_a, contribution_a
):
    client.force_login(reporter_a)
    url = reverse("reporting:contribution-edit", args=[contribution_a.pk])
    page = client.get(url)
    assert _summary(page)[1] is None
    data = form_data(contribution_a, done="å" * 20001, **{"actions-0-title": "T" * 301})
    title, (focused, heading, items) = _summary(client.post(url, data))
    assert title.startswith("Fel: ")
    assert focused and heading == "Ingenting sparades. Rätta detta:"
    texts = [text for text, _link in items]
    assert [link for _text, link in items] == ["#id_done", "#id_actions-0-title"]
    assert texts[1].startswith("Insats 1, Titel: ")


def _field_error(response, name):
    """The field's error as a screen reader meets it: (aria-invalid, the texts its
    aria-describedby names, marked red)."""
    page = lxml.html.fromstring(response.content)
    (field,) = page.xpath(f"//*[@name='{name}']")
    described = [
        " ".join(page.xpath(f"string(//*[@id='{id}'])").split())
        for id in (field.get("aria-describedby") or "").split()
    ]
    return field.get("aria-invalid"), described, "is-invalid" in field.get("class", "")


@pytest.mark.parametrize(
    "where, name, data",
    [
        ("report-text-edit", "text", {"revision": 0}),
        ("synthesis-edit", "analysis", {"assessment": "positive", "revision": 0}),
    ],
)
def test_a_citation_that_does_not_hold_is_the_error_of_its_text_field(
    client, strategist, cycle, where, name, data
):
    client.force_login(strategist)
    key = "sammanfattning" if where == "report-text-edit" else "2.1"
    url = reverse(f"reporting:{where}", args=[cycle.pk, key])
    typed = "Det går bra [#99999]."
    response = client.post(url, {name: typed, **data})
    invalid, described, red = _field_error(response, name)
    said = "[#99999] är inte ett godkänt bidrag i den här uppföljningen."
    assert invalid == "true" and red
    assert said in described
    title, (focused, _heading, items) = _summary(response)
    assert title.startswith("Fel: ") and focused
    assert [link for _text, link in items] == [f"#id_{name}"]
    assert items[0][0].endswith(said)
    assert typed in response.content.decode()  # kept as typed


def test_a_refused_sign_in_and_a_filter_read_from_the_address_have_no_summary(client, strategist):
    """The summary says nothing was saved: not of a sign-in, nor of a search or filter
    asked by the address (an old bookmark's cycle), which save nothing."""
    response = client.post("/konto/logga-in/", {"username": "strateg", "password": "fel"})
    assert response.status_code == 200
    page = response.content.decode()
    assert 'id="error-summary"' not in page and "<title>Fel:" not in page
    client.force_login(strategist)
    for address in ("/granskning/?cycle=99999", "/insatser/?sdg=99"):
        page = client.get(address).content.decode()
        assert 'id="error-summary"' not in page and "<title>Fel:" not in page, address


def test_each_link_of_the_summary_leads_to_an_element_of_the_form():
    """A group of boxes has no one element its label is for: its link leads to its first
    box, not to "#"."""
    import lxml.html
    from django import forms

    from livskvalitet.core.templatetags.livskvalitet import _form_entries

    class Choices(forms.Form):
        title = forms.CharField()
        groups = forms.MultipleChoiceField(
            choices=[("a", "A"), ("b", "B")], widget=forms.CheckboxSelectMultiple
        )

    form = Choices(data={})
    assert not form.is_valid()
    page = lxml.html.fromstring(f"<form>{form.as_div()}</form>")
    addresses = [address for address, _text in _form_entries(form)]
    assert len(addresses) == 2
    for address in addresses:
        assert address.startswith("#") and len(address) > 1, address
        assert page.get_element_by_id(address[1:]) is not None, address
