"""Concurrent autosaves and submits from real threads, each with its own database connection.

On PostgreSQL the threads run at the same time and the response's row lock puts them in order.
The in-memory SQLite test database raises "database table is locked" at any statement of a
second connection, including a read after that request's own save committed. So on SQLite the
threads take turns through a lock, and the tests check the same outcomes in either order.
"""

import threading
from datetime import datetime

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.db import connection
from django.test import Client

from assessments.models import Answer, Response, Side
from conftest import MODEL_BACKEND

from .helpers import answer_all, autosave_url, indicators_of, make_round, round_url

RACE_COUNT = 10


@pytest.fixture
def reload_content_afterwards(django_db_blocker):
    """Reload the content after a transactional test, whose teardown empties every table."""
    yield
    with django_db_blocker.unblock():
        ContentType.objects.clear_cache()
        call_command("load_toolkit", verbosity=0)


def signed_in_client(user):
    client = Client()
    client.force_login(user, backend=MODEL_BACKEND)
    return client


def run_together(*requests):
    """Run each request in its own thread, all released at one moment, and return their responses in order."""
    barrier = threading.Barrier(len(requests))
    sqlite_turn = threading.Lock()
    responses = [None] * len(requests)
    errors = []

    def run(index, request):
        try:
            barrier.wait(timeout=10)
            if connection.vendor == "sqlite":
                with sqlite_turn:
                    responses[index] = request()
            else:
                responses[index] = request()
        except Exception as error:  # re-raised in the main thread below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(index, request)) for index, request in enumerate(requests)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    if errors:
        raise errors[0]
    return responses


@pytest.fixture
def round_(partnership):
    return make_round(partnership)


def test_two_tabs_same_indicator_keep_last_save(reload_content_afterwards, transactional_db, alice, round_):
    first_tab = signed_in_client(alice)
    second_tab = signed_in_client(alice)
    indicators = indicators_of(round_, 3)
    url = autosave_url(round_, 3)

    for race in range(RACE_COUNT):
        indicator = indicators[race % len(indicators)]
        values = [("1", f"First tab, race {race}."), ("4", f"Second tab, race {race}.")]
        form_data = [{f"rating-{indicator.pk}": rating, f"note-{indicator.pk}": note} for rating, note in values]
        replies = run_together(
            *(
                lambda client=client, data=data: client.post(url, data)
                for client, data in zip((first_tab, second_tab), form_data, strict=True)
            )
        )

        assert [reply.status_code for reply in replies] == [200, 200]
        saved_at = [datetime.fromisoformat(reply.json()["saved_at"]) for reply in replies]
        assert saved_at[0] != saved_at[1]
        last_rating, last_note = values[saved_at.index(max(saved_at))]
        answers = Answer.objects.filter(response__respondent=alice, indicator=indicator)
        assert answers.count() == 1
        assert answers.get().rating == last_rating
        assert answers.get().note == last_note
    assert Response.objects.filter(round=round_, respondent=alice).count() == 1


def test_submit_racing_autosave_ends_consistent(reload_content_afterwards, transactional_db, alice, round_):
    response = answer_all(round_, alice, Side.DISTRICT, rating="3")
    indicator = indicators_of(round_, 5)[0]
    answer = Answer.objects.get(response=response, indicator=indicator)
    autosave_tab = signed_in_client(alice)
    submit_tab = signed_in_client(alice)

    for _race in range(RACE_COUNT):
        Response.objects.filter(pk=response.pk).update(submitted_at=None)
        Answer.objects.filter(pk=answer.pk).update(rating="3")

        save_reply, submit_reply = run_together(
            lambda: autosave_tab.post(autosave_url(round_, 5), {f"rating-{indicator.pk}": "1"}),
            lambda: submit_tab.post(round_url("response-submit", round_)),
        )

        assert submit_reply.status_code == 302
        response.refresh_from_db()
        answer.refresh_from_db()
        assert response.submitted_at is not None
        if save_reply.status_code == 200:
            # The save came first, so the submitted response includes it.
            assert datetime.fromisoformat(save_reply.json()["saved_at"]) <= response.submitted_at
            assert answer.rating == "1"
        else:
            # The submit came first and the save was rejected and reported, not applied.
            assert save_reply.status_code == 409
            assert save_reply.json()["status"] == "locked"
            assert answer.rating == "3"
