"""Every statement traceable (issue 21.2): a strategist's text cites the approved
contributions it rests on; the citation is checked when saved, numbered in the report with
the contribution's page in Bilaga 2, a link to the published contribution in the HTML
edition, listed by the preview when a paragraph cites nothing or what it cites changed,
and shown per contribution on the public report page."""

import io
import re

import pytest
from django.urls import reverse
from django.utils.safestring import mark_safe
from pypdf import PdfReader

from livskvalitet.core.text import render_text
from reporting.content import ContributionContent
from reporting.models import Citation, Synthesis
from reporting.report import pdf
from reporting.report.citations import with_public_ids, with_references
from reporting.report.compile import report_publish, synthesis_save
from reporting.report.data import report_data
from reporting.services import WorkflowError
from tests.factories import approve, compile_report, footnotes_of, page_text, write_report_text

pytestmark = pytest.mark.django_db


def analyse(cycle, area, analysis, by, revision=None):
    return synthesis_save(
        cycle=cycle,
        focus_area=area,
        analysis=analysis,
        assessment="positive",
        highlighted=[],
        by=by,
        revision=revision,
    )


@pytest.fixture
def cited(approved, strategist):
    """2.1's analysis cites the approved contribution twice, once quoting it, and has a
    paragraph that cites nothing; the summary cites it too."""
    cycle = approved.cycle
    analyse(
        cycle,
        approved.focus_area,
        f"Elbilar ersätter bensinbilar [#{approved.pk}].\n\n"
        f"Miljönämnden skriver att [#{approved.pk}: Utsläppen minskade].\n\n"
        "Mer behöver göras.",
        strategist,
    )
    write_report_text(
        cycle, strategist, "sammanfattning", f"Klimatarbetet går framåt [#{approved.pk}]."
    )
    return approved


def test_a_citation_is_kept_with_the_approved_version_it_cites(cited):
    version = cited.versions.get(event="approved")
    kept = Citation.objects.filter(synthesis__isnull=False).order_by("pk")
    assert [(c.version, c.excerpt) for c in kept] == [
        (version, ""),
        (version, "Utsläppen minskade"),
    ]
    assert Citation.objects.filter(report_text__isnull=False).get().version == version


@pytest.mark.parametrize(
    "citation, says",
    [
        (
            "[#{pk}: Utsläppen ökade kraftigt]",
            "De citerade orden ”Utsläppen ökade kraftigt” finns inte",
        ),
        ("[#{other}]", "är inte ett godkänt bidrag i den här uppföljningen"),
        ("[#999999]", "[#999999] är inte ett godkänt bidrag"),
    ],
)
def test_a_citation_that_does_not_hold_is_refused_and_changes_nothing(
    cited, contribution_b, strategist, citation, says
):
    synthesis = Synthesis.objects.get()
    before = (synthesis.analysis, synthesis.revision, list(Citation.objects.values_list("pk")))
    text = "Ny analys " + citation.format(pk=cited.pk, other=contribution_b.pk)
    with pytest.raises(WorkflowError) as refused:
        analyse(cited.cycle, cited.focus_area, text, strategist, revision=synthesis.revision)
    assert says in str(refused.value) and "Inget sparades." in str(refused.value)
    synthesis.refresh_from_db()
    after = (synthesis.analysis, synthesis.revision, list(Citation.objects.values_list("pk")))
    assert after == before


def test_the_page_refuses_with_the_reason_and_keeps_what_was_typed(client, cited, strategist):
    client.force_login(strategist)
    url = reverse("reporting:synthesis-edit", args=[cited.cycle_id, "2.1"])
    page = client.get(url)
    assert f"<code>[#{cited.pk}]</code>" in page.content.decode()  # cite it as
    assert f'<option value="[#{cited.pk}]">' in page.content.decode()  # the picker
    typed = f"Min nya analys [#{cited.pk}: inte i bidraget]"
    revision = Synthesis.objects.get().revision
    response = client.post(url, {"analysis": typed, "assessment": "positive", "revision": revision})
    assert "finns inte i det godkända bidraget" in page_text(response)
    assert typed in response.content.decode().replace("&quot;", '"')


