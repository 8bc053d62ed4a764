"""Score a self-assessment round from plain ratings.

These are pure functions over plain values, with no ORM and no Django, so the rules can be tested
as tables and properties and shared by the results page, the PDF report, the CSV export and the
facilitator dashboard.

Rules:

- Only ratings 1 to 4 count towards scores. "Not sure" and "Not applicable" answers are counted
  per side, and a skipped indicator is simply absent. None of them ever counts as zero.
- A side's indicator score is the mean of that side's ratings, so each side weighs the same in
  the combined score whatever its head count.
- A side's recommendation score is the mean of its indicators' side scores. It is ``None``
  ("not enough answers") when fewer than half of the recommendation's indicators have a rating
  from that side. The denominator is every indicator of the recommendation, including those the
  side marked "Not applicable".
- The combined score is the mean of the two side scores. When only one side has a score, the
  combined score is that side's score and ``is_one_sided`` is true, so a one-side preview still
  has levels and a focus order.
- A stage's score is the mean of its recommendations' scores that exist.
- Growth compares a recommendation with the same recommendation in an earlier round. Each side's
  change is computed whenever that side has a score in both rounds. The combined change needs
  both sides scored in both rounds, and is ``None`` ("not comparable") otherwise, because a
  one-sided combined score is just that side's score and comparing it with a two-sided one
  mixes a change in who answered with a change in the partnership.

Arithmetic is exact: means are kept as fractions and turned into floats only in the returned
dataclasses, so a mean that lies exactly on a band edge (1.75, 2.5, 3.25) or a gap of exactly 1.0
is never pushed across it by binary rounding.
"""

from collections import defaultdict
from dataclasses import dataclass
from fractions import Fraction

DISTRICT = "district"
PROGRAM = "program"
SIDES = (DISTRICT, PROGRAM)

NOT_SURE = "not-sure"
NOT_APPLICABLE = "not-applicable"

NOT_YET_STARTED = "Not yet started"
BEGINNING = "Beginning"
DEVELOPING = "Developing"
STRONG = "Strong"
LEVELS = (NOT_YET_STARTED, BEGINNING, DEVELOPING, STRONG)

# A score below a bound gets the level next to it. A score at or above the last bound is Strong.
LEVEL_BOUNDS = (
    (Fraction(7, 4), NOT_YET_STARTED),
    (Fraction(5, 2), BEGINNING),
    (Fraction(13, 4), DEVELOPING),
)
DEVELOPING_FLOOR = Fraction(5, 2)
STRONG_FLOOR = Fraction(13, 4)
GAP_THRESHOLD = Fraction(1)
MAX_FOCUS_AREAS = 3


@dataclass(frozen=True)
class RatingInput:
    """One respondent's answer to one indicator.

    ``value`` is 1 to 4 (int or digit string), ``"not-sure"``, ``"not-applicable"``, or ``None``
    or ``""`` for a skipped indicator. Any other value is treated as skipped.
    """

    side: str
    respondent_id: object
    indicator_code: str
    value: int | str | None


@dataclass(frozen=True)
class RecommendationSpec:
    number: int
    indicator_codes: tuple[str, ...]


@dataclass(frozen=True)
class StageSpec:
    """A stage and its recommendations, listed in the order the framework gives them."""

    key: object
    recommendations: tuple[RecommendationSpec, ...]


@dataclass(frozen=True)
class AnswerCounts:
    rated: int = 0
    not_sure: int = 0
    not_applicable: int = 0

    def __add__(self, other):
        return AnswerCounts(
            self.rated + other.rated,
            self.not_sure + other.not_sure,
            self.not_applicable + other.not_applicable,
        )


class _SideScores:
    """Shared accessors for results that carry a district, a program and a combined score."""

    @property
    def is_one_sided(self):
        return self.combined is not None and (self.district is None or self.program is None)

    def score_for(self, side):
        return {DISTRICT: self.district, PROGRAM: self.program}.get(side, self.combined)


