"""Build the results of an assessment round: one context for the HTML page and the PDF report.

``build_results(round_, *, access)`` makes a fixed number of queries whatever the number of
respondents, recommendations or tools, and returns a dict with these keys:

``partnership``, ``round``, ``questionnaire``
    The ``Partnership``, ``AssessmentRound`` and ``QuestionnaireVersion`` models.
``access``, ``can_run_rounds``
    The reader's ``Access``, and whether they may close the round and export CSV.
``respondents``
    ``{"district": SideCount, "program": SideCount}``, each with ``side``, ``label``,
    ``started`` and ``submitted`` counts of responses.
``is_complete``
    True when at least one response on each side is submitted: only then are the scores,
    gaps, current stage, focus areas and chart meaningful.
``preview_side``, ``preview_side_label``
    When exactly one side has submitted, that side (``"district"`` or ``"program"``) and its
    label; otherwise ``None``. Scores then come from that side only.
``stages``
    A list of ``StageRow``: ``stage`` (model), ``score`` (``scoring.StageScore``),
    ``recommendations`` (list of ``RecommendationRow``) and ``is_current``.
``recommendations``
    Every ``RecommendationRow`` in framework order: ``recommendation`` (model, with ``steps``,
    ``tools`` and ``case_studies`` prefetched, so ``.all()`` makes no query), ``score``
    (``scoring.RecommendationScore``), ``indicators`` (list of ``IndicatorRow``), ``notes``,
    ``growth`` (``scoring.Growth`` or ``None``) and ``previous`` (the earlier round's
    ``RecommendationScore`` or ``None``).
``current_stage``
    ``CurrentStage`` with ``stage`` (a ``StageRow``) and ``is_sustaining``, or ``None``.
``gaps``
    A list of ``GapRow``, largest first: ``gap`` (``scoring.Gap``), ``recommendation``
    (``RecommendationRow``), ``indicator`` (``IndicatorRow`` or ``None`` for a whole
    recommendation) and ``notes`` (a list of ``SideNotes``: ``side``, ``label``, ``notes``).
``focus_areas``
    Up to three ``RecommendationRow`` (none until complete); their steps, tools and case studies
    are on ``recommendation``.
``not_sure``
    ``RecommendationRow`` items with at least one "Not sure" answer, in framework order.
``indicators``
    Every ``IndicatorRow``: ``indicator`` (model), ``score`` (``scoring.IndicatorScore``) and
    ``notes`` (a list of ``Note``: ``side``, ``side_label``, ``indicator_code``, ``text``).
    Notes never carry who wrote them.
``growth``
    ``None`` without an earlier closed round, else ``{"previous_round": AssessmentRound,
    "rows": [RecommendationRow, ...]}``.
``chart``
    Geometry for ``assessments/includes/chart_recommendations.html`` (see ``build_chart``),
    or ``None`` until the results are complete.
``levels``
    A list of ``(name, range text)`` for the level legend.
"""

import textwrap
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Prefetch

from toolkit.models import CaseStudy, Recommendation, Tool

from . import scoring
from .models import Answer, AssessmentRound, Indicator, Response, Side

SIDE_LABELS = {Side.DISTRICT.value: Side.DISTRICT.label, Side.PROGRAM.value: Side.PROGRAM.label}

LEVEL_RANGES = (
    (scoring.NOT_YET_STARTED, "below 1.75"),
    (scoring.BEGINNING, "1.75 to below 2.5"),
    (scoring.DEVELOPING, "2.5 to below 3.25"),
    (scoring.STRONG, "3.25 and above"),
)


@dataclass(frozen=True)
class SideCount:
    side: str
    label: str
    started: int
    submitted: int


@dataclass(frozen=True)
class Note:
    side: str
    side_label: str
    indicator_code: str
    text: str


@dataclass(frozen=True)
class SideNotes:
    side: str
    label: str
    notes: tuple[Note, ...]


@dataclass
class IndicatorRow:
    indicator: Indicator
    score: scoring.IndicatorScore
    notes: list[Note] = field(default_factory=list)


