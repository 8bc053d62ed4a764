"""CSV exports: every answer, and the score summary."""

import csv
import io
from datetime import UTC, datetime

import pytest
from django.urls import reverse

from assessments.csv_export import content_disposition, neutralize_cell
from assessments.models import Answer, Membership, Response, Side
from assessments.tests.results_helpers import make_round_with_answers, make_version, same_rating
from conftest import make_user


@pytest.fixture
def round_with_answers(partnership, alice, bob):
    version = make_version()
    return make_round_with_answers(
        partnership,
        [
            {
                "user": alice,
                "side": Side.DISTRICT,
                "ratings": same_rating(version, "3") | {"1.2": "not-sure"},
                "notes": {"1.1": '=HYPERLINK("https://evil.example")'},
            },
            {"user": bob, "side": Side.PROGRAM, "ratings": same_rating(version, "2")},
        ],
    )


def export_url(name, round_):
    return reverse(f"assessments:{name}", args=[round_.partnership_id, round_.pk])


def read_csv(response):
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.DictReader(io.StringIO(text.removeprefix("\ufeff"))))


def test_answers_csv_rows_per_respondent(client_for, round_with_answers, fran):
    response = client_for(fran).get(export_url("export-csv", round_with_answers))

    rows = read_csv(response)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert len(rows) == 2 * 30
    assert {row["side"] for row in rows} == {"District", "Preparation program"}


def test_answers_csv_row_content(client_for, round_with_answers, fran):
    district = Response.objects.get(round=round_with_answers, side=Side.DISTRICT)
    Answer.objects.filter(response=district, indicator__code="1.2").update(
        saved_at=datetime(2026, 10, 1, 14, 3, tzinfo=UTC)
    )
    Response.objects.filter(pk=district.pk).update(submitted_at=datetime(2026, 10, 1, 10, 3, 30, tzinfo=UTC))

    rows = read_csv(client_for(fran).get(export_url("export-csv", round_with_answers)))

    row = next(item for item in rows if item["side"] == "District" and item["indicator_code"] == "1.2")
    assert row["response_id"] == str(district.pk)
    assert row["recommendation_number"] == "1"
    assert row["indicator_text"] == "Indicator 1.2 is in place."
    assert row["rating"] == "not-sure"
    assert row["rating_label"] == "Not sure"
    assert row["saved_at"] == "2026-10-01T14:03:00+00:00"
    assert row["submitted_at"] == "2026-10-01T10:03:30+00:00"


def test_answers_csv_never_contains_emails(client_for, round_with_answers, fran):
    text = client_for(fran).get(export_url("export-csv", round_with_answers)).content.decode()

    assert "alice@riverbend.example.org" not in text
    assert "Alice Rivera" not in text
    assert "bob@lakeview.example.edu" not in text


def test_answers_csv_neutralizes_formula_note(client_for, round_with_answers, fran):
    rows = read_csv(client_for(fran).get(export_url("export-csv", round_with_answers)))

    row = next(item for item in rows if item["side"] == "District" and item["indicator_code"] == "1.1")
    assert row["note"] == '\'=HYPERLINK("https://evil.example")'


def test_answers_csv_lists_unanswered_and_unsubmitted(client_for, partnership, alice, fran):
    round_ = make_round_with_answers(
        partnership, [{"user": alice, "side": Side.DISTRICT, "ratings": {"1.1": "4"}, "submitted": False}]
    )

    rows = read_csv(client_for(fran).get(export_url("export-csv", round_)))

    assert len(rows) == 30
    assert rows[0]["rating_label"] == "Strong"
    assert rows[1]["rating"] == ""
    assert rows[1]["saved_at"] == ""
    assert rows[0]["submitted_at"] == ""


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("=1+1", "'=1+1"),
        ("+1", "'+1"),
        ("-1", "'-1"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tindented", "'\tindented"),
        ("\rcarriage", "'\rcarriage"),
        ("plain text", "plain text"),
        ("a=b", "a=b"),
        ("", ""),
        (3, 3),
    ],
)
def test_neutralize_cell(value, expected):
    assert neutralize_cell(value) == expected


