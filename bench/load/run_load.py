"""Load-test the site under gunicorn with Locust, then check that no acknowledged answer was lost.

Usage: ``DATABASE_URL=postgres://... make load-test`` (or ``python -m bench.load.run_load``).

The script works in a scratch database, ``<name>_load`` on the server of ``DATABASE_URL``, which it
creates at the start and drops at the end (unless ``--keep-database``). It migrates it, loads the
content, creates partnerships with five respondents and one facilitator each, collects the static
files, starts gunicorn on a free port of 127.0.0.1 with debug off, and runs Locust headless against
it. Then it compares every answer a simulated respondent saw acknowledged with the database.

It exits 0 only when no request got a 5xx response and every acknowledged answer is stored with
the last value sent; otherwise 1, or 2 when it cannot start. docs/benchmarks.md shows how to start
a throwaway PostgreSQL cluster for it.
"""

import argparse
import csv
import json
import os
import secrets
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
OUT_DIR = ROOT / "bench" / "out" / "load"
LOCUSTFILE = Path(__file__).resolve().parent / "locustfile.py"
RESPONDENTS_PER_PARTNERSHIP = 5
MANIFEST_STORAGE = "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"


class LoadTestError(Exception):
    """The load test could not be set up. The message states what to fix."""


def parse_args(argv):
    parser = argparse.ArgumentParser(prog="python -m bench.load.run_load", description=__doc__.splitlines()[0])
    parser.add_argument("--partnerships", type=int, default=10, help="partnerships of 5 respondents (default 10)")
    parser.add_argument(
        "--users", type=int, default=60, help="simulated users, about one in six of them readers (default 60)"
    )
    parser.add_argument("--spawn-rate", type=int, default=20, help="users started per second (default 20)")
    parser.add_argument("--duration", type=int, default=60, help="seconds of load (default 60)")
    parser.add_argument("--workers", type=int, default=4, help="gunicorn worker processes (default 4)")
    parser.add_argument("--keep-database", action="store_true", help="keep the scratch database for inspection")
    return parser.parse_args(argv)


def scratch_database_url(database_url):
    """Return the URL of the scratch database next to ``database_url``, which must be PostgreSQL."""
    if not database_url:
        raise LoadTestError(
            "DATABASE_URL is missing. Set it to a PostgreSQL database URL, as docs/benchmarks.md shows."
        )
    config = dj_database_url.parse(database_url)
    if config["ENGINE"] != "django.db.backends.postgresql":
        raise LoadTestError(
            f"DATABASE_URL must point at PostgreSQL for the load test, not {config['ENGINE']}. "
            "SQLite lets one writer at a time in, so it cannot show how concurrent saves behave."
        )
    return urlsplit(database_url)._replace(path=f"/{config['NAME']}_load").geturl()


def recreate_database(url, *, drop_only=False):
    """Drop the database at ``url`` if it exists and, unless ``drop_only``, create it empty."""
    import psycopg2
    from psycopg2 import sql

    config = dj_database_url.parse(url)
    connection = psycopg2.connect(
        dbname="postgres",
        user=config["USER"] or None,
        password=config["PASSWORD"] or None,
        host=config["HOST"] or None,
        port=config["PORT"] or None,
    )
    connection.autocommit = True
    name = sql.Identifier(config["NAME"])
    with connection.cursor() as cursor:
        cursor.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(name))
        if not drop_only:
            cursor.execute(sql.SQL("CREATE DATABASE {}").format(name))
    connection.close()


def server_environment(database_url):
    """Return the environment that gunicorn and this script's Django share: debug off, served on 127.0.0.1."""
    environment = dict(os.environ)
    environment.update(
        DJANGO_SETTINGS_MODULE="partnerprep.settings",
        DATABASE_URL=database_url,
        DJANGO_DEBUG="0",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(48),
        DJANGO_ALLOWED_HOSTS="127.0.0.1",
        # Plain HTTP on the loopback interface: no redirect to HTTPS, no HSTS, cookies sent without TLS.
        DJANGO_SECURE_SSL_REDIRECT="0",
        DJANGO_SECURE_COOKIES="0",
        DJANGO_HSTS_SECONDS="0",
        DJANGO_LOG_LEVEL="WARNING",
    )
    return environment


