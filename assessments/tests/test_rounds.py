import logging

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from pytest_django.asserts import assertContains, assertNotContains, assertRedirects

from assessments.models import Answer, AssessmentRound, QuestionnaireVersion, Response, Side
from conftest import add_member, make_user

from .helpers import answer_all, indicators_of, make_questionnaire, make_round, page_url, round_url

pytestmark = pytest.mark.django_db


def create_url(partnership):
    return reverse("assessments:round-create", args=[partnership.pk])


def test_owner_opens_round_on_current_version(client_for, alice, partnership, caplog):
    version = make_questionnaire()

    with caplog.at_level(logging.INFO, logger="assessments.services.answers"):
        response = client_for(alice).post(create_url(partnership), {"label": "Fall 2026"})

    round_ = AssessmentRound.objects.get(partnership=partnership)
    assertRedirects(response, round_url("round-detail", round_))
    assert round_.label == "Fall 2026"
    assert round_.questionnaire_version == version
    assert round_.opened_by == alice
    assert round_.closed_at is None
    assert f"event=round_opened round_id={round_.pk} partnership_id={partnership.pk}" in caplog.text


def test_facilitator_opens_round(client_for, fran, partnership):
    make_questionnaire()

    response = client_for(fran).post(create_url(partnership), {"label": "Spring 2027"})

    round_ = AssessmentRound.objects.get(partnership=partnership)
    assertRedirects(response, round_url("round-detail", round_))


def test_round_create_form_shows_label_field(client_for, alice, partnership):
    response = client_for(alice).get(create_url(partnership))

    assertContains(response, 'for="id_label"')
    assertContains(response, 'id="id_label"')
    assertContains(response, "Start round")


def test_program_member_cannot_open_round(client_for, bob, partnership):
    make_questionnaire()
    client = client_for(bob)

    assert client.get(create_url(partnership)).status_code == 404
    assert client.post(create_url(partnership), {"label": "Fall 2026"}).status_code == 404
    assert not AssessmentRound.objects.exists()


def test_second_open_round_is_rejected(client_for, alice, partnership):
    first = make_round(partnership, label="Fall 2026")

    response = client_for(alice).post(create_url(partnership), {"label": "Winter 2026"})

    assert response.status_code == 200
    assertContains(response, "This partnership already has an open round.")
    assert list(AssessmentRound.objects.filter(partnership=partnership)) == [first]


def test_round_form_points_to_open_round(client_for, alice, partnership):
    open_round = make_round(partnership, label="Fall 2026")

    response = client_for(alice).get(create_url(partnership))

    assertContains(response, f'href="{open_round.get_absolute_url()}">Fall 2026</a> is still open')


def test_new_round_allowed_after_close(client_for, alice, partnership):
    make_round(partnership, label="Fall 2026", closed_at=timezone.now())

    client_for(alice).post(create_url(partnership), {"label": "Spring 2027"})

    assert AssessmentRound.objects.filter(partnership=partnership).count() == 2
    assert AssessmentRound.objects.get(partnership=partnership, closed_at__isnull=True).label == "Spring 2027"


def test_round_without_current_version_is_rejected(client_for, alice, partnership):
    QuestionnaireVersion.objects.update(is_current=False)

    response = client_for(alice).post(create_url(partnership), {"label": "Fall 2026"})

    assertContains(response, "No questionnaire is published yet")
    assert not AssessmentRound.objects.exists()


def test_round_label_is_required(client_for, alice, partnership):
    make_questionnaire()

    response = client_for(alice).post(create_url(partnership), {"label": ""})

    assert response.status_code == 200
    assert response.context["form"].has_error("label", "required")
    assert not AssessmentRound.objects.exists()


def test_round_create_requires_login(client, partnership):
    url = create_url(partnership)

    response = client.get(url)

    assertRedirects(response, f"{reverse('accounts:login')}?next={url}", fetch_redirect_response=False)


def test_round_create_delete_is_405(client_for, alice, partnership):
    response = client_for(alice).delete(create_url(partnership))

    assert response.status_code == 405


