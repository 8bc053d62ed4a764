"""Faults: the database going away mid-save, a failing PDF render, oversized requests.

Database faults are injected with ``connection.execute_wrapper``, Django's hook around every
query, so the code under test sees the same ``OperationalError`` a dropped connection raises. On
PostgreSQL one more test terminates the server process of the test's own connection from a second
connection, in the middle of the save's transaction.
"""

import json
from urllib.parse import urlencode

import pytest
import weasyprint
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.db import OperationalError, connection, connections
from django.test.client import MULTIPART_CONTENT
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains

from assessments.models import Answer, AssessmentRound, CachedReport, Response, Side

from .helpers import answer_all, autosave_url, indicators_of, make_round, page_url, round_url

UNAVAILABLE_REPLY = {"status": "unavailable", "message": "Could not save. Try again."}
FIVE_MEGABYTES = 5 * 1024 * 1024


def fail_answer_writes(execute, sql, params, many, context):
    """Raise the error of a dropped connection at every write to the answer table."""
    if sql.lstrip().upper().startswith(("INSERT", "UPDATE")) and '"assessments_answer"' in sql:
        raise OperationalError("server closed the connection unexpectedly")
    return execute(sql, params, many, context)


def fail_every_query(execute, sql, params, many, context):
    raise OperationalError("could not connect to server: Connection refused")


@pytest.fixture
def round_(partnership):
    return make_round(partnership)


@pytest.fixture
def answered(round_, alice):
    """Alice's draft response with every indicator rated 2."""
    return answer_all(round_, alice, Side.DISTRICT, rating="2")


# The database goes away during a save.


@pytest.mark.django_db
def test_autosave_database_lost_returns_503(client_for, alice, round_, answered):
    indicator = indicators_of(round_, 1)[0]
    changed_at = AssessmentRound.objects.get(pk=round_.pk).changed_at
    client = client_for(alice)

    with connection.execute_wrapper(fail_answer_writes):
        reply = client.post(autosave_url(round_, 1), {f"rating-{indicator.pk}": "4", f"note-{indicator.pk}": "New"})

    assert reply.status_code == 503
    assert reply.json() == UNAVAILABLE_REPLY
    assert reply["Retry-After"] == "5"
    answer = Answer.objects.get(response=answered, indicator=indicator)
    assert answer.rating == "2"
    assert answer.note == ""
    assert AssessmentRound.objects.get(pk=round_.pk).changed_at == changed_at


@pytest.mark.django_db
def test_autosave_first_save_lost_leaves_no_response(client_for, alice, round_):
    indicator = indicators_of(round_, 1)[0]

    with connection.execute_wrapper(fail_answer_writes):
        reply = client_for(alice).post(autosave_url(round_, 1), {f"rating-{indicator.pk}": "4"})

    assert reply.status_code == 503
    assert not Response.objects.filter(round=round_, respondent=alice).exists()
    assert not Answer.objects.filter(indicator=indicator).exists()


@pytest.mark.django_db
def test_autosave_works_again_after_database_returns(client_for, alice, round_, answered):
    indicator = indicators_of(round_, 1)[0]
    client = client_for(alice)
    with connection.execute_wrapper(fail_answer_writes):
        client.post(autosave_url(round_, 1), {f"rating-{indicator.pk}": "4"})

    reply = client.post(autosave_url(round_, 1), {f"rating-{indicator.pk}": "4"})

    assert reply.status_code == 200
    assert reply.json()["status"] == "saved"
    assert Answer.objects.get(response=answered, indicator=indicator).rating == "4"


@pytest.mark.django_db
def test_page_save_database_lost_shows_friendly_page(client_for, alice, round_, answered):
    first, second = indicators_of(round_, 1)
    client = client_for(alice)
    data = {f"rating-{first.pk}": "4", f"rating-{second.pk}": "1", "action": "continue"}

    with connection.execute_wrapper(fail_answer_writes):
        page = client.post(page_url(round_, 1), data)

    assert page.status_code == 503
    assertContains(page, "<h1>Temporarily unavailable</h1>", status_code=503, html=True)
    assertContains(page, "If you were saving answers, your last change was not saved.", status_code=503)
    assertNotContains(page, "Traceback", status_code=503)
    assert Answer.objects.get(response=answered, indicator=first).rating == "2"
    assert Answer.objects.get(response=answered, indicator=second).rating == "2"

    page = client.post(page_url(round_, 1), data)

    assert page.status_code == 302
    assert Answer.objects.get(response=answered, indicator=first).rating == "4"
    assert Answer.objects.get(response=answered, indicator=second).rating == "1"


@pytest.mark.django_db
def test_public_page_database_down_returns_503(client):
    with connection.execute_wrapper(fail_every_query):
        page = client.get(reverse("toolkit:home"))

    assert page.status_code == 503
    assertContains(page, "<h1>Temporarily unavailable</h1>", status_code=503, html=True)


@pytest.fixture
def reload_content_afterwards(django_db_blocker):
    """Reload the content after a transactional test, whose teardown empties every table."""
    yield
    with django_db_blocker.unblock():
        ContentType.objects.clear_cache()
        call_command("load_toolkit", verbosity=0)


def terminate_own_backend_at_answer_write(execute, sql, params, many, context):
    """Have a second connection kill this connection's server process just before the answer write."""
    if sql.lstrip().upper().startswith(("INSERT", "UPDATE")) and '"assessments_answer"' in sql:
        pid = connection.connection.info.backend_pid
        killer = connections.create_connection("default")
        with killer.cursor() as cursor:
            cursor.execute("SELECT pg_terminate_backend(%s)", [pid])
            cursor.execute(
                "SELECT pg_sleep(0.05) FROM generate_series(1, 100) "
                "WHERE EXISTS (SELECT 1 FROM pg_stat_activity WHERE pid = %s) LIMIT 1",
                [pid],
            )
        killer.close()
    return execute(sql, params, many, context)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="pg_terminate_backend exists on PostgreSQL only")
