"""Swedish ships complete: every string translated, compiled catalogues up to date."""

from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.utils import translation

CATALOGUES = [
    Path(settings.BASE_DIR) / "locale" / "sv" / "LC_MESSAGES",
    Path(settings.BASE_DIR) / "locale_extra" / "sv" / "LC_MESSAGES",
]


@pytest.mark.parametrize("folder", CATALOGUES, ids=["locale", "locale_extra"])
def test_every_string_has_a_swedish_translation(folder):
    po = polib.pofile(str(folder / "django.po"))
    assert len(po) > 40
    untranslated = [entry.msgid for entry in po.untranslated_entries()]
    fuzzy = [entry.msgid for entry in po.fuzzy_entries()]
    assert not untranslated, untranslated
    assert not fuzzy, fuzzy


@pytest.mark.parametrize("folder", CATALOGUES, ids=["locale", "locale_extra"])
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
