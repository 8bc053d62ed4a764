from django.http import Http404


def _missing(request, *args, **kwargs):
    raise Http404("Not built yet.")


dashboard = _missing
round_close = _missing
results_page = _missing
export_csv = _missing
export_summary_csv = _missing
