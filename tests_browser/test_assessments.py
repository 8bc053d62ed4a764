"""Partnership and assessment pages in a real browser: accessibility, autosave and keyboard-only answering."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from assessments.models import Answer, Rating, Response, Side
from assessments.services import answers as answer_services
from assessments.services import partnerships as partnership_services
from tests_browser.conftest import assert_no_axe_violations, assert_pages_accessible, open_page
from toolkit.models import Recommendation


def answer_everything(round_, user, side, rating_for_number):
    """Create a submitted response rating every indicator by its recommendation's number."""
    response = Response.objects.create(round=round_, respondent=user, side=side, submitted_at=timezone.now())
    Answer.objects.bulk_create(
        Answer(
            response=response,
            indicator=indicator,
            rating=rating_for_number(indicator.recommendation.number),
            note=f"Note from the {side} side on {indicator.code}.",
        )
        for indicator in round_.questionnaire_version.indicators.select_related("recommendation")
    )
    return response


@pytest.fixture
def results_round(partnership, alice, bob):
    """A closed earlier round and an open round both sides submitted, with gaps on recommendations 1 to 3."""
    earlier = answer_services.open_round(partnership=partnership, label="Spring 2026", user=alice)
    answer_everything(earlier, alice, Side.DISTRICT, lambda number: "2")
    answer_everything(earlier, bob, Side.PROGRAM, lambda number: "2")
    earlier.closed_at = timezone.now() - timedelta(days=1)
    earlier.save()

    current = answer_services.open_round(partnership=partnership, label="Fall 2026", user=alice)
    answer_everything(current, alice, Side.DISTRICT, lambda number: "4" if number <= 3 else "3")
    answer_everything(current, bob, Side.PROGRAM, lambda number: "1" if number <= 3 else "not-sure")
    return current


@pytest.fixture
def open_round(other_partnership, oscar):
    return answer_services.open_round(partnership=other_partnership, label="Fall 2026", user=oscar)


def round_path(round_, suffix=""):
    return f"/partnerships/{round_.partnership_id}/rounds/{round_.pk}/{suffix}"


def test_member_pages_accessible(page, log_in, alice, results_round):
    log_in(page.context, alice)
    partnership_id = results_round.partnership_id
    response = Response.objects.get(round=results_round, respondent=alice)

    assert_pages_accessible(
        page,
        [
            ("/partnerships/", 200),
            ("/partnerships/new/", 200),
            (f"/partnerships/{partnership_id}/", 200),
            (f"/partnerships/{partnership_id}/rounds/new/", 200),
            (round_path(results_round), 200),
            (round_path(results_round, "answer/1/"), 200),
            (round_path(results_round, f"responses/{response.pk}/"), 200),
            (round_path(results_round, "results/"), 200),
            (f"/partnerships/{partnership_id}/rounds/{results_round.pk + 100}/", 404),
        ],
    )


def test_results_page_lists_gaps(page, log_in, bob, results_round):
    log_in(page.context, bob)
    expected = [
        f"Recommendation {recommendation.number}: {recommendation.short_title}"
        for recommendation in Recommendation.objects.filter(number__lte=3).order_by("number")
    ]

    page.goto(round_path(results_round, "results/"))
    gap_headings = page.locator(".results-gap h3").all_inner_texts()

    assert [heading for heading in gap_headings if heading.startswith("Recommendation")] == expected
    assert page.errors == []


def test_facilitator_dashboard_accessible(page, log_in, fran, results_round):
    log_in(page.context, fran)

    assert_pages_accessible(
        page,
        [
            ("/partnerships/dashboard/", 200),
            (round_path(results_round, "results/"), 200),
            (round_path(results_round), 200),
        ],
    )


def test_partnership_form_errors_accessible(page, log_in, alice):
    log_in(page.context, alice)
    page.goto("/partnerships/new/")

    page.get_by_role("button", name="Create partnership").click()
    page.wait_for_load_state()

    assert page.locator("#error-summary").is_visible()
    assert page.evaluate("document.activeElement.id") == "error-summary"
    assert_no_axe_violations(page)


