"""The facilitator dashboard: content, sorting, focus counts and a query count that does not grow."""

import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from pytest_django.asserts import assertContains, assertNotContains

from assessments.models import RoundSummary, Side
from assessments.services import answers as services
from assessments.summaries import FORMAT_VERSION
from assessments.tests.results_helpers import make_round_with_answers, make_version, same_rating
from conftest import add_member, make_partnership, make_user
from toolkit.models import Stage

DASHBOARD_URL = reverse("assessments:dashboard")


def facilitate(fran, district_name, *, district_rating="3", program_rating="3", state="OR", program_submitted=True):
    """Create a partnership fran facilitates, with one round answered by one person per side."""
    owner = make_user(f"owner-{district_name.lower().replace(' ', '-')}@example.org")
    partnership = make_partnership(
        owner, district_name=district_name, program_name=f"{district_name} College", state=state
    )
    add_member(partnership, fran, Side.FACILITATOR)
    version = make_version()
    program_user = make_user(f"program-{owner.email}")
    make_round_with_answers(
        partnership,
        [
            {"user": owner, "side": Side.DISTRICT, "ratings": same_rating(version, district_rating)},
            {
                "user": program_user,
                "side": Side.PROGRAM,
                "ratings": same_rating(version, program_rating),
                "submitted": program_submitted,
            },
        ],
    )
    return partnership


def district_order(response):
    """Return the district names of the partnerships table, in row order."""
    table = response.content.decode().split('id="partnerships-heading"')[1]
    return re.findall(r'<th scope="row">(?:<a href="[^"]+">)?([^<]+)<', table)


def test_dashboard_needs_login(client):
    response = client.get(DASHBOARD_URL)

    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))


def test_dashboard_empty_for_non_facilitator(client_for, partnership, other_partnership, oscar, alice):
    for user in (oscar, alice):
        response = client_for(user).get(DASHBOARD_URL)

        assert response.status_code == 200
        assertContains(response, "You do not facilitate any partnership yet.")
        assertNotContains(response, "<table")


def test_dashboard_row_content(client_for, fran):
    partnership = facilitate(fran, "Ashford District", district_rating="4", program_rating="2")

    response = client_for(fran).get(DASHBOARD_URL)

    round_ = partnership.rounds.get()
    content = response.content.decode()
    results_link = reverse("assessments:results", args=[partnership.pk, round_.pk])
    assert f'<th scope="row"><a href="{results_link}">Ashford District<span class="visually-hidden">' in content
    row = content.split("Ashford District<span")[1].split("</tr>")[0]
    cells = re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)
    assert cells[:8] == ["Ashford District College", "OR", "Fall 2026", "Open", "1", "1", "1", "1"]
    assert cells[8:11] == ["3.00", "3.00", "3.00"]
    assert cells[11].startswith("2.00 on 1. ")
    assert len(cells) == 12


def test_dashboard_incomplete_round_has_no_scores(client_for, fran):
    facilitate(fran, "Birch District", program_submitted=False)

    response = client_for(fran).get(DASHBOARD_URL)

    row = response.content.decode().split(">Birch District<")[1].split("</tr>")[0]
    assert row.count("No score") == Stage.objects.count()
    assert '<td class="text-end">0</td>' in row


def test_dashboard_partnership_without_round(client_for, fran, alice):
    partnership = make_partnership(alice, district_name="Cedar District")
    add_member(partnership, fran, Side.FACILITATOR)

    response = client_for(fran).get(DASHBOARD_URL)

    row = response.content.decode().split('<th scope="row">Cedar District</th>')[1].split("</tr>")[0]
    assert "<td>None yet</td>" in row
    assert "<td>No round yet</td>" in row
    assert '<th scope="row">Cedar District</th>' in response.content.decode()


def test_dashboard_shows_latest_round(client_for, fran, alice):
    partnership = facilitate(fran, "Dover District")
    partnership.rounds.update(closed_at=timezone.now())
    make_round_with_answers(partnership, [], label="Spring 2027", opened_at=timezone.now() + timedelta(days=1))

    response = client_for(fran).get(DASHBOARD_URL)

    assertContains(response, "<td>Spring 2027</td>")
    assertNotContains(response, "<td>Fall 2026</td>")


def test_dashboard_omits_partnerships_not_facilitated(client_for, fran, partnership, other_partnership):
    response = client_for(fran).get(DASHBOARD_URL)

    assertContains(response, partnership.district_name)
    assertNotContains(response, other_partnership.district_name)


def test_dashboard_focus_counts(client_for, fran):
    facilitate(fran, "Elm District", district_rating="2", program_rating="2")
    facilitate(fran, "Fir District", district_rating="1", program_rating="3")
    facilitate(fran, "Gum District", district_rating="4", program_rating="4")

    response = client_for(fran).get(DASHBOARD_URL)

    section = response.content.decode().split('id="common-focus-heading"')[1].split("</section>")[0]
    assert re.findall(r'<th scope="row">(\d+)\. [^<]*</th><td class="text-end">(\d+)</td>', section) == [
        ("1", "2"),
        ("2", "2"),
        ("3", "2"),
    ]