class _AnswerCountTotals:
    """Totals over both sides of the answer counts that indicator and recommendation results carry."""

    @property
    def not_sure_count(self):
        return self.district_counts.not_sure + self.program_counts.not_sure

    @property
    def not_applicable_count(self):
        return self.district_counts.not_applicable + self.program_counts.not_applicable


@dataclass(frozen=True)
class IndicatorScore(_SideScores, _AnswerCountTotals):
    code: str
    recommendation_number: int
    district: float | None
    program: float | None
    combined: float | None
    district_counts: AnswerCounts
    program_counts: AnswerCounts
    gap: float | None
    is_gap: bool


@dataclass(frozen=True)
class RecommendationScore(_SideScores, _AnswerCountTotals):
    number: int
    stage_key: object
    district: float | None
    program: float | None
    combined: float | None
    level: str | None
    district_level: str | None
    program_level: str | None
    gap: float | None
    is_gap: bool
    indicator_count: int
    district_rated_indicators: int
    program_rated_indicators: int
    district_counts: AnswerCounts
    program_counts: AnswerCounts


@dataclass(frozen=True)
class StageScore(_SideScores):
    key: object
    district: float | None
    program: float | None
    combined: float | None
    level: str | None
    recommendation_numbers: tuple[int, ...]


@dataclass(frozen=True)
class Gap:
    """A difference of at least 1.0 between the sides, flagged "discuss together".

    ``indicator_code`` is ``None`` when the gap is on a whole recommendation.
    """

    recommendation_number: int
    indicator_code: str | None
    district: float
    program: float
    size: float

    @property
    def kind(self):
        return "recommendation" if self.indicator_code is None else "indicator"


@dataclass(frozen=True)
class CurrentStage:
    """The stage the partnership is working in.

    ``is_sustaining`` is true when no scored recommendation is below Developing: the partnership
    is then in the last stage, sustaining what it built.
    """

    key: object
    is_sustaining: bool


@dataclass(frozen=True)
class Growth(_SideScores):
    """Change in a recommendation's scores since an earlier round.

    A side's change is ``None`` where that side lacks a score in either round. The combined change is
    ``None`` unless both sides have a score in both rounds.
    """

    recommendation_number: int
    district: float | None
    program: float | None
    combined: float | None


@dataclass(frozen=True)
class AssessmentScore:
    indicators: tuple[IndicatorScore, ...]
    recommendations: tuple[RecommendationScore, ...]
    stages: tuple[StageScore, ...]
    gaps: tuple[Gap, ...]
    current_stage: CurrentStage | None
    focus_areas: tuple[int, ...]

    def recommendation(self, number):
        return next((item for item in self.recommendations if item.number == number), None)

    def indicator(self, code):
        return next((item for item in self.indicators if item.code == code), None)

    def stage(self, key):
        return next((item for item in self.stages if item.key == key), None)


def level_for(score):
    """Return the level name of a score, or ``None`` for a missing score."""
    if score is None:
        return None
    exact = Fraction(score)
    for bound, name in LEVEL_BOUNDS:
        if exact < bound:
            return name
    return STRONG


def score_assessment(stages, ratings):
    """Score every indicator, recommendation and stage, and derive gaps, current stage and focus areas.

    ``stages`` is an ordered sequence of ``StageSpec`` and ``ratings`` an iterable of
    ``RatingInput``. Ratings for sides or indicator codes outside the structure are ignored.
    """
    tallies = _tally(ratings)
    indicator_means = {}
    indicator_scores = []
    recommendation_means = {}
    recommendation_scores = []
    stage_scores = []

    for stage in stages:
        stage_means = defaultdict(list)
        for recommendation in stage.recommendations:
            for code in recommendation.indicator_codes:
                means = _side_means(tallies[code])
                indicator_means[code] = means
                indicator_scores.append(_indicator_score(code, recommendation.number, means, tallies[code]))
            means = _recommendation_means(recommendation, indicator_means)
            recommendation_means[recommendation.number] = means
            recommendation_scores.append(_recommendation_score(stage.key, recommendation, means, tallies))
            for side, value in means.items():
                if value is not None:
                    stage_means[side].append(value)
        stage_scores.append(_stage_score(stage, stage_means))

    return AssessmentScore(
        indicators=tuple(indicator_scores),
        recommendations=tuple(recommendation_scores),
        stages=tuple(stage_scores),
        gaps=_find_gaps(stages, indicator_means, recommendation_means),
        current_stage=_current_stage(stages, recommendation_means),
        focus_areas=_focus_areas(stages, recommendation_means),
    )