def test_in_print_a_citation_is_the_contributions_number_with_its_page(cited, settings):
    settings.SHOW_DEMO_BANNER = False
    data = report_data(cited.cycle)
    html = pdf.render_html(data)
    number = data.references[cited.pk]
    assert re.search(
        rf'href="#contribution-{cited.pk}" title="[^"]*" data-page="sida" aria-label="[^"]*">'
        rf"\[{number}\]</a>",
        html,
    )
    assert "”Utsläppen minskade” <a" in html
    assert f'id="contribution-{cited.pk}">[{number}] 2.1' in html
    reader = PdfReader(io.BytesIO(pdf.write_pdf(html).content))
    texts = [" ".join(page.extract_text().split()) for page in reader.pages]
    target = (
        reader.get_destination_page_number(reader.named_destinations[f"contribution-{cited.pk}"])
        + 1
    )
    assert f"[{number}] 2.1 Minimera" in texts[target - 1]
    analysis = next(t for t in texts if "Elbilar ersätter bensinbilar" in t)
    assert f"Elbilar ersätter bensinbilar [{number}] sida {target}." in analysis
    assert f"Miljönämnden skriver att ”Utsläppen minskade” [{number}] sida {target}." in analysis


def test_a_citations_link_names_the_contribution_it_leads_to(cited, settings):
    # WCAG 2.4.4: "[1]" says nothing out of its sentence, as a screen reader's list of
    # links has it. Its name begins with the words it shows (2.5.3), then says whose
    # contribution on what; in the PDF the link's description (/Contents) says so too.
    settings.SHOW_DEMO_BANNER = False
    data = report_data(cited.cycle)
    contribution = (
        "Bilaga 2, bidrag 1: Miljönämnden, 2.1 Minimera klimatpåverkan och resursanvändningen"
    )
    for html in (pdf.render_html(data), pdf.render_html(data, edition=True)):
        links = re.findall(r'<a class="cite"[^>]*>', html)
        assert len(links) == 3, links
        assert all(f'aria-label="[1] Källa: {contribution}"' in link for link in links), links
    reader = PdfReader(io.BytesIO(pdf.write_pdf(pdf.render_html(data)).content))
    said = [
        str(annotation.get_object()["/Contents"])
        for page in reader.pages
        for annotation in page.get("/Annots", [])
    ]
    assert said.count(contribution) >= 3, said


def test_the_html_edition_links_each_citation_to_the_published_contribution(
    cited, strategist, django_capture_on_commit_callbacks, client
):
    report = compile_report(cited.cycle, strategist, django_capture_on_commit_callbacks)
    version = cited.versions.get(event="approved")
    edition = report.html_edition.read().decode()
    url = reverse("reporting:published-contribution", args=[cited.cycle_id, 1, version.pk])
    assert edition.count(f'<a class="cite" href="{url}"') == 3
    # Before publishing, the strategist reading the edition follows them too (the page
    # says the version is not published); to anybody else they are not there yet.
    assert client.get(url).status_code == 404
    client.force_login(strategist)
    before = client.get(url)
    assert before.status_code == 200
    assert "Version 1 är inte publicerad" in page_text(before)
    report_publish(report=report, by=strategist, accept_gaps=True)
    assert "inte publicerad" not in page_text(client.get(url))
    client.logout()
    assert client.get(url).status_code == 200  # the link resolves, for anybody
    # The public report page says where each contribution is cited.
    page = page_text(client.get(reverse("reporting:published-report", args=[cited.cycle_id, 1])))
    assert "(hänvisas till i: Sammanfattning , Analysen av 2.1 )" in page  # isolated names


def test_in_word_each_citation_is_a_footnote_naming_the_contribution(
    cited, strategist, django_capture_on_commit_callbacks
):
    import docx
    from docx.oxml.ns import qn

    report = compile_report(cited.cycle, strategist, django_capture_on_commit_callbacks)
    document = docx.Document(io.BytesIO(report.docx.read()))
    note = "Bilaga 2, bidrag 1: Miljönämnden, 2.1 Minimera klimatpåverkan och resursanvändningen"
    assert footnotes_of(document) == [note] * 3  # the summary once, the analysis twice
    paragraph = next(p for p in document.paragraphs if p.text.startswith("Elbilar ersätter"))
    assert paragraph.text == "Elbilar ersätter bensinbilar ."  # the mark is the footnote's
    references = paragraph._p.findall(f".//{qn('w:footnoteReference')}")
    assert [r.get(qn("w:id")) for r in references] == ["2"]
    quoted = next(p for p in document.paragraphs if p.text.startswith("Miljönämnden skriver"))
    assert quoted.text == "Miljönämnden skriver att ”Utsläppen minskade” ."