def test_overview_shows_label_status_and_progress(client_for, alice, partnership):
    round_ = make_round(partnership, label="Fall 2026")

    response = client_for(alice).get(round_url("round-detail", round_))

    assertContains(response, "<h1>Fall 2026</h1>", html=True)
    assertContains(response, "Open since")
    assertContains(response, "0 of 10 recommendations answered")
    assertContains(response, "Submit your answers")


def test_overview_counts_fully_rated_recommendations(client_for, alice, partnership):
    round_ = make_round(partnership)
    response_row = Response.objects.create(round=round_, respondent=alice, side=Side.DISTRICT)
    first, second = indicators_of(round_, 1)
    Answer.objects.create(response=response_row, indicator=first, rating="not-sure")
    Answer.objects.create(response=response_row, indicator=second, rating="not-applicable")
    Answer.objects.create(response=response_row, indicator=indicators_of(round_, 2)[0], rating="2")
    Answer.objects.create(response=response_row, indicator=indicators_of(round_, 3)[0], note="Only a note")

    response = client_for(alice).get(round_url("round-detail", round_))

    assertContains(response, "1 of 10 recommendations answered")
    statuses = {item.number: item.status for item in response.context["progress"].recommendations}
    assert statuses[1] == "done"
    assert statuses[2] == "in-progress"
    assert statuses[3] == "not-started"
    assertContains(response, '<span class="badge text-bg-success">Done</span>', count=1, html=True)
    assertContains(response, '<span class="badge text-bg-warning">In progress</span>', count=1, html=True)


def test_overview_groups_recommendations_by_stage(client_for, alice, partnership):
    round_ = make_round(partnership)

    response = client_for(alice).get(round_url("round-detail", round_))

    stages = response.context["progress"].stages
    assert [[item.number for item in items] for _, items in stages] == [[1, 2, 3, 4], [5, 6, 7, 8], [9, 10]]
    assertContains(response, f'href="{page_url(round_, 7)}"')


def test_overview_shows_submitted_date(client_for, alice, partnership):
    round_ = make_round(partnership)
    answer_all(round_, alice, Side.DISTRICT, submitted=True)

    response = client_for(alice).get(round_url("round-detail", round_))

    assertContains(response, "Submitted on")
    assertNotContains(response, "Submit your answers")


def test_overview_for_facilitator_has_no_own_progress(client_for, fran, partnership):
    round_ = make_round(partnership)

    response = client_for(fran).get(round_url("round-detail", round_))

    assert response.context["progress"] is None
    assertNotContains(response, "recommendations answered")
    assertNotContains(response, "Submit your answers")


def test_overview_counts_per_side(client_for, bob, alice, partnership):
    round_ = make_round(partnership)
    carol = make_user("carol@riverbend.example.org", display_name="Carol Diaz")
    add_member(partnership, carol, Side.DISTRICT)
    answer_all(round_, alice, Side.DISTRICT, submitted=True)
    answer_all(round_, carol, Side.DISTRICT)

    response = client_for(bob).get(round_url("round-detail", round_))

    district, program = response.context["sides"]
    assert (district.member_count, district.started_count, district.submitted_count) == (2, 2, 1)
    assert (program.member_count, program.started_count, program.submitted_count) == (1, 0, 0)
    assertContains(
        response,
        "<tr><th scope='row'>District</th><td data-label='Members'>2</td><td data-label='Started'>2</td>"
        "<td data-label='Submitted'>1</td></tr>",
        html=True,
    )


def test_overview_hides_names_from_non_owner(client_for, bob, alice, partnership):
    round_ = make_round(partnership)
    answer_all(round_, alice, Side.DISTRICT, submitted=True)

    response = client_for(bob).get(round_url("round-detail", round_))

    assertNotContains(response, "Alice Rivera")


def test_overview_names_for_owner_and_facilitator(client_for, alice, fran, bob, partnership):
    round_ = make_round(partnership)
    answer_all(round_, bob, Side.PROGRAM, submitted=True)

    assertContains(client_for(alice).get(round_url("round-detail", round_)), "Bob Chen")
    assertContains(client_for(fran).get(round_url("round-detail", round_)), "Bob Chen")


def test_overview_links_facilitator_to_response(client_for, fran, bob, partnership):
    round_ = make_round(partnership)
    bob_response = answer_all(round_, bob, Side.PROGRAM, submitted=True)

    response = client_for(fran).get(round_url("round-detail", round_))

    assertContains(response, f'href="{round_url("response-detail", round_, bob_response.pk)}"')


