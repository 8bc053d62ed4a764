"""The whole self-assessment as two people on their own devices, from sign-up to the PDF report."""

import re
import subprocess

from playwright.sync_api import expect

from assessments.models import Partnership, Rating, Response
from conftest import PASSWORD
from tests_browser.conftest import open_page
from toolkit.models import Recommendation

DISTRICT_NAME = "Cedar Valley School District"
PROGRAM_NAME = "Northfield University School of Education"
# The district rates recommendations 1 to 3 two levels above the program, so results flag gaps there.
DISTRICT_RATINGS = {number: "Strong" if number <= 3 else "Developing" for number in range(1, 11)}
PROGRAM_RATINGS = {number: "Beginning" if number <= 3 else "Developing" for number in range(1, 11)}
# The first download renders the report with WeasyPrint, far slower than any page, so it gets its own timeout.
PDF_TIMEOUT_MS = 60_000


def sign_up(page, email, display_name):
    page.get_by_label("Email").fill(email)
    page.get_by_label("Display name (optional)").fill(display_name)
    page.locator("#id_password1").fill(PASSWORD)
    page.locator("#id_password2").fill(PASSWORD)
    page.get_by_role("button", name="Create account").click()


def answer_pages(page, ratings, numbers):
    """Rate each indicator on the given recommendation pages and save each page with Save and continue."""
    for number in numbers:
        expect(page.locator("h1")).to_contain_text(f"Recommendation {number}:")
        for fieldset in page.locator("#answer-form fieldset").all():
            fieldset.get_by_label(ratings[number], exact=True).check()
        page.get_by_role("button", name="Save and continue").click()
        page.wait_for_load_state()


def open_round_overview(page):
    page.goto("/partnerships/")
    page.get_by_role("link", name=f"{DISTRICT_NAME} and {PROGRAM_NAME}").click()
    page.get_by_role("link", name="Fall 2026").click()
    expect(page.locator("h1")).to_have_text("Fall 2026")


def submit_answers(page):
    page.get_by_role("button", name="Submit your answers").click()
    expect(page.get_by_role("link", name="Read your submitted answers")).to_be_visible()


def test_two_sides_complete_assessment(new_context, tmp_path):
    district = open_page(new_context())
    district.context.grant_permissions(["clipboard-read", "clipboard-write"])

    # District staff signs up, creates the partnership and opens a round.
    district.goto("/accounts/signup/")
    sign_up(district, "dee@cedarvalley.example.org", "Dee Alvarez")
    district.get_by_role("link", name="Create a partnership").click()
    district.get_by_label("School district name").fill(DISTRICT_NAME)
    district.get_by_label("Preparation program name").fill(PROGRAM_NAME)
    district.get_by_label("State").select_option(label="Oregon")
    district.get_by_role("radio", name="District").check()
    district.get_by_role("button", name="Create partnership").click()
    expect(district.locator("h1")).to_have_text(f"{DISTRICT_NAME} and {PROGRAM_NAME}")
    district.get_by_role("link", name="Start a new round").click()
    district.get_by_label("Label").fill("Fall 2026")
    district.get_by_role("button", name="Start round").click()
    expect(district.locator("h1")).to_have_text("Fall 2026")

    # ...then creates and copies the invitation link for the program side.
    district.get_by_role("link", name=f"Back to {DISTRICT_NAME} and {PROGRAM_NAME}").click()
    district.get_by_role("radio", name="Preparation program").check()
    district.get_by_role("button", name="Create invitation link").click()
    district.get_by_role("button", name="Copy link").click()
    expect(district.locator("#copy-status")).to_have_text("Link copied. Paste it into an email or a message.")
    invitation_link = district.evaluate("navigator.clipboard.readText()")

    # Program staff signs up through the link on another device and joins.
    program = open_page(new_context())
    program.goto(invitation_link)
    program.get_by_role("link", name="Sign up to join").click()
    sign_up(program, "pat@northfield.example.edu", "Pat Okoro")
    program.get_by_role("button", name="Join as preparation program").click()
    expect(program.locator(".messages")).to_contain_text(f"You joined {DISTRICT_NAME} and {PROGRAM_NAME}")

    # Both answer. The program side stops after five recommendations and resumes on a new device.
    open_round_overview(district)
    district.get_by_role("link", name=re.compile(r"^Recommendation 1:")).click()
    answer_pages(district, DISTRICT_RATINGS, range(1, 11))
    open_round_overview(program)
    program.get_by_role("link", name=re.compile(r"^Recommendation 1:")).click()
    answer_pages(program, PROGRAM_RATINGS, range(1, 6))
    program.context.close()

    resumed = open_page(new_context())
    resumed.goto("/accounts/login/")
    resumed.get_by_label("Email").fill("pat@northfield.example.edu")
    resumed.get_by_label("Password").fill(PASSWORD)
    resumed.get_by_role("button", name="Log in").click()
    open_round_overview(resumed)
    expect(resumed.locator("#your-answers ~ ul .badge", has_text="Done")).to_have_count(5)
    resumed.get_by_role("link", name=re.compile(r"^Recommendation 6:")).click()
    answer_pages(resumed, PROGRAM_RATINGS, range(6, 11))
    submit_answers(resumed)
    submit_answers(district)

    # The results show the gaps, and the PDF report downloads.
    district.get_by_role("link", name="See the results of Fall 2026").click()
    gap_headings = district.locator(".results-gap h3").all_inner_texts()
    with district.expect_download(timeout=PDF_TIMEOUT_MS) as download_info:
        district.get_by_role("link", name="PDF report (US Letter)").click()
    pdf_path = tmp_path / "report.pdf"
    download_info.value.save_as(pdf_path)
    pdf_text = subprocess.run(
        ["pdftotext", str(pdf_path), "-"], capture_output=True, text=True, check=True, timeout=60
    ).stdout

    partnership = Partnership.objects.get(district_name=DISTRICT_NAME)
    responses = Response.objects.filter(round__partnership=partnership)
    expected_gaps = [
        f"Recommendation {recommendation.number}: {recommendation.short_title}"
        for recommendation in Recommendation.objects.filter(number__lte=3).order_by("number")
    ]
    assert [heading for heading in gap_headings if heading.startswith("Recommendation")] == expected_gaps
    assert pdf_path.read_bytes().startswith(b"%PDF")
    assert DISTRICT_NAME in " ".join(pdf_text.split())
    assert sorted(responses.values_list("side", flat=True)) == ["district", "program"]
    assert all(response.is_submitted for response in responses)
    assert set(responses.get(side="program").answers.values_list("rating", flat=True)) == {
        Rating.BEGINNING,
        Rating.DEVELOPING,
    }
    assert district.errors == []
    assert resumed.errors == []
