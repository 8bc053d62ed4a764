"""Closing a round, and the 404 rule on every results URL."""

import logging

import pytest
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains, assertRedirects, assertTemplateUsed

from assessments.models import AssessmentRound, Side
from assessments.tests.results_helpers import make_round_with_answers, make_version, same_rating
from conftest import add_member, make_user

CONFIRM = {"confirm": "yes"}


@pytest.fixture
def open_round(partnership, alice, bob):
    version = make_version()
    return make_round_with_answers(
        partnership,
        [
            {"user": alice, "side": Side.DISTRICT, "ratings": same_rating(version, "3")},
            {"user": bob, "side": Side.PROGRAM, "ratings": same_rating(version, "2")},
        ],
    )


def close_url(round_):
    return reverse("assessments:round-close", args=[round_.partnership_id, round_.pk])


def results_url(round_):
    return reverse("assessments:results", args=[round_.partnership_id, round_.pk])


def test_owner_closes_round(client_for, open_round, alice, caplog):
    changed_before = open_round.changed_at

    with caplog.at_level(logging.INFO, logger="assessments.views.results"):
        response = client_for(alice).post(close_url(open_round), CONFIRM)

    assertRedirects(response, results_url(open_round), fetch_redirect_response=False)
    open_round.refresh_from_db()
    assert open_round.closed_at is not None
    assert open_round.closed_by == alice
    assert open_round.changed_at > changed_before
    assert open_round.is_open is False
    assert f"event=round_closed round_id={open_round.pk}" in caplog.text


def test_facilitator_closes_round(client_for, open_round, fran):
    client_for(fran).post(close_url(open_round), CONFIRM)

    open_round.refresh_from_db()
    assert open_round.closed_by == fran


def test_close_shows_message_and_keeps_results(client_for, open_round, alice):
    response = client_for(alice).post(close_url(open_round), CONFIRM, follow=True)

    assertContains(response, "Fall 2026 is closed. Its results stay available, and you can open a new round.")
    assertContains(response, "This round closed on")
    assertContains(response, "Gaps to discuss together")
    assert reverse("assessments:round-close", args=[open_round.partnership_id, open_round.pk]) not in (
        response.content.decode()
    )


def test_close_twice_keeps_first_close(client_for, open_round, alice, fran):
    client_for(alice).post(close_url(open_round), CONFIRM)
    open_round.refresh_from_db()
    first_closed_at = open_round.closed_at

    response = client_for(fran).post(close_url(open_round), CONFIRM, follow=True)

    open_round.refresh_from_db()
    assert open_round.closed_at == first_closed_at
    assert open_round.closed_by == alice
    assertContains(response, "Fall 2026 was already closed.")


def test_close_allows_new_open_round(client_for, open_round, alice):
    client_for(alice).post(close_url(open_round), CONFIRM)

    new_round = AssessmentRound.objects.create(
        partnership=open_round.partnership, label="Spring 2027", questionnaire_version=open_round.questionnaire_version
    )

    assert new_round.is_open is True
    assert AssessmentRound.objects.filter(partnership=open_round.partnership, closed_at__isnull=True).count() == 1


@pytest.fixture
def round_with_unsubmitted(partnership, alice, bob):
    """A round where Bob and Dana (program) and Carl (district, no display name) started without submitting."""
    version = make_version()
    carl = make_user("carl@riverbend.example.org")
    dana = make_user("dana@lakeview.example.edu", display_name="Dana Diaz")
    add_member(partnership, carl, Side.DISTRICT)
    add_member(partnership, dana, Side.PROGRAM)
    return make_round_with_answers(
        partnership,
        [
            {"user": alice, "side": Side.DISTRICT, "ratings": same_rating(version, "3")},
            {"user": carl, "side": Side.DISTRICT, "ratings": {"1.1": "2"}, "submitted": False},
            {"user": bob, "side": Side.PROGRAM, "ratings": {"1.1": "4"}, "submitted": False},
            {"user": dana, "side": Side.PROGRAM, "ratings": {"1.1": "1"}, "submitted": False},
        ],
    )


def test_close_get_shows_confirmation(client_for, round_with_unsubmitted, alice):
    response = client_for(alice).get(close_url(round_with_unsubmitted))

    assert response.status_code == 200
    assertTemplateUsed(response, "assessments/round_close_confirm.html")
    assertContains(response, "<h1>Close Fall 2026?</h1>", html=True)
    assertContains(
        response,
        "3 members started answering but did not submit. If you close the round now, their answers will not "
        "count in the results, and they can no longer submit them.",
    )
    assertContains(response, "A closed round cannot be reopened.")
    assertContains(response, '<button type="submit" name="confirm" value="yes"')


def test_close_confirmation_names_for_owner(client_for, round_with_unsubmitted, alice):
    response = client_for(alice).get(close_url(round_with_unsubmitted))

    assertContains(response, "<li><strong>District</strong>: 1 not submitted (carl@riverbend.example.org)</li>")
    assertContains(response, "<li><strong>Preparation program</strong>: 2 not submitted (Bob Chen, Dana Diaz)</li>")
    assertNotContains(response, "Alice Rivera</li>")