@dataclass
class RecommendationRow:
    recommendation: Recommendation
    score: scoring.RecommendationScore
    indicators: list[IndicatorRow]
    growth: scoring.Growth | None = None
    previous: scoring.RecommendationScore | None = None

    @property
    def notes(self):
        return [note for row in self.indicators for note in row.notes]


@dataclass
class StageRow:
    stage: object
    score: scoring.StageScore
    recommendations: list[RecommendationRow]
    is_current: bool = False


@dataclass(frozen=True)
class CurrentStage:
    stage: StageRow
    is_sustaining: bool


@dataclass(frozen=True)
class GapRow:
    gap: scoring.Gap
    recommendation: RecommendationRow
    indicator: IndicatorRow | None
    notes: tuple[SideNotes, ...]


def build_results(round_, *, access):
    """Load a round's submitted answers, score them and return the results context (see module doc)."""
    indicators = list(Indicator.objects.filter(version_id=round_.questionnaire_version_id))
    recommendations = load_recommendations(round_.questionnaire_version_id)
    responses = list(Response.objects.filter(round=round_).only("id", "side", "submitted_at"))
    answers = list(
        Answer.objects.filter(response__round=round_, response__submitted_at__isnull=False)
        .order_by("response__side", "response__started_at", "response_id", "indicator__order")
        .values_list("response_id", "response__side", "indicator_id", "rating", "note")
    )

    respondents = count_respondents(responses)
    structure = questionnaire_structure(indicators, recommendations)
    codes = {indicator.pk: indicator.code for indicator in indicators}
    score = scoring.score_assessment(structure, rating_inputs(answers, codes))
    rows = _recommendation_rows(recommendations, indicators, score, _notes_by_indicator(answers, codes))
    stage_rows = _stage_rows(rows, score)
    is_complete = all(count.submitted for count in respondents.values())
    current_stage = _current_stage(stage_rows, score.current_stage) if is_complete else None
    growth = _add_growth(round_, score, rows)
    preview_side = _preview_side(respondents)

    return {
        "partnership": access.partnership,
        "round": round_,
        "questionnaire": round_.questionnaire_version,
        "access": access,
        "can_run_rounds": access.can_run_rounds,
        "respondents": respondents,
        "is_complete": is_complete,
        "preview_side": preview_side,
        "preview_side_label": SIDE_LABELS.get(preview_side),
        "stages": stage_rows,
        "recommendations": rows,
        "current_stage": current_stage,
        "gaps": _gap_rows(score.gaps, rows) if is_complete else [],
        "focus_areas": [_row_for(rows, number) for number in score.focus_areas] if is_complete else [],
        "not_sure": [row for row in rows if row.score.not_sure_count],
        "indicators": [indicator_row for row in rows for indicator_row in row.indicators],
        "growth": growth,
        "chart": build_chart(stage_rows) if is_complete else None,
        "levels": LEVEL_RANGES,
    }


def load_recommendations(version_id):
    """Return the version's recommendations in order, with their stage, steps, tools and case studies."""
    return list(
        Recommendation.objects.filter(indicators__version_id=version_id)
        .distinct()
        .select_related("stage")
        .prefetch_related(
            "steps",
            Prefetch("tools", queryset=Tool.objects.order_by("name")),
            Prefetch("case_studies", queryset=CaseStudy.objects.order_by("title")),
        )
        .order_by("number")
    )


def questionnaire_structure(indicators, recommendations):
    """Return the ``scoring.StageSpec`` tuple for a questionnaire, stages keyed by their order."""
    codes_by_recommendation = defaultdict(list)
    for indicator in sorted(indicators, key=lambda item: item.order):
        codes_by_recommendation[indicator.recommendation_id].append(indicator.code)

    specs_by_stage = defaultdict(list)
    for recommendation in sorted(recommendations, key=lambda item: item.number):
        spec = scoring.RecommendationSpec(recommendation.number, tuple(codes_by_recommendation[recommendation.pk]))
        specs_by_stage[recommendation.stage.order].append(spec)
    return tuple(scoring.StageSpec(order, tuple(specs)) for order, specs in sorted(specs_by_stage.items()))