def prepare_site(partnership_count, accounts_path):
    """Migrate, load content, collect static files and write the accounts Locust logs in with."""
    import django
    from django.conf import settings
    from django.core.management import call_command
    from django.test import override_settings

    django.setup()
    call_command("migrate", verbosity=0, interactive=False)
    call_command("load_toolkit", verbosity=0)
    # The manifest alone is what gunicorn's storage reads. Skipping WhiteNoise's gzip and Brotli
    # copies saves about a minute, and Locust requests no static files.
    with override_settings(STORAGES={**settings.STORAGES, "staticfiles": {"BACKEND": MANIFEST_STORAGE}}):
        call_command("collectstatic", verbosity=0, interactive=False)

    from bench.load.accounts import create_accounts

    accounts = create_accounts(partnership_count, RESPONDENTS_PER_PARTNERSHIP)
    accounts_path.write_text(json.dumps(accounts, indent=1))
    return accounts


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_gunicorn(environment, port, workers, log_path):
    command = [
        str(BIN / "gunicorn"),
        "partnerprep.wsgi",
        "--workers",
        str(workers),
        "--bind",
        f"127.0.0.1:{port}",
        "--timeout",
        "30",
        # The default control socket is one path per machine user, which parallel runs would share.
        "--no-control-socket",
        "--access-logfile",
        str(log_path.with_name("gunicorn-access.log")),
    ]
    log_path.with_name("gunicorn-access.log").unlink(missing_ok=True)
    log = log_path.open("w")
    process = subprocess.Popen(command, cwd=ROOT, env=environment, stdout=log, stderr=subprocess.STDOUT)
    try:
        wait_until_healthy(process, port, log_path)
    except BaseException:
        # Whatever stops the wait, including Ctrl-C, must not leave gunicorn serving.
        process.terminate()
        process.wait(timeout=30)
        raise
    return process


def wait_until_healthy(process, port, log_path):
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise LoadTestError(f"gunicorn exited with code {process.returncode}. Its log is {log_path}.")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=5) as response:
                if response.status == 200:
                    return
        except OSError:
            # Refused until gunicorn binds, and slow while its workers import the app.
            time.sleep(0.3)
    raise LoadTestError(f"gunicorn did not respond to /healthz within 30 s. Its log is {log_path}.")


