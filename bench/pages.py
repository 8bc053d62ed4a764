"""The pages the benchmark measures, in the order of the results table.

Each page builds its URL, and for a POST its form data, from the benchmark's ``Target``, so the
same list serves the full data set, the quick one and the smoke test.
"""

from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlencode

from django.urls import reverse

from assessments.models import CachedReport, Rating
from toolkit.models import Recommendation

SEARCH_WORD = "data"


@dataclass(frozen=True)
class Page:
    name: str
    url: Callable
    user: str | None = None
    method: str = "get"
    data: Callable | None = None
    before_each: Callable | None = None
    status: int = 200
    is_slow: bool = False


def _round_url(name, *extra):
    def build(target):
        return reverse(
            f"assessments:{name}",
            args=[target.partnership.pk, target.current_round.pk, *extra],
        )

    return build


def _filtered_tool_list(target):
    recommendation = Recommendation.objects.select_related("stage").order_by("number").first()
    query = {"stage": recommendation.stage.slug, "recommendation": recommendation.slug, "q": SEARCH_WORD}
    return reverse("toolkit:tool-list") + "?" + urlencode(query)


def _recommendation(target):
    return Recommendation.objects.order_by("number").first().get_absolute_url()


def _autosave_data(target, rng):
    """Rate the first indicator of recommendation 1 with a new random value, as a changed radio button would."""
    indicator = target.current_round.questionnaire_version.indicators.order_by("recommendation__number", "order")[0]
    return {
        f"rating-{indicator.pk}": rng.choice(Rating.values),
        f"note-{indicator.pk}": rng.choice(["", "Discussed at the spring meeting."]),
    }


def _forget_cached_report(target):
    CachedReport.objects.filter(round=target.current_round).delete()


PAGES = [
    Page("trivial view", lambda target: reverse("bench-trivial")),
    Page("trivial view, signed in", lambda target: reverse("bench-trivial-signed-in"), user="respondent"),
    Page("base template only", lambda target: reverse("bench-base-template")),
    Page("home", lambda target: reverse("toolkit:home")),
    Page("tool list", lambda target: reverse("toolkit:tool-list")),
    Page("tool list, filtered", _filtered_tool_list),
    Page("recommendation", _recommendation),
    Page("answer page", _round_url("answer-page", 1), user="respondent"),
    Page(
        "answer save (autosave)",
        _round_url("answer-autosave", 1),
        user="respondent",
        method="post",
        data=_autosave_data,
    ),
    Page("results", _round_url("results"), user="respondent"),
    Page("dashboard", lambda target: reverse("assessments:dashboard"), user="facilitator"),
    Page(
        "PDF, first render",
        _round_url("report-pdf"),
        user="respondent",
        before_each=_forget_cached_report,
        is_slow=True,
    ),
    Page("PDF, cached", _round_url("report-pdf"), user="respondent"),
]
