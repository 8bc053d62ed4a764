import logging

import pytest
from django.utils import timezone
from pytest_django.asserts import assertContains, assertRedirects

from assessments.models import Answer, AssessmentRound, Response, Side

from .helpers import answer_all, indicators_of, make_round, page_url, round_url

pytestmark = pytest.mark.django_db


@pytest.fixture
def round_(partnership):
    return make_round(partnership)


def submit_url(round_):
    return round_url("response-submit", round_)


def test_submit_locks_complete_response(client_for, alice, round_, caplog):
    answered = answer_all(round_, alice, Side.DISTRICT)
    Answer.objects.filter(response=answered, indicator__code="1.1").update(rating="not-sure")
    Answer.objects.filter(response=answered, indicator__code="1.2").update(rating="not-applicable")
    before = AssessmentRound.objects.get(pk=round_.pk).changed_at

    with caplog.at_level(logging.INFO, logger="assessments.services.answers"):
        response = client_for(alice).post(submit_url(round_))

    assertRedirects(response, round_url("round-detail", round_))
    answered.refresh_from_db()
    round_.refresh_from_db()
    assert answered.submitted_at is not None
    assert round_.changed_at > before
    assert f"event=response_submitted response_id={answered.pk} round_id={round_.pk}" in caplog.text


def test_submit_twice_keeps_first_time(client_for, alice, round_):
    answered = answer_all(round_, alice, Side.DISTRICT)
    client = client_for(alice)
    client.post(submit_url(round_))
    answered.refresh_from_db()
    first_submitted_at = answered.submitted_at

    response = client.post(submit_url(round_), follow=True)

    assertRedirects(response, round_url("round-detail", round_))
    assertContains(response, "Already submitted")
    answered.refresh_from_db()
    assert answered.submitted_at == first_submitted_at
    assert Response.objects.filter(respondent=alice).count() == 1


def test_submit_incomplete_lists_missing_indicators(client_for, alice, round_):
    answered = answer_all(round_, alice, Side.DISTRICT)
    missing = indicators_of(round_, 7)[1]
    Answer.objects.filter(response=answered, indicator=missing).update(rating="")

    response = client_for(alice).post(submit_url(round_))

    assert response.status_code == 200
    assertContains(response, '<div id="error-summary" class="alert alert-danger" role="alert" tabindex="-1"')
    assertContains(
        response,
        f'<a class="alert-link" href="{page_url(round_, 7)}#indicator-{missing.pk}">'
        f"Recommendation 7, indicator 7.2: {missing.text}</a>",
        html=True,
    )
    assertContains(response, 'class="alert-link"', count=1)
    answered.refresh_from_db()
    assert answered.submitted_at is None


def test_submit_without_any_answer_lists_all(client_for, bob, round_):
    response = client_for(bob).post(submit_url(round_))

    assert response.status_code == 200
    assertContains(response, 'class="alert-link"', count=20)
    assert not Response.objects.exists()


def test_submit_in_closed_round_is_rejected(client_for, alice, partnership):
    round_ = make_round(partnership, closed_at=timezone.now())
    answered = answer_all(round_, alice, Side.DISTRICT)

    response = client_for(alice).post(submit_url(round_), follow=True)

    assertContains(response, "This round is closed, so its answers can no longer change.")
    answered.refresh_from_db()
    assert answered.submitted_at is None


def test_submit_by_facilitator_changes_nothing(client_for, fran, round_):
    response = client_for(fran).post(submit_url(round_), follow=True)

    assertContains(response, "Only district and program members answer the questionnaire.")
    assert not Response.objects.exists()


def test_submit_by_get_is_405(client_for, alice, round_):
    response = client_for(alice).get(submit_url(round_))

    assert response.status_code == 405


def test_reopened_response_submits_again(client_for, alice, bob, round_):
    bob_response = answer_all(round_, bob, Side.PROGRAM, rating="2", submitted=True)
    first = indicators_of(round_, 1)[0]
    client_for(alice).post(round_url("response-reopen", round_, bob_response.pk))

    client = client_for(bob)
    client.post(page_url(round_, 1), {f"rating-{first.pk}": "4"})
    client.post(submit_url(round_))

    bob_response.refresh_from_db()
    assert bob_response.submitted_at is not None
    assert Answer.objects.get(response=bob_response, indicator=first).rating == "4"
