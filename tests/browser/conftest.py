"""Browser tests: real pages in Debian's headless Chromium, checked with axe-core."""

import os
from pathlib import Path

import pytest

from tests.factories import PASSWORD

CHROMIUM = Path(os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium"))
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
WCAG_21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
AXE_RUNNING = set()  # pages being checked by axe-core right now

# Playwright's sync API runs an event loop in this thread; the Django calls the tests make
# around it (fixtures creating users) are still plain synchronous code.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/browser" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM.exists():
        if os.environ.get("CI"):
            pytest.fail(f"{CHROMIUM} is missing: CI must run the browser tests.")
        pytest.skip(f"{CHROMIUM} is missing; install Debian's chromium to run the browser tests.")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def new_page(browser, live_server):
    """Pages in separate browser contexts, so that several users can be logged in at once.

    Every page is watched: a script error, or anything the Content-Security-Policy blocked,
    fails the test that caused it.
    """
    contexts = []
    problems = []

    def watch(page):
        def console(message):
            text = message.text
            if page in AXE_RUNNING:
                return  # axe-core adds styles of its own while it checks
            if message.type == "error" and ("Content Security Policy" in text or "Refused" in text):
                problems.append(f"{page.url}: {text}")

        page.on("console", console)
        page.on("pageerror", lambda error: problems.append(f"{page.url}: {error}"))

    def make():
        # An English browser on purpose: the app must still speak Swedish. Motion reduced,
        # as a user may ask: Bootstrap then has no colour transitions, so axe-core judges
        # the colours a button settles on, not a blend caught mid-transition after a click.
        context = browser.new_context(
            base_url=live_server.url, locale="en-US", reduced_motion="reduce"
        )
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(15_000)
        watch(page)
        return page

    yield make
    for context in contexts:
        context.close()
    assert not problems, "\n".join(problems)


@pytest.fixture
def page(new_page):
    return new_page()


def signed_in(url):
    """Past the sign-in page: "**/" would also match the sign-in page itself."""
    return "/konto/logga-in/" not in url


@pytest.fixture
def logged_in(new_page):
    """A new page logged in as the given user."""

    def log_in(username):
        page = new_page()
        page.goto("/konto/logga-in/")
        page.get_by_label("Användarnamn").fill(username)
        page.get_by_label("Lösenord").fill(PASSWORD)
        page.get_by_role("button", name="Logga in").click()
        page.wait_for_url(signed_in)
        return page

    return log_in


@pytest.fixture
def check_accessibility():
    """Run axe-core's WCAG 2.1 A and AA rules on the page; fail listing every violation."""
    from axe_playwright_python.sync_playwright import Axe

    axe = Axe()

    def check(page):
        AXE_RUNNING.add(page)
        try:
            results = axe.run(
                page,
                options={
                    "runOnly": {"type": "tag", "values": WCAG_21_AA},
                    "resultTypes": ["violations"],
                },
            )
        finally:
            AXE_RUNNING.discard(page)
        violations = results.response["violations"]
        summary = [
            f"{v['id']} ({v['impact']}): {v['help']} – "
            + "; ".join(node["target"][0] for node in v["nodes"][:5])
            for v in violations
        ]
        assert not violations, f"{page.url}:\n" + "\n".join(summary)
        # Something was checked: axe ran rules and found elements that pass them.
        assert results.response["testEngine"]["name"] == "axe-core"
        return results

    return check


@pytest.fixture
def login(page):
    def log_in(username):
        page.goto("/konto/logga-in/")
        page.get_by_label("Användarnamn").fill(username)
        page.get_by_label("Lösenord").fill(PASSWORD)
        page.get_by_role("button", name="Logga in").click()
        page.wait_for_url(signed_in)

    return log_in
