"""What changed, at word level (issue 20): inside a field, the words that went and came are
marked with <del> and <ins>, each read out by screen readers; the rest stays plain."""

from django.utils import translation

from livskvalitet.core.text import changed_words

HIDDEN = '<span class="visually-hidden">{} </span>'


def sides(old, new):
    return changed_words(old, new, deleted="borttaget:", inserted="tillagt:")


def test_only_the_changed_words_are_marked():
    old, new = sides(
        "Vi bytte 12 bilar mot elbilar under 2025.", "Vi bytte 14 bilar mot elbilar under 2026."
    )
    assert old.count("<del>") == 2 and new.count("<ins>") == 2
    assert f"<del>{HIDDEN.format('borttaget:')}12</del>" in old
    assert f"<ins>{HIDDEN.format('tillagt:')}14</ins>" in new
    assert "bilar mot elbilar under" in old and "bilar mot elbilar under" in new
    assert "<ins>" not in old and "<del>" not in new


def test_a_new_field_and_an_emptied_one():
    old, new = sides("", "Ny text.")
    assert "<del>" not in old and f"<ins>{HIDDEN.format('tillagt:')}Ny text.</ins>" in new
    old, new = sides("Borta.", "")
    assert f"<del>{HIDDEN.format('borttaget:')}Borta.</del>" in old and "<ins>" not in new


def test_what_users_typed_is_escaped_and_keeps_its_lines():
    old, new = sides("<b>fet</b>\nrad två", "<b>fet</b>\nrad tre")
    assert "<b>" not in old + new and "&lt;b&gt;fet&lt;/b&gt;<br>rad" in new
    assert f"<ins>{HIDDEN.format('tillagt:')}tre</ins>" in new


def test_in_english_the_swedish_text_is_marked_as_swedish():
    with translation.override("en"):
        old, _new = sides("ett", "två")
    assert old.startswith('<div dir="auto" lang="sv"')
