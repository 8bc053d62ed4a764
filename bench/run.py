"""Measure the main pages on a large synthetic data set: ``make bench`` or ``python -m bench.run``.

The data set lives in a database of its own: a SQLite file under ``bench/out/`` named after its
size, or the PostgreSQL database in ``BENCH_DATABASE_URL``. A later run with the same size reuses
it unless ``--rebuild`` is given. See docs/benchmarks.md for the targets and the last results.
"""

import argparse
import os
import sys
import time
import warnings
from pathlib import Path

OUT_DIR = Path(__file__).resolve().parent / "out"
FULL = {"partnerships": 500, "repeats": 30, "first_render_repeats": 5}
QUICK = {"partnerships": 20, "repeats": 5, "first_render_repeats": 2}


def parse_args(argv):
    parser = argparse.ArgumentParser(prog="python -m bench.run", description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="20 partnerships and 5 requests a page, for a smoke run")
    parser.add_argument("--rebuild", action="store_true", help="build the data set again even if it exists")
    parser.add_argument("--partnerships", type=int, help="number of partnerships (default 500, or 20 with --quick)")
    parser.add_argument("--repeats", type=int, help="timed requests per page (default 30, or 5 with --quick)")
    return parser.parse_args(argv)


def configure_django(partnership_count, *, rebuild):
    """Point Django at the benchmark's own settings and database, then start it."""
    OUT_DIR.mkdir(exist_ok=True)
    os.environ["DJANGO_SETTINGS_MODULE"] = "bench.settings"
    os.environ.setdefault("BENCH_SQLITE_PATH", str(OUT_DIR / f"bench-{partnership_count}.sqlite3"))
    if rebuild and not os.environ.get("BENCH_DATABASE_URL"):
        # A new file is faster than flushing a large one.
        Path(os.environ["BENCH_SQLITE_PATH"]).unlink(missing_ok=True)

    # WhiteNoise warns when STATIC_ROOT is missing, but the benchmark serves no static files.
    warnings.filterwarnings("ignore", message="No directory at", category=UserWarning)
    import django

    django.setup()


def prepare_database(partnership_count, *, rebuild):
    """Migrate, load the content and build the data set unless one of this size is already there."""
    from django.core.management import call_command

    from bench import dataset

    call_command("migrate", verbosity=0, interactive=False)
    existing = dataset.bench_partnerships().count()
    if existing == partnership_count and not rebuild:
        print(f"Reusing the data set of {existing} partnerships.")
        return

    if existing:
        call_command("flush", verbosity=0, interactive=False)
    call_command("load_toolkit", verbosity=0)
    started = time.perf_counter()
    dataset.add_partnerships(partnership_count)
    print(f"Built {partnership_count} partnerships in {time.perf_counter() - started:.0f} s.")


def main(argv=None):
    args = parse_args(argv)
    defaults = QUICK if args.quick else FULL
    partnership_count = args.partnerships or defaults["partnerships"]
    repeats = args.repeats or defaults["repeats"]

    configure_django(partnership_count, rebuild=args.rebuild)
    prepare_database(partnership_count, rebuild=args.rebuild)

    from django.db import connection

    from bench import dataset
    from bench.measure import PageFailed, format_table, measure_pages
    from bench.pages import PAGES

    print(f"Database: {connection.vendor} {connection.settings_dict['NAME']}")
    try:
        rows = measure_pages(
            PAGES,
            dataset.find_target(),
            repeats=repeats,
            first_render_repeats=min(repeats, defaults["first_render_repeats"]),
        )
    except PageFailed as error:
        print(f"Benchmark failed: {error}", file=sys.stderr)
        return 1
    print(format_table(rows))
    return 0


if __name__ == "__main__":
    sys.exit(main())
