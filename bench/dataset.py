"""Build the synthetic partnerships the benchmark measures pages against.

Partnership number ``i`` is generated from its own seeded random stream, so a data set built in one
go and one built in two steps (``add_partnerships(4)`` then ``add_partnerships(8, start=4)``) hold
the same rows. Partnership 0 is the one every page is measured on.
"""

import random
from dataclasses import dataclass
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from assessments.models import (
    Answer,
    AssessmentRound,
    Membership,
    Partnership,
    QuestionnaireVersion,
    Rating,
    Response,
    Side,
)
from assessments.states import US_STATES

EMAIL_DOMAIN = "bench.example.org"
FACILITATOR_EMAIL = f"facilitator@{EMAIL_DOMAIN}"
DISTRICT_NAME_PREFIX = "Bench District"
SEED = 20260
# The facilitator follows two partnerships in five: 200 of the full 500.
FOLLOWED_PER_FIVE = 2
CHUNK_SIZE = 50

RATING_WEIGHTS = {
    Rating.NOT_YET_STARTED: 2,
    Rating.BEGINNING: 4,
    Rating.DEVELOPING: 5,
    Rating.STRONG: 3,
    Rating.NOT_SURE: 1,
    Rating.NOT_APPLICABLE: 0.5,
}
NOTES = [
    "We talked about this at the last partnership meeting but have not written anything down yet.",
    "The district shares vacancy projections each spring; the program would like them by January.",
    "Mentor teachers are chosen by principals, and the criteria differ from school to school.",
    "Our data agreement covers completers only, not candidates still in coursework.",
    "Not sure who owns this on our side since the reorganization.",
]


@dataclass(frozen=True)
class Target:
    """The partnership, rounds and people whose pages the benchmark requests."""

    partnership: Partnership
    current_round: AssessmentRound
    previous_round: AssessmentRound
    respondent: object
    facilitator: object


def bench_partnerships():
    return Partnership.objects.filter(district_name__startswith=DISTRICT_NAME_PREFIX)


def add_partnerships(count, *, start=0):
    """Create partnerships ``start`` to ``start + count - 1`` with members, two rounds and answers each.

    Raises ``RuntimeError`` when no questionnaire is loaded, because answers need indicators.
    """
    version = QuestionnaireVersion.objects.current()
    indicators = list(version.indicators.all()) if version else []
    if not indicators:
        raise RuntimeError("No current questionnaire with indicators was found. Run manage.py load_toolkit first.")

    facilitator = _get_facilitator()
    password = make_password("bench-password-not-for-login")
    for chunk_start in range(start, start + count, CHUNK_SIZE):
        chunk = range(chunk_start, min(chunk_start + CHUNK_SIZE, start + count))
        with transaction.atomic():
            _add_chunk(chunk, version, indicators, facilitator, password)


def find_target():
    """Return the partnership, rounds and people of partnership 0, which every page is measured on."""
    partnership = Partnership.objects.get(district_name=_district_name(0))
    rounds = list(partnership.rounds.order_by("opened_at"))
    return Target(
        partnership=partnership,
        previous_round=rounds[0],
        current_round=rounds[1],
        respondent=partnership.memberships.get(is_owner=True).user,
        facilitator=get_user_model().objects.get(email=FACILITATOR_EMAIL),
    )


def _get_facilitator():
    facilitator = get_user_model().objects.filter(email=FACILITATOR_EMAIL).first()
    if facilitator is None:
        facilitator = get_user_model().objects.create_user(
            email=FACILITATOR_EMAIL, password=None, display_name="Bench Facilitator"
        )
    return facilitator


def _district_name(index):
    return f"{DISTRICT_NAME_PREFIX} {index:04d}"


def _add_chunk(indices, version, indicators, facilitator, password):
    """Insert one batch of partnerships with a handful of bulk inserts per model."""
    now = timezone.now()
    plans = [_plan_partnership(index) for index in indices]

    users = get_user_model().objects.bulk_create(
        [
            get_user_model()(email=email, password=password, display_name=name)
            for plan in plans
            for email, name, _side in plan["people"]
        ]
    )
    users_by_email = {user.email: user for user in users}

    partnerships = Partnership.objects.bulk_create(
        [
            Partnership(
                district_name=_district_name(plan["index"]),
                program_name=f"Bench College of Education {plan['index']:04d}",
                state=plan["state"],
                created_by=users_by_email[plan["people"][0][0]],
            )
            for plan in plans
        ]
    )

    memberships = []
    rounds = []
    for plan, partnership in zip(plans, partnerships, strict=True):
        for position, (email, _name, side) in enumerate(plan["people"]):
            memberships.append(
                Membership(partnership=partnership, user=users_by_email[email], side=side, is_owner=position == 0)
            )
        if plan["index"] % 5 < FOLLOWED_PER_FIVE:
            memberships.append(Membership(partnership=partnership, user=facilitator, side=Side.FACILITATOR))
        rounds.append(
            AssessmentRound(
                partnership=partnership,
                label="Fall 2025",
                questionnaire_version=version,
                opened_at=now - timedelta(days=240),
                closed_at=now - timedelta(days=150),
                changed_at=now - timedelta(days=150),
            )
        )
        rounds.append(
            AssessmentRound(
                partnership=partnership,
                label="Spring 2026",
                questionnaire_version=version,
                opened_at=now - timedelta(days=30),
                changed_at=now - timedelta(days=2),
            )
        )
    Membership.objects.bulk_create(memberships)
    rounds = AssessmentRound.objects.bulk_create(rounds)

    responses = []
    for plan_position, plan in enumerate(plans):
        previous_round, current_round = rounds[2 * plan_position], rounds[2 * plan_position + 1]
        for position, (email, _name, side) in enumerate(plan["people"]):
            user = users_by_email[email]
            responses.append(
                Response(round=previous_round, respondent=user, side=side, submitted_at=previous_round.closed_at)
            )
            # The owner's current response stays a draft, so the answer page and autosave accept it.
            submitted_at = None if position == 0 else current_round.changed_at
            responses.append(Response(round=current_round, respondent=user, side=side, submitted_at=submitted_at))
    responses = Response.objects.bulk_create(responses)

    answers = []
    for response in responses:
        rng = random.Random(f"{SEED}-{response.respondent.email}-{response.round.label}")
        for indicator in indicators:
            rating = rng.choices(list(RATING_WEIGHTS), weights=list(RATING_WEIGHTS.values()))[0]
            note = rng.choice(NOTES) if rng.random() < 0.15 else ""
            answers.append(Answer(response=response, indicator=indicator, rating=rating, note=note))
    Answer.objects.bulk_create(answers, batch_size=2000)


def _plan_partnership(index):
    """Choose the people and state of one partnership from its own random stream."""
    rng = random.Random(f"{SEED}-{index}")
    people = []
    for side, count in ((Side.DISTRICT, rng.randint(3, 6)), (Side.PROGRAM, rng.randint(3, 6))):
        for number in range(count):
            email = f"p{index:04d}-{side}-{number}@{EMAIL_DOMAIN}"
            people.append((email, f"{side.label} respondent {number + 1} of partnership {index}", side))
    return {"index": index, "state": rng.choice(US_STATES)[0], "people": people}
