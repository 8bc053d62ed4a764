from django.http import Http404


def _missing(request, *args, **kwargs):
    raise Http404("Not built yet.")


round_create = _missing
round_detail = _missing
answer_page = _missing
answer_autosave = _missing
response_submit = _missing
response_detail = _missing
response_reopen = _missing