@pytest.fixture
def three_partnerships(fran):
    facilitate(fran, "Hazel District", district_rating="4", state="WA")
    facilitate(fran, "Aspen District", district_rating="4", program_rating="1", state="CA")
    facilitate(fran, "Maple District", district_rating="3", state="OR", program_submitted=False)


@pytest.mark.parametrize(
    ("sort", "order", "sorted_label", "aria_sort"),
    [
        ("", ["Aspen District", "Hazel District", "Maple District"], "District", "ascending"),
        ("-district", ["Maple District", "Hazel District", "Aspen District"], "District", "descending"),
        ("state", ["Aspen District", "Maple District", "Hazel District"], "State", "ascending"),
        ("-gap", ["Aspen District", "Hazel District", "Maple District"], "Largest gap", "descending"),
        ("gap", ["Hazel District", "Aspen District", "Maple District"], "Largest gap", "ascending"),
        (
            "program-submitted",
            ["Maple District", "Aspen District", "Hazel District"],
            "Program submitted",
            "ascending",
        ),
        ("nonsense", ["Aspen District", "Hazel District", "Maple District"], "District", "ascending"),
        ("-", ["Aspen District", "Hazel District", "Maple District"], "District", "ascending"),
    ],
)
def test_dashboard_sorting(client_for, fran, three_partnerships, sort, order, sorted_label, aria_sort):
    response = client_for(fran).get(DASHBOARD_URL, {"sort": sort})

    assert district_order(response) == order
    content = response.content.decode()
    assert content.count("aria-sort=") == 1
    assert re.search(rf'<th scope="col" aria-sort="{aria_sort}">\s*<a href="\?sort=[^"]*">{sorted_label}<', content)


def test_dashboard_stage_column_sort(client_for, fran, three_partnerships):
    stage = Stage.objects.order_by("order").first()

    response = client_for(fran).get(DASHBOARD_URL, {"sort": f"-stage-{stage.order}"})

    assert district_order(response) == ["Hazel District", "Aspen District", "Maple District"]


def test_dashboard_header_links_toggle(client_for, fran, three_partnerships):
    content = client_for(fran).get(DASHBOARD_URL, {"sort": "state"}).content.decode()

    assert '<a href="?sort=-state">State' in content
    assert '<a href="?sort=district">District' in content


def facilitate_many(fran, count):
    version = make_version()
    district_user = make_user(f"district-{count}@many.example.org")
    program_user = make_user(f"program-{count}@many.example.org")
    for index in range(count):
        partnership = make_partnership(district_user, district_name=f"Many District {count}-{index}")
        add_member(partnership, fran, Side.FACILITATOR)
        make_round_with_answers(
            partnership,
            [
                {"user": district_user, "side": Side.DISTRICT, "ratings": same_rating(version, str(index % 4 + 1))},
                {"user": program_user, "side": Side.PROGRAM, "ratings": same_rating(version, "2")},
            ],
        )


# The session, the user, the stages, the recommendation titles, the memberships and the latest
# rounds with their summaries.
QUERIES_WITH_STORED_SUMMARIES = 6
# The same, plus the responses, answers and indicators of the rounds without a summary, and the
# upsert that stores their summaries.
QUERIES_COMPUTING_SUMMARIES = 10


@pytest.mark.parametrize("count", [3, 30])
def test_dashboard_query_count_fixed(client_for, fran, count, django_assert_num_queries):
    facilitate_many(fran, count)
    client = client_for(fran)

    with django_assert_num_queries(QUERIES_COMPUTING_SUMMARIES):
        response = client.get(DASHBOARD_URL)
    with django_assert_num_queries(QUERIES_WITH_STORED_SUMMARIES):
        again = client.get(DASHBOARD_URL)

    assert len(district_order(response)) == count
    assert district_order(again) == district_order(response)
    assert RoundSummary.objects.count() == count


@pytest.mark.slow
def test_dashboard_two_hundred_partnerships(client_for, fran, django_assert_num_queries):
    facilitate_many(fran, 200)
    client = client_for(fran)

    with django_assert_num_queries(QUERIES_COMPUTING_SUMMARIES):
        response = client.get(DASHBOARD_URL, {"sort": "-gap"})
    with django_assert_num_queries(QUERIES_WITH_STORED_SUMMARIES):
        again = client.get(DASHBOARD_URL, {"sort": "-gap"})

    assert response.status_code == 200
    assert len(district_order(response)) == 200
    assert district_order(again) == district_order(response)


def partnerships_table(response):
    return response.content.decode().split('id="partnerships-heading"')[1].split("</section>")[0]


def answer_queries(queries):
    return [query["sql"] for query in queries.captured_queries if '"assessments_answer"' in query["sql"]]


