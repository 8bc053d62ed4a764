"""Scoring rules as tables of answer sets and hand-computed scores."""

import pytest

from assessments.scoring import (
    BEGINNING,
    DEVELOPING,
    NOT_YET_STARTED,
    STRONG,
    CurrentStage,
    RatingInput,
    RecommendationSpec,
    StageSpec,
    compare_rounds,
    level_for,
    score_assessment,
)

D, P = "district", "program"


def structure(stages):
    """Build stage specs from ``{stage key: {recommendation number: indicator count}}``."""
    return tuple(
        StageSpec(key, tuple(RecommendationSpec(number, codes(number, count)) for number, count in recs.items()))
        for key, recs in stages.items()
    )


def codes(number, count):
    return tuple(f"{number}.{position}" for position in range(1, count + 1))


def side_ratings(side, respondent, number, values):
    """Rate the indicators ``number.1``, ``number.2``, ... in order. A ``None`` value skips that indicator."""
    return [
        RatingInput(side, respondent, f"{number}.{position}", value)
        for position, value in enumerate(values, start=1)
        if value is not None
    ]


ONE_REC = structure({1: {1: 4}})


@pytest.mark.parametrize(
    ("ratings", "district", "program", "combined", "is_one_sided"),
    [
        pytest.param(
            side_ratings(D, 1, 1, [3, 3, 3, 3]),
            3.0,
            None,
            3.0,
            True,
            id="district-only",
        ),
        pytest.param(
            side_ratings(P, 7, 1, [1, 2, 2, 2]),
            None,
            1.75,
            1.75,
            True,
            id="program-only",
        ),
        pytest.param(
            side_ratings(D, 1, 1, [4, 4, 4, 4])
            + side_ratings(P, 2, 1, [2, 2, 2, 2])
            + side_ratings(P, 3, 1, [2, 2, 2, 2])
            + side_ratings(P, 4, 1, [2, 2, 2, 2])
            + side_ratings(P, 5, 1, [2, 2, 2, 2]),
            4.0,
            2.0,
            3.0,
            False,
            id="one-district-four-program-weigh-the-same",
        ),
        pytest.param(
            side_ratings(D, 1, 1, [4, 2, 3, 1]) + side_ratings(D, 2, 1, [2, 2, 3, 3]),
            2.5,
            None,
            2.5,
            True,
            id="indicator-means-then-recommendation-mean",
        ),
        pytest.param(
            side_ratings(D, 1, 1, [4, "not-sure", "not-applicable", 4]) + side_ratings(P, 2, 1, [2, None, None, 3]),
            4.0,
            2.5,
            3.25,
            False,
            id="not-sure-n-a-and-skipped-are-not-zero",
        ),
        pytest.param(
            side_ratings(D, 1, 1, [4, "not-applicable", "not-applicable", "not-applicable"])
            + side_ratings(P, 2, 1, [3, 3, None, None]),
            None,
            3.0,
            3.0,
            True,
            id="one-of-four-rated-is-not-enough-two-is",
        ),
        pytest.param(
            side_ratings(D, 1, 1, ["not-applicable"] * 4) + side_ratings(P, 2, 1, ["not-applicable"] * 4),
            None,
            None,
            None,
            False,
            id="all-not-applicable",
        ),
        pytest.param([], None, None, None, False, id="no-answers"),
        pytest.param(
            side_ratings(D, 1, 1, ["4", "3", "bogus", True]),
            3.5,
            None,
            3.5,
            True,
            id="digit-strings-count-unknown-values-skipped",
        ),
    ],
)
def test_recommendation_side_scores(ratings, district, program, combined, is_one_sided):
    result = score_assessment(ONE_REC, ratings).recommendation(1)

    assert result.district == district
    assert result.program == program
    assert result.combined == combined
    assert result.is_one_sided is is_one_sided


