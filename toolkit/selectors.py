"""Read queries for the public toolkit pages.

Each function fetches everything its page shows in a fixed number of queries, so a page's query
count does not grow with the number of tools or case studies.
"""

from django.db.models import Count, Prefetch, Q, prefetch_related_objects
from django.shortcuts import get_object_or_404

from .models import CaseStudy, Recommendation, Stage, Tool


def stages_with_recommendations():
    return Stage.objects.prefetch_related("recommendations")


def add_tools(stages):
    """Fetch the tools of every recommendation of these stages in one query, for the grouped library."""
    recommendations = [recommendation for stage in stages for recommendation in stage.recommendations.all()]
    prefetch_related_objects(recommendations, "tools")


def featured_case_studies():
    return CaseStudy.objects.filter(is_featured=True)


def get_stage(slug):
    stage = get_object_or_404(Stage, slug=slug)
    stage.recommendation_rows = list(
        stage.recommendations.annotate(
            tool_count=Count("tools", distinct=True),
            case_study_count=Count("case_studies", distinct=True),
        )
    )
    return stage


def get_recommendation(slug):
    queryset = Recommendation.objects.select_related("stage").prefetch_related("steps", "tools", "case_studies")
    return get_object_or_404(queryset, slug=slug)


def get_neighbors(recommendation):
    """Return the recommendations just before and after this one by number, with None at either end."""
    previous = Recommendation.objects.filter(number__lt=recommendation.number).order_by("-number").first()
    following = Recommendation.objects.filter(number__gt=recommendation.number).order_by("number").first()
    return previous, following


def filter_tools(*, stage=None, recommendation=None, tool_type="", audience="", search=""):
    """Return the tools that match every given filter, each with its recommendations prefetched.

    An audience of districts or of preparation programs also matches the tools meant for both.
    Each word of the search must appear in the name, the creators or the description.
    """
    tools = Tool.objects.all()
    if stage is not None:
        tools = tools.filter(recommendations__stage=stage)
    if recommendation is not None:
        tools = tools.filter(recommendations=recommendation)
    if tool_type:
        tools = tools.filter(tool_type=tool_type)
    if audience:
        tools = tools.filter(audience__in=audiences_matching(audience))
    for word in search.split():
        tools = tools.filter(Q(name__icontains=word) | Q(creators__icontains=word) | Q(description__icontains=word))
    recommendations = Recommendation.objects.order_by("number")
    return tools.distinct().prefetch_related(Prefetch("recommendations", queryset=recommendations))


def audiences_matching(audience):
    if audience in (Tool.Audience.DISTRICT, Tool.Audience.PROGRAM):
        return [audience, Tool.Audience.BOTH]
    return [audience]


def get_tool(slug):
    recommendations = Recommendation.objects.select_related("stage")
    queryset = Tool.objects.prefetch_related(Prefetch("recommendations", queryset=recommendations), "case_studies")
    return get_object_or_404(queryset, slug=slug)


def case_studies_with_recommendations():
    return CaseStudy.objects.prefetch_related("recommendations")


def get_case_study(slug):
    queryset = CaseStudy.objects.prefetch_related("recommendations", "tools")
    return get_object_or_404(queryset, slug=slug)
