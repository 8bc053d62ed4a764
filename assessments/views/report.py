from django.http import Http404


def _missing(request, *args, **kwargs):
    raise Http404("Not built yet.")


report_pdf = _missing
