"""Every page in English: each URL of the walk, as each role that may open it.

The app's own words must all be English. What people wrote (the programme's texts, the
organisations' reports, names) stays Swedish and is marked ``lang="sv"``; everything else
on the page is read, attributes that screen readers speak included, and a Swedish word
there is a string that missed the catalogue.
"""

import re
from html.parser import HTMLParser

import pytest
from django.conf import settings
from django.urls import reverse

from tests.url_access import ACCESS, build_world, url_patterns

pytestmark = pytest.mark.django_db

SWEDISH = re.compile(r"\w*[åäöÅÄÖ]\w*")
# Swedish words an English text keeps on purpose: the language switch names itself in
# Swedish too, and "administration (förvaltning)" gives the Swedish term beside the English.
KEPT = {"Språk", "förvaltning"}
# The report itself is a Swedish document to a Swedish council, in every edition.
SWEDISH_DOCUMENTS = {"reporting:report-edition", "reporting:report-preview"}
SPOKEN = ("aria-label", "title", "alt", "placeholder", "aria-description")


class AppText(HTMLParser):
    """The app's own words on a page: its buttons, labels, headers, captions, legends and
    what screen readers speak (aria-label, title, alt, placeholder), outside anything
    marked Swedish (lang="sv": what people wrote, names, the programme's texts)."""

    VOID = {"br", "img", "input", "meta", "link", "hr", "col", "area", "source", "wbr"}
    CHROME = {"button", "label", "th", "legend", "caption", "summary", "dt"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack: list[tuple[bool, bool]] = []  # per open element: (Swedish, chrome)
        self.words: list[str] = []

    def _state(self) -> tuple[bool, bool]:
        return self.stack[-1] if self.stack else (False, False)

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        swedish, chrome = self._state()
        swedish = swedish or attributes.get("lang", "").startswith("sv")
        swedish = swedish or tag in {"script", "style", "code", "pre", "option", "title"}
        chrome = chrome or tag in self.CHROME
        if not swedish:
            for name in SPOKEN:
                if attributes.get(name):
                    self.words.append(attributes[name])
            if tag == "input" and attributes.get("type") in {"submit", "button"}:
                self.words.append(attributes.get("value", ""))
        if tag not in self.VOID:
            self.stack.append((swedish, chrome))

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag not in self.VOID:
            self.stack.pop()

    def handle_endtag(self, tag):
        if tag not in self.VOID and self.stack:
            self.stack.pop()

    def handle_data(self, data):
        swedish, chrome = self._state()
        if chrome and not swedish:
            self.words.append(data)


def content_words() -> set[str]:
    """The words of what people entered: names and titles may sit inside an app string
    (an aria-label such as "Withdraw 2.1 from Miljönämnden") that cannot mark them."""
    from programme.models import Direction, FocusArea, GoverningDocument, Indicator, Organisation
    from reporting.models import Cycle, Question

    texts = [
        *Organisation.objects.values_list("name", flat=True),
        *FocusArea.objects.values_list("title", flat=True),
        *Direction.objects.values_list("title", flat=True),
        *Indicator.objects.values_list("title", flat=True),
        *GoverningDocument.objects.values_list("title", flat=True),
        *Cycle.objects.values_list("title", flat=True),
        *Question.objects.values_list("text", flat=True),
    ]
    return set(SWEDISH.findall(" ".join(texts)))


def swedish_words(page: str, content: frozenset = frozenset()) -> set[str]:
    parser = AppText()
    parser.feed(page)
    found = set(SWEDISH.findall(" ".join(parser.words)))
    return {
        word
        for word in found
        if word not in KEPT and word.lower() not in KEPT and word not in content
    }


@pytest.fixture
def world(programme_data):
    return build_world()


def test_the_english_text_of_a_page_is_what_is_not_marked_swedish():
    page = (
        '<p>Saved by <bdi lang="sv">Åsa Öberg</bdi> <span title="Ändrad">x</span> då</p>'
        "<label>Spara <bdi lang=sv>Miljönämnden</bdi></label><select><option>Å</option></select>"
    )
    assert swedish_words(page) == {"Ändrad"}


# Parts of a page, fetched into it (the page's <html lang> is theirs): their words count.
FRAGMENTS = {"reporting:contribution-indicator"}


def test_every_page_is_english_for_every_role_that_opens_it(client, world):
    failures, pages = [], 0
    content = frozenset(content_words())
    for name, _pattern in url_patterns():
        if name.startswith("admin:") or name in {"set_language", "logout"} | SWEDISH_DOCUMENTS:
            continue
        for variant in ACCESS[name].variants:
            url = reverse(name, kwargs=variant.kwargs(world))
            for role in sorted(variant.get):
                if role == "anonymous":
                    client.logout()
                else:
                    client.force_login(world.users[role])
                client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"  # logout forgets it
                response = client.get(url)
                if not response.get("Content-Type", "").startswith("text/html"):
                    continue
                if response.status_code != 200:
                    continue
                pages += 1
                page = response.content.decode()
                if name not in FRAGMENTS:
                    assert '<html lang="en">' in page, f"{url} as {role} is not in English"
                words = swedish_words(page, content)
                if words:
                    failures.append(f"{url} ({name}) as {role}: {sorted(words)}")
    client.logout()
    assert pages > 40, pages
    assert not failures, "\n".join(failures)