def test_the_preview_lists_paragraphs_citing_nothing_and_citations_gone_stale(
    client, cited, strategist, approver_a
):
    from reporting.models import Contribution
    from reporting.services.contributions import record_version

    client.force_login(strategist)
    url = reverse("reporting:report-preview", args=[cited.cycle_id])
    text = page_text(client.get(url))
    assert "1 stycke i analysen av 2.1 hänvisar inte till något bidrag." in text
    assert "En hänvisning i" not in text
    # Approved again (changed), then withdrawn, after the texts were written.
    record_version(cited, by=strategist, event="approved")
    text = page_text(client.get(url))
    said = (
        "En hänvisning i analysen av 2.1 bygger på bidraget från Miljönämnden om 2.1, som "
        "har ändrats eller återkallats sedan dess."
    )
    assert text.count(said) == 2
    assert "En hänvisning i Sammanfattning bygger på bidraget från Miljönämnden" in text
    Contribution.objects.filter(pk=cited.pk).update(withdrawn=True)
    html = pdf.render_html(report_data(cited.cycle))
    assert "[bidraget finns inte i rapporten]" in html


def test_a_quote_may_space_its_words_as_the_contribution_has_them(approved, strategist):
    synthesis = analyse(
        approved.cycle, approved.focus_area, f"[#{approved.pk}: Utsläppen    minskade]", strategist
    )
    assert Citation.objects.get(synthesis=synthesis).excerpt == "Utsläppen    minskade"
    assert re.search(r"\[#\d+: Utsläppen    minskade\]", synthesis.analysis)  # as typed


def test_a_quote_may_begin_with_a_small_letter_where_the_text_has_a_capital(approved, strategist):
    # Quoted mid-sentence, Swedish writes the first word small: "… att ”utsläppen minskade”".
    # Only the first letter may differ; the quote is kept as the strategist typed it.
    synthesis = analyse(
        approved.cycle, approved.focus_area, f"[#{approved.pk}: utsläppen minskade]", strategist
    )
    assert Citation.objects.get(synthesis=synthesis).excerpt == "utsläppen minskade"
    with pytest.raises(WorkflowError):
        analyse(
            approved.cycle, approved.focus_area, f"[#{approved.pk}: utsläppen MINSKADE]", strategist
        )


@pytest.mark.parametrize(
    "typed",
    [
        "Utsläppen\nminskade",
        "Utsläppen\n\nminskade",
        "Utsläppen\n  \nminskade",
        "\nUtsläppen minskade\n",
    ],
)
def test_a_quote_over_a_line_break_is_refused(approved, strategist, typed):
    # Shown, a line break ends a line or a paragraph: the citation would be split in two
    # and printed as typed. The strategist is told to quote words of one paragraph.
    text = f"Se [#{approved.pk}: {typed}]."
    with pytest.raises(WorkflowError) as refused:
        analyse(approved.cycle, approved.focus_area, text, strategist)
    said = str(refused.value)
    assert "Inget sparades." in said
    assert f"Hänvisningen ”[#{approved.pk}: Utsläppen minskade]” går över en radbrytning" in said
    assert "skriv den på en rad och citera ord ur ett och samma stycke" in said
    assert not Synthesis.objects.exists()


def test_a_quote_holding_a_web_address_is_refused(contribution_a, approver_a, strategist):
    # Shown, the address would be made a link inside the citation, splitting it; the
    # words are in the contribution, so only this refuses it.
    approve(contribution_a, approver_a, strategist, done="Läs mer på https://example.se/el nu.")
    text = f"Se [#{contribution_a.pk}: Läs mer på https://example.se/el nu]."
    with pytest.raises(WorkflowError) as refused:
        analyse(contribution_a.cycle, contribution_a.focus_area, text, strategist)
    assert "”Läs mer på https://example.se/el nu” innehåller en webbadress" in str(refused.value)


def test_a_quote_holding_an_address_of_characters_that_are_escaped_is_refused(
    contribution_a, approver_a, strategist
):
    # Shown, "https://<adress>" is a link too (escaped, "https://&lt;adress&gt;"): the check
    # finds an address where the display makes one.
    approve(contribution_a, approver_a, strategist, done="Skriv https://<adress> här.")
    text = f"Se [#{contribution_a.pk}: Skriv https://<adress> här]."
    assert "https://&lt;adress&gt;</a>" in render_text(text)
    with pytest.raises(WorkflowError) as refused:
        analyse(contribution_a.cycle, contribution_a.focus_area, text, strategist)
    assert "”Skriv https://<adress> här” innehåller en webbadress" in str(refused.value)


