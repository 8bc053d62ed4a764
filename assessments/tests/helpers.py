"""Questionnaires, rounds and answers built with the ORM for the answering tests.

The tests use their own questionnaire version, two indicators on each of the ten
recommendations, so they never depend on the wording of the published questionnaire.
"""

import contextvars
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
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


class DjangoBridge:
    """Serve a Playwright page's requests with Django's test client, so no server or socket is needed.

    The page runs under ``BASE_URL``. Every request to it goes to the test client, which shares
    the test's database transaction, and static files come from the staticfiles finders.
    Chromium sends the request after a fulfilled redirect to the network, so the bridge follows
    redirects itself, records them in ``redirects`` and returns the final page. ``fail_autosaves``
    makes that many autosave requests fail with 503, as a broken connection would.
    """

    # Nothing listens here, and every request is fulfilled by the route handler before it reaches a socket.
    BASE_URL = "http://127.0.0.1:59999"

    def __init__(self, client):
        self.client = client
        # Playwright calls route handlers in another greenlet, which has its own context variables
        # and so would get its own database connection, outside the test's transaction.
        self.test_context = contextvars.copy_context()
        self.fail_autosaves = 0
        self.autosave_bodies = []
        self.redirects = []

    def handle(self, route, request):
        url = urlsplit(request.url)
        static_prefix = "/" + settings.STATIC_URL.lstrip("/")
        if url.path.startswith(static_prefix):
            route.fulfill(path=finders.find(url.path.removeprefix(static_prefix)))
            return
        if url.path.endswith("/autosave/"):
            self.autosave_bodies.append(request.post_data)
            if self.fail_autosaves:
                self.fail_autosaves -= 1
                route.fulfill(status=503, body="unavailable", content_type="text/plain")
                return

        response = self.test_context.run(
            self.client.generic,
            request.method,
            f"{url.path}?{url.query}" if url.query else url.path,
            data=request.post_data_buffer or b"",
            content_type=request.headers.get("content-type", ""),
            headers={"X-CSRFToken": request.headers.get("x-csrftoken", "")},
        )
        while response.status_code in (301, 302, 303) and len(self.redirects) < 10:
            self.redirects.append(response["Location"])
            response = self.test_context.run(self.client.get, response["Location"])
        route.fulfill(status=response.status_code, headers=dict(response.items()), body=response.content)