def test_autosave_backend_terminated_rolls_back(
    reload_content_afterwards, transactional_db, client_for, alice, round_
):
    answered = answer_all(round_, alice, Side.DISTRICT, rating="2")
    indicator = indicators_of(round_, 1)[0]
    client = client_for(alice)

    with connection.execute_wrapper(terminate_own_backend_at_answer_write):
        reply = client.post(autosave_url(round_, 1), {f"rating-{indicator.pk}": "4"})

    assert reply.status_code == 503
    assert reply.json() == UNAVAILABLE_REPLY
    assert Answer.objects.get(response=answered, indicator=indicator).rating == "2"

    reply = client.post(autosave_url(round_, 1), {f"rating-{indicator.pk}": "4"})

    assert reply.status_code == 200
    assert Answer.objects.get(response=answered, indicator=indicator).rating == "4"


# A PDF render that fails.


@pytest.mark.django_db
def test_report_render_failure_shows_friendly_page(client_for, alice, bob, round_, monkeypatch):
    answer_all(round_, alice, Side.DISTRICT, submitted=True)
    answer_all(round_, bob, Side.PROGRAM, submitted=True)

    def fail_to_render(*args, **kwargs):
        raise RuntimeError("WeasyPrint ran out of memory")

    monkeypatch.setattr(weasyprint.HTML, "write_pdf", fail_to_render)
    page = client_for(alice).get(round_url("report-pdf", round_))

    assert page.status_code == 503
    assert page["Content-Type"].startswith("text/html")
    assertContains(page, "Something went wrong while we were building the report", status_code=503)
    assert not CachedReport.objects.filter(round=round_).exists()


# Requests far larger than any form of the site.


def five_megabyte_body(encoding, indicator):
    """Return (body, content type) for a 5 MB request that rates and annotates ``indicator``."""
    fields = {f"rating-{indicator.pk}": "4", f"note-{indicator.pk}": "x" * FIVE_MEGABYTES}
    if encoding == "urlencoded":
        return urlencode(fields), "application/x-www-form-urlencoded"
    if encoding == "multipart":
        # The test client encodes a dict itself when the content type is multipart.
        return fields, MULTIPART_CONTENT
    return json.dumps(fields), "application/json"


@pytest.mark.django_db
@pytest.mark.parametrize("encoding", ["urlencoded", "multipart", "json"])
def test_five_megabyte_autosave_rejected(client_for, alice, round_, answered, encoding):
    indicator = indicators_of(round_, 1)[0]
    body, content_type = five_megabyte_body(encoding, indicator)

    reply = client_for(alice).post(autosave_url(round_, 1), body, content_type=content_type)

    assert reply.status_code == 413
    assert reply.json() == {
        "status": "too_large",
        "message": "This note is too long to save. Notes can be at most 2,000 characters.",
    }
    answer = Answer.objects.get(response=answered, indicator=indicator)
    assert answer.rating == "2"
    assert answer.note == ""


@pytest.mark.django_db
@pytest.mark.parametrize("encoding", ["urlencoded", "multipart"])
def test_five_megabyte_page_save_rejected(client_for, alice, round_, answered, encoding):
    indicator = indicators_of(round_, 1)[0]
    body, content_type = five_megabyte_body(encoding, indicator)

    reply = client_for(alice).post(page_url(round_, 1), body, content_type=content_type)

    assert reply.status_code == 413
    assertContains(reply, "<h1>Form too large to save</h1>", status_code=413, html=True)
    assert Answer.objects.get(response=answered, indicator=indicator).rating == "2"


@pytest.mark.django_db
def test_long_note_page_save_shows_friendly_page(client_for, alice, round_, answered):
    first, second = indicators_of(round_, 1)
    data = {
        f"rating-{first.pk}": "4",
        f"note-{first.pk}": "x" * 620_000,
        f"rating-{second.pk}": "1",
        "action": "continue",
    }

    reply = client_for(alice).post(page_url(round_, 1), data)

    assert reply.status_code == 413
    assert reply["Content-Type"].startswith("text/html")
    assertContains(reply, "<h1>Form too large to save</h1>", status_code=413, html=True)
    assertContains(reply, "Notes can be at most 2,000 characters.", status_code=413)
    assertContains(reply, "Answers you saved before are still there.", status_code=413)
    assertContains(
        reply, f'<a href="{page_url(round_, 1)}">Return to the page you came from</a>', status_code=413, html=True
    )
    assertNotContains(reply, "Request body too large", status_code=413)
    assert Answer.objects.get(response=answered, indicator=first).rating == "2"
    assert Answer.objects.get(response=answered, indicator=first).note == ""
    assert Answer.objects.get(response=answered, indicator=second).rating == "2"


@pytest.mark.django_db
@pytest.mark.parametrize("url_name", ["answer-autosave", "answer-page"])
def test_five_thousand_fields_rejected(client_for, alice, round_, answered, url_name):
    indicator = indicators_of(round_, 1)[0]
    data = {f"field-{number}": "1" for number in range(5000)}
    data[f"rating-{indicator.pk}"] = "4"

    reply = client_for(alice).post(round_url(url_name, round_, 1), data)

    assert reply.status_code == 400
    assert Answer.objects.get(response=answered, indicator=indicator).rating == "2"
