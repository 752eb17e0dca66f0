"""Every page the accessibility crawler visits is valid HTML: the Nu HTML checker
(``vnu.jar``, ``tests/vnu``) reports no error, in English and in Spanish.

The crawl is the one of ``test_accessibility_all_pages.py`` (its ``Crawler``, start pages
and detail pages of demo objects in every state): staff, then the administrator's
further pages, the facilitator and the public pages, each in English and in Spanish, and
every form submitted empty (its error state). What the server sent for each page (the
document, not the DOM after scripts ran) is kept, and all of them go to one run of the
checker, which takes seconds to start. A failure lists every error as
``<role>-<language> <URL> line L, column C: <message> [extract]``.
"""

import pytest

from fiep.demo import DEMO_PASSWORD
from tests import vnu

from .conftest import DESKTOP
from .test_accessibility_all_pages import (
    Crawler,
    _facilitator_detail_pages,
    _public_pages,
    _staff_detail_pages,
    _url_key,
    demo,  # noqa: F401 - the fixture: the demo data the crawler walks
)

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.vnu]

# (label, username or None for the anonymous pass, start, more pages, shares URL names
# with the pass before it). The administrator only visits what office staff did not.
PASSES = [
    ("public", None, "/", lambda: [p for p in _public_pages() if _url_key(p)], False),
    ("staff", "staff", "/staff/", _staff_detail_pages, False),
    ("admin", "admin", "/staff/", lambda: [], True),
    ("facilitator", "facilitator", "/staff/", _facilitator_detail_pages, False),
]


class Documents:
    """The crawler's check: keeps each page's HTML as the server sent it."""

    def __init__(self):
        self.html = {}

    def __call__(self, page, label, response):
        if response is None:
            return [f"{label}: no document response to check"]
        self.html[label] = response.body()
        return []


def _log_in(page, base, username):
    """The log-in form by its field ids, so it works in either language."""
    page.goto(f"{base}/accounts/login/")
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill(DEMO_PASSWORD)
    page.locator("main [type=submit]").click()
    page.wait_for_load_state()
    assert "/accounts/login/" not in page.url, f"{username} could not log in"


def test_every_crawled_page_is_valid_html_in_english_and_spanish(browser, live_server, demo):  # noqa: F811
    documents = Documents()
    problems = []
    visited = 0
    for language in ("en", "es"):
        seen_keys = set()
        for label, username, start, extra, shares in PASSES:
            context = browser.new_context(viewport=DESKTOP, locale="en-US")
            page = context.new_page()
            page.set_default_timeout(10_000)
            if username:
                _log_in(page, live_server.url, username)
            context.add_cookies(
                [{"name": "django_language", "value": language, "url": live_server.url}]
            )
            crawler = Crawler(
                page,
                live_server,
                f"{label}-{language}",
                seen_keys=seen_keys if shares else (),
                language=language,
                check=documents,
            )
            crawler.crawl(start, extra=extra())
            crawler.check_error_states()
            if username is None:  # the 404 page, which the crawl only reaches as a problem
                response = page.goto(f"{live_server.url}/requests/nowhere/")
                missing = f"{label}-{language} /requests/nowhere/ (404)"
                problems += documents(page, missing, response)
            assert page.locator("html").get_attribute("lang") == language
            problems += crawler.problems
            visited += len(crawler.visited)
            seen_keys = crawler.seen_keys
            context.close()
    assert visited >= 80, visited
    problems += vnu.problems(documents.html)
    assert not problems, f"{len(problems)} problems in {len(documents.html)} pages:\n" + "\n".join(
        problems
    )


def test_the_checker_reports_a_planted_error_located_by_url_and_line(page, live_server):
    """The harness itself: the collector keeps what the server sent (not the DOM), and an
    error planted in it is reported with the page's label, its URL and the line."""
    documents = Documents()
    crawler = Crawler(page, live_server, "planted", check=documents)
    crawler.crawl("/faq/", limit=1)
    (label,) = documents.html
    html = documents.html[label].decode()
    assert label == "planted /faq/"
    assert html.startswith("<!DOCTYPE html>")
    line = html[: html.index("<main")].count("\n") + 1
    planted = html.replace("<main", '<p id="x"></p><p id="x"></p><main', 1)
    found = vnu.problems({label: html, "planted /faq/ (changed)": planted})
    assert found and all(f.startswith(f"planted /faq/ (changed) line {line},") for f in found)
    assert "Duplicate ID" in found[0]