@pytest.mark.parametrize(
    ("indicator_count", "rated", "is_scored"),
    [
        (3, 1, False),
        (3, 2, True),
        (4, 1, False),
        (4, 2, True),
        (2, 1, True),
        (2, 0, False),
        (1, 1, True),
    ],
)
def test_half_of_indicators_rated_is_enough(indicator_count, rated, is_scored):
    stages = structure({1: {1: indicator_count}})
    values = [3] * rated + ["not-sure"] * (indicator_count - rated)

    result = score_assessment(stages, side_ratings(D, 1, 1, values)).recommendation(1)

    assert (result.district is not None) is is_scored
    assert result.district_rated_indicators == rated


@pytest.mark.parametrize(
    ("score", "level"),
    [
        (1.0, NOT_YET_STARTED),
        (1.7499, NOT_YET_STARTED),
        (1.75, BEGINNING),
        (2.4999, BEGINNING),
        (2.5, DEVELOPING),
        (3.2499, DEVELOPING),
        (3.25, STRONG),
        (4.0, STRONG),
        (None, None),
    ],
)
def test_level_band_edges(score, level):
    assert level_for(score) == level


@pytest.mark.parametrize(
    ("values", "level"),
    [
        ([1, 2, 2, 2], BEGINNING),
        ([1, 1, 2, 2], NOT_YET_STARTED),
        ([2, 3, 2, 3], DEVELOPING),
        ([2, 2, 3, 2], BEGINNING),
        ([3, 3, 3, 4], STRONG),
        ([3, 3, 3, 3], DEVELOPING),
    ],
)
def test_level_of_computed_scores_on_edges(values, level):
    result = score_assessment(ONE_REC, side_ratings(D, 1, 1, values)).recommendation(1)

    assert result.level == level
    assert result.district_level == level


def test_gap_of_thirds_is_exact():
    # District 10/3 and program 7/3 differ by exactly 1, which float subtraction need not produce.
    stages = structure({1: {1: 3}})
    ratings = side_ratings(D, 1, 1, [4, 3, 3]) + side_ratings(P, 2, 1, [3, 2, 2])

    result = score_assessment(stages, ratings).recommendation(1)

    assert result.is_gap is True
    assert result.gap == 1.0


@pytest.mark.parametrize(
    ("district_values", "program_values", "is_gap", "gap"),
    [
        ([3], [2], True, 1.0),
        ([2], [3], True, 1.0),
        ([4], [1], True, 3.0),
        ([3], [3], False, 0.0),
        ([3], [2] * 99 + [3], False, 0.99),
    ],
)
def test_gap_threshold_on_indicator(district_values, program_values, is_gap, gap):
    stages = structure({1: {1: 1}})
    ratings = [RatingInput(D, f"d{index}", "1.1", value) for index, value in enumerate(district_values)]
    ratings += [RatingInput(P, f"p{index}", "1.1", value) for index, value in enumerate(program_values)]

    result = score_assessment(stages, ratings)

    assert result.indicator("1.1").is_gap is is_gap
    assert result.indicator("1.1").gap == pytest.approx(gap)
    assert result.recommendation(1).is_gap is is_gap
    assert len(result.gaps) == (2 if is_gap else 0)


def test_gap_needs_both_sides():
    result = score_assessment(structure({1: {1: 1}}), side_ratings(D, 1, 1, [4]))

    assert result.indicator("1.1").gap is None
    assert result.recommendation(1).is_gap is False
    assert result.gaps == ()


def test_gaps_sorted_largest_first():
    stages = structure({1: {1: 2, 2: 1}, 2: {5: 1}})
    ratings = (
        side_ratings(D, 1, 1, [3, 4])
        + side_ratings(P, 2, 1, [2, 4])
        + side_ratings(D, 1, 2, [1])
        + side_ratings(P, 2, 2, [4])
        + side_ratings(D, 1, 5, [4])
        + side_ratings(P, 2, 5, [2])
    )

    gaps = score_assessment(stages, ratings).gaps

    assert [(gap.recommendation_number, gap.indicator_code, gap.size) for gap in gaps] == [
        (2, None, 3.0),
        (2, "2.1", 3.0),
        (5, None, 2.0),
        (5, "5.1", 2.0),
        (1, "1.1", 1.0),
    ]
    assert gaps[0].kind == "recommendation"
    assert gaps[1].kind == "indicator"
    assert (gaps[0].district, gaps[0].program) == (1.0, 4.0)


