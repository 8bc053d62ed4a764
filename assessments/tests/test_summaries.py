"""Round summaries: stored data, after a trip through JSON, reads back as the scores it was made from."""

import json

from assessments.results import SideCount
from assessments.scoring import (
    RatingInput,
    RecommendationSpec,
    StageSpec,
    compare_rounds,
    score_assessment,
)
from assessments.summaries import read_summary, summary_data

D, P = "district", "program"

STRUCTURE = (
    StageSpec(1, (RecommendationSpec(1, ("1.1", "1.2")), RecommendationSpec(2, ("2.1", "2.2")))),
    StageSpec(2, (RecommendationSpec(3, ("3.1", "3.2")),)),
)

RATINGS = [
    # Recommendation 1: three district respondents give means in thirds, the program is far lower.
    RatingInput(D, 1, "1.1", "4"),
    RatingInput(D, 2, "1.1", "4"),
    RatingInput(D, 3, "1.1", "3"),
    RatingInput(D, 1, "1.2", "3"),
    RatingInput(P, 4, "1.1", "1"),
    RatingInput(P, 4, "1.2", "2"),
    # Recommendation 2: only the district rates it, half of it with "Not sure".
    RatingInput(D, 1, "2.1", "3"),
    RatingInput(D, 1, "2.2", "not-sure"),
    # Recommendation 3: the district marks it "Not applicable", and the program scores it alone.
    RatingInput(D, 1, "3.1", "not-applicable"),
    RatingInput(D, 1, "3.2", "not-applicable"),
    RatingInput(P, 4, "3.1", "2"),
    RatingInput(P, 4, "3.2", "3"),
]

RESPONDENTS = {
    D: SideCount(D, "District", started=4, submitted=3),
    P: SideCount(P, "Preparation program", started=1, submitted=1),
}


def stored(score, respondents=RESPONDENTS):
    return read_summary(json.loads(json.dumps(summary_data(score, respondents))))


def test_summary_keeps_recommendation_scores():
    score = score_assessment(STRUCTURE, RATINGS)

    summary = stored(score)

    assert summary.recommendations == score.recommendations
    assert summary.recommendation(1).district == 10 / 3
    assert summary.recommendation(2).is_one_sided is True
    assert summary.recommendation(3).district is None


def test_summary_keeps_stage_scores():
    score = score_assessment(STRUCTURE, RATINGS)

    summary = stored(score)

    assert summary.stages == score.stages
    assert summary.stage(2) == score.stage(2)
    assert summary.stage(4) is None


def test_summary_keeps_focus_areas():
    score = score_assessment(STRUCTURE, RATINGS)

    assert stored(score).focus_areas == score.focus_areas == (1, 2, 3)


def test_summary_keeps_respondent_counts():
    score = score_assessment(STRUCTURE, RATINGS)

    assert stored(score).respondents == RESPONDENTS


def test_summary_largest_gap():
    score = score_assessment(STRUCTURE, RATINGS)

    summary = stored(score)

    assert summary.largest_gap == score.recommendation(1)
    assert summary.largest_gap.gap == 11 / 6


def test_summary_largest_gap_tie_takes_lowest_number():
    ratings = [RatingInput(D, 1, code, "4") for code in ("1.1", "1.2", "2.1", "2.2")]
    ratings += [RatingInput(P, 2, code, "2") for code in ("1.1", "1.2", "2.1", "2.2")]

    summary = stored(score_assessment(STRUCTURE, ratings))

    assert summary.largest_gap.number == 1


def test_summary_without_ratings_has_no_largest_gap():
    score = score_assessment(STRUCTURE, [])
    empty = {side: SideCount(side, count.label, 0, 0) for side, count in RESPONDENTS.items()}

    summary = stored(score, empty)

    assert summary.largest_gap is None
    assert summary.focus_areas == ()
    assert summary.recommendations == score.recommendations


def test_summary_compares_like_computed_scores():
    before = score_assessment(STRUCTURE, RATINGS)
    now = score_assessment(STRUCTURE, [*RATINGS, RatingInput(P, 4, "2.1", "4"), RatingInput(P, 4, "2.2", "4")])

    assert compare_rounds(now, stored(before)) == compare_rounds(now, before)
