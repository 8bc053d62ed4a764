"""Browser tests: Playwright's sync API drives Debian's Chromium against pytest-django's live server.

Every test in this package is marked ``browser``. Run them alone with
``python -m pytest -m browser tests_browser``. They fail, never skip, when Chromium is missing.
"""

import os
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.core.management import call_command
from django.test import Client
from playwright.sync_api import sync_playwright

from conftest import MODEL_BACKEND
from toolkit.models import Stage

# Playwright's sync API keeps an asyncio event loop running in the main thread, so Django would reject
# every database call from a test as if it came from async code. The calls are synchronous, so the check
# is switched off, for the whole pytest process once this package is collected.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM_PATH = Path(os.environ.get("PARTNERPREP_CHROMIUM", "/usr/bin/chromium"))
# Headless and quiet: no sandbox (CI runs as root), no GPU, and no traffic to Google's update,
# sync or field-trial services.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
TIMEOUT_MS = 10_000
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
BROWSER_TESTS_DIR = Path(__file__).resolve().parent


def pytest_collection_modifyitems(items):
    for item in items:
        if BROWSER_TESTS_DIR in Path(item.path).parents:
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser(live_server):
    # Depending on live_server makes the browser close first, so its open keep-alive connections end
    # while the server can still close its shared SQLite connection.
    if not CHROMIUM_PATH.exists():
        pytest.fail(
            f"Chromium not found at {CHROMIUM_PATH}. Install Debian's chromium package (`make test` does) "
            "or set PARTNERPREP_CHROMIUM to its path.",
            pytrace=False,
        )
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM_PATH), headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture(autouse=True)
def toolkit_content(transactional_db):
    """Load the content before each test: the live server's database is flushed after every test."""
    if not Stage.objects.exists():
        call_command("load_toolkit", verbosity=0)


@pytest.fixture
def new_context(browser, live_server):
    """Return a function that opens a fresh browser context, like a second person on another device."""
    contexts = []

    def open_context():
        context = browser.new_context(base_url=live_server.url)
        context.set_default_timeout(TIMEOUT_MS)
        context.set_default_navigation_timeout(TIMEOUT_MS)
        contexts.append(context)
        return context

    yield open_context
    for context in contexts:
        context.close()


@pytest.fixture
def context(new_context):
    return new_context()


@pytest.fixture
def page(context):
    return open_page(context)


def open_page(context):
    """Open a tab that records script errors and Content-Security-Policy violations in ``page.errors``."""
    page = context.new_page()
    page.errors = []
    page.on("console", lambda message: record_console_error(page, message))
    page.on("pageerror", lambda error: page.errors.append(f"{error} on {page.url}"))
    return page


def record_console_error(page, message):
    # The browser also logs an error for every 4xx or 5xx response; tests check statuses themselves.
    if message.type == "error" and not message.text.startswith("Failed to load resource"):
        page.errors.append(f"{message.text} on {page.url}")


@pytest.fixture
def log_in(live_server):
    """Return a function that signs a user in to a browser context with a session cookie, skipping the form."""

    def log_in_context(context, user):
        client = Client()
        client.force_login(user, backend=MODEL_BACKEND)
        session_cookie = client.cookies["sessionid"].value
        context.add_cookies([{"name": "sessionid", "value": session_cookie, "url": live_server.url}])

    return log_in_context


def format_violation(violation):
    targets = ", ".join(" ".join(node["target"]) for node in violation["nodes"])
    return f"{violation['id']} ({violation['impact']}): {violation['help']} at {targets}"


def axe_violations(page):
    """Run axe-core with the WCAG 2.1 A and AA rules on the current page and return its violations as text."""
    options = {"runOnly": {"type": "tag", "values": AXE_TAGS}, "resultTypes": ["violations"]}
    results = Axe().run(page, options=options)
    return [format_violation(violation) for violation in results.response["violations"]]


def assert_no_axe_violations(page):
    """Fail listing each axe-core violation (rule id, impact, target nodes) on the current page."""
    violations = axe_violations(page)
    assert violations == [], f"axe found {len(violations)} violations on {page.url}:\n" + "\n".join(violations)


def assert_pages_accessible(page, paths):
    """Visit each path and fail once, listing every page's axe violations, script errors and bad statuses."""
    problems = {}
    for path, expected_status in paths:
        response = page.goto(path)
        found = axe_violations(page) + page.errors
        if response.status != expected_status:
            found.append(f"status {response.status}, expected {expected_status}")
        if found:
            problems[path] = found
        page.errors.clear()
    assert problems == {}, "\n".join(f"{path}:\n  " + "\n  ".join(found) for path, found in problems.items())
