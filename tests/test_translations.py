"""Swedish and English ship complete: every string translated, compiled catalogues up to
date. (The app's words are written in English; its English catalogue lets a copy-editor
change them without touching the code. tests/test_english_pages.py reads every page.)"""

from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.utils import translation

CATALOGUES = [
    Path(settings.BASE_DIR) / "locale" / "sv" / "LC_MESSAGES",
    Path(settings.BASE_DIR) / "locale_extra" / "sv" / "LC_MESSAGES",
    Path(settings.BASE_DIR) / "locale" / "en" / "LC_MESSAGES",
]
IDS = ["sv", "sv-third-party", "en"]


@pytest.mark.parametrize("folder", CATALOGUES, ids=IDS)
def test_every_string_has_a_swedish_translation(folder):
    po = polib.pofile(str(folder / "django.po"))
    assert len(po) > 40
    untranslated = [entry.msgid for entry in po.untranslated_entries()]
    fuzzy = [entry.msgid for entry in po.fuzzy_entries()]
    assert not untranslated, untranslated
    assert not fuzzy, fuzzy


@pytest.mark.parametrize("folder", CATALOGUES, ids=IDS)
def test_compiled_catalogue_matches_the_po_file(folder):
    po = polib.pofile(str(folder / "django.po"))
    mo = polib.mofile(str(folder / "django.mo"))
    compiled = {(entry.msgctxt, entry.msgid, entry.msgid_plural): entry for entry in mo}
    for entry in po.translated_entries():
        key = (entry.msgctxt, entry.msgid, entry.msgid_plural)
        assert key in compiled, f"Run `make messages`: {entry.msgid!r} is not compiled"
        if entry.msgid_plural:
            assert compiled[key].msgstr_plural == entry.msgstr_plural
        else:
            assert compiled[key].msgstr == entry.msgstr, entry.msgid


def test_swedish_is_the_default_language():
    assert settings.LANGUAGE_CODE == "sv"
    with translation.override(settings.LANGUAGE_CODE):
        assert translation.gettext("Focus areas") == "Fokusområden"
        assert translation.gettext("Import") == "Importera"


def test_the_english_catalogue_holds_every_swedish_entry():
    swedish = polib.pofile(str(CATALOGUES[0] / "django.po"))
    english = polib.pofile(str(CATALOGUES[2] / "django.po"))
    keys = {(entry.msgctxt, entry.msgid) for entry in english}
    missing = [e.msgid for e in swedish if not e.obsolete and (e.msgctxt, e.msgid) not in keys]
    assert not missing, missing


def test_djangos_form_messages_keep_djangos_swedish():
    """The API's library (DRF) ships other Swedish for some of Django's strings."""
    with translation.override("sv"):
        assert translation.gettext("This field is required.") == "Detta fält måste fyllas i."
        assert translation.gettext("Enter a valid URL.") == "Fyll i en giltig URL."


@pytest.mark.django_db
def test_english_is_chosen_not_guessed(client):
    from django.urls import reverse

    page = client.get(reverse("programme:overview"), HTTP_ACCEPT_LANGUAGE="en").content
    assert b'<html lang="sv">' in page
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = client.get(reverse("programme:overview")).content
    assert b'<html lang="en">' in page