@pytest.mark.parametrize("prefix", ["=", "+", "-", "@", "\t", "\r"])
def test_note_prefix_neutralized_in_export(client_for, partnership, alice, bob, fran, prefix):
    version = make_version()
    round_ = make_round_with_answers(
        partnership,
        [
            {"user": alice, "side": Side.DISTRICT, "ratings": same_rating(version, "3")},
            {"user": bob, "side": Side.PROGRAM, "ratings": same_rating(version, "3"), "notes": {"3.1": f"{prefix}x"}},
        ],
    )

    rows = read_csv(client_for(fran).get(export_url("export-csv", round_)))

    row = next(item for item in rows if item["side"] == "Preparation program" and item["indicator_code"] == "3.1")
    assert row["note"] == f"'{prefix}x"


def test_summary_csv_rows_per_recommendation_and_side(client_for, round_with_answers, fran):
    response = client_for(fran).get(export_url("export-summary-csv", round_with_answers))

    rows = read_csv(response)
    assert len(rows) == 30
    assert [row["side"] for row in rows[:3]] == ["District", "Preparation program", "Combined"]
    first = rows[0]
    assert first["recommendation_number"] == "1"
    assert first["score"] == "3.00"
    assert first["level"] == "Developing"
    assert first["indicators"] == "3"
    assert first["indicators_rated"] == "2"
    assert first["not_sure"] == "1"
    assert first["respondents_submitted"] == "1"
    combined = rows[2]
    assert combined["score"] == "2.50"
    assert combined["level"] == "Developing"
    assert combined["one_side_only"] == "no"
    assert combined["ratings"] == "5"


def test_summary_csv_missing_score(client_for, partnership, alice):
    round_ = make_round_with_answers(partnership, [{"user": alice, "side": Side.DISTRICT, "ratings": {"1.1": "4"}}])

    rows = read_csv(client_for(alice).get(export_url("export-summary-csv", round_)))

    assert rows[0]["score"] == ""
    assert rows[0]["level"] == "Not enough answers"


def test_csv_filename_transliterated(client_for, partnership, fran):
    partnership.district_name = "Distrito Escolar de Peñasco"
    partnership.program_name = "Université Côte"
    partnership.save()
    round_ = make_round_with_answers(partnership, [], label="Otoño 2026")

    response = client_for(fran).get(export_url("export-csv", round_))

    assert response["Content-Disposition"] == (
        'attachment; filename="distrito-escolar-de-penasco-universite-cote-otono-2026-answers.csv"; '
        "filename*=UTF-8''distrito-escolar-de-pe%C3%B1asco-universit%C3%A9-c%C3%B4te-oto%C3%B1o-2026-answers.csv"
    )


def test_content_disposition_strips_quotes_and_paths():
    header = content_disposition('../"evil"\r\nname.csv')

    assert header == "attachment; filename=\"evil-name.csv\"; filename*=UTF-8''evil-name.csv"


def test_answers_csv_hidden_from_owner(client_for, round_with_answers, alice):
    assert client_for(alice).get(export_url("export-csv", round_with_answers)).status_code == 404


def test_summary_csv_allowed_for_owner(client_for, round_with_answers, alice):
    response = client_for(alice).get(export_url("export-summary-csv", round_with_answers))

    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"


def test_answers_csv_allowed_for_staff(client_for, round_with_answers):
    staff = make_user("staff@partnerprep.example.org", is_staff=True)

    response = client_for(staff).get(export_url("export-csv", round_with_answers))

    assert response.status_code == 200
    assert len(read_csv(response)) == 2 * 30


def test_answers_csv_allowed_for_facilitator_owner(client_for, round_with_answers, fran):
    Membership.objects.filter(partnership=round_with_answers.partnership, user=fran).update(is_owner=True)

    assert client_for(fran).get(export_url("export-csv", round_with_answers)).status_code == 200


@pytest.mark.parametrize("name", ["export-csv", "export-summary-csv"])
def test_csv_hidden_from_respondent(client_for, round_with_answers, bob, name):
    assert client_for(bob).get(export_url(name, round_with_answers)).status_code == 404


@pytest.mark.parametrize("name", ["export-csv", "export-summary-csv"])
def test_csv_allowed_for_facilitator(client_for, round_with_answers, fran, name):
    assert client_for(fran).get(export_url(name, round_with_answers)).status_code == 200


@pytest.mark.parametrize("name", ["export-csv", "export-summary-csv"])
def test_csv_post_not_allowed(client_for, round_with_answers, fran, name):
    assert client_for(fran).post(export_url(name, round_with_answers)).status_code == 405
