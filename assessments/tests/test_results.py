"""The results page: waiting, one-side preview and full results, and who may see them."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from pytest_django.asserts import assertContains, assertNotContains

from assessments.models import Side
from assessments.tests.results_helpers import make_round_with_answers, make_version, same_rating
from conftest import make_user
from toolkit.models import Recommendation, Tool


def results_url(round_):
    return reverse("assessments:results", args=[round_.partnership_id, round_.pk])


def gap_ratings(version):
    """Return district and program ratings with gaps on recommendation 2 (2.0) and indicator 6.1 (1.0)."""
    district = same_rating(version, "3")
    program = same_rating(version, "3")
    program.update({"2.1": "1", "2.2": "1", "2.3": "1", "6.1": "4"})
    return district, program


@pytest.fixture
def full_round(partnership, alice, bob):
    version = make_version()
    district, program = gap_ratings(version)
    return make_round_with_answers(
        partnership,
        [
            {
                "user": alice,
                "side": Side.DISTRICT,
                "ratings": district,
                "notes": {"2.1": "Our HR data stops at 2023."},
            },
            {
                "user": bob,
                "side": Side.PROGRAM,
                "ratings": program,
                "notes": {"2.1": "We never saw the vacancy list."},
            },
        ],
    )


def test_results_need_login(client, full_round):
    response = client.get(results_url(full_round))

    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))


def test_results_waiting_for_both_sides(client_for, partnership, alice):
    round_ = make_round_with_answers(
        partnership, [{"user": alice, "side": Side.DISTRICT, "ratings": {"1.1": "3"}, "submitted": False}]
    )

    response = client_for(alice).get(results_url(round_))

    assert response.status_code == 200
    assertContains(response, "No results yet")
    assertContains(
        response, '<tr><th scope="row">District</th><td class="text-end">1</td><td class="text-end">0</td></tr>'
    )
    assertNotContains(response, "Preview:")
    assertNotContains(response, "<svg")


def test_results_preview_of_one_side(client_for, partnership, alice, bob):
    version = make_version()
    round_ = make_round_with_answers(
        partnership,
        [
            {"user": alice, "side": Side.DISTRICT, "ratings": same_rating(version, "2")},
            {"user": bob, "side": Side.PROGRAM, "ratings": same_rating(version, "4"), "submitted": False},
        ],
    )

    response = client_for(bob).get(results_url(round_))

    assertContains(response, "Preview: District side only")
    assertContains(response, '<th scope="col" class="text-end">District score</th>')
    assertContains(response, '<td class="text-end">2.00</td>', count=10)
    assertContains(
        response,
        '<tr><th scope="row">Preparation program</th><td class="text-end">1</td><td class="text-end">0</td></tr>',
    )
    assertNotContains(response, "4.00")
    assertNotContains(response, "Gaps to discuss")
    assertNotContains(response, "Focus areas")
    assertNotContains(response, "<svg")


def test_results_full_show_current_stage(client_for, full_round, alice):
    response = client_for(alice).get(results_url(full_round))

    stage = Recommendation.objects.get(number=2).stage
    assertContains(response, f"Current stage: <strong>{stage.name}</strong>.")
    assertContains(response, "earliest stage with a recommendation below Developing")


def test_results_full_chart_and_table(client_for, full_round, alice):
    response = client_for(alice).get(results_url(full_round))

    assertContains(response, 'role="img" aria-labelledby="chart-recommendations-title chart-recommendations-desc"')
    assertContains(response, '<title id="chart-recommendations-title">')
    assertContains(response, "Preparation program 1.00</text>")
    assertContains(response, "District 3.00</text>", count=10)
    assertContains(
        response,
        '<caption id="scores-caption">Scores by recommendation, from 1 (Not yet started) to 4 (Strong)</caption>',
    )
    assertContains(response, '<th scope="rowgroup" colspan="6">', count=3)
    assertContains(response, "<strong>2.00, discuss together</strong>")


def test_results_gaps_largest_first(client_for, full_round, alice):
    content = client_for(alice).get(results_url(full_round)).content.decode()

    headings = re.findall(r'<h3 class="h5">(Indicator [\d.]+|Recommendation \d+):', content)

    assert headings == ["Recommendation 2", "Indicator 2.1", "Indicator 2.2", "Indicator 2.3", "Indicator 6.1"]


def test_results_gap_notes_labelled_by_side(client_for, full_round, alice):
    response = client_for(alice).get(results_url(full_round))

    gap_section = response.content.decode().split('id="gaps-heading"')[1].split("</section>")[0]
    indicator_gap = gap_section.split("Indicator 2.1:")[1].split("</article>")[0]

    district_notes, program_notes = indicator_gap.split('<h4 class="h6">Preparation program notes</h4>')
    assert '<h4 class="h6">District notes</h4>' in district_notes
    assert "<li>Our HR data stops at 2023.</li>" in district_notes
    assert "<li>We never saw the vacancy list.</li>" in program_notes
    assert "No notes from this side." in gap_section.split("Indicator 6.1:")[1]


def test_results_never_name_respondents(client_for, full_round, alice, fran):
    response = client_for(fran).get(results_url(full_round))

    assertNotContains(response, "Alice Rivera")
    assertNotContains(response, "alice@riverbend.example.org")
    assertNotContains(response, "Bob Chen")
    assertNotContains(response, "bob@lakeview.example.edu")


def test_results_focus_areas_link_tools(client_for, full_round, alice):
    tool = Tool.objects.create(
        slug="results-test-vacancy-report",
        name="Results test vacancy report",
        creators="Test District Office",
        tool_type=Tool.Type.DATA_REPORT,
        audience=Tool.Audience.BOTH,
        description="-",
        url="https://example.org/vacancy-report",
    )
    tool.recommendations.add(Recommendation.objects.get(number=2))

    response = client_for(alice).get(results_url(full_round))

    focus = response.content.decode().split('id="focus-heading"')[1].split("</section>")[0]
    numbers = re.findall(r"<h3>Recommendation (\d+):", focus)
    assert numbers == ["2", "1", "3"]
    tool_link = f'<a href="{reverse("toolkit:tool-detail", args=[tool.slug])}">Results test vacancy report</a>'
    assert tool_link in focus
    assert ", by Test District Office." in focus
    assert 'href="https://example.org/vacancy-report"' in focus


def test_results_not_sure_counts(client_for, partnership, alice, bob):
    version = make_version()
    district = same_rating(version, "3") | {"4.1": "not-sure", "4.2": "not-sure"}
    program = same_rating(version, "3") | {"4.1": "not-sure"}
    round_ = make_round_with_answers(
        partnership,
        [
            {"user": alice, "side": Side.DISTRICT, "ratings": district},
            {"user": bob, "side": Side.PROGRAM, "ratings": program},
        ],
    )

    response = client_for(alice).get(results_url(round_))

    section = response.content.decode().split('id="not-sure-heading"')[1].split("</section>")[0]
    title = Recommendation.objects.get(number=4).short_title
    assert re.search(
        rf'<th scope="row">4\. {re.escape(title)}</th>\s*<td class="text-end">2</td>\s*'
        r'<td class="text-end">1</td>\s*<td class="text-end">3</td>',
        section,
    )
    assert section.count('<th scope="row">') == 1


def test_results_growth_since_closed_round(client_for, partnership, alice, bob):
    version = make_version()
    earlier = timezone.now() - timedelta(days=200)
    make_round_with_answers(
        partnership,
        [
            {"user": alice, "side": Side.DISTRICT, "ratings": same_rating(version, "2")},
            {"user": bob, "side": Side.PROGRAM, "ratings": same_rating(version, "1")},
        ],
        label="Spring 2026",
        opened_at=earlier,
        closed=True,
    )
    current = make_round_with_answers(
        partnership,
        [
            {"user": alice, "side": Side.DISTRICT, "ratings": same_rating(version, "3")},
            {"user": bob, "side": Side.PROGRAM, "ratings": same_rating(version, "3")},
        ],
    )

    response = client_for(alice).get(results_url(current))

    assertContains(response, '<h2 id="growth-heading">Growth since Spring 2026</h2>')
    section = response.content.decode().split('id="growth-heading"')[1].split("</section>")[0]
    assert section.count("+1.50") == 10
    assert section.count("+1.00") == 10
    assert section.count("+2.00") == 10


def test_results_growth_not_comparable(client_for, partnership, alice, bob):
    version = make_version()
    make_round_with_answers(
        partnership,
        [
            {"user": alice, "side": Side.DISTRICT, "ratings": same_rating(version, "3") | {"4.1": "", "4.2": ""}},
            {"user": bob, "side": Side.PROGRAM, "ratings": same_rating(version, "4")},
        ],
        label="Spring 2026",
        opened_at=timezone.now() - timedelta(days=200),
        closed=True,
    )
    current = make_round_with_answers(
        partnership,
        [
            {"user": alice, "side": Side.DISTRICT, "ratings": same_rating(version, "2")},
            {"user": bob, "side": Side.PROGRAM, "ratings": same_rating(version, "4")},
        ],
    )

    response = client_for(alice).get(results_url(current))

    section = response.content.decode().split('id="growth-heading"')[1].split("</section>")[0]
    row = section.split('<th scope="row">4. ')[1].split("</tr>")[0]
    cells = re.findall(r'<td class="text-end">(.*?)</td>', row, re.DOTALL)
    assert cells[0].strip() == "4.00 (one side only)"
    assert cells[1].strip() == "3.00"
    assert cells[2].strip() == '<span class="score-missing">Not comparable</span>'
    assert cells[3].strip() == '<span class="score-missing">Not comparable</span>'
    assert cells[4].strip() == "0.00"


def test_results_no_growth_without_closed_round(client_for, full_round, alice):
    response = client_for(alice).get(results_url(full_round))

    assertNotContains(response, "Growth since")


def test_results_links_for_owner(client_for, full_round, alice):
    response = client_for(alice).get(results_url(full_round))

    pdf_url = reverse("assessments:report-pdf", args=[full_round.partnership_id, full_round.pk])
    assertContains(response, f'<a href="{pdf_url}?size=letter">PDF report (US Letter)</a>')
    assertContains(response, f'<a href="{pdf_url}?size=a4">PDF report (A4)</a>')
    assertNotContains(response, reverse("assessments:export-csv", args=[full_round.partnership_id, full_round.pk]))
    assertNotContains(response, "Every answer as CSV")
    summary_url = reverse("assessments:export-summary-csv", args=[full_round.partnership_id, full_round.pk])
    assertContains(
        response, f'<a href="{summary_url}" aria-describedby="summary-csv-help">Score summary as CSV</a>', html=True
    )
    close_url = reverse("assessments:round-close", args=[full_round.partnership_id, full_round.pk])
    assertContains(
        response,
        f'<a href="{close_url}" class="btn btn-outline-danger" aria-describedby="close-help">Close Fall 2026</a>',
        html=True,
    )


def test_results_links_for_facilitator(client_for, full_round, fran):
    response = client_for(fran).get(results_url(full_round))

    answers_url = reverse("assessments:export-csv", args=[full_round.partnership_id, full_round.pk])
    assertContains(
        response, f'<a href="{answers_url}" aria-describedby="answers-csv-help">Every answer as CSV</a>', html=True
    )
    assertContains(response, "Score summary as CSV")
    assertContains(response, "identifies respondents by response number only")


def test_results_answers_csv_link_for_staff(client_for, full_round):
    staff = make_user("staff@partnerprep.example.org", is_staff=True)

    response = client_for(staff).get(results_url(full_round))

    assertContains(response, "Every answer as CSV")
    assertNotContains(response, "Score summary as CSV")
    assertNotContains(response, reverse("assessments:round-close", args=[full_round.partnership_id, full_round.pk]))


def test_results_no_exports_for_respondent(client_for, full_round, bob):
    response = client_for(bob).get(results_url(full_round))

    assertContains(response, "PDF report (A4)")
    assertNotContains(response, reverse("assessments:export-csv", args=[full_round.partnership_id, full_round.pk]))
    assertNotContains(
        response, reverse("assessments:export-summary-csv", args=[full_round.partnership_id, full_round.pk])
    )
    assertNotContains(response, reverse("assessments:round-close", args=[full_round.partnership_id, full_round.pk]))


def test_results_no_inline_styles_or_scripts(client_for, full_round, alice):
    content = client_for(alice).get(results_url(full_round)).content.decode()

    assert "style=" not in content
    assert "<style" not in content
    assert re.findall(r"<script(?![^>]*\bsrc=)[^>]*>", content) == []


def test_results_indicator_details(client_for, full_round, alice):
    response = client_for(alice).get(results_url(full_round))

    assertContains(response, '<details class="results-details">', count=10)
    assertContains(response, '<span class="results-note-side">District, 2.1:</span> Our HR data stops at 2023.')
    assertContains(
        response, '<span class="results-note-side">Preparation program, 2.1:</span> We never saw the vacancy list.'
    )


def test_results_post_not_allowed(client_for, full_round, alice):
    response = client_for(alice).post(results_url(full_round))

    assert response.status_code == 405


def respondent_specs(count, version, prefix):
    """Return ``count`` submitted responses from new users, alternating sides."""
    specs = []
    for index in range(count):
        side = Side.DISTRICT if index % 2 == 0 else Side.PROGRAM
        user = make_user(f"{prefix}{index}@count.example.org")
        ratings = same_rating(version, str(index % 4 + 1))
        specs.append({"user": user, "side": side, "ratings": ratings, "notes": {"1.1": "A note."}})
    return specs


@pytest.mark.parametrize("respondent_count", [2, 8])
def test_results_query_count_fixed(client_for, partnership, alice, respondent_count, django_assert_num_queries):
    version = make_version()
    spring = timezone.now() - timedelta(days=90)
    make_round_with_answers(
        partnership, respondent_specs(2, version, "spring"), label="Spring", opened_at=spring, closed=True
    )
    round_ = make_round_with_answers(partnership, respondent_specs(respondent_count, version, "fall"))
    client = client_for(alice)

    with django_assert_num_queries(14):
        response = client.get(results_url(round_))

    assert response.status_code == 200
    assertContains(response, "Growth since Spring")


def test_results_escape_notes(client_for, partnership, alice, bob):
    version = make_version()
    district, program = gap_ratings(version)
    round_ = make_round_with_answers(
        partnership,
        [
            {"user": alice, "side": Side.DISTRICT, "ratings": district, "notes": {"2.1": "<script>alert(1)</script>"}},
            {"user": bob, "side": Side.PROGRAM, "ratings": program},
        ],
    )

    response = client_for(alice).get(results_url(round_))

    assertContains(response, "&lt;script&gt;alert(1)&lt;/script&gt;")
    assertNotContains(response, "<script>alert(1)</script>")


def test_results_ignore_facilitator_response(client_for, partnership, alice, bob, fran):
    version = make_version()
    round_ = make_round_with_answers(
        partnership,
        [
            {"user": alice, "side": Side.DISTRICT, "ratings": same_rating(version, "3")},
            {"user": bob, "side": Side.PROGRAM, "ratings": same_rating(version, "3")},
            {"user": fran, "side": Side.FACILITATOR, "ratings": same_rating(version, "1"), "notes": {"1.1": "Mine."}},
        ],
    )

    response = client_for(alice).get(results_url(round_))

    assert response.status_code == 200
    assertContains(response, "District 3.00</text>", count=10)
    assertContains(response, "Combined 3.00</text>", count=10)
    assertNotContains(response, "Mine.")