def test_invitation_pages_accessible(page, log_in, new_context, alice, partnership):
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    log_in(page.context, alice)
    page.goto(f"/partnerships/{partnership.pk}/")

    page.get_by_role("radio", name="Preparation program").check()
    page.get_by_role("button", name="Create invitation link").click()
    page.get_by_role("button", name="Copy link").click()
    expect(page.locator("#copy-status")).to_have_text("Link copied. Paste it into an email or a message.")
    link = page.evaluate("navigator.clipboard.readText()")

    assert link == page.get_by_label("Invitation link for the preparation program side").input_value()
    assert "/partnerships/join/" in link
    assert_no_axe_violations(page)

    revoked, revoked_token = partnership_services.create_invitation(
        partnership=partnership, side=Side.PROGRAM, created_by=alice
    )
    partnership_services.revoke_invitation(invitation=revoked, user=alice)
    assert_pages_accessible(
        open_page(new_context()),
        [
            (link, 200),
            (f"/partnerships/join/{revoked_token}/", 410),
            ("/partnerships/join/not-a-real-token/", 404),
        ],
    )


def test_answer_page_errors_accessible(page, log_in, oscar, open_round):
    log_in(page.context, oscar)
    page.goto(round_path(open_round, "answer/1/"))
    first_note = page.locator("textarea").first

    first_note.fill("x" * 2001)
    page.get_by_role("button", name="Save and continue").click()
    page.wait_for_load_state()
    summary = page.locator("#error-summary")

    assert "The note is 2,001 characters long" in summary.inner_text()
    assert page.evaluate("document.activeElement.id") == "error-summary"
    note_id = first_note.get_attribute("id").removeprefix("note-")
    assert f"note-error-{note_id}" in first_note.get_attribute("aria-describedby").split()
    assert_no_axe_violations(page)


def test_autosave_saves_rating_without_click(page, log_in, oscar, open_round):
    log_in(page.context, oscar)
    page.goto(round_path(open_round, "answer/1/"))
    first_group = page.locator("fieldset").first
    indicator_id = int(first_group.get_attribute("id").removeprefix("indicator-"))

    first_group.get_by_label("Developing", exact=True).check()

    expect(page.locator("#autosave-status")).to_contain_text("Saved at")
    answer = Answer.objects.get(response__respondent=oscar, indicator_id=indicator_id)
    assert answer.rating == Rating.DEVELOPING
    assert page.errors == []


def tab_until(page, condition, max_presses=60):
    """Press Tab until the JavaScript ``condition`` holds for the focused element, and return the number of presses."""
    for presses in range(1, max_presses + 1):
        page.keyboard.press("Tab")
        if page.evaluate(f"(element => {condition})(document.activeElement)"):
            return presses
    raise AssertionError(f"{condition} never held within {max_presses} presses of Tab on {page.url}")


def assert_focus_visible(page):
    focused = page.locator(":focus")
    assert focused.evaluate("element => element.matches(':focus-visible')")
    assert focused.evaluate("element => getComputedStyle(element).outlineStyle") == "solid"


def answer_page_by_keyboard(page, next_path):
    """Rate every indicator on the page "Developing" and press Save and continue, by keyboard only."""
    group_names = page.locator("fieldset input[type=radio]").evaluate_all(
        "radios => [...new Set(radios.map(radio => radio.name))]"
    )
    for name in group_names:
        tab_until(page, f"element.name === '{name}'")
        assert_focus_visible(page)
        page.keyboard.press("Space")
        page.keyboard.press("ArrowDown")
        page.keyboard.press("ArrowDown")
        assert page.locator(f"input[name='{name}']:checked").get_attribute("value") == Rating.DEVELOPING

    tab_until(page, "element.textContent.trim() === 'Save and continue'")
    assert_focus_visible(page)
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(re.escape(next_path) + "$"))


def test_keyboard_completes_assessment(page, log_in, oscar, open_round):
    log_in(page.context, oscar)
    page.goto(round_path(open_round, "answer/1/"))

    for number in range(1, 11):
        assert page.locator("h1").inner_text().startswith(f"Recommendation {number}:")
        next_path = round_path(open_round, f"answer/{number + 1}/" if number < 10 else "")
        answer_page_by_keyboard(page, next_path)

    tab_until(page, "element.textContent.trim() === 'Submit your answers'")
    assert_focus_visible(page)
    page.keyboard.press("Enter")
    page.get_by_role("link", name="Read your submitted answers").wait_for()
    response = Response.objects.get(round=open_round, respondent=oscar)

    assert "Submitted on" in page.locator("#your-answers ~ p").last.inner_text()
    assert response.submitted_at is not None
    assert response.answers.count() == open_round.questionnaire_version.indicators.count()
    assert set(response.answers.values_list("rating", flat=True)) == {Rating.DEVELOPING}
    assert page.errors == []
