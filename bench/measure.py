"""Time pages in-process with Django's test client and count their SQL queries.

Times are server time only: the client calls the WSGI handler directly, so there is no network,
but every middleware of the site runs, as it does under gunicorn. The CPU time is this thread's.
It includes SQLite's work but not PostgreSQL's, and it varies less than wall-clock time when other
processes compete for the cores.
"""

import random
import statistics
from contextlib import nullcontext
from dataclasses import dataclass
from time import perf_counter, thread_time

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"


class PageFailed(Exception):
    """A measured page returned an unexpected status code."""


@dataclass(frozen=True)
class Row:
    """One page's results, with times in milliseconds."""

    name: str
    median_ms: float
    p95_ms: float
    cpu_median_ms: float
    queries: int
    repeats: int
    ratio: float | None = None


def measure_pages(pages, target, *, repeats, first_render_repeats):
    """Measure every page and return one ``Row`` each, with its median as a multiple of the first page's.

    The first page should be the trivial view, so the ratio shows what each page costs on top of
    the middleware every request pays for.
    """
    clients = _make_clients(target)
    rows = []
    for page in pages:
        page_repeats = first_render_repeats if page.is_slow else repeats
        rows.append(measure_page(clients[page.user], page, target, repeats=page_repeats))

    baseline = rows[0].median_ms
    return [
        Row(row.name, row.median_ms, row.p95_ms, row.cpu_median_ms, row.queries, row.repeats, row.median_ms / baseline)
        for row in rows
    ]


def measure_page(client, page, target, *, repeats):
    """Send one warm-up request, ``repeats`` timed ones and one more inside a query counter."""
    rng = random.Random(page.name)
    _send(client, page, target, rng)
    timings = [_send(client, page, target, rng) for _ in range(repeats)]
    _wall, _cpu, queries = _send(client, page, target, rng, count_queries=True)

    return Row(
        name=page.name,
        median_ms=statistics.median(wall for wall, _cpu, _queries in timings) * 1000,
        p95_ms=percentile([wall for wall, _cpu, _queries in timings], 95) * 1000,
        cpu_median_ms=statistics.median(cpu for _wall, cpu, _queries in timings) * 1000,
        queries=queries,
        repeats=repeats,
    )


def percentile(values, percent):
    """Return the ``percent``-th percentile, interpolated between the two nearest values."""
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[percent - 1]


def format_table(rows):
    header = (
        f"{'page':<28} {'median ms':>10} {'p95 ms':>10} {'x trivial':>10} {'cpu ms':>8} {'queries':>8} {'repeats':>8}"
    )
    lines = [header, "-" * len(header)]
    for row in rows:
        lines.append(
            f"{row.name:<28} {row.median_ms:>10.2f} {row.p95_ms:>10.2f} {row.ratio:>10.1f} "
            f"{row.cpu_median_ms:>8.2f} {row.queries:>8} {row.repeats:>8}"
        )
    return "\n".join(lines)


def _make_clients(target):
    respondent = Client()
    respondent.force_login(target.respondent, backend=MODEL_BACKEND)
    facilitator = Client()
    facilitator.force_login(target.facilitator, backend=MODEL_BACKEND)
    return {None: Client(), "respondent": respondent, "facilitator": facilitator}


def _send(client, page, target, rng, *, count_queries=False):
    """Send one request for ``page`` and return its wall-clock and CPU seconds, and its query count if asked.

    The page's set-up (``before_each``, building form data) runs outside both measurements.
    """
    if page.before_each:
        page.before_each(target)
    url = page.url(target)
    data = page.data(target, rng) if page.data else None

    with CaptureQueriesContext(connection) if count_queries else nullcontext() as queries:
        started = perf_counter()
        cpu_started = thread_time()
        response = getattr(client, page.method)(url, data, secure=True)
        if response.streaming:
            b"".join(response.streaming_content)
        elapsed = perf_counter() - started
        cpu = thread_time() - cpu_started

    if response.status_code != page.status:
        raise PageFailed(
            f"{page.name}: {page.method.upper()} {url} returned {response.status_code}, not {page.status}."
        )
    return elapsed, cpu, len(queries) if count_queries else None
