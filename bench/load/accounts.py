"""Create the partnerships and accounts the load test logs in with."""

import secrets
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from assessments.models import Answer, AssessmentRound, Membership, Partnership, QuestionnaireVersion, Response, Side
from toolkit.models import Recommendation

EMAIL_DOMAIN = "load.example.org"
DISTRICT_RESPONDENTS = 3


@transaction.atomic
def create_accounts(partnership_count, respondents_per_partnership):
    """Create the partnerships and return what Locust needs to log in and find the pages, as JSON-ready data.

    Each partnership has ``respondents_per_partnership`` respondents (three on the district side),
    who answer its open round, and a facilitator, who reads the results of its closed round.
    """
    version = QuestionnaireVersion.objects.current()
    indicators = list(version.indicators.all())
    password = secrets.token_urlsafe(16)
    password_hash = make_password(password)
    now = timezone.now()
    accounts = {
        "password": password,
        "recommendation_numbers": list(Recommendation.objects.order_by("number").values_list("number", flat=True)),
        "recommendation_slugs": list(Recommendation.objects.order_by("number").values_list("slug", flat=True)),
        "respondents": [],
        "readers": [],
    }

    for index in range(partnership_count):
        people = [
            (f"p{index}-{number}@{EMAIL_DOMAIN}", Side.DISTRICT if number < DISTRICT_RESPONDENTS else Side.PROGRAM)
            for number in range(respondents_per_partnership)
        ]
        users = get_user_model().objects.bulk_create(
            get_user_model()(email=email, password=password_hash) for email, _side in people
        )
        facilitator = get_user_model().objects.create(
            email=f"p{index}-facilitator@{EMAIL_DOMAIN}", password=password_hash
        )
        partnership = Partnership.objects.create(
            district_name=f"Load District {index}",
            program_name=f"Load College {index}",
            state="OR",
            created_by=users[0],
        )
        Membership.objects.bulk_create(
            [
                *(
                    Membership(partnership=partnership, user=user, side=side, is_owner=position == 0)
                    for position, (user, (_email, side)) in enumerate(zip(users, people, strict=True))
                ),
                Membership(partnership=partnership, user=facilitator, side=Side.FACILITATOR),
            ]
        )

        closed_round = AssessmentRound.objects.create(
            partnership=partnership,
            label="Fall 2025",
            questionnaire_version=version,
            opened_at=now - timedelta(days=200),
            closed_at=now - timedelta(days=100),
        )
        open_round = AssessmentRound.objects.create(
            partnership=partnership, label="Spring 2026", questionnaire_version=version
        )
        closed_responses = Response.objects.bulk_create(
            Response(round=closed_round, respondent=user, side=side, submitted_at=closed_round.closed_at)
            for user, (_email, side) in zip(users, people, strict=True)
        )
        Answer.objects.bulk_create(
            Answer(response=response, indicator=indicator, rating=str(1 + (response.pk + indicator.pk) % 4))
            for response in closed_responses
            for indicator in indicators
        )

        accounts["respondents"].extend(
            {"email": user.email, "partnership_id": partnership.pk, "round_id": open_round.pk} for user in users
        )
        accounts["readers"].append(
            {"email": facilitator.email, "partnership_id": partnership.pk, "round_id": closed_round.pk}
        )
    return accounts