def test_overview_offers_reopen_to_owner_only(client_for, alice, bob, fran, partnership):
    round_ = make_round(partnership)
    bob_response = answer_all(round_, bob, Side.PROGRAM, submitted=True)
    reopen_url = round_url("response-reopen", round_, bob_response.pk)

    assertContains(client_for(alice).get(round_url("round-detail", round_)), f'action="{reopen_url}"')
    assertNotContains(client_for(fran).get(round_url("round-detail", round_)), f'action="{reopen_url}"')
    assertNotContains(client_for(bob).get(round_url("round-detail", round_)), f'action="{reopen_url}"')


def test_overview_hides_reopen_when_round_closed(client_for, alice, bob, partnership):
    round_ = make_round(partnership, closed_at=timezone.now())
    bob_response = answer_all(round_, bob, Side.PROGRAM, submitted=True)

    response = client_for(alice).get(round_url("round-detail", round_))

    assertNotContains(response, round_url("response-reopen", round_, bob_response.pk))
    assertContains(response, "Closed on")


def test_overview_links_to_results(client_for, bob, partnership):
    round_ = make_round(partnership)

    response = client_for(bob).get(round_url("round-detail", round_))

    assertContains(response, f'href="{round_url("results", round_)}"')


def test_overview_query_count_does_not_grow(client_for, alice, partnership):
    round_ = make_round(partnership)
    answer_all(round_, alice, Side.DISTRICT)
    client = client_for(alice)
    url = round_url("round-detail", round_)

    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for index in range(6):
        member = make_user(f"member{index}@riverbend.example.org")
        add_member(partnership, member, Side.DISTRICT)
        answer_all(round_, member, Side.DISTRICT, submitted=index % 2 == 0)
    with CaptureQueriesContext(connection) as many:
        client.get(url)

    assert len(many.captured_queries) == len(few.captured_queries)


def test_reopen_clears_submission(client_for, alice, bob, partnership, caplog):
    round_ = make_round(partnership)
    bob_response = answer_all(round_, bob, Side.PROGRAM, submitted=True)
    before = AssessmentRound.objects.get(pk=round_.pk).changed_at

    with caplog.at_level(logging.INFO, logger="assessments.services.answers"):
        response = client_for(alice).post(round_url("response-reopen", round_, bob_response.pk))

    assertRedirects(response, round_url("round-detail", round_))
    bob_response.refresh_from_db()
    round_.refresh_from_db()
    assert bob_response.submitted_at is None
    assert round_.changed_at > before
    assert f"event=response_reopened response_id={bob_response.pk} round_id={round_.pk}" in caplog.text


def test_reopen_by_non_owner_is_404(client_for, bob, fran, partnership):
    round_ = make_round(partnership)
    bob_response = answer_all(round_, bob, Side.PROGRAM, submitted=True)
    url = round_url("response-reopen", round_, bob_response.pk)

    assert client_for(fran).post(url).status_code == 404
    assert client_for(bob).post(url).status_code == 404
    bob_response.refresh_from_db()
    assert bob_response.submitted_at is not None


def test_reopen_in_closed_round_is_rejected(client_for, alice, bob, partnership):
    round_ = make_round(partnership, closed_at=timezone.now())
    bob_response = answer_all(round_, bob, Side.PROGRAM, submitted=True)
    submitted_at = bob_response.submitted_at

    response = client_for(alice).post(round_url("response-reopen", round_, bob_response.pk), follow=True)

    assertContains(response, "This round is closed")
    bob_response.refresh_from_db()
    assert bob_response.submitted_at == submitted_at


def test_reopen_unknown_response_is_404(client_for, alice, partnership):
    round_ = make_round(partnership)

    response = client_for(alice).post(round_url("response-reopen", round_, 999999))

    assert response.status_code == 404


def test_reopen_by_get_is_405(client_for, alice, bob, partnership):
    round_ = make_round(partnership)
    bob_response = answer_all(round_, bob, Side.PROGRAM, submitted=True)

    response = client_for(alice).get(round_url("response-reopen", round_, bob_response.pk))

    assert response.status_code == 405
