"""The benchmark runs, measures every page, and shows query counts that do not grow with the data.

No test here asserts a time: wall-clock numbers depend on the machine and on what else runs.
"""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from bench.dataset import add_partnerships, find_target
from bench.measure import measure_pages
from bench.pages import PAGES

ROOT = Path(__file__).resolve().parents[2]
# The two views that only measure the middleware and the layout read nothing from the database.
BASELINES = {"trivial view", "base template only"}

pytestmark = pytest.mark.slow


def measure_query_counts():
    rows = measure_pages(PAGES, find_target(), repeats=1, first_render_repeats=1)
    return {row.name: row.queries for row in rows}


@pytest.mark.django_db
@pytest.mark.urls("bench.urls")
def test_query_counts_constant_in_data_size():
    add_partnerships(3)
    small = measure_query_counts()
    add_partnerships(9, start=3)
    large = measure_query_counts()

    assert list(large) == [page.name for page in PAGES]
    for name, count in small.items():
        assert large[name] == count, f"{name}: {count} queries with 3 partnerships, {large[name]} with 12"


def test_quick_run_prints_every_page(tmp_path):
    environment = {
        **os.environ,
        "BENCH_SQLITE_PATH": str(tmp_path / "bench.sqlite3"),
        "BENCH_DATABASE_URL": "",
    }
    completed = subprocess.run(
        [sys.executable, "-m", "bench.run", "--quick", "--partnerships", "3", "--repeats", "2"],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=300,
    )

    assert completed.returncode == 0, completed.stderr
    lines = completed.stdout.splitlines()
    rule = next(number for number, line in enumerate(lines) if line and set(line) == {"-"})
    rows = {line[:28].strip(): line[28:].split() for line in lines[rule + 1 :]}
    assert list(rows) == [page.name for page in PAGES]
    for name, (median_ms, p95_ms, ratio, cpu_ms, queries, repeats) in rows.items():
        assert float(median_ms) > 0, name
        assert float(p95_ms) >= float(median_ms), name
        assert float(ratio) > 0, name
        assert float(cpu_ms) > 0, name
        assert int(queries) > 0 or name in BASELINES, name
        assert int(repeats) == 2, name