def rating_inputs(answers, codes):
    """Turn ``(response_id, side, indicator_id, rating, ...)`` rows into ``scoring.RatingInput``."""
    return [
        scoring.RatingInput(side=side, respondent_id=response_id, indicator_code=codes[indicator_id], value=rating)
        for response_id, side, indicator_id, rating, *_ in answers
        if indicator_id in codes
    ]


def count_respondents(responses):
    """Return a ``SideCount`` per answering side from ``Response`` objects."""
    counts = {}
    for side, label in SIDE_LABELS.items():
        on_side = [response for response in responses if response.side == side]
        submitted = sum(1 for response in on_side if response.submitted_at is not None)
        counts[side] = SideCount(side, label, started=len(on_side), submitted=submitted)
    return counts


def _preview_side(respondents):
    submitted = [side for side, count in respondents.items() if count.submitted]
    return submitted[0] if len(submitted) == 1 else None


def _notes_by_indicator(answers, codes):
    notes = defaultdict(list)
    for _, side, indicator_id, _, note in answers:
        text = note.strip()
        if text and indicator_id in codes and side in SIDE_LABELS:
            notes[indicator_id].append(Note(side, SIDE_LABELS[side], codes[indicator_id], text))
    return notes


def _recommendation_rows(recommendations, indicators, score, notes):
    indicators_by_recommendation = defaultdict(list)
    for indicator in sorted(indicators, key=lambda item: item.order):
        row = IndicatorRow(indicator, score.indicator(indicator.code), notes.get(indicator.pk, []))
        indicators_by_recommendation[indicator.recommendation_id].append(row)
    return [
        RecommendationRow(
            recommendation,
            score.recommendation(recommendation.number),
            indicators_by_recommendation[recommendation.pk],
        )
        for recommendation in recommendations
    ]


def _stage_rows(rows, score):
    stage_rows = []
    for stage_score in score.stages:
        in_stage = [row for row in rows if row.recommendation.stage.order == stage_score.key]
        stage_rows.append(StageRow(in_stage[0].recommendation.stage, stage_score, in_stage))
    return stage_rows


def _current_stage(stage_rows, current):
    if current is None:
        return None
    stage_row = next(row for row in stage_rows if row.score.key == current.key)
    stage_row.is_current = True
    return CurrentStage(stage_row, current.is_sustaining)


def _row_for(rows, number):
    return next(row for row in rows if row.score.number == number)


def _gap_rows(gaps, rows):
    gap_rows = []
    for gap in gaps:
        row = _row_for(rows, gap.recommendation_number)
        indicator_row = next((item for item in row.indicators if item.indicator.code == gap.indicator_code), None)
        notes = indicator_row.notes if indicator_row else row.notes
        by_side = tuple(
            SideNotes(side, label, tuple(note for note in notes if note.side == side))
            for side, label in SIDE_LABELS.items()
        )
        gap_rows.append(GapRow(gap, row, indicator_row, by_side))
    return gap_rows


def previous_closed_round(round_):
    """Return the partnership's latest closed round opened before this one, or ``None``."""
    return (
        AssessmentRound.objects.filter(
            partnership_id=round_.partnership_id, closed_at__isnull=False, opened_at__lt=round_.opened_at
        )
        .exclude(pk=round_.pk)
        .order_by("-opened_at")
        .first()
    )


def score_round(round_):
    """Score a round's submitted answers with two queries, to compare a later round against it."""
    indicators = list(
        Indicator.objects.filter(version_id=round_.questionnaire_version_id).select_related("recommendation__stage")
    )
    answers = Answer.objects.filter(response__round=round_, response__submitted_at__isnull=False).values_list(
        "response_id", "response__side", "indicator_id", "rating"
    )
    recommendations = {indicator.recommendation_id: indicator.recommendation for indicator in indicators}
    structure = questionnaire_structure(indicators, recommendations.values())
    codes = {indicator.pk: indicator.code for indicator in indicators}
    return scoring.score_assessment(structure, rating_inputs(answers, codes))


def _add_growth(round_, score, rows):
    previous_round = previous_closed_round(round_)
    if previous_round is None:
        return None

    previous = score_round(previous_round)
    growth = {item.recommendation_number: item for item in scoring.compare_rounds(score, previous)}
    for row in rows:
        row.growth = growth.get(row.score.number)
        row.previous = previous.recommendation(row.score.number)
    return {"previous_round": previous_round, "rows": rows}


