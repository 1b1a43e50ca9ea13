"""Moving between pages in the browser tests."""

from urllib.parse import urljoin


def follow(link):
    """Click a link and wait until the page it leads to has loaded.

    A check run right after a bare click can start on the page being left and lose its
    document half-way (axe-core then fails on a null document), so it waits for the new page.
    """
    page = link.page
    target = urljoin(page.url, link.get_attribute("href"))
    link.click()
    page.wait_for_url(target)
    return page
