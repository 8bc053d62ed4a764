"""Properties of the scoring rules that must hold for any set of answers."""

from dataclasses import replace

from hypothesis import given, settings
from hypothesis import strategies as st

from assessments.scoring import (
    DISTRICT,
    PROGRAM,
    RatingInput,
    RecommendationSpec,
    StageSpec,
    compare_rounds,
    score_assessment,
)

VALUES = st.sampled_from([1, 2, 3, 4, "not-sure", "not-applicable", None])
FAST = settings(max_examples=200, deadline=None)


@st.composite
def questionnaires(draw):
    """Draw one to three stages of one to three recommendations with one to four indicators each."""
    stages = []
    number = 0
    for key in range(draw(st.integers(1, 3))):
        recommendations = []
        for _ in range(draw(st.integers(1, 3))):
            number += 1
            count = draw(st.integers(1, 4))
            recommendations.append(RecommendationSpec(number, tuple(f"{number}.{i}" for i in range(1, count + 1))))
        stages.append(StageSpec(key, tuple(recommendations)))
    return tuple(stages)


def all_codes(stages):
    return [
        code for stage in stages for recommendation in stage.recommendations for code in recommendation.indicator_codes
    ]


@st.composite
def answer_sets(draw, stages, sides=(DISTRICT, PROGRAM)):
    """Draw zero to four respondents per side, each answering every indicator with any value."""
    codes = all_codes(stages)
    ratings = []
    for side in sides:
        for respondent in range(draw(st.integers(0, 4))):
            values = draw(st.lists(VALUES, min_size=len(codes), max_size=len(codes)))
            ratings += [
                RatingInput(side, f"{side}-{respondent}", code, value)
                for code, value in zip(codes, values, strict=True)
            ]
    return ratings


@st.composite
def scored_inputs(draw):
    stages = draw(questionnaires())
    return stages, draw(answer_sets(stages))


def scores_only(result):
    """Return every score and decision of a result, leaving out the answer counts."""
    return (
        [(item.code, item.district, item.program, item.combined, item.gap) for item in result.indicators],
        [(item.number, item.district, item.program, item.combined, item.gap) for item in result.recommendations],
        [(item.key, item.district, item.program, item.combined) for item in result.stages],
        result.gaps,
        result.current_stage,
        result.focus_areas,
    )


def every_score(result):
    for group in (result.indicators, result.recommendations, result.stages):
        for item in group:
            yield from (item.district, item.program, item.combined)


@FAST
@given(scored_inputs())
def test_scores_stay_between_one_and_four(inputs):
    result = score_assessment(*inputs)

    for score in every_score(result):
        assert score is None or 1 <= score <= 4


@FAST
@given(scored_inputs())
def test_combined_between_side_scores(inputs):
    result = score_assessment(*inputs)

    for item in (*result.indicators, *result.recommendations):
        if item.district is not None and item.program is not None:
            assert min(item.district, item.program) <= item.combined <= max(item.district, item.program)


@FAST
@given(scored_inputs())
def test_swapping_sides_swaps_side_scores(inputs):
    stages, ratings = inputs
    swap = {DISTRICT: PROGRAM, PROGRAM: DISTRICT}
    swapped_ratings = [replace(rating, side=swap[rating.side]) for rating in ratings]

    result = score_assessment(stages, ratings)
    swapped = score_assessment(stages, swapped_ratings)

    for item, mirror in zip(
        (*result.indicators, *result.recommendations, *result.stages),
        (*swapped.indicators, *swapped.recommendations, *swapped.stages),
        strict=True,
    ):
        assert mirror.district == item.program
        assert mirror.program == item.district
        assert mirror.combined == item.combined
    for item, mirror in zip(result.recommendations, swapped.recommendations, strict=True):
        assert mirror.gap == item.gap
        assert mirror.is_gap == item.is_gap
    assert [(gap.recommendation_number, gap.indicator_code, gap.size) for gap in swapped.gaps] == [
        (gap.recommendation_number, gap.indicator_code, gap.size) for gap in result.gaps
    ]
    assert swapped.current_stage == result.current_stage
    assert swapped.focus_areas == result.focus_areas


@FAST
@given(st.data())
def test_another_identical_respondent_changes_nothing(data):
    """On a side where every respondent gives the same answers, one more such respondent changes no score."""
    stages = data.draw(questionnaires())
    codes = all_codes(stages)
    shared = data.draw(st.lists(VALUES, min_size=len(codes), max_size=len(codes)))
    head_count = data.draw(st.integers(1, 3))
    other_side = data.draw(answer_sets(stages, sides=(PROGRAM,)))

    def district(count):
        return [
            RatingInput(DISTRICT, f"d{respondent}", code, value)
            for respondent in range(count)
            for code, value in zip(codes, shared, strict=True)
        ]

    before = score_assessment(stages, district(head_count) + other_side)
    after = score_assessment(stages, district(head_count + 1) + other_side)

    assert scores_only(after) == scores_only(before)


@FAST
@given(scored_inputs())
def test_respondent_at_whole_number_means_changes_nothing(inputs):
    """Adding a respondent changes no score when they rate each indicator whose district mean is a
    whole number with exactly that mean, and leave every other indicator unanswered."""
    stages, ratings = inputs
    before = score_assessment(stages, ratings)
    added = [
        RatingInput(DISTRICT, "added", indicator.code, int(indicator.district))
        for indicator in before.indicators
        if indicator.district is not None and indicator.district.is_integer()
    ]

    after = score_assessment(stages, ratings + added)

    assert scores_only(after) == scores_only(before)


@FAST
@given(st.data())
def test_combined_growth_needs_both_sides(data):
    """A combined change exists exactly when both rounds scored both sides, and then it is the mean
    of the two side changes."""
    stages = data.draw(questionnaires())
    before = score_assessment(stages, data.draw(answer_sets(stages)))
    now = score_assessment(stages, data.draw(answer_sets(stages)))

    for growth in compare_rounds(now, before):
        scores = (
            now.recommendation(growth.recommendation_number),
            before.recommendation(growth.recommendation_number),
        )
        two_sided = all(item.district is not None and item.program is not None for item in scores)
        assert (growth.combined is not None) == two_sided
        if two_sided:
            assert abs(growth.combined - (growth.district + growth.program) / 2) < 1e-9
