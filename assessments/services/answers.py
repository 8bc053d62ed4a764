"""Opening rounds and reading, saving and submitting one respondent's answers.

Every write that touches a response locks its row first, so a save and a submit that arrive
at the same time run one after the other and a submitted response never changes.
"""

import logging
from dataclasses import dataclass, field, replace

from django.db import IntegrityError, transaction
from django.db.models import Count
from django.utils import timezone

from ..models import RESPONDING_SIDES, Answer, AssessmentRound, Indicator, Membership, QuestionnaireVersion, Response

logger = logging.getLogger(__name__)

ROUND_CLOSED_MESSAGE = "This round is closed, so its answers can no longer change."
SUBMITTED_MESSAGE = "You already submitted your answers, so they are locked. Ask a partnership owner to reopen them."


class RoundAlreadyOpen(Exception):
    """Raised when a new round is requested while the partnership has an open one."""


class NoCurrentVersion(Exception):
    """Raised when no questionnaire version is marked current, so a round has nothing to ask."""


class RoundClosed(Exception):
    """Raised when answers, a submission or a reopening reach a closed round."""


class ResponseLocked(Exception):
    """Raised when answers or a second submission reach a response that was already submitted."""


class IncompleteResponse(Exception):
    """Raised by a submission that still lacks ratings. ``missing`` lists the unrated indicators."""

    def __init__(self, missing):
        super().__init__(f"{len(missing)} indicators have no rating.")
        self.missing = missing


@dataclass(frozen=True)
class RecommendationProgress:
    """One recommendation's indicators and how many of them the respondent has rated."""

    recommendation: object
    indicators: list
    rated_ids: frozenset

    @property
    def number(self):
        return self.recommendation.number

    @property
    def rated_count(self):
        return sum(1 for indicator in self.indicators if indicator.pk in self.rated_ids)

    @property
    def status(self):
        if self.rated_count == len(self.indicators):
            return "done"
        return "in-progress" if self.rated_count else "not-started"

    @property
    def unrated_indicators(self):
        return [indicator for indicator in self.indicators if indicator.pk not in self.rated_ids]


@dataclass(frozen=True)
class Progress:
    """A respondent's progress through every recommendation of a questionnaire version.

    A recommendation counts as answered when each of its indicators has a rating, and
    "Not sure" and "Not applicable" count as ratings.
    """

    recommendations: list

    @property
    def total(self):
        return len(self.recommendations)

    @property
    def answered_count(self):
        return sum(1 for item in self.recommendations if item.status == "done")

    @property
    def text(self):
        return f"{self.answered_count} of {self.total} recommendations answered"

    @property
    def stages(self):
        """Return (stage, [RecommendationProgress]) pairs in stage order."""
        groups = {}
        for item in self.recommendations:
            groups.setdefault(item.recommendation.stage, []).append(item)
        return list(groups.items())

    @property
    def missing_indicators(self):
        return [(item, indicator) for item in self.recommendations for indicator in item.unrated_indicators]

    def get(self, number):
        return next((item for item in self.recommendations if item.number == number), None)

    def with_rated_ids(self, rated_ids):
        """Return this progress with another set of rated indicator ids, without loading the indicators again."""
        return Progress(recommendations=[replace(item, rated_ids=rated_ids) for item in self.recommendations])

    def previous(self, number):
        earlier = [item for item in self.recommendations if item.number < number]
        return earlier[-1] if earlier else None

    def next(self, number):
        return next((item for item in self.recommendations if item.number > number), None)


@dataclass
class SideSummary:
    """How far one side of a partnership has come in a round."""

    side: str
    label: str
    member_count: int
    responses: list = field(default_factory=list)

    @property
    def started_count(self):
        return len(self.responses)

    @property
    def submitted_count(self):
        return sum(1 for response in self.responses if response.is_submitted)


def open_round(*, partnership, label, user):
    """Start a round on the current questionnaire version, unless the partnership has an open one."""
    version = QuestionnaireVersion.objects.current()
    if version is None:
        raise NoCurrentVersion
    if partnership.rounds.filter(closed_at__isnull=True).exists():
        raise RoundAlreadyOpen

    try:
        with transaction.atomic():
            round_ = AssessmentRound.objects.create(
                partnership=partnership, label=label, questionnaire_version=version, opened_by=user
            )
    except IntegrityError:
        # Two people started a round at the same moment, and the database constraint let only one through.
        raise RoundAlreadyOpen from None

    logger.info("event=round_opened round_id=%s partnership_id=%s", round_.pk, partnership.pk)
    return round_


def find_response(round_, user):
    return Response.objects.filter(round=round_, respondent=user).first()


