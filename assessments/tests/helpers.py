"""Questionnaires, rounds and answers built with the ORM for the answering tests.

The tests use their own questionnaire version, two indicators on each of the ten
recommendations, so they never depend on the wording of the published questionnaire.
"""

from django.urls import reverse
from django.utils import timezone

from assessments.models import Answer, AssessmentRound, Indicator, QuestionnaireVersion, Response
from toolkit.models import Recommendation, Stage

STAGE_OF_RECOMMENDATION = {1: 1, 2: 1, 3: 1, 4: 1, 5: 2, 6: 2, 7: 2, 8: 2, 9: 3, 10: 3}
INDICATORS_PER_RECOMMENDATION = 2


def ensure_recommendations():
    """Return the ten recommendations by number, creating stand-ins where the content is missing."""
    stages = {}
    for order in (1, 2, 3):
        stages[order], _ = Stage.objects.get_or_create(
            order=order, defaults={"slug": f"answering-stage-{order}", "name": f"Stage {order}", "summary": "-"}
        )
    recommendations = {}
    for number, stage_order in STAGE_OF_RECOMMENDATION.items():
        recommendations[number], _ = Recommendation.objects.get_or_create(
            number=number,
            defaults={
                "slug": f"answering-recommendation-{number}",
                "short_title": f"Recommendation title {number}",
                "statement": "-",
                "summary": "-",
                "stage": stages[stage_order],
            },
        )
    return recommendations


def make_questionnaire(slug="answering-tests", current=True):
    """Create a questionnaire version with two indicators per recommendation, current by default."""
    if current:
        QuestionnaireVersion.objects.update(is_current=False)
    version = QuestionnaireVersion.objects.create(
        slug=slug, title=f"Questionnaire {slug}", published_on=timezone.localdate(), is_current=current
    )
    for number, recommendation in ensure_recommendations().items():
        for order in range(1, INDICATORS_PER_RECOMMENDATION + 1):
            Indicator.objects.create(
                version=version,
                recommendation=recommendation,
                code=f"{number}.{order}",
                order=order,
                text=f"Indicator {number}.{order} is part of how the partners work.",
                strong_looks_like=f"Both partners can show indicator {number}.{order} in their records.",
            )
    return version


def make_round(partnership, version=None, label="Fall 2026", **fields):
    version = version or make_questionnaire()
    return AssessmentRound.objects.create(
        partnership=partnership, label=label, questionnaire_version=version, **fields
    )


def indicators_of(round_, number):
    return list(round_.questionnaire_version.indicators.filter(recommendation__number=number))


def answer_all(round_, user, side, rating="3", submitted=False):
    """Create a response that rates every indicator of the round's version."""
    response = Response.objects.create(
        round=round_, respondent=user, side=side, submitted_at=timezone.now() if submitted else None
    )
    Answer.objects.bulk_create(
        Answer(response=response, indicator=indicator, rating=rating)
        for indicator in round_.questionnaire_version.indicators.all()
    )
    return response


def round_url(name, round_, *extra):
    return reverse(f"assessments:{name}", args=[round_.partnership_id, round_.pk, *extra])


def page_url(round_, number):
    return round_url("answer-page", round_, number)


def autosave_url(round_, number):
    return round_url("answer-autosave", round_, number)
