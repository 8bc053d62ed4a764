import re
import shutil
import time
from datetime import datetime

import pytest
from django.conf import settings
from django.db import connections
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from assessments.models import Answer, AssessmentRound, Response, Side
from conftest import MODEL_BACKEND

from .helpers import DjangoBridge, answer_all, autosave_url, indicators_of, make_round, page_url, round_url

expect = pytest.importorskip("playwright.sync_api").expect

pytestmark = pytest.mark.django_db


@pytest.fixture
def round_(partnership):
    return make_round(partnership)


def test_autosave_stores_one_rating(client_for, alice, round_):
    first = indicators_of(round_, 2)[0]

    response = client_for(alice).post(autosave_url(round_, 2), {f"rating-{first.pk}": "3"})

    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "saved"
    assert datetime.fromisoformat(body["saved_at"]) <= timezone.now()
    assert body["progress"] == "0 of 10 recommendations answered"
    assert Answer.objects.get(response__respondent=alice, indicator=first).rating == "3"


def test_autosave_reports_progress_when_page_done(client_for, alice, round_):
    first, second = indicators_of(round_, 2)
    client = client_for(alice)
    client.post(autosave_url(round_, 2), {f"rating-{first.pk}": "3"})

    response = client.post(autosave_url(round_, 2), {f"rating-{second.pk}": "not-sure"})

    assert response.json()["progress"] == "1 of 10 recommendations answered"


def test_autosave_note_keeps_rating(client_for, alice, round_):
    first = indicators_of(round_, 2)[0]
    client = client_for(alice)
    client.post(autosave_url(round_, 2), {f"rating-{first.pk}": "4"})

    response = client.post(autosave_url(round_, 2), {f"note-{first.pk}": "Shared calendar since May."})

    assert response.json()["status"] == "saved"
    answer = Answer.objects.get(response__respondent=alice, indicator=first)
    assert answer.rating == "4"
    assert answer.note == "Shared calendar since May."


def test_autosave_bumps_round_changed_at(client_for, alice, round_):
    first = indicators_of(round_, 2)[0]
    earlier = timezone.now() - timezone.timedelta(hours=1)
    AssessmentRound.objects.filter(pk=round_.pk).update(changed_at=earlier)

    client_for(alice).post(autosave_url(round_, 2), {f"rating-{first.pk}": "3"})

    round_.refresh_from_db()
    assert round_.changed_at > earlier


def test_autosave_when_logged_out_is_401_json(client, round_):
    first = indicators_of(round_, 2)[0]

    response = client.post(autosave_url(round_, 2), {f"rating-{first.pk}": "3"})

    assert response.status_code == 401
    login_url = f"{reverse('accounts:login')}?next={page_url(round_, 2)}"
    assert response.json() == {"status": "login_required", "login_url": login_url}
    assert not Answer.objects.exists()


def test_autosave_to_submitted_response_is_409(client_for, alice, round_):
    answer_all(round_, alice, Side.DISTRICT, rating="2", submitted=True)
    first = indicators_of(round_, 2)[0]

    response = client_for(alice).post(autosave_url(round_, 2), {f"rating-{first.pk}": "4"})

    assert response.status_code == 409
    assert response.json()["status"] == "locked"
    assert "already submitted" in response.json()["message"]
    assert Answer.objects.get(indicator=first).rating == "2"


def test_autosave_to_closed_round_is_409(client_for, alice, partnership):
    round_ = make_round(partnership, closed_at=timezone.now())
    first = indicators_of(round_, 2)[0]

    response = client_for(alice).post(autosave_url(round_, 2), {f"rating-{first.pk}": "4"})

    assert response.status_code == 409
    assert response.json()["message"] == "This round is closed, so its answers can no longer change."
    assert not Response.objects.exists()


def test_autosave_invalid_rating_saves_rest(client_for, alice, round_):
    first, second = indicators_of(round_, 2)

    response = client_for(alice).post(autosave_url(round_, 2), {f"rating-{first.pk}": "5", f"rating-{second.pk}": "1"})

    assert response.status_code == 400
    body = response.json()
    assert body["status"] == "invalid"
    assert list(body["errors"]) == [f"rating-{first.pk}"]
    assert body["errors"][f"rating-{first.pk}"] == [
        "The rating sent is not one of the six ratings. Choose one of them and save again."
    ]
    assert not Answer.objects.filter(indicator=first).exists()
    assert Answer.objects.get(indicator=second).rating == "1"