def test_summary_created_on_first_view(client_for, fran):
    partnership = facilitate(fran, "Ivy District", district_rating="4", program_rating="2")
    round_ = partnership.rounds.get()

    client_for(fran).get(DASHBOARD_URL)

    summary = RoundSummary.objects.get(round=round_)
    assert summary.changed_at == round_.changed_at
    assert summary.data["format"] == FORMAT_VERSION
    assert summary.data["respondents"] == {
        "district": {"started": 1, "submitted": 1},
        "program": {"started": 1, "submitted": 1},
    }
    assert summary.data["largest_gap"] == 1
    assert summary.data["focus_areas"] == [1, 2, 3]
    assert [stage["combined"] for stage in summary.data["stages"]] == [3.0, 3.0, 3.0]
    first = summary.data["recommendations"][0]
    assert (first["number"], first["district"], first["program"], first["combined"]) == (1, 4.0, 2.0, 3.0)
    assert first["gap"] == 2.0


def test_summary_reused_on_second_view(client_for, fran):
    facilitate(fran, "Juniper District", district_rating="4", program_rating="2")
    client = client_for(fran)
    first = client.get(DASHBOARD_URL)

    with CaptureQueriesContext(connection) as queries:
        second = client.get(DASHBOARD_URL)

    assert answer_queries(queries) == []
    assert partnerships_table(second) == partnerships_table(first)
    assert RoundSummary.objects.count() == 1


def test_dashboard_shows_stored_summary(client_for, fran):
    partnership = facilitate(fran, "Kauri District")
    client = client_for(fran)
    client.get(DASHBOARD_URL)
    summary = RoundSummary.objects.get(round__partnership=partnership)
    summary.data["stages"][0]["combined"] = 1.25
    summary.save()

    response = client.get(DASHBOARD_URL)

    cells = re.findall(r"<td[^>]*>(.*?)</td>", partnerships_table(response), re.S)
    assert cells[8:11] == ["1.25", "3.00", "3.00"]


def test_summary_recomputed_after_answer_change(client_for, fran):
    partnership = facilitate(fran, "Larch District", district_rating="3", program_rating="3")
    client = client_for(fran)
    client.get(DASHBOARD_URL)
    round_ = partnership.rounds.get()
    response = round_.responses.get(side=Side.PROGRAM)
    membership = add_member(partnership, response.respondent, Side.PROGRAM)

    services.reopen_response(round_=round_, response=response)
    indicator_ids = round_.questionnaire_version.indicators.values_list("pk", flat=True)
    services.save_answers(round_=round_, membership=membership, changes={pk: {"rating": "1"} for pk in indicator_ids})
    services.submit_response(round_=round_, user=response.respondent)
    with CaptureQueriesContext(connection) as queries:
        page = client.get(DASHBOARD_URL)

    round_.refresh_from_db()
    summary = RoundSummary.objects.get(round=round_)
    assert len(answer_queries(queries)) == 1
    assert summary.changed_at == round_.changed_at
    assert summary.data["stages"][0]["combined"] == 2.0
    cells = re.findall(r"<td[^>]*>(.*?)</td>", partnerships_table(page), re.S)
    assert cells[8:11] == ["2.00", "2.00", "2.00"]
    assert cells[11].startswith("2.00 on 1. ")


def test_summary_recomputed_after_draft_save(client_for, fran):
    partnership = facilitate(fran, "Maple District", program_submitted=False)
    client = client_for(fran)
    client.get(DASHBOARD_URL)
    round_ = partnership.rounds.get()
    response = round_.responses.get(side=Side.PROGRAM)
    membership = add_member(partnership, response.respondent, Side.PROGRAM)
    indicator = round_.questionnaire_version.indicators.first()

    services.save_answers(round_=round_, membership=membership, changes={indicator.pk: {"note": "Draft."}})
    client.get(DASHBOARD_URL)

    round_.refresh_from_db()
    summary = RoundSummary.objects.get(round=round_)
    assert summary.changed_at == round_.changed_at
    assert summary.data["respondents"]["program"] == {"started": 1, "submitted": 0}


def test_summary_of_older_format_recomputed(client_for, fran):
    partnership = facilitate(fran, "Nutmeg District")
    client = client_for(fran)
    client.get(DASHBOARD_URL)
    summary = RoundSummary.objects.get(round__partnership=partnership)
    summary.data = {"format": FORMAT_VERSION - 1}
    summary.save()

    response = client.get(DASHBOARD_URL)

    summary.refresh_from_db()
    assert response.status_code == 200
    assert summary.data["format"] == FORMAT_VERSION
    assert summary.data["respondents"]["district"] == {"started": 1, "submitted": 1}


def test_summary_follows_latest_round(client_for, fran):
    partnership = facilitate(fran, "Olive District")
    client = client_for(fran)
    client.get(DASHBOARD_URL)
    partnership.rounds.update(closed_at=timezone.now())
    spring = make_round_with_answers(
        partnership, [], label="Spring 2027", opened_at=timezone.now() + timedelta(days=1)
    )

    response = client.get(DASHBOARD_URL)

    assertContains(response, "<td>Spring 2027</td>")
    assert RoundSummary.objects.get(round=spring).data["respondents"]["district"] == {"started": 0, "submitted": 0}
    assert RoundSummary.objects.count() == 2