# Chart geometry, in SVG user units. A score of 4 fills the plot width.
CHART_LABEL_WIDTH = 270
CHART_UNIT = 90
CHART_VALUE_WIDTH = 190
CHART_BAR_HEIGHT = 14
CHART_BAR_GAP = 4
CHART_ROW_GAP = 14
CHART_STAGE_HEADING = 30
CHART_TOP = 10
CHART_AXIS_HEIGHT = 44
CHART_LEGEND_HEIGHT = 30
CHART_LEGEND_SPACING = 190
CHART_TITLE_CHARS = 38

CHART_SERIES = (
    ("district", "District", "chart-fill-district"),
    ("program", "Preparation program", "chart-fill-program"),
    ("combined", "Combined", "chart-fill-combined"),
)


def build_chart(stage_rows):
    """Lay out a horizontal bar chart: per recommendation, one bar per series, grouped by stage.

    Returns a dict with ``width``, ``height``, ``plot_left``, ``plot_width``, ``plot_top``,
    ``plot_bottom``, ``axis_label_y``, ``ticks`` (``x``, ``label``), ``legend`` (``key``,
    ``label``, ``fill_id``, ``x``, ``y``) and ``groups`` (``title``, ``y``, ``rows``). Each row
    has ``title_lines`` (``y``, ``text``) and ``bars`` (``label``, ``fill_id``, ``y``, ``height``,
    ``width``, ``text``, ``text_x``, ``text_y``). Every bar carries its series name and value as
    text, so the chart reads without colour.
    """
    plot_left = CHART_LABEL_WIDTH
    y = CHART_TOP
    groups = []
    for stage_row in stage_rows:
        group = {"title": stage_row.stage.name, "y": y + 18, "rows": []}
        y += CHART_STAGE_HEADING
        for row in stage_row.recommendations:
            group["rows"].append(_chart_row(row, y, plot_left))
            y += len(CHART_SERIES) * (CHART_BAR_HEIGHT + CHART_BAR_GAP) + CHART_ROW_GAP
        groups.append(group)

    plot_bottom = y
    legend_y = plot_bottom + CHART_AXIS_HEIGHT
    return {
        "width": plot_left + 4 * CHART_UNIT + CHART_VALUE_WIDTH,
        "height": legend_y + CHART_LEGEND_HEIGHT,
        "plot_left": plot_left,
        "plot_width": 4 * CHART_UNIT,
        "plot_top": CHART_TOP,
        "plot_bottom": plot_bottom,
        "axis_label_y": plot_bottom + 36,
        "ticks": [{"x": plot_left + point * CHART_UNIT, "label": str(point)} for point in range(5)],
        "legend": [
            {
                "key": key,
                "label": label,
                "fill_id": fill_id,
                "x": plot_left + index * CHART_LEGEND_SPACING,
                "y": legend_y,
            }
            for index, (key, label, fill_id) in enumerate(CHART_SERIES)
        ],
        "groups": groups,
    }


def _chart_row(row, top, plot_left):
    title = f"{row.recommendation.number}. {row.recommendation.short_title}"
    lines = textwrap.wrap(title, CHART_TITLE_CHARS)[:3]
    bars = []
    for index, (key, label, fill_id) in enumerate(CHART_SERIES):
        value = row.score.score_for(key)
        bar_y = top + index * (CHART_BAR_HEIGHT + CHART_BAR_GAP)
        width = round(value * CHART_UNIT, 1) if value is not None else 0
        bars.append(
            {
                "label": label,
                "fill_id": fill_id,
                "y": bar_y,
                "height": CHART_BAR_HEIGHT,
                "width": width,
                "text": f"{label} {value:.2f}" if value is not None else f"{label}: not enough answers",
                "text_x": plot_left + width + 6,
                "text_y": bar_y + CHART_BAR_HEIGHT - 3,
            }
        )
    return {
        "title_lines": [{"y": top + 11 + 14 * position, "text": line} for position, line in enumerate(lines)],
        "bars": bars,
    }
