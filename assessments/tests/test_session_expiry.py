"""A questionnaire page saved after the session ended keeps its changes until the next login."""

import re

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from pytest_django.asserts import assertContains, assertNotContains, assertRedirects

from assessments.models import Answer, Response, Side
from assessments.pending_answers import session_key
from conftest import MODEL_BACKEND, PASSWORD

from .helpers import answer_all, indicators_of, make_round, page_url, round_url

pytestmark = pytest.mark.django_db

LOGIN_URL = reverse("accounts:login")
KEPT_NOTICE = "Your session expired. Log in to continue; the changes you just made are kept until you save them."
PENDING_MESSAGE = "You were logged out before these changes were saved. Check them and choose Save."


@pytest.fixture
def round_(partnership):
    return make_round(partnership)


@pytest.fixture
def answered(round_, alice):
    """Alice's draft response with every indicator rated 2."""
    return answer_all(round_, alice, Side.DISTRICT, rating="2")


def post_logged_out(client, round_, number=1, **fields):
    """POST a page save from a tab whose session has ended, as the no-script form sends it."""
    return client.post(page_url(round_, number), {**fields, "action": "continue"})


def log_in(client, user, next_url):
    return client.post(LOGIN_URL, {"username": user.email, "password": PASSWORD, "next": next_url})


def rating_input(indicator, position, value, checked):
    checked_attribute = " checked" if checked else ""
    return (
        f'<input class="form-check-input" type="radio" name="rating-{indicator.pk}" '
        f'id="rating-{indicator.pk}_{position}" value="{value}"{checked_attribute}>'
    )


def test_logged_out_post_redirects_to_login(client, round_, answered):
    first, second = indicators_of(round_, 1)

    reply = post_logged_out(client, round_, **{f"rating-{first.pk}": "4", f"note-{first.pk}": "Monthly"})

    assertRedirects(reply, f"{LOGIN_URL}?next={page_url(round_, 1)}", fetch_redirect_response=False)
    kept_answers = client.session[session_key(round_.partnership_id, round_.pk, 1)]
    assert kept_answers == {"fields": {f"rating-{first.pk}": "4", f"note-{first.pk}": "Monthly"}, "cut_notes": []}
    assert Answer.objects.get(response=answered, indicator=first).rating == "2"
    assert Answer.objects.get(response=answered, indicator=first).note == ""


def test_login_page_explains_kept_changes(client, round_):
    first = indicators_of(round_, 1)[0]
    reply = post_logged_out(client, round_, **{f"rating-{first.pk}": "4"})

    page = client.get(reply["Location"])

    assertContains(page, f'<div class="alert alert-info" role="status">{KEPT_NOTICE}</div>', html=True)


def test_login_notice_stays_after_wrong_password(client, alice, round_):
    first = indicators_of(round_, 1)[0]
    post_logged_out(client, round_, **{f"rating-{first.pk}": "4"})
    client.get(f"{LOGIN_URL}?next={page_url(round_, 1)}")

    page = client.post(LOGIN_URL, {"username": alice.email, "password": "wrong", "next": page_url(round_, 1)})

    assert page.status_code == 200
    assertContains(page, KEPT_NOTICE)


def test_login_page_without_kept_changes_has_no_notice(client, round_):
    page = client.get(f"{LOGIN_URL}?next={page_url(round_, 1)}")

    assert page.status_code == 200
    assertNotContains(page, "Your session expired")


def test_login_page_for_other_page_has_no_notice(client, round_):
    first = indicators_of(round_, 1)[0]
    post_logged_out(client, round_, **{f"rating-{first.pk}": "4"})

    page = client.get(f"{LOGIN_URL}?next={page_url(round_, 2)}")

    assertNotContains(page, "Your session expired")