def test_autosave_by_facilitator_is_403(client_for, fran, round_):
    first = indicators_of(round_, 2)[0]

    response = client_for(fran).post(autosave_url(round_, 2), {f"rating-{first.pk}": "4"})

    assert response.status_code == 403
    assert response.json()["status"] == "forbidden"
    assert not Response.objects.exists()


def test_autosave_get_is_405(client_for, alice, round_):
    response = client_for(alice).get(autosave_url(round_, 2))

    assert response.status_code == 405


def test_autosave_unknown_recommendation_is_404(client_for, alice, round_):
    response = client_for(alice).post(autosave_url(round_, 11), {})

    assert response.status_code == 404


# Before the save: the session, the user, the membership, the round, the response and the
# indicators. The save: the locked response, update_or_create's lookup and write between its
# SAVEPOINT and RELEASE, and the new timestamps of the response and the round. After it: the rated
# indicators. The save's own transaction adds two more, BEGIN and COMMIT in production, or a
# savepoint and its release inside the test's transaction.
AUTOSAVE_QUERIES = 16


def test_autosave_query_count(client_for, alice, round_, django_assert_num_queries):
    first = indicators_of(round_, 2)[0]
    client = client_for(alice)
    client.post(autosave_url(round_, 2), {f"rating-{first.pk}": "3"})

    with django_assert_num_queries(AUTOSAVE_QUERIES):
        response = client.post(autosave_url(round_, 2), {f"rating-{first.pk}": "4", f"note-{first.pk}": "Since May."})

    assert response.status_code == 200
    assert response.json()["progress"] == "0 of 10 recommendations answered"
    assert Answer.objects.get(indicator=first).rating == "4"


def test_autosave_query_count_full_response(client_for, alice, round_, django_assert_num_queries):
    answer_all(round_, alice, Side.DISTRICT, rating="2")
    first = indicators_of(round_, 2)[0]
    client = client_for(alice)

    with django_assert_num_queries(AUTOSAVE_QUERIES):
        response = client.post(autosave_url(round_, 2), {f"rating-{first.pk}": "4"})

    assert response.json()["progress"] == "10 of 10 recommendations answered"


@pytest.fixture(scope="module")
def browser():
    sync_api = pytest.importorskip("playwright.sync_api")
    chromium = shutil.which("chromium")
    if chromium is None:
        pytest.skip("Chromium is not installed; `make test` installs it.")
    # Playwright's sync API keeps an asyncio loop on the main thread, so Django would reject the
    # ORM calls that the tests and DjangoBridge make there, although none of them runs concurrently.
    with pytest.MonkeyPatch.context() as patch, sync_api.sync_playwright() as playwright:
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "1")
        browser = playwright.chromium.launch(executable_path=chromium)
        yield browser
        browser.close()
        # While Playwright's loop runs, Django keeps database connections in context variables instead
        # of thread-locals, so these tests opened a second connection. Closing it before the loop stops
        # lets PostgreSQL drop the test database at the end of the run.
        connections.close_all()


@pytest.fixture
def browser_page(browser, alice, round_):
    """Open recommendation 1 for alice in Chromium, with the page's timers under the test's control."""
    client = Client(enforce_csrf_checks=True)
    client.force_login(alice, backend=MODEL_BACKEND)
    bridge = DjangoBridge(client)
    context = browser.new_context()
    page = context.new_page()
    page.errors = []
    page.on("pageerror", lambda error: page.errors.append(str(error)))
    page.on("console", lambda message: page.errors.append(message.text) if message.type == "error" else None)
    page.clock.install()
    page.route("**/*", bridge.handle)
    page.goto(bridge.BASE_URL + page_url(round_, 1))
    page.bridge = bridge
    page.client = client
    yield page
    context.close()


def wait_for_autosave(page, milliseconds=1500):
    with page.expect_response("**/autosave/"):
        page.clock.run_for(milliseconds)


@pytest.mark.browser
def test_script_saves_rating_after_change(browser_page, round_, alice):
    first = indicators_of(round_, 1)[0]
    status = browser_page.locator("#autosave-status")

    browser_page.get_by_label("Developing").first.check()
    wait_for_autosave(browser_page)

    expect(status).to_have_text(re.compile(r"^Saved at \d{1,2}:\d{2} [AP]M$"))
    assert Answer.objects.get(response__respondent=alice, indicator=first).rating == "3"
    assert browser_page.errors == []