def test_close_confirmation_names_for_facilitator(client_for, round_with_unsubmitted, fran):
    response = client_for(fran).get(close_url(round_with_unsubmitted))

    assertContains(response, "<li><strong>District</strong>: 1 not submitted (A district member)</li>")
    assertContains(response, "<li><strong>Preparation program</strong>: 2 not submitted (Bob Chen, Dana Diaz)</li>")
    assertNotContains(response, "carl@riverbend.example.org")


def test_close_confirmation_when_all_submitted(client_for, open_round, alice):
    response = client_for(alice).get(close_url(open_round))

    assertContains(response, "Everyone who started answering has submitted, so closing leaves no answers out.")
    assertContains(response, "<li><strong>District</strong>: no answers left unsubmitted</li>")
    assertContains(response, "<li><strong>Preparation program</strong>: no answers left unsubmitted</li>")


def test_close_one_unsubmitted_wording(client_for, partnership, alice, bob):
    round_ = make_round_with_answers(
        partnership, [{"user": bob, "side": Side.PROGRAM, "ratings": {"1.1": "4"}, "submitted": False}]
    )

    response = client_for(alice).get(close_url(round_))

    assertContains(
        response,
        '<p class="results-close-warning">1 member started answering but did not submit. If you close the round '
        "now, that member's answers will not count in the results, and that member can no longer submit them.</p>",
        html=True,
    )


def test_close_get_changes_nothing(client_for, round_with_unsubmitted, alice):
    changed_before = round_with_unsubmitted.changed_at

    client_for(alice).get(close_url(round_with_unsubmitted))

    round_with_unsubmitted.refresh_from_db()
    assert round_with_unsubmitted.closed_at is None
    assert round_with_unsubmitted.closed_by is None
    assert round_with_unsubmitted.changed_at == changed_before


def test_close_post_without_confirm_shows_confirmation(client_for, round_with_unsubmitted, alice):
    response = client_for(alice).post(close_url(round_with_unsubmitted))

    assert response.status_code == 200
    assertTemplateUsed(response, "assessments/round_close_confirm.html")
    round_with_unsubmitted.refresh_from_db()
    assert round_with_unsubmitted.closed_at is None


def test_close_confirmed_leaves_unsubmitted_out(client_for, round_with_unsubmitted, alice):
    response = client_for(alice).post(close_url(round_with_unsubmitted), CONFIRM)

    assertRedirects(response, results_url(round_with_unsubmitted), fetch_redirect_response=False)
    round_with_unsubmitted.refresh_from_db()
    assert round_with_unsubmitted.closed_at is not None
    assert round_with_unsubmitted.responses.filter(submitted_at__isnull=True).count() == 3


def test_close_get_on_closed_round_redirects(client_for, open_round, alice):
    client_for(alice).post(close_url(open_round), CONFIRM)

    response = client_for(alice).get(close_url(open_round), follow=True)

    assertRedirects(response, results_url(open_round))
    assertContains(response, "Fall 2026 was already closed.")


def test_close_put_not_allowed(client_for, open_round, alice):
    response = client_for(alice).put(close_url(open_round))

    assert response.status_code == 405
    open_round.refresh_from_db()
    assert open_round.closed_at is None


@pytest.mark.parametrize("method", ["get", "post"])
def test_respondent_cannot_close(client_for, open_round, bob, method):
    response = getattr(client_for(bob), method)(close_url(open_round), CONFIRM if method == "post" else None)

    assert response.status_code == 404
    open_round.refresh_from_db()
    assert open_round.closed_at is None


def test_close_unknown_round_is_404(client_for, open_round, alice):
    url = reverse("assessments:round-close", args=[open_round.partnership_id, open_round.pk + 1000])

    assert client_for(alice).get(url).status_code == 404
    assert client_for(alice).post(url, CONFIRM).status_code == 404


def test_close_round_of_other_partnership_is_404(client_for, open_round, other_partnership, oscar):
    url = reverse("assessments:round-close", args=[other_partnership.pk, open_round.pk])

    assert client_for(oscar).post(url, CONFIRM).status_code == 404


ROUND_URL_NAMES = ["results", "round-close", "export-csv", "export-summary-csv"]


@pytest.mark.parametrize("url_name", ROUND_URL_NAMES)
@pytest.mark.parametrize("method", ["get", "post"])
def test_outsider_gets_404(client_for, open_round, oscar, other_partnership, url_name, method):
    url = reverse(f"assessments:{url_name}", args=[open_round.partnership_id, open_round.pk])

    response = getattr(client_for(oscar), method)(url, CONFIRM if method == "post" else None)

    assert response.status_code == 404
    open_round.refresh_from_db()
    assert open_round.closed_at is None


@pytest.mark.parametrize("url_name", ROUND_URL_NAMES)
def test_anonymous_redirected_to_login(client, open_round, url_name):
    url = reverse(f"assessments:{url_name}", args=[open_round.partnership_id, open_round.pk])

    response = client.get(url)

    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))
