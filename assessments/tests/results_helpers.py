"""Build scored rounds directly with the ORM for results, dashboard and export tests.

The tests use their own questionnaire version (three indicators per recommendation, codes
"N.1" to "N.3") so they do not depend on the wording of the published questionnaire. They reuse
the real stages and recommendations when the toolkit content is loaded and create stand-ins
otherwise.
"""

from datetime import timedelta

from django.utils import timezone

from assessments.models import Answer, AssessmentRound, Indicator, QuestionnaireVersion, Response
from conftest import make_user

from .helpers import ensure_recommendations

INDICATORS_PER_RECOMMENDATION = 3
VERSION_SLUG = "results-test"


def make_version(slug=VERSION_SLUG, per_recommendation=INDICATORS_PER_RECOMMENDATION):
    """Return a questionnaire version with ``per_recommendation`` indicators on each recommendation."""
    version = QuestionnaireVersion.objects.filter(slug=slug).first()
    if version:
        return version
    version = QuestionnaireVersion.objects.create(slug=slug, title=f"Test {slug}", published_on="2026-01-01")
    for number, recommendation in ensure_recommendations().items():
        for order in range(1, per_recommendation + 1):
            Indicator.objects.create(
                version=version,
                recommendation=recommendation,
                code=f"{number}.{order}",
                order=order,
                text=f"Indicator {number}.{order} is in place.",
                strong_looks_like="-",
            )
    return version


def all_codes(version):
    return list(version.indicators.order_by("recommendation__number", "order").values_list("code", flat=True))


def same_rating(version, rating):
    """Return ratings that give every indicator of the version the same value."""
    return {code: rating for code in all_codes(version)}


def make_round_with_answers(
    partnership,
    responses,
    *,
    label="Fall 2026",
    version=None,
    opened_at=None,
    closed=False,
):
    """Create a round and one response per item of ``responses``, with their answers.

    Each item is a dict with ``user`` (or ``email`` to create one), ``side``, ``ratings``
    (indicator code to rating value), optional ``notes`` (code to text) and optional
    ``submitted`` (default true). A closed round is closed an hour after it opened.
    """
    version = version or make_version()
    opened_at = opened_at or timezone.now()
    round_ = AssessmentRound.objects.create(
        partnership=partnership,
        label=label,
        questionnaire_version=version,
        opened_at=opened_at,
        closed_at=opened_at + timedelta(hours=1) if closed else None,
    )
    indicators = {indicator.code: indicator for indicator in version.indicators.all()}
    for item in responses:
        user = item.get("user") or make_user(item["email"])
        response = Response.objects.create(
            round=round_,
            respondent=user,
            side=item["side"],
            submitted_at=timezone.now() if item.get("submitted", True) else None,
        )
        notes = item.get("notes", {})
        codes = set(item.get("ratings", {})) | set(notes)
        Answer.objects.bulk_create(
            Answer(
                response=response,
                indicator=indicators[code],
                rating=item.get("ratings", {}).get(code, ""),
                note=notes.get(code, ""),
            )
            for code in sorted(codes)
        )
    return round_