def test_a_citation_typed_in_a_web_address_is_never_made_markup(approved, strategist):
    """The address ends before the citation, and a reference is made only of the text
    between tags, never of a tag's attribute or a link's words: the marker inside an
    href, replaced, printed the rest of the tag as text in every edition."""
    analyse(
        approved.cycle,
        approved.focus_area,
        f"Se https://example.se/[#{approved.pk}: Utsläppen minskade]onmouseover=x och mer.",
        strategist,
    )
    for html in (
        pdf.render_html(report_data(approved.cycle)),
        pdf.render_html(report_data(approved.cycle), edition=True),
    ):
        assert '<a href="https://example.se/" rel="noopener noreferrer nofollow">' in html
        assert re.search(r'https://example.se/</a>”Utsläppen minskade” <a class="cite"', html)
        assert "”onmouseover" not in html and 'onmouseover=x"' not in html


def test_references_are_made_only_of_the_text_between_tags():
    html = mark_safe(
        '<p dir="auto"><a href="https://x.se/[#5]" title="[#5: a]">se [#5] här</a> och [#5].</p>'
    )
    made = with_references(html, {5: 1}, {5: "#c5"}, {5: "Bidrag 5"})
    assert made.startswith(
        '<p dir="auto"><a href="https://x.se/[#5]" title="[#5: a]">se [#5] här</a> och '
        '<a class="cite" href="#c5"'
    )
    assert made.count('class="cite"') == 1


@pytest.mark.parametrize(
    "quote",
    [
        "tsläppen minskade",  # begins inside a word
        "Utsläppen minskad",  # ends inside a word
        "hemtjänsten. Utsläppen",  # the end of one field joined to the start of the next
        "minskade. Tydlig",
    ],
)
def test_a_quote_made_of_pieces_is_refused(approved, strategist, quote):
    with pytest.raises(WorkflowError) as refused:
        analyse(approved.cycle, approved.focus_area, f"[#{approved.pk}: {quote}]", strategist)
    assert f"De citerade orden ”{quote}” finns inte" in str(refused.value)


@pytest.mark.parametrize("quote", ["Utsläppen", "minskade.", "Utsläppen minskade."])
def test_a_quote_of_whole_words_of_one_field_is_kept(approved, strategist, quote):
    synthesis = analyse(
        approved.cycle, approved.focus_area, f"[#{approved.pk}: {quote}]", strategist
    )
    assert Citation.objects.get(synthesis=synthesis).excerpt == quote


def test_every_text_the_contribution_wrote_can_be_quoted(contribution_a, approver_a, strategist):
    """What the approved contribution shows in its own words: its collaboration and each
    action's title, description, progress and reference as well as its texts."""
    approve(
        contribution_a,
        approver_a,
        strategist,
        collaboration=[{"name": "Länsstyrelsen i Skåne län"}],
        actions=[
            {
                "title": "Laddstolpar vid förskolor",
                "status": "ongoing",
                "description": "Fyra stolpar per förskola.",
                "progress": "Tio förskolor har fått stolpar.",
                "reference": "Dnr MN 2025/17",
                "sdgs": [13],
            }
        ],
    )
    quotes = [
        "Länsstyrelsen i Skåne län",
        "Laddstolpar vid förskolor",
        "Fyra stolpar per förskola.",
        "Tio förskolor har fått stolpar",
        "Dnr MN 2025/17",
    ]
    text = " ".join(f"[#{contribution_a.pk}: {quote}]" for quote in quotes)
    synthesis = analyse(contribution_a.cycle, contribution_a.focus_area, text, strategist)
    assert [c.excerpt for c in Citation.objects.filter(synthesis=synthesis).order_by("pk")] == (
        quotes
    )
    # Not the organisation's words: the name of the global goal it chose, its status.
    from programme.models import Sdg

    for quote in (Sdg.objects.get(number=13).title_sv, "pågående"):
        with pytest.raises(WorkflowError):
            analyse(
                contribution_a.cycle,
                contribution_a.focus_area,
                f"[#{contribution_a.pk}: {quote}]",
                strategist,
                revision=synthesis.revision,
            )


