"""User text keeps paragraphs, lists, bold and links; everything else goes on save."""

import pytest

from reporting.richtext import clean_text, render_text


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("Vanlig text & mer", "Vanlig text & mer"),
        ("a < b och c > d", "a < b och c > d"),
        ("<script>alert(1)</script>Hej", "Hej"),
        ("&lt;script&gt;alert(1)&lt;/script&gt;Hej", "Hej"),
        ('<img src="http://evil/x.png" onerror="alert(1)">Bild', "Bild"),
        ('<a href="javascript:alert(1)">länk</a>', '<a rel="noopener noreferrer">länk</a>'),
        (
            '<a href="https://helsingborg.se" onclick="x()">länk</a>',
            '<a href="https://helsingborg.se" rel="noopener noreferrer">länk</a>',
        ),
        (
            "<p>Stycke</p><ul><li>punkt</li></ul><b>fet</b>",
            "<p>Stycke</p><ul><li>punkt</li></ul><b>fet</b>",
        ),
        ("<h1>Rubrik</h1><table><tr><td>x</td></tr></table>", "Rubrikx"),
        ("  \r\nrad ett\r\nrad två  ", "rad ett\nrad två"),
    ],
)
def test_clean_text(typed, stored):
    assert clean_text(typed) == stored


def test_clean_text_is_stable():
    text = "<b>Fet</b> & <i>kursiv</i> <script>x</script>"
    assert clean_text(clean_text(text)) == clean_text(text)


def test_render_text_supports_paragraphs_lists_bold_and_links_only():
    html = render_text(
        "Första stycket med **fetstil**.\n\n- ett\n- två\n\n"
        "[Helsingborg](https://helsingborg.se) och ![bild](https://evil/x.png) # inte rubrik\n\n"
        "# Rubrik"
    )
    assert "<p>Första stycket med <strong>fetstil</strong>.</p>" in html
    assert "<ul>" in html and "<li>ett</li>" in html
    assert '<a href="https://helsingborg.se" rel="noopener noreferrer">Helsingborg</a>' in html
    assert "<img" not in html
    assert "<h1>" not in html
    assert render_text("") == ""
