"""The Swedish words of the interface follow one glossary (docs/glossary.toml)."""

import re
import tomllib
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.template.loader import render_to_string

ROOT = Path(settings.BASE_DIR)
GLOSSARY = tomllib.loads((ROOT / "docs" / "glossary.toml").read_text("utf-8"))
CATALOGUE = polib.pofile(str(ROOT / "locale" / "sv" / "LC_MESSAGES" / "django.po"))
# What only administrators read: the admin's own texts and the import commands' messages.
ADMIN_ONLY = (
    "programme/admin.py",
    "livskvalitet/accounts/admin.py",
    "livskvalitet/admin_site.py",
    "templates/admin/",
    "programme/kolada.py",
    "management/",
)
# What developers read who use the open data: the API's descriptions may name ids.
DEVELOPERS = ("livskvalitet/opendata/", "templates/api/")


def translations(entry):
    return [entry.msgstr] if not entry.msgid_plural else list(entry.msgstr_plural.values())


def without_placeholders(entry) -> str:
    return re.sub(r"%\(\w+\)[sd]|\{\w+\}", "", entry.msgid)


def read_by_everyone(entry) -> bool:
    return any(not path.startswith(ADMIN_ONLY + DEVELOPERS) for path, _line in entry.occurrences)


@pytest.mark.parametrize("term", GLOSSARY["term"], ids=lambda term: term["sv"])
def test_every_message_uses_the_glossarys_word(term):
    pattern = re.compile(term["en"], re.IGNORECASE)
    used = [e for e in CATALOGUE if not e.obsolete and pattern.search(without_placeholders(e))]
    assert used, f"no message uses {term['en']}: drop it from the glossary"
    wrong = [
        (e.msgid, text)
        for e in used
        for text in translations(e)
        if term["sv"].lower() not in text.lower()
    ]
    assert not wrong, wrong


def test_no_technical_words_where_everyone_reads():
    found = [
        (word, e.msgid)
        for e in CATALOGUE
        if not e.obsolete and read_by_everyone(e)
        for text in translations(e)
        for word in GLOSSARY["avoid"]["words"]
        if word.lower() in f" {text.lower()} "
    ]
    assert not found, found


def test_the_programme_page_says_vartannat_ar_and_revideras_av(client, reporter_a):
    from django.urls import reverse

    client.force_login(reporter_a)
    page = client.get(reverse("programme:overview")).content.decode()
    assert "Programmet följs upp vartannat år." in page
    assert "Revideras av: " in page and "Antaget" not in page


@pytest.mark.django_db
def test_rendered_words(reporter_a):
    from reporting.models import Question

    labels = dict(Question.Kind.choices)
    assert (str(labels["choice"]), str(labels["choices"]), str(labels["number"])) == (
        "ett val",
        "flera val",
        "tal",
    )
    assert render_to_string  # the glossary is checked on the catalogue above
