"""A short load test: gunicorn, Locust and the check that no acknowledged answer was lost.

It needs PostgreSQL, so it runs in the PostgreSQL pass of CI and is skipped on SQLite, where one
writer at a time would hide exactly the races the load test is for.
"""

import os
import subprocess
import sys
from pathlib import Path

import dj_database_url
import pytest

from bench.load.run_load import LoadTestError, scratch_database_url

ROOT = Path(__file__).resolve().parents[2]
DATABASE_URL = os.environ.get("DATABASE_URL", "")
ON_POSTGRESQL = bool(DATABASE_URL) and dj_database_url.parse(DATABASE_URL)["ENGINE"].endswith("postgresql")


@pytest.mark.slow
@pytest.mark.skipif(not ON_POSTGRESQL, reason="the load test needs DATABASE_URL to point at PostgreSQL")
def test_short_load_loses_no_answer():
    command = [
        sys.executable,
        "-m",
        "bench.load.run_load",
        "--partnerships",
        "2",
        "--users",
        "10",
        "--spawn-rate",
        "10",
        "--duration",
        "15",
        "--workers",
        "2",
    ]
    completed = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=180)

    assert completed.returncode == 0, completed.stdout[-3000:] + completed.stderr[-3000:]
    assert "5xx responses: 0;" in completed.stdout
    assert "lost answers: 0" in completed.stdout


def test_load_test_rejects_sqlite():
    with pytest.raises(LoadTestError, match="must point at PostgreSQL"):
        scratch_database_url("sqlite:///tmp/partnerprep.sqlite3")


def test_load_test_rejects_missing_database_url():
    with pytest.raises(LoadTestError, match="DATABASE_URL is missing"):
        scratch_database_url("")


def test_load_test_uses_scratch_database_beside_given_one():
    url = scratch_database_url("postgres://load:secret@127.0.0.1:5432/partnerprep?sslmode=disable")

    assert url == "postgres://load:secret@127.0.0.1:5432/partnerprep_load?sslmode=disable"
