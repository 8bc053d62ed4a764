"""Pages fit a 375-pixel-wide phone screen without sideways scrolling."""

from django.utils import timezone

from assessments.models import Invitation, Response, Side
from assessments.services import answers as answer_services
from conftest import add_member, make_user

PHONE_WIDTH = 375


def widest_elements(page):
    """Describe up to five elements that reach past the viewport's right edge, for the failure message."""
    return page.evaluate(
        """(width) => Array.from(document.querySelectorAll("body *"))
            .filter((element) => element.getBoundingClientRect().right > width)
            .slice(0, 5)
            .map((element) => `${element.tagName}.${element.className} ${element.getBoundingClientRect().right}`)""",
        PHONE_WIDTH,
    )


def assert_fits_phone(page, path):
    page.set_viewport_size({"width": PHONE_WIDTH, "height": 800})
    response = page.goto(path)

    assert response.status == 200
    scroll_width = page.evaluate("document.documentElement.scrollWidth")
    assert scroll_width <= PHONE_WIDTH, f"{path} is {scroll_width} px wide: {widest_elements(page)}"


def test_partnership_page_fits_phone(page, log_in, partnership, alice):
    long_name = make_user("maximiliana.featherstonehaugh-worthington@riverbend-unified-schools.example.org")
    add_member(partnership, long_name, Side.DISTRICT)
    for side in [Side.PROGRAM, Side.PROGRAM, Side.FACILITATOR]:
        Invitation.create_with_token(partnership=partnership, side=side, created_by=long_name)
    Invitation.create_with_token(
        partnership=partnership, side=Side.DISTRICT, created_by=alice, revoked_at=timezone.now()
    )
    log_in(page.context, alice)

    assert_fits_phone(page, partnership.get_absolute_url())


def test_round_overview_fits_phone(page, log_in, partnership, alice):
    long_name = make_user("maximiliana.featherstonehaugh-worthington@riverbend-unified-schools.example.org")
    add_member(partnership, long_name, Side.DISTRICT)
    round_ = answer_services.open_round(partnership=partnership, label="Fall 2026", user=alice)
    Response.objects.create(round=round_, respondent=long_name, side=Side.DISTRICT, submitted_at=timezone.now())
    log_in(page.context, alice)

    assert_fits_phone(page, round_.get_absolute_url())
