"""Layout of the results page on a phone and of the facilitator dashboard on a laptop screen."""

from datetime import timedelta

import pytest
from django.utils import timezone

from assessments.models import Answer, Response, Side
from assessments.services import answers as answer_services
from conftest import add_member, make_partnership, make_user
from tests_browser.conftest import assert_no_axe_violations

PHONE = {"width": 375, "height": 812}
LAPTOP = {"width": 1280, "height": 800}
# Below this rendered size the chart's 12-unit labels are too small to read on a phone.
MIN_CHART_FONT_PX = 11


def answer_everything(round_, user, side, rating_for_number):
    """Create a submitted response rating every indicator by its recommendation's number."""
    response = Response.objects.create(round=round_, respondent=user, side=side, submitted_at=timezone.now())
    Answer.objects.bulk_create(
        Answer(response=response, indicator=indicator, rating=rating_for_number(indicator.recommendation.number))
        for indicator in round_.questionnaire_version.indicators.select_related("recommendation")
    )


@pytest.fixture
def results_round(partnership, alice, bob):
    """A round after a closed one, so every results table shows: scores, gaps, "Not sure" counts and growth."""
    earlier = answer_services.open_round(partnership=partnership, label="Spring 2026", user=alice)
    answer_everything(earlier, alice, Side.DISTRICT, lambda number: "2")
    answer_everything(earlier, bob, Side.PROGRAM, lambda number: "2")
    earlier.closed_at = timezone.now() - timedelta(days=1)
    earlier.save()

    current = answer_services.open_round(partnership=partnership, label="Fall 2026", user=alice)
    answer_everything(current, alice, Side.DISTRICT, lambda number: "4")
    answer_everything(current, bob, Side.PROGRAM, lambda number: "not-sure" if number == 10 else "1")
    return current


@pytest.fixture
def long_named_partnership(fran):
    """A second facilitated partnership whose long names and open round fill the dashboard's wide cells."""
    owner = make_user("owner@northernhighlands.example.org", display_name="Nadia Owens")
    partnership = make_partnership(
        owner,
        district_name="Northern Highlands Consolidated Independent School District",
        program_name="Saint Bartholomew's University Graduate School of Education and Human Development",
        state="MN",
    )
    add_member(partnership, fran, Side.FACILITATOR)
    answer_services.open_round(partnership=partnership, label="Spring 2027 pilot", user=owner)
    return partnership


def results_path(round_):
    return f"/partnerships/{round_.partnership_id}/rounds/{round_.pk}/results/"


def page_width(page):
    return page.evaluate("document.documentElement.scrollWidth")


def test_results_page_fits_phone(page, log_in, alice, results_round):
    page.set_viewport_size(PHONE)
    log_in(page.context, alice)

    page.goto(results_path(results_round))
    page.evaluate("document.querySelectorAll('details').forEach(details => { details.open = true; })")

    assert page.locator("#growth-heading").is_visible()
    assert page.locator("#not-sure-caption").is_visible()
    assert page_width(page) <= PHONE["width"]
    assert_no_axe_violations(page)
    assert page.errors == []


def test_results_chart_readable_on_phone(page, log_in, alice, results_round):
    page.set_viewport_size(PHONE)
    log_in(page.context, alice)
    page.goto(results_path(results_round))

    chart = page.locator(".results-chart")
    chart_scale = chart.evaluate("svg => svg.getBoundingClientRect().width / svg.viewBox.baseVal.width")
    scroller = page.locator(".results-chart-scroll")

    assert chart_scale * 12 >= MIN_CHART_FONT_PX
    assert scroller.get_attribute("tabindex") == "0"
    assert scroller.get_attribute("aria-label") is not None
    assert scroller.evaluate("element => element.scrollWidth > element.clientWidth")


def test_results_chart_scrolls_by_keyboard(page, log_in, alice, results_round):
    page.set_viewport_size(PHONE)
    log_in(page.context, alice)
    page.goto(results_path(results_round))
    scroller = page.locator(".results-chart-scroll")

    scroller.focus()
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowRight")

    assert scroller.evaluate("element => element.scrollLeft") > 0


def test_round_close_confirmation_fits_phone(page, log_in, alice, results_round):
    page.set_viewport_size(PHONE)
    log_in(page.context, alice)

    page.goto(f"/partnerships/{results_round.partnership_id}/rounds/{results_round.pk}/close/")

    assert page_width(page) <= PHONE["width"]
    assert_no_axe_violations(page)


def test_dashboard_table_fits_laptop(page, log_in, fran, results_round, long_named_partnership):
    page.set_viewport_size(LAPTOP)
    log_in(page.context, fran)

    page.goto("/partnerships/dashboard/")
    table = page.locator(".dashboard-table")
    header_texts = table.locator("thead th").all_inner_texts()

    assert table.evaluate("table => table.scrollWidth <= table.parentElement.clientWidth")
    assert page_width(page) <= LAPTOP["width"]
    assert any("Largest gap" in text for text in header_texts)
    assert table.locator("thead th").last.is_visible()
    assert_no_axe_violations(page)
