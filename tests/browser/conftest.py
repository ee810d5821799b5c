"""Browser fixtures: one Chromium per module, a fresh page per test, the live server.

Playwright drives Debian's Chromium (`CHROMIUM_PATH`, default /usr/bin/chromium); nothing is
downloaded. Each page records same-origin responses that failed (a missing static file, a
500 behind an htmx swap) and script errors, and the test fails on any of them at teardown.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest

CHROMIUM_PATH = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
BROWSER_TIMEOUT_MS = 15_000


@pytest.fixture(scope="module", autouse=True)
def _allow_orm_beside_playwright():
    """While Playwright's sync API is started it marks an asyncio loop as running in the
    test thread, and Django then refuses ORM calls there (SynchronousOnlyOperation). The
    factories and database fixtures here are plain synchronous code, so allowing them is
    true. Only for this module: set for the whole process, the variable would reach every
    other test and the subprocesses they start (`check --deploy` fails on it, async.E001).
    """
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        yield


@pytest.fixture(scope="module")
def browser(_allow_orm_beside_playwright):
    """One Chromium per module, not per session: Playwright must be stopped before tests
    without the variable above run ORM calls in this thread again."""
    if not Path(CHROMIUM_PATH).exists():
        pytest.skip(
            f"no Chromium at {CHROMIUM_PATH} (install Debian's chromium or set CHROMIUM_PATH)"
        )
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM_PATH,
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--disable-gpu",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture
def new_page(browser, live_server) -> Iterator[Callable]:
    """new_page() -> a page in its own browser context (own cookies: one person each).

    Pages fail the test at teardown if a same-origin request answered 400 or more, a
    request failed outright, or a script threw.
    """
    from playwright.sync_api import expect

    # Two shared cores: the live server's first pages can take several seconds to answer.
    expect.set_options(timeout=BROWSER_TIMEOUT_MS)
    origin = urlsplit(live_server.url).netloc
    problems: list[str] = []
    contexts = []

    def record_response(response) -> None:
        if urlsplit(response.url).netloc == origin and response.status >= 400:
            problems.append(f"{response.status} {response.request.method} {response.url}")

    def record_failure(request) -> None:
        # htmx cancels a search request when a newer keystroke supersedes it; that is
        # the page working, not a missing file.
        if request.failure != "net::ERR_ABORTED":
            problems.append(f"failed {request.method} {request.url}: {request.failure}")

    def open_page():
        context = browser.new_context(
            base_url=live_server.url, locale="en-GB", viewport={"width": 1280, "height": 900}
        )
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(BROWSER_TIMEOUT_MS)
        page.on("response", record_response)
        page.on("requestfailed", record_failure)
        page.on("pageerror", lambda error: problems.append(f"script error on {page.url}: {error}"))
        return page

    yield open_page

    for context in contexts:
        context.close()
    assert problems == [], "the browser saw failures:\n" + "\n".join(problems)


@pytest.fixture
def page(new_page):
    return new_page()
