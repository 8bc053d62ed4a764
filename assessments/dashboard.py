"""The facilitator dashboard: every partnership a user facilitates, its latest round and scores.

``build_dashboard`` makes the same number of queries whatever the number of partnerships, rounds
or answers. It reads each latest round with its stored summary in one query (see
``assessments.summaries``) and scores only the rounds whose summary is missing or stale.
"""

from collections import Counter
from dataclasses import dataclass, field
from functools import cached_property

from django.db.models import OuterRef, Subquery
from django.urls import reverse

from toolkit.models import Recommendation, Stage

from . import scoring
from .models import AssessmentRound, Membership, Side
from .results import count_respondents
from .summaries import load_summaries

DEFAULT_SORT = "district"


@dataclass
class DashboardRow:
    partnership: object
    round: object | None
    respondents: dict
    stage_scores: list = field(default_factory=list)
    largest_gap: scoring.RecommendationScore | None = None
    largest_gap_title: str = ""
    focus_areas: tuple = ()

    @property
    def is_complete(self):
        return all(count.submitted for count in self.respondents.values())

    @property
    def status(self):
        if self.round is None:
            return "No round yet"
        return "Open" if self.round.is_open else "Closed"

    @cached_property
    def results_url(self):
        # Cached because the template reads it twice per row.
        if self.round is None:
            return ""
        return reverse("assessments:results", args=[self.partnership.pk, self.round.pk])


def build_dashboard(user, *, sort=""):
    """Return the dashboard context: ``rows``, ``columns``, ``stages``, ``focus_counts`` and ``sort``.

    ``sort`` is a column key, prefixed with ``-`` for descending order. An unknown key falls back
    to sorting by district name.
    """
    stages = list(Stage.objects.order_by("order"))
    titles = dict(Recommendation.objects.values_list("number", "short_title"))
    memberships = list(
        Membership.objects.filter(user=user, side=Side.FACILITATOR)
        .select_related("partnership")
        .order_by("partnership__district_name", "partnership__program_name", "partnership_id")
    )
    latest_rounds = list(_latest_rounds(user).select_related("summary"))
    rounds = {round_.partnership_id: round_ for round_ in latest_rounds}
    summaries = load_summaries(latest_rounds)

    rows = [
        _row(membership.partnership, rounds.get(membership.partnership_id), summaries, stages, titles)
        for membership in memberships
    ]
    columns = _columns(stages)
    sort_key, descending = _parse_sort(sort, columns)
    rows = _sorted(rows, columns[sort_key], descending)
    return {
        "rows": rows,
        "stages": stages,
        "columns": _column_headers(columns, sort_key, descending),
        "sort": ("-" if descending else "") + sort_key,
        "focus_counts": _focus_counts(rows, titles),
    }


def _latest_rounds(user):
    """Return a queryset of the latest round of every partnership the user facilitates."""
    latest = AssessmentRound.objects.filter(partnership=OuterRef("partnership")).order_by("-opened_at", "-pk")
    return AssessmentRound.objects.filter(
        partnership__memberships__user=user,
        partnership__memberships__side=Side.FACILITATOR,
        pk=Subquery(latest.values("pk")[:1]),
    )


def _row(partnership, round_, summaries, stages, titles):
    if round_ is None:
        return DashboardRow(partnership, None, count_respondents([]), [None] * len(stages))

    summary = summaries[round_.pk]
    row = DashboardRow(partnership, round_, summary.respondents)
    if not row.is_complete:
        row.stage_scores = [None] * len(stages)
        return row

    row.stage_scores = [_stage_combined(summary, stage.order) for stage in stages]
    if summary.largest_gap is not None:
        row.largest_gap = summary.largest_gap
        row.largest_gap_title = titles.get(summary.largest_gap.number, "")
    row.focus_areas = summary.focus_areas
    return row


def _stage_combined(summary, order):
    stage = summary.stage(order)
    return stage.combined if stage else None


def _columns(stages):
    """Map each sort key to its header label and the value rows sort by."""
    columns = {
        "district": ("District", lambda row: row.partnership.district_name.casefold()),
        "program": ("Preparation program", lambda row: row.partnership.program_name.casefold()),
        "state": ("State", lambda row: row.partnership.state),
        "round": ("Latest round", lambda row: row.round.label.casefold() if row.round else None),
        "status": ("Status", lambda row: row.status),
        "district-started": ("District started", lambda row: row.respondents[Side.DISTRICT].started),
        "district-submitted": ("District submitted", lambda row: row.respondents[Side.DISTRICT].submitted),
        "program-started": ("Program started", lambda row: row.respondents[Side.PROGRAM].started),
        "program-submitted": ("Program submitted", lambda row: row.respondents[Side.PROGRAM].submitted),
    }
    for index, stage in enumerate(stages):
        columns[f"stage-{stage.order}"] = (stage.name, lambda row, index=index: row.stage_scores[index])
    columns["gap"] = ("Largest gap", lambda row: row.largest_gap.gap if row.largest_gap else None)
    return columns


def _parse_sort(sort, columns):
    descending = sort.startswith("-")
    key = sort.removeprefix("-")
    if key not in columns:
        return DEFAULT_SORT, False
    return key, descending


def _sorted(rows, column, descending):
    """Sort rows by a column, keeping rows without a value last in either direction."""
    _, value_of = column
    with_value = [row for row in rows if value_of(row) is not None]
    without_value = [row for row in rows if value_of(row) is None]
    with_value.sort(key=value_of, reverse=descending)
    return with_value + without_value


def _column_headers(columns, sort_key, descending):
    headers = []
    for key, (label, _) in columns.items():
        is_sorted = key == sort_key
        next_sort = f"-{key}" if is_sorted and not descending else key
        aria_sort = ""
        if is_sorted:
            aria_sort = "descending" if descending else "ascending"
        headers.append({"key": key, "label": label, "sort": next_sort, "aria_sort": aria_sort})
    return headers


def _focus_counts(rows, titles):
    """Count how often each recommendation is a focus area across partnerships with complete results."""
    counter = Counter(number for row in rows for number in row.focus_areas)
    ordered = sorted(counter.items(), key=lambda item: (-item[1], item[0]))
    return [{"number": number, "title": titles.get(number, ""), "count": count} for number, count in ordered]
