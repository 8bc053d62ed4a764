"""Closing a round, and the 404 rule on every results URL."""

import logging

import pytest
from django.urls import reverse
from pytest_django.asserts import assertContains, assertRedirects

from assessments.models import AssessmentRound, Side
from assessments.tests.results_helpers import make_round_with_answers, make_version, same_rating


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
        response = client_for(alice).post(close_url(open_round))

    assertRedirects(response, results_url(open_round), fetch_redirect_response=False)
    open_round.refresh_from_db()
    assert open_round.closed_at is not None
    assert open_round.closed_by == alice
    assert open_round.changed_at > changed_before
    assert open_round.is_open is False
    assert f"event=round_closed round_id={open_round.pk}" in caplog.text


def test_facilitator_closes_round(client_for, open_round, fran):
    client_for(fran).post(close_url(open_round))

    open_round.refresh_from_db()
    assert open_round.closed_by == fran


def test_close_shows_message_and_keeps_results(client_for, open_round, alice):
    response = client_for(alice).post(close_url(open_round), follow=True)

    assertContains(response, "Fall 2026 is closed. Its results stay available, and you can open a new round.")
    assertContains(response, "This round closed on")
    assertContains(response, "Gaps to discuss together")
    assert reverse("assessments:round-close", args=[open_round.partnership_id, open_round.pk]) not in (
        response.content.decode()
    )


def test_close_twice_keeps_first_close(client_for, open_round, alice, fran):
    client_for(alice).post(close_url(open_round))
    open_round.refresh_from_db()
    first_closed_at = open_round.closed_at

    response = client_for(fran).post(close_url(open_round), follow=True)

    open_round.refresh_from_db()
    assert open_round.closed_at == first_closed_at
    assert open_round.closed_by == alice
    assertContains(response, "Fall 2026 was already closed.")


def test_close_allows_new_open_round(client_for, open_round, alice):
    client_for(alice).post(close_url(open_round))

    new_round = AssessmentRound.objects.create(
        partnership=open_round.partnership, label="Spring 2027", questionnaire_version=open_round.questionnaire_version
    )

    assert new_round.is_open is True
    assert AssessmentRound.objects.filter(partnership=open_round.partnership, closed_at__isnull=True).count() == 1


def test_close_needs_post(client_for, open_round, alice):
    response = client_for(alice).get(close_url(open_round))

    assert response.status_code == 405
    open_round.refresh_from_db()
    assert open_round.closed_at is None


def test_respondent_cannot_close(client_for, open_round, bob):
    response = client_for(bob).post(close_url(open_round))

    assert response.status_code == 404
    open_round.refresh_from_db()
    assert open_round.closed_at is None


def test_close_unknown_round_is_404(client_for, open_round, alice):
    url = reverse("assessments:round-close", args=[open_round.partnership_id, open_round.pk + 1000])

    assert client_for(alice).post(url).status_code == 404


def test_close_round_of_other_partnership_is_404(client_for, open_round, other_partnership, oscar):
    url = reverse("assessments:round-close", args=[other_partnership.pk, open_round.pk])

    assert client_for(oscar).post(url).status_code == 404


ROUND_URL_NAMES = ["results", "round-close", "export-csv", "export-summary-csv"]


@pytest.mark.parametrize("url_name", ROUND_URL_NAMES)
@pytest.mark.parametrize("method", ["get", "post"])
def test_outsider_gets_404(client_for, open_round, oscar, other_partnership, url_name, method):
    url = reverse(f"assessments:{url_name}", args=[open_round.partnership_id, open_round.pk])

    response = getattr(client_for(oscar), method)(url)

    assert response.status_code == 404
    open_round.refresh_from_db()
    assert open_round.closed_at is None


@pytest.mark.parametrize("url_name", ROUND_URL_NAMES)
def test_anonymous_redirected_to_login(client, open_round, url_name):
    url = reverse(f"assessments:{url_name}", args=[open_round.partnership_id, open_round.pk])

    response = client.get(url)

    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))