THREE_STAGES = structure({"initiation": {1: 1, 2: 1}, "implementation": {5: 1, 6: 1}, "improvement": {9: 1}})


def combined_ratings(scores):
    """Give both sides the same rating on each one-indicator recommendation, keyed by number."""
    ratings = []
    for number, value in scores.items():
        ratings += side_ratings(D, 1, number, [value]) + side_ratings(P, 2, number, [value])
    return ratings


@pytest.mark.parametrize(
    ("scores", "current"),
    [
        ({1: 1, 2: 4, 5: 1, 6: 4, 9: 4}, CurrentStage("initiation", False)),
        ({1: 3, 2: 4, 5: 2, 6: 4, 9: 1}, CurrentStage("implementation", False)),
        ({1: 3, 2: 3, 5: 3, 6: 3, 9: 2}, CurrentStage("improvement", False)),
        ({1: 3, 2: 4, 5: 3, 6: 4, 9: 3}, CurrentStage("improvement", True)),
        ({1: "not-applicable", 2: None, 5: 2, 6: 4, 9: 4}, CurrentStage("implementation", False)),
        ({1: 3, 2: 3, 5: None, 6: None, 9: None}, CurrentStage("improvement", True)),
        ({1: None, 2: None, 5: None, 6: None, 9: None}, None),
    ],
    ids=["first", "second", "last", "sustaining", "unscored-stage-skipped", "sustaining-with-gaps", "nothing-scored"],
)
def test_current_stage(scores, current):
    assert score_assessment(THREE_STAGES, combined_ratings(scores)).current_stage == current


@pytest.mark.parametrize(
    ("scores", "focus"),
    [
        ({1: 3, 2: 2, 5: 1, 6: 1, 9: 1}, (2, 1, 5)),
        ({1: 2, 2: 2, 5: 2, 6: 2, 9: 2}, (1, 2, 5)),
        ({1: 4, 2: 4, 5: 3, 6: 3, 9: 2}, (5, 6, 9)),
        ({1: 4, 2: 4, 5: 4, 6: 4, 9: 3}, (9,)),
        ({1: 4, 2: 4, 5: 4, 6: 4, 9: 4}, ()),
        ({1: None, 2: 1, 5: None, 6: None, 9: None}, (2,)),
    ],
    ids=["stage-then-score", "ties-by-number", "later-stages", "one-left", "all-strong", "unscored-skipped"],
)
def test_focus_areas(scores, focus):
    assert score_assessment(THREE_STAGES, combined_ratings(scores)).focus_areas == focus


def test_stage_score_mean_of_existing():
    stages = structure({1: {1: 1, 2: 1, 3: 1}})
    ratings = side_ratings(D, 1, 1, [4]) + side_ratings(D, 1, 2, [1]) + side_ratings(P, 2, 1, [2])

    stage = score_assessment(stages, ratings).stage(1)

    assert stage.district == 2.5
    assert stage.program == 2.0
    assert stage.combined == 2.0
    assert stage.level == BEGINNING
    assert stage.recommendation_numbers == (1, 2, 3)


def test_all_not_applicable_stage_has_no_score():
    stages = structure({1: {1: 2}, 2: {5: 2}})
    ratings = side_ratings(D, 1, 1, [3, 3]) + side_ratings(D, 1, 5, ["not-applicable"] * 2)

    result = score_assessment(stages, ratings)

    assert result.stage(2).combined is None
    assert result.stage(2).level is None
    assert result.recommendation(5).not_applicable_count == 2
    assert result.recommendation(5).level is None