@pytest.mark.browser
def test_script_waits_for_typing_to_pause(browser_page, round_, alice):
    first = indicators_of(round_, 1)[0]
    note = browser_page.get_by_label("Note on indicator 1.1 (optional)")

    note.press_sequentially("Monthly")
    browser_page.clock.run_for(500)
    note.press_sequentially(" meetings")
    wait_for_autosave(browser_page)

    expect(browser_page.locator("#autosave-status")).to_have_text(re.compile("^Saved at"))
    assert len(browser_page.bridge.autosave_bodies) == 1
    assert Answer.objects.get(response__respondent=alice, indicator=first).note == "Monthly meetings"


@pytest.mark.browser
def test_script_updates_progress(browser_page, round_):
    browser_page.get_by_label("Strong").nth(0).check()
    browser_page.get_by_label("Not applicable").nth(1).check()
    wait_for_autosave(browser_page)

    expect(browser_page.locator("#progress-status")).to_have_text("1 of 10 recommendations answered")


@pytest.mark.browser
def test_script_retries_then_saves(browser_page, round_, alice):
    first = indicators_of(round_, 1)[0]
    status = browser_page.locator("#autosave-status")
    browser_page.bridge.fail_autosaves = 1

    browser_page.get_by_label("Beginning").first.check()
    wait_for_autosave(browser_page)
    expect(status).to_have_text("Could not save. Retrying…")
    wait_for_autosave(browser_page, 2000)

    expect(status).to_have_text(re.compile("^Saved at"))
    assert Answer.objects.get(response__respondent=alice, indicator=first).rating == "2"


@pytest.mark.browser
def test_script_gives_up_after_about_a_minute(browser_page):
    status = browser_page.locator("#autosave-status")
    browser_page.bridge.fail_autosaves = 100

    browser_page.get_by_label("Beginning").first.check()
    wait_for_autosave(browser_page)
    for delay in (2000, 4000, 8000, 16000, 30000):
        expect(status).to_have_text("Could not save. Retrying…")
        wait_for_autosave(browser_page, delay)

    expect(status).to_have_text("Could not save. Check your connection and use Save and continue.")
    assert len(browser_page.bridge.autosave_bodies) == 6


@pytest.mark.browser
def test_script_reports_expired_session(browser_page, round_):
    # An expired session loses the session cookie but keeps the CSRF cookie.
    del browser_page.client.cookies[settings.SESSION_COOKIE_NAME]

    browser_page.get_by_label("Strong").first.check()
    wait_for_autosave(browser_page)

    status = browser_page.locator("#autosave-status")
    expect(status).to_have_text("Your session has expired. Log in again to keep saving.")
    expect(status.get_by_role("link")).to_have_attribute(
        "href", f"{reverse('accounts:login')}?next={page_url(round_, 1)}"
    )


@pytest.mark.browser
def test_script_reports_locked_response(browser_page, round_, alice):
    Response.objects.create(round=round_, respondent=alice, side=Side.DISTRICT, submitted_at=timezone.now())

    browser_page.get_by_label("Strong").first.check()
    wait_for_autosave(browser_page)

    expect(browser_page.locator("#autosave-status")).to_contain_text("You already submitted your answers")
    assert not Answer.objects.exists()


@pytest.mark.browser
def test_script_shows_field_errors(browser_page, round_):
    first = indicators_of(round_, 1)[0]
    radio = browser_page.locator(f"#rating-{first.pk}_0")
    radio.evaluate("element => { element.value = '9'; }")

    radio.check()
    wait_for_autosave(browser_page)

    expect(browser_page.locator("#autosave-status li")).to_have_text(
        f"The rating of “1.1 {first.text}” was not saved: "
        "The rating sent is not one of the six ratings. Choose one of them and save again."
    )