def run_locust(args, port, respondent_count, accounts_path, acknowledgements_path):
    environment = dict(os.environ)
    environment.update(
        LOAD_ACCOUNTS=str(accounts_path),
        LOAD_ACKNOWLEDGEMENTS=str(acknowledgements_path),
        # About one user in six reads, so a short run with few users still has readers.
        LOAD_RESPONDENTS=str(min(respondent_count, args.users - max(1, args.users // 6))),
    )
    command = [
        str(BIN / "locust"),
        "-f",
        str(LOCUSTFILE),
        "--headless",
        "--users",
        str(args.users),
        "--spawn-rate",
        str(args.spawn_rate),
        "--run-time",
        f"{args.duration}s",
        # Users finish the task they are in, so no save is cut off between request and acknowledgement.
        "--stop-timeout",
        "10",
        "--host",
        f"http://127.0.0.1:{port}",
        "--csv",
        str(OUT_DIR / "locust"),
        "--only-summary",
        "--loglevel",
        "WARNING",
    ]
    completed = subprocess.run(command, cwd=ROOT, env=environment, timeout=args.duration + 120, check=False)
    return completed.returncode


def read_stats(stats_path):
    """Return the rows of Locust's ``*_stats.csv``: one per request name, then the aggregated one."""
    with stats_path.open() as stats_file:
        rows = list(csv.DictReader(stats_file))
    if not rows or rows[-1]["Name"] != "Aggregated":
        raise LoadTestError(f"{stats_path} has no Aggregated row.")
    return rows


def format_stats(rows):
    lines = [
        f"{'request':<22} {'count':>6} {'failures':>9} {'req/s':>7} {'median ms':>10} {'p95 ms':>8} {'max ms':>8}"
    ]
    for row in rows:
        max_ms = float(row["Max Response Time"])
        lines.append(
            f"{row['Name']:<22} {row['Request Count']:>6} {row['Failure Count']:>9} "
            f"{float(row['Requests/s']):>7.1f} {row['50%']:>10} {row['95%']:>8} {max_ms:>8.0f}"
        )
    return "\n".join(lines)


def find_lost_answers(acknowledgements):
    """Return the acknowledged saves whose answer in the database holds another value.

    A save that was sent after the last acknowledged one but never acknowledged (the run ended
    first) may have landed, so the database may hold that value instead.
    """
    from assessments.models import Answer

    lost = []
    for saved in acknowledgements:
        answer = Answer.objects.filter(
            response__round_id=saved["round_id"],
            response__respondent__email=saved["email"],
            indicator_id=saved["indicator_id"],
        ).first()
        stored = [answer.rating, answer.note] if answer else None
        allowed = [[saved["rating"], saved["note"]], *saved["unacknowledged"]]
        if stored not in allowed:
            lost.append({**saved, "stored": stored})
    return lost


def main(argv=None):
    args = parse_args(argv)
    OUT_DIR.mkdir(parents=True, exist_ok=True)
    accounts_path = OUT_DIR / "accounts.json"
    acknowledgements_path = OUT_DIR / "acknowledged.json"
    acknowledgements_path.unlink(missing_ok=True)

    try:
        database_url = scratch_database_url(os.environ.get("DATABASE_URL", ""))
        recreate_database(database_url)
    except LoadTestError as error:
        print(f"Load test not started: {error}", file=sys.stderr)
        return 2

    environment = server_environment(database_url)
    os.environ.update(environment)
    sys.path.insert(0, str(ROOT))
    gunicorn = None
    try:
        accounts = prepare_site(args.partnerships, accounts_path)
        port = free_port()
        gunicorn = start_gunicorn(environment, port, args.workers, OUT_DIR / "gunicorn.log")
        print(
            f"Load: {args.users} users ({len(accounts['respondents'])} respondent accounts) for {args.duration} s "
            f"against gunicorn -w {args.workers} on 127.0.0.1:{port}, database {urlsplit(database_url).path[1:]}"
        )
        locust_code = run_locust(args, port, len(accounts["respondents"]), accounts_path, acknowledgements_path)
    except LoadTestError as error:
        print(f"Load test failed to start: {error}", file=sys.stderr)
        return 2
    finally:
        if gunicorn is not None:
            gunicorn.terminate()
            gunicorn.wait(timeout=30)

    return report(locust_code, acknowledgements_path, database_url, keep_database=args.keep_database)


def report(locust_code, acknowledgements_path, database_url, *, keep_database):
    """Print the results, check the database, drop it and return the exit code."""
    from django.db import connections

    stats = read_stats(OUT_DIR / "locust_stats.csv")
    results = json.loads(acknowledgements_path.read_text()) if acknowledgements_path.exists() else None
    if results is None:
        print(f"Locust wrote no results (exit code {locust_code}).", file=sys.stderr)
        return 1

    lost = find_lost_answers(results["acknowledged"])
    connections.close_all()
    if not keep_database:
        recreate_database(database_url, drop_only=True)

    print(format_stats(stats))
    print(f"status codes: {results['status_counts']}")
    print(
        f"saves acknowledged: {results['save_count']} on {len(results['acknowledged'])} answers; "
        f"5xx responses: {results['server_errors']}; lost answers: {len(lost)}"
    )
    for saved in lost[:10]:
        print(f"  lost: {saved}", file=sys.stderr)

    if results["server_errors"] or lost or not results["acknowledged"]:
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
