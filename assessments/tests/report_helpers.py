"""Rounds with answers built through the ORM, and ways to read a PDF back, for the report tests."""

import subprocess

from django.utils import timezone

from assessments.models import Answer, AssessmentRound, Indicator, QuestionnaireVersion, Response
from toolkit.models import Recommendation


def questionnaire_version():
    """Return the current questionnaire, or a small one over the real recommendations.

    The fallback keeps these tests running in a checkout whose questionnaire fixture is still empty.
    """
    version = QuestionnaireVersion.objects.current()
    if version is not None and version.indicators.exists():
        return version

    version = QuestionnaireVersion.objects.create(
        slug="report-tests", title="Report test questionnaire", published_on=timezone.localdate(), is_current=True
    )
    for recommendation in Recommendation.objects.all():
        for order in (1, 2, 3):
            Indicator.objects.create(
                version=version,
                recommendation=recommendation,
                code=f"{recommendation.number}.{order}",
                order=order,
                text=f"Indicator {order} of recommendation {recommendation.number}.",
                strong_looks_like="Both partners can point to it in their work.",
            )
    return version


def make_round(partnership, label="Fall 2026", **fields):
    return AssessmentRound.objects.create(
        partnership=partnership, label=label, questionnaire_version=questionnaire_version(), **fields
    )


def answer_round(round_, user, side, *, rating="3", notes=None, submitted=True):
    """Create one respondent's response with the same rating on every indicator.

    ``notes`` maps indicator codes to note text; ``rating`` may also be a function of the
    indicator, for answers that differ per indicator.
    """
    notes = notes or {}
    response = Response.objects.create(
        round=round_, respondent=user, side=side, submitted_at=timezone.now() if submitted else None
    )
    indicators = round_.questionnaire_version.indicators.all()
    Answer.objects.bulk_create(
        Answer(
            response=response,
            indicator=indicator,
            rating=rating(indicator) if callable(rating) else rating,
            note=notes.get(indicator.code, ""),
        )
        for indicator in indicators
    )
    return response


def first_indicator_code(round_):
    return round_.questionnaire_version.indicators.order_by("recommendation__number", "order").first().code


def pdf_text(pdf):
    """Return the text poppler's pdftotext reads from PDF bytes, in reading order."""
    result = subprocess.run(["pdftotext", "-enc", "UTF-8", "-", "-"], input=pdf, capture_output=True, check=True)
    return result.stdout.decode()


def pdf_info(pdf):
    """Return pdfinfo's fields (Title, Tagged, Page size, ...) as a dict of strings."""
    result = subprocess.run(["pdfinfo", "-"], input=pdf, capture_output=True, check=True)
    fields = {}
    for line in result.stdout.decode().splitlines():
        key, _, value = line.partition(":")
        fields[key.strip()] = value.strip()
    return fields
