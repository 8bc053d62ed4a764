import pytest
from django.urls import reverse
from django.utils import timezone
from pytest_django.asserts import assertContains, assertNotContains, assertRedirects

from assessments.models import Answer, AssessmentRound, Response, Side
from conftest import MODEL_BACKEND, make_user

from .helpers import answer_all, indicators_of, make_round, page_url, round_url

pytestmark = pytest.mark.django_db


@pytest.fixture
def round_(partnership):
    return make_round(partnership)


def ratings(indicators, rating):
    return {f"rating-{indicator.pk}": rating for indicator in indicators}


def stored_answers(user, round_):
    return {
        answer.indicator.code: (answer.rating, answer.note)
        for answer in Answer.objects.filter(response__respondent=user, response__round=round_).select_related(
            "indicator"
        )
    }


def test_page_has_fieldset_per_indicator(client_for, alice, round_):
    first, second = indicators_of(round_, 4)

    response = client_for(alice).get(page_url(round_, 4))

    assert response.status_code == 200
    assertContains(response, "<fieldset", count=2)
    assertContains(response, f'<fieldset id="indicator-{first.pk}"')
    assertContains(response, f'<legend class="h5 float-none w-auto">4.1 {first.text}</legend>', html=True)
    assertContains(response, f'aria-describedby="strong-{second.pk}"')
    assertContains(response, f'<p id="strong-{second.pk}" class="form-text mt-0">What Strong looks like:')


def test_page_offers_six_labelled_ratings(client_for, alice, round_):
    first = indicators_of(round_, 4)[0]

    response = client_for(alice).get(page_url(round_, 4))

    for index, label in enumerate(
        ["Not yet started", "Beginning", "Developing", "Strong", "Not sure", "Not applicable"]
    ):
        assertContains(response, f'<label class="form-check-label" for="rating-{first.pk}_{index}">{label}</label>')
    assertContains(response, f'name="rating-{first.pk}"', count=6)


def test_page_has_labelled_note(client_for, alice, round_):
    first = indicators_of(round_, 4)[0]

    response = client_for(alice).get(page_url(round_, 4))

    assertContains(
        response, f'<label class="form-label" for="note-{first.pk}">Note on indicator 4.1 (optional)</label>'
    )
    assertContains(response, f'<textarea name="note-{first.pk}"')
    assertContains(response, f'aria-describedby="note-hint-{first.pk}"')


def test_page_shows_title_stage_and_progress(client_for, alice, round_):
    recommendation = indicators_of(round_, 5)[0].recommendation

    response = client_for(alice).get(page_url(round_, 5))

    assertContains(response, f"<h1>Recommendation 5: {recommendation.short_title}</h1>", html=True)
    assertContains(response, recommendation.stage.name)
    assertContains(
        response,
        '<p id="progress-status" role="status" class="fw-semibold">0 of 10 recommendations answered</p>',
        html=True,
    )


def test_page_links_previous_and_next(client_for, alice, round_):
    response = client_for(alice).get(page_url(round_, 5))

    assertContains(response, f'href="{page_url(round_, 4)}">Previous: recommendation 4')
    assertContains(response, f'href="{page_url(round_, 6)}">Next: recommendation 6')


def test_first_page_has_no_previous_link(client_for, alice, round_):
    response = client_for(alice).get(page_url(round_, 1))

    assertNotContains(response, "Previous:")
    assertContains(response, "Next: recommendation 2")


def test_page_loads_script_file_only(client_for, alice, round_):
    response = client_for(alice).get(page_url(round_, 1))

    assertContains(response, '<script src="/static/js/autosave.js" defer></script>', html=True)
    assertContains(response, f'data-autosave-url="{round_url("answer-autosave", round_, 1)}"')
    assert "<script>" not in response.content.decode()
    assert 'style="' not in response.content.decode()


