"""The Content-Security-Policy holds in a real browser: injected script never runs."""

import pytest

pytestmark = pytest.mark.django_db(transaction=True)


def test_injected_inline_script_and_handlers_are_blocked(browser, live_server):
    # Its own context: the violations this test causes on purpose are what it checks.
    context = browser.new_context(base_url=live_server.url)
    page = context.new_page()
    messages = []
    page.on("console", lambda message: messages.append(message.text))
    response = page.goto("/rapporter/")
    assert "script-src 'self'" in response.headers["content-security-policy"]
    page.evaluate(
        """() => {
            const script = document.createElement("script");
            script.textContent = "window.ran = 'script'";
            document.body.appendChild(script);
            document.body.insertAdjacentHTML(
                "beforeend", '<img src="data:," onload="window.ran = \\'handler\\'">');
        }"""
    )
    page.wait_for_timeout(300)
    assert page.evaluate("window.ran") is None
    assert any("Content Security Policy" in text for text in messages)
    context.close()
