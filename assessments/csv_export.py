"""CSV exports of a round: every answer, and a summary of scores per recommendation and side.

Both files are UTF-8 with a byte order mark, so spreadsheet programs detect the encoding, and
every text cell that a spreadsheet could read as a formula is prefixed with a single quote.
"""

import csv
import re
import unicodedata
from datetime import UTC
from urllib.parse import quote

from django.http import HttpResponse
from django.utils.text import slugify

from .models import Answer, Indicator, Rating, Response
from .results import SIDE_LABELS

# A spreadsheet treats a cell starting with one of these as a formula or a control character.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")

ANSWER_COLUMNS = [
    "side",
    "response_id",
    "recommendation_number",
    "recommendation_title",
    "indicator_code",
    "indicator_text",
    "rating",
    "rating_label",
    "note",
    "saved_at",
    "submitted_at",
]

SUMMARY_COLUMNS = [
    "recommendation_number",
    "recommendation_title",
    "stage",
    "side",
    "score",
    "level",
    "one_side_only",
    "indicators",
    "indicators_rated",
    "ratings",
    "not_sure",
    "not_applicable",
    "respondents_submitted",
]

RATING_LABELS = dict(Rating.choices)


def neutralize_cell(value):
    """Prefix with a single quote any text cell that a spreadsheet would read as a formula."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def format_utc(moment):
    """Write a datetime in UTC as ISO 8601 with the offset, e.g. ``2026-10-01T14:03:00+00:00``."""
    if moment is None:
        return ""
    return moment.astimezone(UTC).isoformat(timespec="seconds")


def answers_response(round_):
    """Return one row per started response and indicator, with the answer's rating and note.

    Respondents are identified by their response id only, never by name or email.
    """
    indicators = list(
        Indicator.objects.filter(version_id=round_.questionnaire_version_id)
        .select_related("recommendation")
        .order_by("recommendation__number", "order")
    )
    responses = list(Response.objects.filter(round=round_).order_by("side", "started_at", "pk"))
    answers = {
        (answer.response_id, answer.indicator_id): answer
        for answer in Answer.objects.filter(response__round=round_).only(
            "response_id", "indicator_id", "rating", "note", "saved_at"
        )
    }

    rows = []
    for response in responses:
        for indicator in indicators:
            answer = answers.get((response.pk, indicator.pk))
            rows.append(_answer_row(response, indicator, answer))
    return _csv_response(ANSWER_COLUMNS, rows, _filename(round_, "answers"))


def _answer_row(response, indicator, answer):
    return [
        SIDE_LABELS.get(response.side, response.side),
        response.pk,
        indicator.recommendation.number,
        indicator.recommendation.short_title,
        indicator.code,
        indicator.text,
        answer.rating if answer else "",
        RATING_LABELS.get(answer.rating, "") if answer else "",
        answer.note if answer else "",
        format_utc(answer.saved_at) if answer else "",
        format_utc(response.submitted_at),
    ]


def summary_response(results):
    """Return one row per recommendation and side (district, program, combined) from a results context."""
    respondents = results["respondents"]
    rows = []
    for row in results["recommendations"]:
        score = row.score
        for side, label in SIDE_LABELS.items():
            counts = score.district_counts if side == "district" else score.program_counts
            rated = score.district_rated_indicators if side == "district" else score.program_rated_indicators
            value = score.score_for(side)
            level = score.district_level if side == "district" else score.program_level
            rows.append(_summary_row(row, label, value, level, "", rated, counts, respondents[side].submitted))
        counts = score.district_counts + score.program_counts
        submitted = sum(count.submitted for count in respondents.values())
        one_side_only = "yes" if score.is_one_sided else "no"
        rows.append(_summary_row(row, "Combined", score.combined, score.level, one_side_only, "", counts, submitted))
    return _csv_response(SUMMARY_COLUMNS, rows, _filename(results["round"], "summary"))


def _summary_row(row, side_label, value, level, one_side_only, rated, counts, submitted):
    recommendation = row.recommendation
    return [
        recommendation.number,
        recommendation.short_title,
        recommendation.stage.name,
        side_label,
        "" if value is None else f"{value:.2f}",
        level or "Not enough answers",
        one_side_only,
        row.score.indicator_count,
        rated,
        counts.rated,
        counts.not_sure,
        counts.not_applicable,
        submitted,
    ]


def _csv_response(columns, rows, filename):
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = content_disposition(filename)
    response.write("\ufeff")
    writer = csv.writer(response)
    writer.writerow(columns)
    for row in rows:
        writer.writerow([neutralize_cell(value) for value in row])
    return response


def _filename(round_, kind):
    partnership = round_.partnership
    return f"{partnership.district_name} {partnership.program_name} {round_.label} {kind}.csv"


def content_disposition(filename):
    """Return an attachment header with an ASCII ``filename`` and the UTF-8 ``filename*``."""
    stem, _, extension = filename.rpartition(".")
    ascii_stem = unicodedata.normalize("NFKD", stem).encode("ascii", "ignore").decode("ascii")
    ascii_stem = re.sub(r"[^A-Za-z0-9]+", "-", ascii_stem).strip("-").lower()[:150] or "export"
    unicode_stem = slugify(stem, allow_unicode=True)[:150] or "export"
    return f"attachment; filename=\"{ascii_stem}.{extension}\"; filename*=UTF-8''{quote(unicode_stem)}.{extension}"
