"""User text with bidirectional control characters cannot turn the app's own words around,
on pages or in the PDF."""

import io

import pytest
from django.template import Context, Template
from pypdf import PdfReader

from livskvalitet.core.text import isolated_for_print
from reporting.report import pdf

RLO = "\u202e"  # RIGHT-TO-LEFT OVERRIDE: reverses everything after it on the line


def render(source: str, **context) -> str:
    return Template("{% load livskvalitet %}" + source).render(Context(context))


def pdf_text(body: str) -> str:
    content = pdf.write_pdf(document(body)).content
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


def test_without_isolation_the_attack_works():
    """The control: an override in plain text does reverse the words after it."""
    text = pdf_text(f"<p>Insats {RLO}ett (Miljönämnden) är godkänd</p>")
    assert "Insats" in text and "är godkänd" not in text


def test_inline_user_text_is_isolated_in_the_pdf():
    title = f"Insats {RLO}ett"
    body = render("<p>{{ title|bdi }} (Miljönämnden) är godkänd</p>", title=title)
    text = pdf_text(isolated_for_print(body))
    assert "(Miljönämnden) är godkänd" in text


def test_block_user_text_is_isolated_on_pages_and_in_the_pdf():
    html = render("{{ text|richtext }}<p>Sparat av appen</p>", text=f"Rad {RLO}ett\n- punkt")
    assert '<p dir="auto">' in html and '<li dir="auto">' in html
    assert "Sparat av appen" in pdf_text(html)


def test_pages_wrap_inline_user_text_in_bdi():
    html = render("{{ name|bdi }} – {{ user|person }}", name=f"{RLO}x", user=None)
    assert html.startswith("<bdi>") and html.endswith("–")


def test_the_report_isolates_user_text_in_print_but_not_on_screen(
    cycle, contribution_a, approver_a, strategist
):
    from reporting.report.data import report_data

    data = report_data(cycle)
    screen = pdf.render_html(data, preview=True)
    printed = pdf.render_html(data)
    assert "<bdi>" in screen and "\u2068" not in screen
    assert printed.count("<bdi>\u2068") == screen.count("<bdi>")


# Characters users type appear in the PDF, or the compile says which could not be drawn.

SCRIPTS = {
    "Swedish": "Åsa Öberg-Älvén",
    "Greek": "Αθήνα",
    "Cyrillic": "Москва",
    "Arabic": "مرحبا",
    "Hebrew": "שלום",
    "Chinese": "你好",
    "emoji": "🌍♻️",
    "an emoji of several joined (ZWJ)": "👨\u200d👩\u200d👧",
}


def test_the_report_is_set_in_the_vendored_noto_sans():
    body = "<p>Åsa <strong>Öberg</strong> <em>Älvén</em></p>"
    reader = PdfReader(io.BytesIO(pdf.write_pdf(isolated_for_print(document(body))).content))
    fonts = {
        str(font.get_object()["/BaseFont"])
        for page in reader.pages
        for font in page["/Resources"]["/Font"].values()
    }
    assert any(name.endswith("+Noto-Sans") for name in fonts), fonts
    assert any(name.endswith("+Noto-Sans-Bold") for name in fonts), fonts
    assert not any("DejaVu" in name for name in fonts)


def test_every_script_users_type_is_drawn():
    import os
    import shutil

    installed = os.popen("fc-list").read() if shutil.which("fc-list") else ""
    if "Noto Sans CJK" not in installed or "Noto Color Emoji" not in installed:
        if os.environ.get("CI"):
            pytest.fail("CI installs the Noto fonts (fonts-noto-core, -cjk, -color-emoji)")
        pytest.skip("the Noto fonts for other scripts are not installed here")
    body = "".join(f"<p>{name}: {text}</p>" for name, text in SCRIPTS.items())
    rendered = pdf.write_pdf(document(body))
    assert rendered.missing == []
    # Emoji are drawn from the colour emoji font, never as empty boxes (issue 19).
    reader = PdfReader(io.BytesIO(rendered.content))
    fonts = {
        str(font.get_object()["/BaseFont"])
        for page in reader.pages
        for font in page["/Resources"]["/Font"].values()
    }
    assert any(name.endswith("+Noto-Color-Emoji") for name in fonts), fonts
    text = pdf_text(body)
    for name in ("Swedish", "Greek", "Cyrillic", "Chinese"):
        assert SCRIPTS[name] in text, name


def test_a_character_no_font_has_is_reported():
    rendered = pdf.write_pdf(document("<p>Okänt tecken: \u0378 här</p>"))
    assert rendered.missing == ["\u0378"]


def document(body: str) -> str:
    return (
        '<!doctype html><html lang="sv"><head><meta charset="utf-8"><title>t</title>'
        f'<link rel="stylesheet" href="{pdf.BASE_URL}static/css/report.css"></head>'
        f"<body>{body}</body></html>"
    )