def compare_rounds(current, previous):
    """Return one ``Growth`` per recommendation of ``current``, matched to ``previous`` by number."""
    growth = []
    for now in current.recommendations:
        before = previous.recommendation(now.number)
        growth.append(
            Growth(
                recommendation_number=now.number,
                district=_change(now.district, before and before.district),
                program=_change(now.program, before and before.program),
                combined=_combined_change(now, before),
            )
        )
    return tuple(growth)


def _tally(ratings):
    """Group numeric ratings and answer counts by indicator code and side."""
    tallies = defaultdict(lambda: {side: {"values": [], "not_sure": 0, "not_applicable": 0} for side in SIDES})
    for rating in ratings:
        if rating.side not in SIDES:
            continue
        tally = tallies[rating.indicator_code][rating.side]
        value = _numeric(rating.value)
        if value is not None:
            tally["values"].append(value)
        elif rating.value == NOT_SURE:
            tally["not_sure"] += 1
        elif rating.value == NOT_APPLICABLE:
            tally["not_applicable"] += 1
    return tallies


def _numeric(value):
    if isinstance(value, bool):
        return None
    if isinstance(value, int) and 1 <= value <= 4:
        return value
    if isinstance(value, str) and value in ("1", "2", "3", "4"):
        return int(value)
    return None


def _mean(values):
    """Return the exact mean of the values, or ``None`` for none."""
    if not values:
        return None
    return Fraction(sum(values)) / len(values)


def _combine(district, program):
    if district is None:
        return program
    if program is None:
        return district
    return (district + program) / 2


def _side_means(tally):
    means = {side: _mean(tally[side]["values"]) for side in SIDES}
    means["combined"] = _combine(means[DISTRICT], means[PROGRAM])
    return means


def _counts(tally, side):
    side_tally = tally[side]
    return AnswerCounts(len(side_tally["values"]), side_tally["not_sure"], side_tally["not_applicable"])


def _gap(means):
    if means[DISTRICT] is None or means[PROGRAM] is None:
        return None
    return abs(means[DISTRICT] - means[PROGRAM])


def _float(value):
    return None if value is None else float(value)


def _indicator_score(code, recommendation_number, means, tally):
    gap = _gap(means)
    return IndicatorScore(
        code=code,
        recommendation_number=recommendation_number,
        district=_float(means[DISTRICT]),
        program=_float(means[PROGRAM]),
        combined=_float(means["combined"]),
        district_counts=_counts(tally, DISTRICT),
        program_counts=_counts(tally, PROGRAM),
        gap=_float(gap),
        is_gap=gap is not None and gap >= GAP_THRESHOLD,
    )


def _rated_indicators(recommendation, indicator_means, side):
    return [
        indicator_means[code][side]
        for code in recommendation.indicator_codes
        if indicator_means[code][side] is not None
    ]


def _recommendation_means(recommendation, indicator_means):
    """Return the exact side and combined means, ``None`` for a side with too few rated indicators."""
    means = {}
    for side in SIDES:
        rated = _rated_indicators(recommendation, indicator_means, side)
        # Exactly half of the indicators rated is enough; fewer than half is not.
        has_enough = rated and 2 * len(rated) >= len(recommendation.indicator_codes)
        means[side] = _mean(rated) if has_enough else None
    means["combined"] = _combine(means[DISTRICT], means[PROGRAM])
    return means


