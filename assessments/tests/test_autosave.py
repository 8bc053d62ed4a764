from datetime import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from assessments.models import Answer, AssessmentRound, Response, Side

from .helpers import answer_all, autosave_url, indicators_of, make_round, page_url

pytestmark = pytest.mark.django_db


@pytest.fixture
def round_(partnership):
    return make_round(partnership)


def test_autosave_stores_one_rating(client_for, alice, round_):
    first = indicators_of(round_, 2)[0]

    response = client_for(alice).post(autosave_url(round_, 2), {f"rating-{first.pk}": "3"})

    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "saved"
    assert datetime.fromisoformat(body["saved_at"]) <= timezone.now()
    assert body["progress"] == "0 of 10 recommendations answered"
    assert Answer.objects.get(response__respondent=alice, indicator=first).rating == "3"


def test_autosave_reports_progress_when_page_done(client_for, alice, round_):
    first, second = indicators_of(round_, 2)
    client = client_for(alice)
    client.post(autosave_url(round_, 2), {f"rating-{first.pk}": "3"})

    response = client.post(autosave_url(round_, 2), {f"rating-{second.pk}": "not-sure"})

    assert response.json()["progress"] == "1 of 10 recommendations answered"


def test_autosave_note_keeps_rating(client_for, alice, round_):
    first = indicators_of(round_, 2)[0]
    client = client_for(alice)
    client.post(autosave_url(round_, 2), {f"rating-{first.pk}": "4"})

    response = client.post(autosave_url(round_, 2), {f"note-{first.pk}": "Shared calendar since May."})

    assert response.json()["status"] == "saved"
    answer = Answer.objects.get(response__respondent=alice, indicator=first)
    assert answer.rating == "4"
    assert answer.note == "Shared calendar since May."


def test_autosave_bumps_round_changed_at(client_for, alice, round_):
    first = indicators_of(round_, 2)[0]
    earlier = timezone.now() - timezone.timedelta(hours=1)
    AssessmentRound.objects.filter(pk=round_.pk).update(changed_at=earlier)

    client_for(alice).post(autosave_url(round_, 2), {f"rating-{first.pk}": "3"})

    round_.refresh_from_db()
    assert round_.changed_at > earlier


def test_autosave_when_logged_out_is_401_json(client, round_):
    first = indicators_of(round_, 2)[0]

    response = client.post(autosave_url(round_, 2), {f"rating-{first.pk}": "3"})

    assert response.status_code == 401
    login_url = f"{reverse('accounts:login')}?next={page_url(round_, 2)}"
    assert response.json() == {"status": "login_required", "login_url": login_url}
    assert not Answer.objects.exists()


def test_autosave_to_submitted_response_is_409(client_for, alice, round_):
    answer_all(round_, alice, Side.DISTRICT, rating="2", submitted=True)
    first = indicators_of(round_, 2)[0]

    response = client_for(alice).post(autosave_url(round_, 2), {f"rating-{first.pk}": "4"})

    assert response.status_code == 409
    assert response.json()["status"] == "locked"
    assert "already submitted" in response.json()["message"]
    assert Answer.objects.get(indicator=first).rating == "2"


def test_autosave_to_closed_round_is_409(client_for, alice, partnership):
    round_ = make_round(partnership, closed_at=timezone.now())
    first = indicators_of(round_, 2)[0]

    response = client_for(alice).post(autosave_url(round_, 2), {f"rating-{first.pk}": "4"})

    assert response.status_code == 409
    assert response.json()["message"] == "This round is closed, so its answers can no longer change."
    assert not Response.objects.exists()


def test_autosave_invalid_rating_is_400_and_saves_rest(client_for, alice, round_):
    first, second = indicators_of(round_, 2)

    response = client_for(alice).post(autosave_url(round_, 2), {f"rating-{first.pk}": "5", f"rating-{second.pk}": "1"})

    assert response.status_code == 400
    body = response.json()
    assert body["status"] == "invalid"
    assert list(body["errors"]) == [f"rating-{first.pk}"]
    assert body["errors"][f"rating-{first.pk}"] == [
        "The rating sent is not one of the six ratings. Choose one of them and save again."
    ]
    assert not Answer.objects.filter(indicator=first).exists()
    assert Answer.objects.get(indicator=second).rating == "1"


def test_autosave_by_facilitator_is_403(client_for, fran, round_):
    first = indicators_of(round_, 2)[0]

    response = client_for(fran).post(autosave_url(round_, 2), {f"rating-{first.pk}": "4"})

    assert response.status_code == 403
    assert response.json()["status"] == "forbidden"
    assert not Response.objects.exists()


def test_autosave_get_is_405(client_for, alice, round_):
    response = client_for(alice).get(autosave_url(round_, 2))

    assert response.status_code == 405


def test_autosave_unknown_recommendation_is_404(client_for, alice, round_):
    response = client_for(alice).post(autosave_url(round_, 11), {})

    assert response.status_code == 404