def test_login_shows_kept_changes_unsaved(client, alice, round_, answered):
    first, second = indicators_of(round_, 1)
    post_logged_out(
        client,
        round_,
        **{f"rating-{first.pk}": "4", f"note-{first.pk}": "Meets monthly", f"rating-{second.pk}": "not-sure"},
    )

    login = log_in(client, alice, page_url(round_, 1))
    assertRedirects(login, page_url(round_, 1), fetch_redirect_response=False)
    page = client.get(page_url(round_, 1))

    assert page.status_code == 200
    assertContains(page, PENDING_MESSAGE)
    assertContains(page, rating_input(first, 3, "4", checked=True), html=True)
    assertContains(page, rating_input(first, 1, "2", checked=False), html=True)
    assertContains(page, rating_input(second, 4, "not-sure", checked=True), html=True)
    assertContains(page, ">\nMeets monthly</textarea>")
    assertNotContains(page, "Some answers were not saved")
    assert Answer.objects.get(response=answered, indicator=first).rating == "2"
    assert Answer.objects.get(response=answered, indicator=first).note == ""
    assert Answer.objects.get(response=answered, indicator=second).rating == "2"


def test_kept_changes_shown_once(client, alice, round_, answered):
    first = indicators_of(round_, 1)[0]
    post_logged_out(client, round_, **{f"rating-{first.pk}": "4"})
    log_in(client, alice, page_url(round_, 1))
    client.get(page_url(round_, 1))

    page = client.get(page_url(round_, 1))

    assertNotContains(page, PENDING_MESSAGE)
    assertContains(page, rating_input(first, 1, "2", checked=True), html=True)
    assert session_key(round_.partnership_id, round_.pk, 1) not in client.session


def test_kept_changes_saved_by_save(client, alice, round_, answered):
    first = indicators_of(round_, 1)[0]
    post_logged_out(client, round_, **{f"rating-{first.pk}": "4", f"note-{first.pk}": "Meets monthly"})
    log_in(client, alice, page_url(round_, 1))
    client.get(page_url(round_, 1))

    reply = client.post(
        page_url(round_, 1), {f"rating-{first.pk}": "4", f"note-{first.pk}": "Meets monthly", "action": "continue"}
    )

    assertRedirects(reply, page_url(round_, 2), fetch_redirect_response=False)
    assert Answer.objects.get(response=answered, indicator=first).rating == "4"
    assert Answer.objects.get(response=answered, indicator=first).note == "Meets monthly"


def test_kept_changes_keep_stored_fields(client, alice, round_, answered):
    first, second = indicators_of(round_, 1)
    Answer.objects.filter(response=answered, indicator=second).update(note="Stored note")
    post_logged_out(client, round_, **{f"rating-{first.pk}": "1"})
    log_in(client, alice, page_url(round_, 1))

    page = client.get(page_url(round_, 1))

    assertContains(page, rating_input(first, 0, "1", checked=True), html=True)
    assertContains(page, rating_input(second, 1, "2", checked=True), html=True)
    assertContains(page, ">\nStored note</textarea>")


def test_kept_changes_invalid_rating_shows_error(client, alice, round_, answered):
    first = indicators_of(round_, 1)[0]
    post_logged_out(client, round_, **{f"rating-{first.pk}": "9"})
    log_in(client, alice, page_url(round_, 1))

    page = client.get(page_url(round_, 1))

    assertContains(page, PENDING_MESSAGE)
    assertContains(page, "The rating sent is not one of the six ratings.")
    assert Answer.objects.get(response=answered, indicator=first).rating == "2"


def test_kept_note_cut_to_limit_with_error(client, alice, round_, answered):
    first = indicators_of(round_, 1)[0]
    post_logged_out(client, round_, **{f"note-{first.pk}": "y" * 2500})
    log_in(client, alice, page_url(round_, 1))

    page = client.get(page_url(round_, 1))

    assertContains(page, f">\n{'y' * 2000}</textarea>")
    assertNotContains(page, "y" * 2001)
    assertContains(page, "Only the first 2,000 characters of this note were kept. Check its end before you save.")
    assert Answer.objects.get(response=answered, indicator=first).note == ""


def test_kept_fields_only_of_that_page(client, round_):
    first = indicators_of(round_, 1)[0]
    elsewhere = indicators_of(round_, 2)[0]

    post_logged_out(
        client,
        round_,
        **{
            f"rating-{first.pk}": "4",
            f"rating-{elsewhere.pk}": "1",
            f"note-{elsewhere.pk}": "Other page",
            "rating-999999": "3",
            "comment": "Not an answer",
        },
    )

    kept_answers = client.session[session_key(round_.partnership_id, round_.pk, 1)]
    assert kept_answers["fields"] == {f"rating-{first.pk}": "4"}