def test_the_words_of_a_content_are_every_text_it_shows_of_its_own():
    from reporting.content import ActionContent, AttachmentRef, Partner

    content = ContributionContent(
        done="gjort",
        results="resultat",
        assessment="positive",
        assessment_motivation="motivering",
        challenges="utmaningar",
        next_steps="nästa",
        not_relevant_reason="skäl",
        collaboration=[Partner("partner")],
        actions=[
            ActionContent(
                title="titel",
                status="ongoing",
                description="beskrivning",
                groups=["age"],
                sdgs=[13],
                reference="referens",
                progress="hänt",
                starts_on="2026-01-01",
                moved_to="2.2",
            )
        ],
        answers={"1": "svar"},
        indicator_comments={"2": "kommentar"},
        attachments=[AttachmentRef(1, "bilaga.pdf", 10, "0" * 64)],
    )
    assert sorted(content.words()) == sorted(
        [
            "skäl",
            "gjort",
            "resultat",
            "motivering",
            "utmaningar",
            "nästa",
            "partner",
            "titel",
            "beskrivning",
            "referens",
            "hänt",
            "svar",
            "kommentar",
            "bilaga.pdf",
        ]
    )


@pytest.mark.parametrize(
    "typed, shown",
    [
        ("[# {pk}]", "[# {pk}]"),
        ("[ #{pk}]", "[ #{pk}]"),
        ("[#{pk} : Utsläppen]", "[#{pk} : Utsläppen]"),
        ("[#{pk}:]", "[#{pk}:]"),
        ("[#{pk}:  ]", "[#{pk}:  ]"),
        ("[#{pk}: Utsläppen minskade", "[#{pk}: Utsläppen minskade i år."),  # to the line's end
        ("[#{pk}: Utsläppen [minskade]]", "[#{pk}: Utsläppen [minskade]"),
    ],
)
def test_what_looks_like_a_citation_but_is_not_one_is_refused(approved, strategist, typed, shown):
    text = "Bra arbete " + typed.format(pk=approved.pk) + " i år."
    with pytest.raises(WorkflowError) as refused:
        analyse(approved.cycle, approved.focus_area, text, strategist)
    said = str(refused.value)
    assert f"”{shown.format(pk=approved.pk)}” ser ut som en hänvisning men är ingen" in said
    assert "skriv [#123] eller [#123: citerade ord]" in said
    assert not Synthesis.objects.exists()


def test_a_bad_citation_used_twice_is_said_once(approved, strategist):
    text = "Se [# 7] och [# 7], och [#999999] och [#999999]."
    with pytest.raises(WorkflowError) as refused:
        analyse(approved.cycle, approved.focus_area, text, strategist)
    said = str(refused.value)
    assert said.count("[# 7]") == 1 and said.count("[#999999]") == 1, said


def test_a_space_before_the_bracket_is_still_a_citation(approved, strategist):
    # "[#123 ]" is read as "[#123]" when shown, so it is one.
    synthesis = analyse(approved.cycle, approved.focus_area, f"Se [#{approved.pk} ].", strategist)
    assert Citation.objects.get(synthesis=synthesis).excerpt == ""


def test_the_chapter_lists_the_excerpts_the_strategist_quoted(cited):
    html = pdf.render_html(report_data(cited.cycle))
    chapter = re.search(
        r'<section class="area" aria-labelledby="area-21">.*?</section>', html, re.S
    ).group(0)
    reported = page_text(chapter[: chapter.index("<h3>Analys</h3>")])
    assert "Utdrag ” Utsläppen minskade ” ( Miljönämnden ) – Bilaga 2" in reported  # isolated
    assert f'<a class="ref" href="#contribution-{cited.pk}"' in chapter


def test_quoted_markup_is_shown_as_text_never_run(approved, strategist):
    """The approved text holds "<script>x()</script>" (the fixture): quoting it is allowed,
    and the report shows the characters, escaped, in the quotation and the title."""
    quote = "<script>x()</script>i hemtjänsten"
    analyse(approved.cycle, approved.focus_area, f"Se [#{approved.pk}: {quote}]", strategist)
    html = pdf.render_html(report_data(approved.cycle))
    assert "<script>x()" not in html
    assert '”&lt;script&gt;x()&lt;/script&gt;i hemtjänsten” <a class="cite"' in html


def test_the_open_data_names_a_cited_contribution_by_its_public_id():
    # The API lists a report's contributions by the id of the approved version; its texts
    # cite them so too, the quoted words exactly as written. One not in the report keeps
    # no id (the report prints "[bidrag som inte finns i rapporten]" there).
    text = "Se [#118: 28 verksamheter  ]. Och [#7]; [#118]. Men [#5: inte med] och [#hashtagg]."
    assert with_public_ids(text, {118: 3, 7: 40}) == (
        "Se [#3: 28 verksamheter  ]. Och [#40]; [#3]. Men [#: inte med] och [#hashtagg]."
    )
