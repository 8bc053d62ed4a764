"""Public pages of the toolkit. None of them needs an account or JavaScript."""

from django.shortcuts import render

from . import selectors
from .forms import ToolFilterForm
from .models import Tool

TOOL_TYPE_LABELS = dict(Tool.Type.choices)
TOOL_AUDIENCE_LABELS = dict(Tool.Audience.choices)


def add_card_fields(tools):
    """Set ``detail_url``, ``type_label`` and ``audience_label`` on each tool, for ``tool_items.html``.

    The tool library renders about 170 cards. Under cProfile, reversing each card's URL and calling
    ``get_*_display``, which rebuilds its choices dictionary on every call, took about 40% of the
    template's time. Here each distinct tool's URL is reversed once.
    """
    urls = {}
    for tool in tools:
        if tool.slug not in urls:
            urls[tool.slug] = tool.get_absolute_url()
        tool.detail_url = urls[tool.slug]
        tool.type_label = TOOL_TYPE_LABELS.get(tool.tool_type, tool.tool_type)
        tool.audience_label = TOOL_AUDIENCE_LABELS.get(tool.audience, tool.audience)


def home(request):
    context = {
        "stages": selectors.stages_with_recommendations(),
        "featured_case_studies": selectors.featured_case_studies(),
    }
    return render(request, "toolkit/home.html", context)


def stage_detail(request, slug):
    stage = selectors.get_stage(slug)
    return render(request, "toolkit/stage_detail.html", {"stage": stage})


def recommendation_list(request):
    context = {"stages": selectors.stages_with_recommendations()}
    return render(request, "toolkit/recommendation_list.html", context)


def recommendation_detail(request, slug):
    recommendation = selectors.get_recommendation(slug)
    add_card_fields(recommendation.tools.all())
    previous, following = selectors.get_neighbors(recommendation)
    context = {"recommendation": recommendation, "previous": previous, "next": following}
    return render(request, "toolkit/recommendation_detail.html", context)


def tool_list(request):
    stages = list(selectors.stages_with_recommendations())
    form = ToolFilterForm(request.GET, stages=stages)
    form.is_valid()  # Invalid filters are shown as errors, and the valid ones still apply.
    filters = form.active_filters()

    if filters:
        tools = list(selectors.filter_tools(**filters))
        add_card_fields(tools)
    else:
        tools = None
        selectors.add_tools(stages)
        add_card_fields(
            tool
            for stage in stages
            for recommendation in stage.recommendations.all()
            for tool in recommendation.tools.all()
        )
    context = {"form": form, "stages": stages, "tools": tools, "is_filtered": bool(filters)}
    return render(request, "toolkit/tool_list.html", context)


def tool_detail(request, slug):
    tool = selectors.get_tool(slug)
    return render(request, "toolkit/tool_detail.html", {"tool": tool})


def case_study_list(request):
    context = {"case_studies": selectors.case_studies_with_recommendations()}
    return render(request, "toolkit/case_study_list.html", context)


def case_study_detail(request, slug):
    case_study = selectors.get_case_study(slug)
    add_card_fields(case_study.tools.all())
    return render(request, "toolkit/case_study_detail.html", {"case_study": case_study})