def test_post_without_answers_keeps_nothing(client, round_):
    reply = post_logged_out(client, round_)

    assertRedirects(reply, f"{LOGIN_URL}?next={page_url(round_, 1)}", fetch_redirect_response=False)
    assert session_key(round_.partnership_id, round_.pk, 1) not in client.session


def test_post_to_other_partnership_round_keeps_nothing(client, round_, other_partnership):
    first = indicators_of(round_, 1)[0]

    client.post(
        reverse("assessments:answer-page", args=[other_partnership.pk, round_.pk, 1]), {f"rating-{first.pk}": "4"}
    )

    assert session_key(other_partnership.pk, round_.pk, 1) not in client.session


def test_kept_changes_not_shown_on_other_page(client, alice, round_, answered):
    first = indicators_of(round_, 1)[0]
    post_logged_out(client, round_, **{f"rating-{first.pk}": "4"})
    log_in(client, alice, page_url(round_, 2))

    page = client.get(page_url(round_, 2))

    assertNotContains(page, PENDING_MESSAGE)
    assert session_key(round_.partnership_id, round_.pk, 1) in client.session


def test_outsider_login_gets_404(client, oscar, round_):
    first = indicators_of(round_, 1)[0]
    post_logged_out(client, round_, **{f"rating-{first.pk}": "4", f"note-{first.pk}": "Private note"})
    log_in(client, oscar, page_url(round_, 1))

    page = client.get(page_url(round_, 1))

    assert page.status_code == 404
    assertNotContains(page, "Private note", status_code=404)
    assertNotContains(page, PENDING_MESSAGE, status_code=404)


def test_facilitator_login_sees_no_kept_changes(client, fran, round_):
    first = indicators_of(round_, 1)[0]
    post_logged_out(client, round_, **{f"rating-{first.pk}": "4", f"note-{first.pk}": "Private note"})
    log_in(client, fran, page_url(round_, 1))

    page = client.get(page_url(round_, 1), follow=True)

    assertRedirects(page, round_url("round-detail", round_))
    assertNotContains(page, "Private note")
    assertNotContains(page, PENDING_MESSAGE)


def test_kept_changes_dropped_when_submitted(client, alice, round_, answered):
    first = indicators_of(round_, 1)[0]
    post_logged_out(client, round_, **{f"rating-{first.pk}": "4"})
    Response.objects.filter(pk=answered.pk).update(submitted_at=timezone.now())
    log_in(client, alice, page_url(round_, 1))

    page = client.get(page_url(round_, 1))

    assertContains(
        page,
        "You were logged out before your last changes to this page were saved, and they can no longer be saved.",
    )
    assertNotContains(page, PENDING_MESSAGE)
    assertContains(page, rating_input(first, 1, "2", checked=True)[:-1] + " disabled>", html=True)
    assert Answer.objects.get(response=answered, indicator=first).rating == "2"


def test_expired_session_cookie_keeps_changes(client, alice, round_, answered):
    first = indicators_of(round_, 1)[0]
    client.force_login(alice)
    del client.cookies[settings.SESSION_COOKIE_NAME]

    reply = post_logged_out(client, round_, **{f"rating-{first.pk}": "3"})

    assertRedirects(reply, f"{LOGIN_URL}?next={page_url(round_, 1)}", fetch_redirect_response=False)
    assert client.session[session_key(round_.partnership_id, round_.pk, 1)]["fields"] == {f"rating-{first.pk}": "3"}
    assert Answer.objects.get(response=answered, indicator=first).rating == "2"


def test_logout_in_other_tab_keeps_changes(alice, round_, answered):
    first = indicators_of(round_, 1)[0]
    client = Client(enforce_csrf_checks=True)
    client.force_login(alice, backend=MODEL_BACKEND)
    page = client.get(page_url(round_, 1))
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.content.decode())[1]
    client.post(reverse("accounts:logout"), {"csrfmiddlewaretoken": token})

    reply = post_logged_out(client, round_, csrfmiddlewaretoken=token, **{f"rating-{first.pk}": "4"})

    assertRedirects(reply, f"{LOGIN_URL}?next={page_url(round_, 1)}", fetch_redirect_response=False)
    assert client.session[session_key(round_.partnership_id, round_.pk, 1)]["fields"] == {f"rating-{first.pk}": "4"}