@pytest.mark.parametrize("number", [0, 11, 99])
def test_unknown_recommendation_is_404(client_for, alice, round_, number):
    response = client_for(alice).get(page_url(round_, number))

    assert response.status_code == 404


def test_save_and_continue_stores_answers(client_for, alice, round_):
    first, second = indicators_of(round_, 3)
    data = {f"rating-{first.pk}": "4", f"rating-{second.pk}": "not-sure", f"note-{first.pk}": "We meet monthly."}

    response = client_for(alice).post(page_url(round_, 3), {**data, "action": "continue"})

    assertRedirects(response, page_url(round_, 4))
    assert stored_answers(alice, round_) == {"3.1": ("4", "We meet monthly."), "3.2": ("not-sure", "")}


def test_save_creates_response_with_side(client_for, bob, round_):
    first = indicators_of(round_, 1)[0]

    client_for(bob).post(page_url(round_, 1), {f"rating-{first.pk}": "2", "action": "continue"})

    response_row = Response.objects.get(round=round_, respondent=bob)
    assert response_row.side == Side.PROGRAM
    assert response_row.submitted_at is None


def test_last_page_continues_to_overview(client_for, alice, round_):
    data = ratings(indicators_of(round_, 10), "3")

    response = client_for(alice).post(page_url(round_, 10), {**data, "action": "continue"})

    assertRedirects(response, round_url("round-detail", round_))


def test_save_and_return_goes_to_overview(client_for, alice, round_):
    data = ratings(indicators_of(round_, 2), "1")

    response = client_for(alice).post(page_url(round_, 2), {**data, "action": "overview"})

    assertRedirects(response, round_url("round-detail", round_))
    assert stored_answers(alice, round_) == {"2.1": ("1", ""), "2.2": ("1", "")}


def test_partly_answered_page_saves(client_for, alice, round_):
    first, second = indicators_of(round_, 6)

    response = client_for(alice).post(page_url(round_, 6), {f"rating-{first.pk}": "3", "action": "continue"})

    assertRedirects(response, page_url(round_, 7))
    assert stored_answers(alice, round_) == {"6.1": ("3", "")}


def test_empty_page_save_creates_nothing(client_for, alice, round_):
    response = client_for(alice).post(page_url(round_, 6), {"action": "continue"})

    assertRedirects(response, page_url(round_, 7))
    assert not Response.objects.filter(respondent=alice).exists()


def test_save_bumps_round_and_response_times(client_for, alice, round_):
    first = indicators_of(round_, 1)[0]
    existing = Response.objects.create(round=round_, respondent=alice, side=Side.DISTRICT)
    earlier = timezone.now() - timezone.timedelta(hours=1)
    Response.objects.filter(pk=existing.pk).update(updated_at=earlier)
    AssessmentRound.objects.filter(pk=round_.pk).update(changed_at=earlier)

    client_for(alice).post(page_url(round_, 1), {f"rating-{first.pk}": "3", "action": "continue"})

    existing.refresh_from_db()
    round_.refresh_from_db()
    assert existing.updated_at > earlier
    assert round_.changed_at > earlier


def test_save_updates_existing_answer(client_for, alice, round_):
    first = indicators_of(round_, 1)[0]
    client = client_for(alice)
    client.post(page_url(round_, 1), {f"rating-{first.pk}": "1", f"note-{first.pk}": "First thought"})

    client.post(page_url(round_, 1), {f"rating-{first.pk}": "4", f"note-{first.pk}": "Second thought"})

    assert stored_answers(alice, round_) == {"1.1": ("4", "Second thought")}
    assert Answer.objects.filter(response__respondent=alice).count() == 1


def test_missing_field_keeps_stored_answer(client_for, alice, round_):
    first = indicators_of(round_, 1)[0]
    client = client_for(alice)
    client.post(page_url(round_, 1), {f"rating-{first.pk}": "2", f"note-{first.pk}": "Keep me"})

    client.post(page_url(round_, 1), {"action": "continue"})

    assert stored_answers(alice, round_) == {"1.1": ("2", "Keep me")}


