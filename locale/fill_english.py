"""Fill the English catalogue: the app's words are written in English, so a new entry's
translation starts as its msgid (a copy-editor may then improve the English there).

Run by `make messages` after makemessages.
"""

from pathlib import Path

import polib

CATALOGUE = Path(__file__).resolve().parent / "en" / "LC_MESSAGES" / "django.po"


def main():
    po = polib.pofile(str(CATALOGUE), wrapwidth=0)
    po.header = "English for Livskvalitet: the app's own words, as written in its source."
    for entry in po:
        if "fuzzy" in entry.flags:  # makemessages guessed from a similar msgid: start over
            entry.flags.remove("fuzzy")
            entry.msgstr = ""
            entry.msgstr_plural = dict.fromkeys(entry.msgstr_plural, "")
        if entry.msgid_plural:
            if not any(entry.msgstr_plural.values()):
                entry.msgstr_plural = {0: entry.msgid, 1: entry.msgid_plural}
        elif not entry.msgstr:
            entry.msgstr = entry.msgid
    po.metadata.update({"Language": "en", "Plural-Forms": "nplurals=2; plural=(n != 1);"})
    po.save()


if __name__ == "__main__":
    main()