def _recommendation_score(stage_key, recommendation, means, tallies):
    counts = {side: AnswerCounts() for side in SIDES}
    for code in recommendation.indicator_codes:
        for side in SIDES:
            counts[side] += _counts(tallies[code], side)
    gap = _gap(means)
    return RecommendationScore(
        number=recommendation.number,
        stage_key=stage_key,
        district=_float(means[DISTRICT]),
        program=_float(means[PROGRAM]),
        combined=_float(means["combined"]),
        level=level_for(means["combined"]),
        district_level=level_for(means[DISTRICT]),
        program_level=level_for(means[PROGRAM]),
        gap=_float(gap),
        is_gap=gap is not None and gap >= GAP_THRESHOLD,
        indicator_count=len(recommendation.indicator_codes),
        district_rated_indicators=_rated_count(recommendation, tallies, DISTRICT),
        program_rated_indicators=_rated_count(recommendation, tallies, PROGRAM),
        district_counts=counts[DISTRICT],
        program_counts=counts[PROGRAM],
    )


def _rated_count(recommendation, tallies, side):
    return sum(1 for code in recommendation.indicator_codes if tallies[code][side]["values"])


def _stage_score(stage, stage_means):
    means = {side: _mean(stage_means[side]) for side in (*SIDES, "combined")}
    return StageScore(
        key=stage.key,
        district=_float(means[DISTRICT]),
        program=_float(means[PROGRAM]),
        combined=_float(means["combined"]),
        level=level_for(means["combined"]),
        recommendation_numbers=tuple(recommendation.number for recommendation in stage.recommendations),
    )


def _find_gaps(stages, indicator_means, recommendation_means):
    """List every indicator and recommendation gap, largest first.

    Ties keep framework order (recommendation number, then the recommendation before its indicators).
    """
    found = []
    for stage in stages:
        for recommendation in stage.recommendations:
            means = recommendation_means[recommendation.number]
            found.append((recommendation.number, -1, None, means))
            for position, code in enumerate(recommendation.indicator_codes):
                found.append((recommendation.number, position, code, indicator_means[code]))

    gaps = []
    for number, position, code, means in found:
        size = _gap(means)
        if size is not None and size >= GAP_THRESHOLD:
            gaps.append(
                (
                    -size,
                    number,
                    position,
                    Gap(number, code, float(means[DISTRICT]), float(means[PROGRAM]), float(size)),
                )
            )
    gaps.sort(key=lambda item: item[:3])
    return tuple(item[3] for item in gaps)


def _current_stage(stages, recommendation_means):
    """Return the earliest stage with a recommendation whose combined score is below Developing.

    A recommendation without a combined score is skipped, so it never places the partnership in
    its stage. When every scored recommendation is at Developing or above, the partnership is
    in the last stage, sustaining. With no scored recommendation at all there is no current stage.
    """
    scored = False
    for stage in stages:
        for recommendation in stage.recommendations:
            combined = recommendation_means[recommendation.number]["combined"]
            if combined is None:
                continue
            scored = True
            if combined < DEVELOPING_FLOOR:
                return CurrentStage(key=stage.key, is_sustaining=False)
    if not scored:
        return None
    return CurrentStage(key=stages[-1].key, is_sustaining=True)


def _focus_areas(stages, recommendation_means):
    """Return up to three recommendation numbers below Strong: by stage, then lowest score, then number."""
    candidates = []
    for stage_index, stage in enumerate(stages):
        for recommendation in stage.recommendations:
            combined = recommendation_means[recommendation.number]["combined"]
            if combined is not None and combined < STRONG_FLOOR:
                candidates.append((stage_index, combined, recommendation.number))
    candidates.sort()
    return tuple(number for _, _, number in candidates[:MAX_FOCUS_AREAS])


def _change(now, before):
    if now is None or before is None:
        return None
    return now - before


def _combined_change(now, before):
    """Return the change in the combined score, or ``None`` unless both rounds scored both sides."""
    if before is None or now.is_one_sided or before.is_one_sided:
        return None
    return _change(now.combined, before.combined)
