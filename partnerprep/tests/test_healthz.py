from unittest import mock

from django.db import OperationalError, connection
from django.urls import reverse


def test_healthz_ok_when_database_answers(client, db):
    response = client.get(reverse("healthz"))

    assert response.status_code == 200
    assert response.content == b"ok\n"
    assert response.headers["Content-Type"] == "text/plain"
    assert "no-cache" in response.headers["Cache-Control"]


def test_healthz_503_when_database_fails(client, db, caplog):
    # Every new cursor fails the way a lost database connection does.
    failure = OperationalError("could not connect to server: Connection refused")
    with mock.patch.object(connection, "cursor", side_effect=failure):
        response = client.get(reverse("healthz"))

    assert response.status_code == 503
    assert response.content == b"unavailable\n"
    assert b"Connection refused" not in response.content
    assert "event=healthcheck_failed" in caplog.text
