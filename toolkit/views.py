"""Public pages of the toolkit. None of them needs an account or JavaScript."""

from django.shortcuts import render

from . import selectors
from .forms import ToolFilterForm


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
    else:
        tools = None
        selectors.add_tools(stages)
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
    return render(request, "toolkit/case_study_detail.html", {"case_study": case_study})
