import pytest
from django.http import QueryDict
from django.test import Client
from django.urls import reverse
from pytest_django.asserts import assertContains, assertRedirects

from assessments.forms.answers import AnswerForm
from assessments.models import Answer, Response, Side
from conftest import MODEL_BACKEND, PASSWORD

from .helpers import indicators_of, make_questionnaire, make_round, page_url, round_url

pytestmark = pytest.mark.django_db

# The test client sends only the last value of a repeated key unless the body is encoded by hand.
FORM_ENCODED = "application/x-www-form-urlencoded"


@pytest.fixture
def round_(partnership):
    return make_round(partnership)


def bound_form(round_, number, query):
    return AnswerForm(QueryDict(query), indicators=indicators_of(round_, number))


def error_codes(form, name):
    return [error.code for error in form.errors.as_data().get(name, [])]


def test_form_rejects_rating_outside_scale(round_):
    first = indicators_of(round_, 1)[0]

    form = bound_form(round_, 1, f"rating-{first.pk}=5")

    assert not form.is_valid()
    assert error_codes(form, f"rating-{first.pk}") == ["invalid_rating"]
    assert form.changed_answers() == {}


def test_form_rejects_long_note(round_):
    first = indicators_of(round_, 1)[0]

    form = AnswerForm({f"note-{first.pk}": "x" * 2001}, indicators=[first])

    assert not form.is_valid()
    assert error_codes(form, f"note-{first.pk}") == ["note_too_long"]


def test_form_accepts_note_of_max_length(round_):
    first = indicators_of(round_, 1)[0]

    form = AnswerForm({f"note-{first.pk}": "x" * 2000}, indicators=[first])

    assert form.is_valid()
    assert form.changed_answers() == {first.pk: {"note": "x" * 2000}}


def test_form_counts_crlf_as_one_character(round_):
    first = indicators_of(round_, 1)[0]

    form = AnswerForm({f"note-{first.pk}": "ab\r\n" * 666 + "ab"}, indicators=[first])

    assert form.is_valid()
    assert form.changed_answers()[first.pk]["note"] == "ab\n" * 666 + "ab"


def test_form_rejects_nul_in_note(round_):
    first = indicators_of(round_, 1)[0]

    form = AnswerForm({f"note-{first.pk}": "before\x00after"}, indicators=[first])

    assert not form.is_valid()
    assert error_codes(form, f"note-{first.pk}") == ["invalid_character"]


def test_form_rejects_field_sent_twice(round_):
    first, second = indicators_of(round_, 1)

    form = bound_form(round_, 1, f"rating-{first.pk}=1&rating-{first.pk}=4&rating-{second.pk}=2")

    assert not form.is_valid()
    assert error_codes(form, f"rating-{first.pk}") == ["duplicate_field"]
    assert form.changed_answers() == {second.pk: {"rating": "2"}}


def test_form_rejects_indicator_of_other_page(round_):
    other_page = indicators_of(round_, 2)[0]

    form = bound_form(round_, 1, f"rating-{other_page.pk}=3&note-abc=hello")

    assert not form.is_valid()
    assert error_codes(form, "__all__") == ["unknown_indicator"]
    assert form.changed_answers() == {}


def test_page_save_keeps_valid_fields_on_error(client_for, alice, round_):
    first, second = indicators_of(round_, 1)
    data = {f"rating-{first.pk}": "7", f"rating-{second.pk}": "3", f"note-{first.pk}": "Typed text"}

    response = client_for(alice).post(page_url(round_, 1), {**data, "action": "continue"})

    assert response.status_code == 200
    assertContains(response, "Your other answers on this page were saved.")
    assert {answer.indicator_id: answer.rating for answer in Answer.objects.all()} == {first.pk: "", second.pk: "3"}
    assert Answer.objects.get(indicator=first).note == "Typed text"


def test_page_error_summary_links_to_field(client_for, alice, round_):
    first = indicators_of(round_, 1)[0]

    response = client_for(alice).post(page_url(round_, 1), {f"rating-{first.pk}": "7"})

    assertContains(response, 'id="error-summary" class="alert alert-danger" role="alert" tabindex="-1"')
    assertContains(
        response,
        f'<a class="alert-link" href="#rating-{first.pk}_0">Rating for indicator 1.1: '
        "The rating sent is not one of the six ratings. Choose one of them and save again.</a>",
        html=True,
    )
    assertContains(response, f'aria-describedby="strong-{first.pk} rating-error-{first.pk}"')
    assertContains(response, f'<p id="rating-error-{first.pk}" class="text-danger fw-semibold">')


def test_page_long_note_error_keeps_typed_text(client_for, alice, round_):
    first, second = indicators_of(round_, 1)
    long_note = "y" * 2001

    response = client_for(alice).post(
        page_url(round_, 1), {f"rating-{first.pk}": "2", f"note-{first.pk}": long_note, f"rating-{second.pk}": "3"}
    )

    assertContains(response, "The note is 2,001 characters long. Shorten it to at most 2,000 characters.")
    assertContains(response, f'href="#note-{first.pk}"')
    assertContains(response, f'aria-describedby="note-hint-{first.pk} note-error-{first.pk}"')
    assertContains(response, 'aria-invalid="true"')
    assertContains(response, f"{long_note}</textarea>")
    assertContains(response, f'id="rating-{first.pk}_1" value="2" checked>')
    assert Answer.objects.get(indicator=first).note == ""
    assert Answer.objects.get(indicator=first).rating == "2"