@pytest.mark.browser
def test_script_reports_note_too_large(browser_page, round_, alice):
    first = indicators_of(round_, 1)[0]
    status = browser_page.locator("#autosave-status")

    browser_page.get_by_label("Note on indicator 1.1 (optional)").fill("x" * 600_000)
    wait_for_autosave(browser_page)

    expect(status).to_contain_text("Could not save some answers.")
    expect(status.locator("li")).to_have_text(
        f"The note on “1.1 {first.text}” was not saved: "
        "This note is too long to save. Notes can be at most 2,000 characters."
    )
    browser_page.clock.run_for(60_000)
    assert len(browser_page.bridge.autosave_bodies) == 1
    expect(status).not_to_contain_text("Retrying")
    assert not Answer.objects.filter(indicator=first).exists()


@pytest.mark.browser
def test_script_saves_rest_after_note_too_large(browser_page, round_, alice):
    first, second = indicators_of(round_, 1)
    status = browser_page.locator("#autosave-status")
    held_routes = []

    def hold_first_autosave(route, request):
        if held_routes:
            route.fallback()
        else:
            held_routes.append(route)

    # While the first autosave is held in flight, the next two changes queue up and then go out in one body.
    browser_page.route("**/autosave/", hold_first_autosave)
    browser_page.get_by_label("Strong").nth(1).check()
    browser_page.clock.run_for(1000)
    browser_page.get_by_label("Note on indicator 1.1 (optional)").fill("x" * 600_000)
    browser_page.get_by_label("Beginning").first.check()
    browser_page.clock.run_for(1000)
    held_routes[0].fallback()

    expect(status).to_contain_text("Saved at")
    expect(status.locator("li")).to_have_text(re.compile("^The note on .* was not saved: This note is too long"))
    # The resend without the note leaves after the error is shown, so wait for it to reach the server.
    deadline = time.monotonic() + 10
    while len(browser_page.bridge.autosave_bodies) < 3 and time.monotonic() < deadline:
        browser_page.wait_for_timeout(50)
    bodies = [re.findall(r'name="([^"]+)"', body) for body in browser_page.bridge.autosave_bodies]
    assert bodies == [[f"rating-{second.pk}"], [f"note-{first.pk}", f"rating-{first.pk}"], [f"rating-{first.pk}"]]
    assert Answer.objects.get(response__respondent=alice, indicator=first).rating == "2"
    assert Answer.objects.get(response__respondent=alice, indicator=first).note == ""
    assert Answer.objects.get(response__respondent=alice, indicator=second).rating == "4"


@pytest.mark.browser
def test_keyboard_saves_without_script(browser, alice, round_):
    first, second = indicators_of(round_, 1)
    client = Client(enforce_csrf_checks=True)
    client.force_login(alice, backend=MODEL_BACKEND)
    bridge = DjangoBridge(client)
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.route("**/*", bridge.handle)
    page.goto(bridge.BASE_URL + page_url(round_, 1))

    page.locator(f"#rating-{first.pk}_0").focus()
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Tab")
    page.keyboard.type("Typed by keyboard")
    page.keyboard.press("Tab")
    page.keyboard.press("ArrowDown")
    page.locator("button[value=continue]").focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")

    assert bridge.redirects == [page_url(round_, 2)]
    assert page.locator("h1").text_content().startswith("Recommendation 2:")
    context.close()

    answers = {answer.indicator_id: (answer.rating, answer.note) for answer in Answer.objects.all()}
    assert answers == {first.pk: ("3", "Typed by keyboard"), second.pk: ("2", "")}


def axe_violations(page):
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    return [(violation["id"], len(violation["nodes"])) for violation in results.response["violations"]]


@pytest.mark.browser
def test_answer_page_has_no_axe_violations(browser_page):
    assert axe_violations(browser_page) == []
    assert browser_page.errors == []


@pytest.mark.browser
def test_page_errors_have_no_axe_violations(browser_page, round_):
    first = indicators_of(round_, 1)[0]
    browser_page.locator(f"#note-{first.pk}").fill("x" * 2001)
    with browser_page.expect_navigation():
        browser_page.get_by_role("button", name="Save and continue").click()

    expect(browser_page.locator("#error-summary")).to_be_focused()
    assert axe_violations(browser_page) == []


@pytest.mark.browser
def test_missing_list_has_no_axe_violations(browser_page, round_):
    browser_page.goto(browser_page.bridge.BASE_URL + round_url("round-detail", round_))
    with browser_page.expect_navigation():
        browser_page.get_by_role("button", name="Submit your answers").click()

    expect(browser_page.locator("#error-summary")).to_contain_text("Your answers were not submitted")
    assert axe_violations(browser_page) == []
