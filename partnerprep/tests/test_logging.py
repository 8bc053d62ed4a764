import logging

import pytest
from django.conf import settings


def format_like_production(record):
    """Render a record with the formatter that writes to stdout in production."""
    return logging.Formatter(settings.LOGGING["formatters"]["keyvalue"]["format"]).format(record)


@pytest.mark.urls("partnerprep.tests.urls_failing")
def test_server_error_logged_with_path_not_body(client, db, caplog):
    client.raise_request_exception = False

    response = client.post("/test-failure/", {"note": "a private note about the partnership"})
    records = [record for record in caplog.records if record.name == "django.request"]
    line = format_like_production(records[0])

    assert response.status_code == 500
    assert len(records) == 1
    assert records[0].levelname == "ERROR"
    assert "level=ERROR logger=django.request Internal Server Error: /test-failure/" in line
    assert "RuntimeError: the view failed on purpose" in line
    assert "private note" not in line


@pytest.mark.urls("partnerprep.tests.urls_failing")
def test_server_error_page_is_the_site_page(client, db):
    client.raise_request_exception = False

    response = client.get("/test-failure/")

    assert response.status_code == 500
    assert b"<h1>Something went wrong</h1>" in response.content


def test_not_found_logged_as_warning(client, db, caplog):
    response = client.get("/no-such-page/")
    records = [record for record in caplog.records if record.name == "django.request"]

    assert response.status_code == 404
    assert len(records) == 1
    assert records[0].levelname == "WARNING"
    assert records[0].getMessage() == "Not Found: /no-such-page/"


def test_django_records_reach_stdout_once():
    django_logger = logging.getLogger("django")

    assert django_logger.handlers == []
    assert django_logger.propagate is True