def test_page_nul_note_is_not_saved(client_for, alice, round_):
    first = indicators_of(round_, 1)[0]

    response = client_for(alice).post(page_url(round_, 1), {f"note-{first.pk}": "a\x00b"})

    assert response.status_code == 200
    assertContains(response, "The note contains a null character")
    assert not Answer.objects.exists()


def test_page_duplicate_field_is_not_saved(client_for, alice, round_):
    first = indicators_of(round_, 1)[0]

    response = client_for(alice).post(
        page_url(round_, 1), f"rating-{first.pk}=1&rating-{first.pk}=4", content_type=FORM_ENCODED
    )

    assert response.status_code == 200
    assertContains(response, "This answer was sent more than once, so it was not saved.")
    assert not Answer.objects.exists()


def test_page_unknown_indicator_is_not_saved(client_for, alice, partnership):
    old_version = make_questionnaire(slug="older", current=False)
    round_ = make_round(partnership)
    foreign = old_version.indicators.get(code="1.1")
    first = indicators_of(round_, 1)[0]

    response = client_for(alice).post(page_url(round_, 1), {f"rating-{foreign.pk}": "4", f"rating-{first.pk}": "3"})

    assertContains(response, "The form contained answers to indicators that are not on this page")
    assert list(Answer.objects.values_list("indicator_id", "rating")) == [(first.pk, "3")]


def test_autosave_errors_use_field_names(client_for, alice, round_):
    first, second = indicators_of(round_, 1)

    response = client_for(alice).post(
        round_url("answer-autosave", round_, 1),
        f"note-{first.pk}=a%00b&rating-{second.pk}=2&rating-{second.pk}=3&rating-999999=1",
        content_type=FORM_ENCODED,
    )

    assert response.status_code == 400
    errors = response.json()["errors"]
    assert errors[f"note-{first.pk}"] == [
        "The note contains a null character, which cannot be saved. Remove it and save again."
    ]
    assert errors[f"rating-{second.pk}"] == [
        "This answer was sent more than once, so it was not saved. Reload the page and try again."
    ]
    assert errors["__all__"] == [
        "The form contained answers to indicators that are not on this page, so they were not saved."
    ]
    assert not Answer.objects.exists()


@pytest.mark.parametrize(
    "path",
    [
        "/partnerships/{p}/rounds/999999/",
        "/partnerships/{p}/rounds/{r}/answer/abc/",
        "/partnerships/{p}/rounds/{r}/responses/999999/",
        "/partnerships/999999/rounds/{r}/",
    ],
)
def test_unknown_ids_are_404(client_for, alice, round_, path):
    response = client_for(alice).get(path.format(p=round_.partnership_id, r=round_.pk))

    assert response.status_code == 404


def test_round_of_other_partnership_is_404(client_for, alice, round_, other_partnership):
    foreign_round = make_round(other_partnership, version=round_.questionnaire_version)

    response = client_for(alice).get(f"/partnerships/{round_.partnership_id}/rounds/{foreign_round.pk}/")

    assert response.status_code == 404


def test_expired_session_save_returns_to_page(client, alice, round_):
    first = indicators_of(round_, 3)[0]
    url = page_url(round_, 3)
    client.force_login(alice, backend=MODEL_BACKEND)
    client.post(url, {f"rating-{first.pk}": "4", f"note-{first.pk}": "Saved before expiry"})
    client.logout()

    response = client.post(url, {f"rating-{first.pk}": "1", "action": "continue"})

    login_url = f"{reverse('accounts:login')}?next={url}"
    assertRedirects(response, login_url, fetch_redirect_response=False)
    login = client.post(login_url, {"username": alice.email, "password": PASSWORD, "next": url})
    assertRedirects(login, url, fetch_redirect_response=False)
    page = client.get(url)
    # The change posted while logged out is shown again for review, and is not saved until the next Save.
    assertContains(page, f'id="rating-{first.pk}_0" value="1" checked>')
    assertContains(page, f'id="rating-{first.pk}_3" value="4">')
    assertContains(page, "Saved before expiry</textarea>")
    assert Answer.objects.get(indicator=first).rating == "4"


def test_csrf_failure_shows_friendly_page(alice, round_):
    first = indicators_of(round_, 1)[0]
    client = Client(enforce_csrf_checks=True)
    client.force_login(alice, backend=MODEL_BACKEND)

    response = client.post(page_url(round_, 1), {f"rating-{first.pk}": "4"})

    assert response.status_code == 403
    assertContains(response, "Your form expired", status_code=403)
    assertContains(response, f'href="{page_url(round_, 1)}"', status_code=403)
    assert not Response.objects.filter(respondent=alice).exists()


def test_csrf_failure_on_autosave_saves_nothing(alice, round_):
    first = indicators_of(round_, 1)[0]
    client = Client(enforce_csrf_checks=True)
    client.force_login(alice, backend=MODEL_BACKEND)

    response = client.post(round_url("answer-autosave", round_, 1), {f"rating-{first.pk}": "4"})

    assert response.status_code == 403
    assert not Answer.objects.exists()


def test_csrf_token_from_page_is_accepted(alice, round_):
    first = indicators_of(round_, 1)[0]
    client = Client(enforce_csrf_checks=True)
    client.force_login(alice, backend=MODEL_BACKEND)
    token = client.get(page_url(round_, 1)).context["csrf_token"]

    response = client.post(
        round_url("answer-autosave", round_, 1), {f"rating-{first.pk}": "4"}, headers={"X-CSRFToken": str(token)}
    )

    assert response.status_code == 200
    assert Answer.objects.get(indicator=first, response__side=Side.DISTRICT).rating == "4"
