"""The public toolkit pages in a real browser: accessibility, styles, keyboard use and the tool filters."""

from urllib.parse import parse_qs, urlsplit

from django.db.models import Q

from tests_browser.conftest import assert_pages_accessible
from toolkit.models import Tool

TOOLKIT_PAGES = [
    ("/", 200),
    ("/stages/initiation-stage/", 200),
    ("/recommendations/", 200),
    ("/recommendations/understand-talent-pipeline/", 200),
    ("/tools/", 200),
    ("/tools/?stage=implementation-stage&type=guide&audience=both", 200),
    ("/tools/?q=residency&recommendation=communicate-and-meet", 200),
    ("/tools/?q=no-tool-has-this-word", 200),
    ("/tools/?stage=no-such-stage", 200),
    ("/tools/annual-workforce-report/", 200),
    ("/case-studies/", 200),
    ("/case-studies/boston-teacher-residency/", 200),
    ("/no-such-page/", 404),
    ("/tools/no-such-tool/", 404),
]


def test_toolkit_pages_accessible(page):
    assert_pages_accessible(page, TOOLKIT_PAGES)


def test_bootstrap_styles_load(page):
    page.goto("/")
    navbar = page.locator("nav.navbar")

    # Without Bootstrap a <nav> is display: block with a transparent background.
    assert navbar.evaluate("element => getComputedStyle(element).display") == "flex"
    assert navbar.evaluate("element => getComputedStyle(element).backgroundColor") == "rgb(248, 249, 250)"
    assert page.errors == []


def test_skip_link_moves_focus_to_main(page):
    page.goto("/tools/")

    page.keyboard.press("Tab")
    skip_link = page.locator(":focus")

    assert skip_link.inner_text() == "Skip to main content"
    assert skip_link.is_visible()
    assert skip_link.bounding_box()["width"] > 1
    assert skip_link.evaluate("element => getComputedStyle(element).outlineStyle") == "solid"

    page.keyboard.press("Enter")

    assert page.evaluate("document.activeElement.id") == "main-content"
    assert page.url.endswith("/tools/#main-content")


def test_tab_focus_outline_visible_on_links(page):
    page.goto("/")

    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    focused = page.locator(":focus")

    assert focused.inner_text() == "Partnering on Prep"
    assert focused.evaluate("element => getComputedStyle(element).outlineStyle") == "solid"
    assert focused.evaluate("element => getComputedStyle(element).outlineWidth") == "3px"


def expected_tool_names(stage_slug, tool_type, search):
    matches = Tool.objects.filter(recommendations__stage__slug=stage_slug, tool_type=tool_type).filter(
        Q(name__icontains=search) | Q(creators__icontains=search) | Q(description__icontains=search)
    )
    return sorted(set(matches.values_list("name", flat=True)))


def test_tool_library_filters_through_form(page):
    page.goto("/tools/")

    page.get_by_label("Search", exact=True).fill("teacher")
    page.get_by_label("Stage", exact=True).select_option(label="Initiation Stage")
    page.get_by_label("Type", exact=True).select_option("data-report")
    page.get_by_role("button", name="Show tools").click()
    page.wait_for_url("**/tools/?*")
    query = parse_qs(urlsplit(page.url).query)
    listed_names = sorted(page.locator(".results .tool-item-name").all_inner_texts())
    expected = expected_tool_names("initiation-stage", "data-report", "teacher")

    assert query == {"q": ["teacher"], "stage": ["initiation-stage"], "type": ["data-report"]}
    assert expected != []
    assert listed_names == expected
    assert page.get_by_role("heading", level=2).first.inner_text() == (
        f"{len(expected)} tool{' matches' if len(expected) == 1 else 's match'}"
    )
    assert page.get_by_label("Stage", exact=True).input_value() == "initiation-stage"


def test_tool_library_shared_link_restores_filters(page):
    page.goto("/tools/?type=agreement&audience=both")
    listed_names = sorted(page.locator(".results .tool-item-name").all_inner_texts())
    expected = sorted(Tool.objects.filter(tool_type="agreement", audience="both").values_list("name", flat=True))

    assert expected != []
    assert listed_names == expected
    assert page.get_by_label("Type", exact=True).input_value() == "agreement"
    assert page.get_by_label("Audience", exact=True).input_value() == "both"

    page.get_by_role("link", name="Clear filters").click()
    page.wait_for_url("**/tools/")

    assert page.locator(".results").count() == 0
    assert page.get_by_label("Type", exact=True).input_value() == ""