def test_empty_note_clears_note(client_for, alice, round_):
    first = indicators_of(round_, 1)[0]
    client = client_for(alice)
    client.post(page_url(round_, 1), {f"rating-{first.pk}": "2", f"note-{first.pk}": "Old note"})

    client.post(page_url(round_, 1), {f"rating-{first.pk}": "2", f"note-{first.pk}": ""})

    assert stored_answers(alice, round_) == {"1.1": ("2", "")}


def test_saved_answers_shown_to_fresh_client(client, alice, round_):
    first, second = indicators_of(round_, 8)
    writer = client.__class__()
    writer.force_login(alice, backend=MODEL_BACKEND)
    writer.post(page_url(round_, 8), {f"rating-{first.pk}": "not-applicable", f"note-{second.pk}": "Pilot only"})

    client.force_login(alice, backend=MODEL_BACKEND)
    response = client.get(page_url(round_, 8))

    assertContains(
        response,
        f'<input class="form-check-input" type="radio" name="rating-{first.pk}" id="rating-{first.pk}_5" '
        'value="not-applicable" checked>',
        html=True,
    )
    assertContains(response, f'name="rating-{first.pk}" id="rating-{first.pk}_0" value="1">', count=1)
    assertContains(response, f'id="note-{second.pk}">\nPilot only</textarea>')


def test_facilitator_cannot_answer(client_for, fran, round_):
    first = indicators_of(round_, 1)[0]
    client = client_for(fran)

    get_response = client.get(page_url(round_, 1))
    post_response = client.post(page_url(round_, 1), {f"rating-{first.pk}": "3"}, follow=True)

    assertRedirects(get_response, round_url("round-detail", round_))
    assertContains(post_response, "Only district and program members answer the questionnaire.")
    assert not Response.objects.exists()


def test_page_in_closed_round_is_read_only(client_for, alice, partnership):
    round_ = make_round(partnership, closed_at=timezone.now())

    response = client_for(alice).get(page_url(round_, 1))

    assertContains(response, "This round is closed")
    assertContains(response, "disabled", count=2 * 6 + 2)
    assertNotContains(response, "Save and continue")
    assertNotContains(response, "autosave.js")


def test_save_in_closed_round_is_rejected(client_for, alice, partnership):
    round_ = make_round(partnership, closed_at=timezone.now())
    first = indicators_of(round_, 1)[0]

    response = client_for(alice).post(page_url(round_, 1), {f"rating-{first.pk}": "3"}, follow=True)

    assertContains(response, "This round is closed, so its answers can no longer change. Nothing was saved.")
    assert not Answer.objects.exists()


def test_save_to_submitted_response_is_rejected(client_for, alice, round_):
    answer_all(round_, alice, Side.DISTRICT, rating="2", submitted=True)
    first = indicators_of(round_, 1)[0]

    response = client_for(alice).post(page_url(round_, 1), {f"rating-{first.pk}": "4"}, follow=True)

    assertContains(response, "You already submitted your answers, so they are locked.")
    assert Answer.objects.get(indicator=first).rating == "2"


def test_anonymous_page_redirects_to_login(client, round_):
    url = page_url(round_, 1)

    response = client.get(url)

    assertRedirects(response, f"{reverse('accounts:login')}?next={url}", fetch_redirect_response=False)


def test_page_wrong_method_is_405(client_for, alice, round_):
    response = client_for(alice).put(page_url(round_, 1))

    assert response.status_code == 405


def test_staff_viewer_cannot_answer(client_for, round_):
    staff = make_user("staff@partnerprep.example.org", is_staff=True)
    first = indicators_of(round_, 1)[0]

    response = client_for(staff).post(page_url(round_, 1), {f"rating-{first.pk}": "3"}, follow=True)

    assertRedirects(response, round_url("round-detail", round_))
    assertContains(response, "Facilitators and site staff follow the round.")
    assert not Response.objects.exists()
