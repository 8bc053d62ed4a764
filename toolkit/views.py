from django.http import Http404


def _missing(request, *args, **kwargs):
    raise Http404("Not built yet.")


home = _missing
stage_detail = _missing
recommendation_list = _missing
recommendation_detail = _missing
tool_list = _missing
tool_detail = _missing
case_study_list = _missing
case_study_detail = _missing
