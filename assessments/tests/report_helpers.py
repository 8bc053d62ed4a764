"""Rounds of the real questionnaire answered through the ORM, and ways to read a PDF back."""

import re
import subprocess
import zlib

from django.utils import timezone

from assessments.models import Answer, AssessmentRound, QuestionnaireVersion, Response


def make_round(partnership, label="Fall 2026", **fields):
    return AssessmentRound.objects.create(
        partnership=partnership,
        label=label,
        questionnaire_version=QuestionnaireVersion.objects.current(),
        **fields,
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


def pdf_text(pdf, *, page=None, layout=False):
    """Return the text poppler's pdftotext reads from PDF bytes, of one page or all of them.

    With ``layout``, table cells stay on one line, as they are printed.
    """
    command = ["pdftotext", "-enc", "UTF-8"]
    if page is not None:
        command += ["-f", str(page), "-l", str(page)]
    if layout:
        command.append("-layout")
    result = subprocess.run([*command, "-", "-"], input=pdf, capture_output=True, check=True)
    return result.stdout.decode()


def pdf_info(pdf):
    """Return pdfinfo's fields (Title, Tagged, Page size, ...) as a dict of strings."""
    result = subprocess.run(["pdfinfo", "-"], input=pdf, capture_output=True, check=True)
    fields = {}
    for line in result.stdout.decode().splitlines():
        key, _, value = line.partition(":")
        fields[key.strip()] = value.strip()
    return fields


def pdf_objects(pdf):
    """Return the PDF's bytes with every Flate stream appended inflated.

    WeasyPrint compresses the catalog into an object stream, so keys such as ``/Lang`` only
    show up after inflating.
    """
    parts = [pdf]
    for match in re.finditer(rb"stream\r?\n(.*?)\r?\nendstream", pdf, re.DOTALL):
        try:
            parts.append(zlib.decompress(match.group(1)))
        except zlib.error:
            continue
    return b"\n".join(parts)