def load_progress(version, response):
    """Group the version's indicators by recommendation, marking the ones the response has rated."""
    indicators = Indicator.objects.filter(version=version).select_related("recommendation__stage")
    rated_ids = rated_indicator_ids(response)

    groups = {}
    for indicator in indicators:
        groups.setdefault(indicator.recommendation, []).append(indicator)
    return Progress(
        recommendations=[
            RecommendationProgress(recommendation=recommendation, indicators=items, rated_ids=rated_ids)
            for recommendation, items in groups.items()
        ]
    )


def rated_indicator_ids(response):
    """Return the ids of the indicators the response has rated, "Not sure" and "Not applicable" included."""
    if response is None:
        return frozenset()
    return frozenset(response.answers.exclude(rating="").values_list("indicator_id", flat=True))


def load_answers(response, indicators):
    """Return the response's answers to the given indicators, keyed by indicator id."""
    if response is None:
        return {}
    return {answer.indicator_id: answer for answer in response.answers.filter(indicator__in=indicators)}


def save_blocker(round_, response):
    """Return why answers cannot be saved to this response now, or None if they can."""
    if not round_.is_open:
        return ROUND_CLOSED_MESSAGE
    if response is not None and response.is_submitted:
        return SUBMITTED_MESSAGE
    return None


def save_answers(*, round_, membership, changes):
    """Store ratings and notes for one respondent, creating their response on the first save.

    ``changes`` maps indicator ids to the fields to set, for example ``{12: {"rating": "3"}}``.
    Fields that are not mentioned keep their stored values. Returns the response, which the save
    locked and may have created, and the time of the save.
    """
    # NOTE: The round's state is the one read at the start of the request and its row is not locked,
    # so a save that races a round closing can still land just after the close.
    if not round_.is_open:
        raise RoundClosed

    with transaction.atomic():
        # get_or_create retries the lookup when a parallel first save wins the unique constraint.
        response, _ = Response.objects.select_for_update().get_or_create(
            round=round_, respondent_id=membership.user_id, defaults={"side": membership.side}
        )
        if response.is_submitted:
            raise ResponseLocked

        for indicator_id, values in changes.items():
            Answer.objects.update_or_create(response=response, indicator_id=indicator_id, defaults=values)

        saved_at = timezone.now()
        Response.objects.filter(pk=response.pk).update(updated_at=saved_at)
        AssessmentRound.objects.filter(pk=round_.pk).update(changed_at=saved_at)
    response.updated_at = saved_at
    return response, saved_at


def submit_response(*, round_, user):
    """Lock the user's response once every indicator of the round's version has a rating.

    Raises ResponseLocked for a response that was already submitted, so a repeated submit
    changes nothing.
    """
    if not round_.is_open:
        raise RoundClosed

    with transaction.atomic():
        response = Response.objects.select_for_update().filter(round=round_, respondent=user).first()
        if response is not None and response.is_submitted:
            raise ResponseLocked
        missing = load_progress(round_.questionnaire_version, response).missing_indicators
        if missing or response is None:
            raise IncompleteResponse(missing)

        now = timezone.now()
        response.submitted_at = now
        response.save(update_fields=["submitted_at", "updated_at"])
        AssessmentRound.objects.filter(pk=round_.pk).update(changed_at=now)

    logger.info("event=response_submitted response_id=%s round_id=%s", response.pk, round_.pk)
    return response


def reopen_response(*, round_, response):
    """Unlock a submitted response so its respondent can change their answers and submit again."""
    if not round_.is_open:
        raise RoundClosed

    with transaction.atomic():
        now = timezone.now()
        Response.objects.filter(pk=response.pk).update(submitted_at=None, updated_at=now)
        AssessmentRound.objects.filter(pk=round_.pk).update(changed_at=now)

    logger.info("event=response_reopened response_id=%s round_id=%s", response.pk, round_.pk)


def summarize_sides(round_):
    """Count members, started and submitted responses for the district and the program side."""
    labels = dict(Membership._meta.get_field("side").choices)
    summaries = {side: SideSummary(side=side, label=labels[side], member_count=0) for side in RESPONDING_SIDES}

    member_counts = (
        Membership.objects.filter(partnership_id=round_.partnership_id, side__in=RESPONDING_SIDES)
        .values("side")
        .annotate(count=Count("pk"))
    )
    for row in member_counts:
        summaries[row["side"]].member_count = row["count"]
    for response in round_.responses.select_related("respondent"):
        if response.side in summaries:
            summaries[response.side].responses.append(response)
    return list(summaries.values())


def answer_sheet(version, response):
    """Return (recommendation, [(indicator, answer or None)]) pairs for one response."""
    progress = load_progress(version, None)
    answers = {answer.indicator_id: answer for answer in response.answers.all()}
    return [
        (item.recommendation, [(indicator, answers.get(indicator.pk)) for indicator in item.indicators])
        for item in progress.recommendations
    ]
