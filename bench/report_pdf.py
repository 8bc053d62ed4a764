"""Measure PDF report generation: ``python -m bench.report_pdf``.

The script builds one full round in a scratch SQLite database: the current questionnaire,
five respondents per side, and a note in one of several scripts on about a third of the
answers. A closed earlier round gives the report its growth section. The script renders the
report ``--renders`` times in this process, bypassing the cache. It prints the median and max
wall-clock and CPU time of a render, the time of a cached download, and the resident memory
(VmRSS) before the first render, after it, and after the last.
"""

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

RESPONDENTS_PER_SIDE = 5
NOTE_SHARE = 0.33
SEED = 2026
NOTES = [
    "We shared vacancy projections in March, but the program needs them before fall course planning.",
    "Chúng tôi cần thêm dữ liệu về giáo viên mới trong năm đầu tiên.",
    "双方每学期见面一次，但还没有共同的数据报告。",
    "نحتاج إلى اتفاقية واضحة لمشاركة البيانات بين المنطقة والبرنامج.",
    "Mentor teachers are chosen by principals, and the criteria differ from school to school.",
    "Not sure who owns this on our side since the reorganization; worth raising at the next meeting.",
]


def parse_args(argv):
    parser = argparse.ArgumentParser(prog="python -m bench.report_pdf", description=__doc__.splitlines()[0])
    parser.add_argument("--renders", type=int, default=20, help="number of timed renders (default 20)")
    parser.add_argument("--page-size", choices=["letter", "a4"], default="letter", help="page size (default letter)")
    parser.add_argument("--keep-pdf", type=Path, help="write the last rendered PDF to this file")
    return parser.parse_args(argv)


def configure_django(database_path):
    """Start Django on the site's settings with a scratch SQLite database and quiet logs."""
    os.environ["DJANGO_SETTINGS_MODULE"] = "partnerprep.settings"
    os.environ["DATABASE_URL"] = f"sqlite:///{database_path}"
    os.environ["DJANGO_LOG_LEVEL"] = "WARNING"

    import django

    django.setup()


def build_round():
    """Create a partnership with a closed spring round and an open fall round, both answered in full.

    Returns the fall round, whose report then includes growth since spring.
    """
    from django.core.management import call_command
    from django.utils import timezone

    from accounts.models import User
    from assessments.models import AssessmentRound, Membership, Partnership, QuestionnaireVersion, Side

    call_command("migrate", verbosity=0, interactive=False)
    call_command("load_toolkit", verbosity=0)
    version = QuestionnaireVersion.objects.current()
    indicators = list(version.indicators.select_related("recommendation"))

    partnership = Partnership.objects.create(
        district_name="Ñandú Unified School District", program_name="Lakeview State University", state="OR"
    )
    now = timezone.now()
    spring = AssessmentRound.objects.create(
        partnership=partnership,
        label="Spring 2026",
        questionnaire_version=version,
        opened_at=now - timedelta(days=200),
        closed_at=now - timedelta(days=150),
    )
    fall = AssessmentRound.objects.create(partnership=partnership, label="Fall 2026", questionnaire_version=version)

    rng = random.Random(SEED)
    for side in (Side.DISTRICT, Side.PROGRAM):
        for number in range(RESPONDENTS_PER_SIDE):
            user = User.objects.create_user(
                email=f"{side}-{number}@bench.example.org", display_name=f"{side} {number}"
            )
            Membership.objects.create(partnership=partnership, user=user, side=side, show_name_in_reports=True)
            answer_everything(spring, user, side, indicators, rng, ratings=["1", "1", "2", "2", "3", "not-sure"])
            answer_everything(fall, user, side, indicators, rng, ratings=["1", "2", "2", "3", "3", "4", "not-sure"])
    return fall, len({indicator.recommendation_id for indicator in indicators}), len(indicators)


def answer_everything(round_, user, side, indicators, rng, *, ratings):
    """Submit one response with a random rating from ``ratings`` on every indicator."""
    from django.utils import timezone

    from assessments.models import Answer, Response

    response = Response.objects.create(round=round_, respondent=user, side=side, submitted_at=timezone.now())
    Answer.objects.bulk_create(
        Answer(
            response=response,
            indicator=indicator,
            rating=rng.choice(ratings),
            note=rng.choice(NOTES) if rng.random() < NOTE_SHARE else "",
        )
        for indicator in indicators
    )


def resident_memory_mib():
    """Return this process's resident set size (VmRSS) in MiB, read from /proc."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def timed(function):
    wall, cpu = time.perf_counter(), time.process_time()
    result = function()
    return result, time.perf_counter() - wall, time.process_time() - cpu


def main(argv=None):
    args = parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="partnerprep-report-bench-") as scratch:
        configure_django(Path(scratch) / "bench.sqlite3")
        from django.db import reset_queries

        from assessments.report.cache import get_report_pdf
        from assessments.report.rendering import render_report

        round_, recommendation_count, indicator_count = build_round()
        print(
            f"Round: {recommendation_count} recommendations, {indicator_count} indicators, "
            f"{RESPONDENTS_PER_SIDE} respondents per side, page size {args.page_size}"
        )

        memory_before = resident_memory_mib()
        walls, cpus = [], []
        for _ in range(args.renders):
            pdf, wall, cpu = timed(lambda: render_report(round_, page_size=args.page_size))
            walls.append(wall)
            cpus.append(cpu)
            if len(walls) == 1:
                memory_after_first = resident_memory_mib()
            # With DEBUG on, Django logs every query. Clearing that log keeps the memory figures
            # about rendering.
            reset_queries()
        memory_after = resident_memory_mib()

        get_report_pdf(round_, page_size=args.page_size)
        _pdf, cached_wall, _cpu = timed(lambda: get_report_pdf(round_, page_size=args.page_size))

        if args.keep_pdf:
            args.keep_pdf.write_bytes(pdf)

    print(f"PDF: {len(pdf) / 1024:.0f} KiB")
    print(f"First render: {walls[0] * 1000:.0f} ms wall, {cpus[0] * 1000:.0f} ms CPU")
    print(
        f"All {len(walls)} renders: median {statistics.median(walls) * 1000:.0f} ms, "
        f"max {max(walls) * 1000:.0f} ms wall; median {statistics.median(cpus) * 1000:.0f} ms, "
        f"max {max(cpus) * 1000:.0f} ms CPU"
    )
    print(f"Cached download (fingerprint and one row read): {cached_wall * 1000:.1f} ms")
    print(
        f"Resident memory: {memory_before:.0f} MiB before, {memory_after_first:.0f} MiB after the first render, "
        f"{memory_after:.0f} MiB after {len(walls)} renders"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
