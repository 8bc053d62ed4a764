"""Round summaries: the scores and response counts of whole rounds, stored in ``RoundSummary`` rows.

The facilitator dashboard shows one summary per followed partnership. Scoring all those rounds
from their answers on every request cost about 0.6 s of CPU for 200 partnerships in ``make bench``,
so each summary is stored with the round's ``changed_at`` and reused until the round changes.

``load_summaries(rounds)`` reads the stored summaries of rounds loaded with
``select_related("summary")`` and computes only the missing or stale ones: three queries for all
of them together, and one upsert to store them.
"""

from collections import defaultdict
from functools import cached_property

from django.core.exceptions import ObjectDoesNotExist

from . import scoring
from .models import Answer, Indicator, Response, RoundSummary
from .results import SIDE_LABELS, SideCount, count_respondents, questionnaire_structure, rating_inputs

# Bump this when the stored layout changes, so rows written by older code count as stale.
FORMAT_VERSION = 1


class Summary:
    """The scores of a round that the dashboard shows, read back from stored ``RoundSummary`` data.

    ``respondents`` maps each answering side to a ``SideCount``. ``largest_gap`` is the
    ``RecommendationScore`` with the largest gap between the sides (the lowest number on a tie),
    or ``None`` when no recommendation has a score from both sides. Each part is rebuilt from the
    data on first use, because the dashboard reads only the counts, stage scores and largest gap.
    """

    def __init__(self, data):
        self.data = data

    @cached_property
    def respondents(self):
        counts = self.data["respondents"]
        return {side: SideCount(side, label, **counts[side]) for side, label in SIDE_LABELS.items()}

    @cached_property
    def recommendations(self):
        return tuple(_recommendation_score(item) for item in self.data["recommendations"])

    @cached_property
    def stages(self):
        return tuple(
            scoring.StageScore(**{**item, "recommendation_numbers": tuple(item["recommendation_numbers"])})
            for item in self.data["stages"]
        )

    @property
    def focus_areas(self):
        return tuple(self.data["focus_areas"])

    @cached_property
    def largest_gap(self):
        number = self.data["largest_gap"]
        item = next((item for item in self.data["recommendations"] if item["number"] == number), None)
        return _recommendation_score(item) if item else None

    def recommendation(self, number):
        return next((item for item in self.recommendations if item.number == number), None)

    def stage(self, key):
        return next((item for item in self.stages if item.key == key), None)


def load_summaries(rounds):
    """Return ``{round id: Summary}`` for the given rounds, computing and storing the stale ones.

    Each round must come from a queryset with ``select_related("summary")``, so that reading a
    stored summary makes no query.
    """
    summaries = {}
    stale = []
    for round_ in rounds:
        data = fresh_data(round_)
        if data is None:
            stale.append(round_)
        else:
            summaries[round_.pk] = read_summary(data)
    if not stale:
        return summaries

    computed = compute_data(stale)
    store(stale, computed)
    summaries.update((round_id, read_summary(data)) for round_id, data in computed.items())
    return summaries


def fresh_data(round_):
    """Return the stored summary data of a round if it is still valid, else ``None``."""
    try:
        summary = round_.summary
    except ObjectDoesNotExist:
        return None
    if summary.changed_at != round_.changed_at or summary.data.get("format") != FORMAT_VERSION:
        return None
    return summary.data


def compute_data(rounds):
    """Score the rounds from their submitted answers and return ``{round id: summary data}``.

    Makes three queries whatever the number of rounds: responses, answers and indicators.
    """
    round_ids = [round_.pk for round_ in rounds]
    version_ids = {round_.questionnaire_version_id for round_ in rounds}
    responses = Response.objects.filter(round_id__in=round_ids).only("round_id", "side", "submitted_at")
    answers = Answer.objects.filter(
        response__round_id__in=round_ids, response__submitted_at__isnull=False
    ).values_list("response_id", "response__side", "indicator_id", "rating", "response__round_id")
    indicators = Indicator.objects.filter(version_id__in=version_ids).select_related("recommendation__stage")

    responses_by_round = defaultdict(list)
    for response in responses:
        responses_by_round[response.round_id].append(response)
    answers_by_round = defaultdict(list)
    for answer in answers:
        answers_by_round[answer[4]].append(answer)
    indicators_by_version = defaultdict(list)
    for indicator in indicators:
        indicators_by_version[indicator.version_id].append(indicator)

    computed = {}
    for round_ in rounds:
        version_indicators = indicators_by_version[round_.questionnaire_version_id]
        recommendations = {indicator.recommendation_id: indicator.recommendation for indicator in version_indicators}
        structure = questionnaire_structure(version_indicators, recommendations.values())
        codes = {indicator.pk: indicator.code for indicator in version_indicators}
        score = scoring.score_assessment(structure, rating_inputs(answers_by_round[round_.pk], codes))
        computed[round_.pk] = summary_data(score, count_respondents(responses_by_round[round_.pk]))
    return computed


def store(rounds, computed):
    """Insert or update the summaries of the given rounds in one query.

    An upsert, because two requests can compute the same missing summary at once. When the one
    that read an older ``changed_at`` writes last, its summary is stale and is computed again on
    the next read.
    On SQLite, Django splits the upsert into batches of 333 rows, because its SQLite backend
    assumes at most 999 parameters per query.
    """
    RoundSummary.objects.bulk_create(
        [RoundSummary(round=round_, changed_at=round_.changed_at, data=computed[round_.pk]) for round_ in rounds],
        update_conflicts=True,
        unique_fields=["round"],
        update_fields=["changed_at", "data"],
    )


def summary_data(score, respondents):
    """Turn a ``scoring.AssessmentScore`` and ``SideCount`` per side into JSON-ready data."""
    with_gap = [item for item in score.recommendations if item.gap is not None]
    largest_gap = max(with_gap, key=lambda item: (item.gap, -item.number)) if with_gap else None
    return {
        "format": FORMAT_VERSION,
        "respondents": {
            side: {"started": count.started, "submitted": count.submitted} for side, count in respondents.items()
        },
        "recommendations": [_plain(item) for item in score.recommendations],
        "stages": [_plain(item) for item in score.stages],
        "focus_areas": list(score.focus_areas),
        "largest_gap": largest_gap.number if largest_gap else None,
    }


def _plain(item):
    """Return a score's fields as a dict, with its ``AnswerCounts`` as dicts too.

    ``dataclasses.asdict`` gives the same result, but it copies every value recursively, which took
    about a sixth of the time to compute 200 summaries.
    """
    return {
        name: dict(vars(value)) if isinstance(value, scoring.AnswerCounts) else value
        for name, value in vars(item).items()
    }


def read_summary(data):
    """Wrap stored data in a ``Summary``."""
    return Summary(data)


def _recommendation_score(item):
    return scoring.RecommendationScore(
        **{
            **item,
            "district_counts": scoring.AnswerCounts(**item["district_counts"]),
            "program_counts": scoring.AnswerCounts(**item["program_counts"]),
        }
    )