def test_empty_recommendation_has_no_score():
    result = score_assessment(structure({1: {1: 0}}), [])

    assert result.recommendation(1).combined is None
    assert result.recommendation(1).indicator_count == 0


def test_not_sure_counted_per_side():
    ratings = (
        side_ratings(D, 1, 1, ["not-sure", 3, "not-sure", "not-applicable"])
        + side_ratings(D, 2, 1, ["not-sure", 3, 3, 3])
        + side_ratings(P, 3, 1, [2, "not-sure", 2, 2])
    )

    result = score_assessment(ONE_REC, ratings)

    assert result.recommendation(1).district_counts.not_sure == 3
    assert result.recommendation(1).program_counts.not_sure == 1
    assert result.recommendation(1).not_sure_count == 4
    assert result.recommendation(1).not_applicable_count == 1
    assert result.indicator("1.1").not_sure_count == 2
    assert result.indicator("1.1").district is None


def test_ratings_outside_structure_ignored():
    ratings = [
        RatingInput(D, 1, "1.1", 4),
        RatingInput("facilitator", 2, "1.2", 1),
        RatingInput(D, 1, "99.1", 1),
    ]

    result = score_assessment(structure({1: {1: 2}}), ratings)

    assert result.recommendation(1).district == 4.0
    assert result.recommendation(1).program is None
    assert result.indicator("99.1") is None


@pytest.mark.parametrize(
    ("now", "before", "expected"),
    [
        ({D: [3], P: [3]}, {D: [2], P: [1]}, (1.0, 2.0, 1.5)),
        ({D: [2], P: [2]}, {D: [3], P: [3]}, (-1.0, -1.0, -1.0)),
        ({D: [3], P: None}, {D: [2], P: [2]}, (1.0, None, None)),
        ({D: [2], P: [4]}, {D: None, P: [4]}, (None, 0.0, None)),
        ({D: [3], P: None}, {D: [2], P: None}, (1.0, None, None)),
        ({D: [3], P: None}, {D: None, P: [2]}, (None, None, None)),
        ({D: [3], P: [3]}, {D: None, P: None}, (None, None, None)),
        ({D: None, P: None}, {D: [2], P: [2]}, (None, None, None)),
    ],
    ids=[
        "up",
        "down",
        "one-side-missing-now",
        "one-side-missing-before",
        "same-one-side-both-rounds",
        "different-side-each-round",
        "nothing-before",
        "nothing-now",
    ],
)
def test_growth_against_previous_round(now, before, expected):
    stages = structure({1: {1: 1}})

    def score(values):
        ratings = []
        for side, ratings_of_side in values.items():
            ratings += side_ratings(side, side, 1, ratings_of_side or [])
        return score_assessment(stages, ratings)

    (growth,) = compare_rounds(score(now), score(before))

    assert (growth.district, growth.program, growth.combined) == expected


def test_growth_for_recommendation_missing_before():
    now = score_assessment(structure({1: {1: 1, 2: 1}}), side_ratings(D, 1, 2, [3]))
    before = score_assessment(structure({1: {1: 1}}), side_ratings(D, 1, 1, [3]))

    growth = compare_rounds(now, before)

    assert [item.recommendation_number for item in growth] == [1, 2]
    assert growth[1].district is None


def test_growth_not_comparable_after_too_few_answers():
    """The district rated one of four indicators before, too few for a score, and all four now."""
    before = score_assessment(ONE_REC, side_ratings(D, 1, 1, [4]) + side_ratings(P, 2, 1, [4, 4, 4, 4]))
    now = score_assessment(ONE_REC, side_ratings(D, 1, 1, [2, 2, 2, 2]) + side_ratings(P, 2, 1, [4, 4, 4, 4]))

    (growth,) = compare_rounds(now, before)

    assert before.recommendation(1).combined == 4.0
    assert now.recommendation(1).combined == 3.0
    assert growth.district is None
    assert growth.program == 0.0
    assert growth.combined is None
