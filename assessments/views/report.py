from django.contrib.auth.decorators import login_required
from django.http import HttpResponse, HttpResponseNotAllowed
from django.shortcuts import render

from ..access import get_access, get_round
from ..report import ReportRenderError, ReportTimeoutError, clean_page_size, content_disposition, get_report_pdf


@login_required
def report_pdf(request, partnership_id, round_id):
    """Return the round's PDF report as a download, in A4 when the query string has ``size=a4``."""
    access = get_access(request.user, partnership_id)
    round_ = get_round(access, round_id)
    if request.method not in ("GET", "HEAD"):
        return HttpResponseNotAllowed(["GET", "HEAD"])

    context = {"partnership": access.partnership, "round": round_}
    if not round_.responses.filter(submitted_at__isnull=False).exists():
        return render(request, "assessments/report_unavailable.html", {**context, "reason": "no-results"}, status=409)

    try:
        pdf = get_report_pdf(round_, page_size=clean_page_size(request.GET.get("size")))
    except ReportTimeoutError:
        return render(request, "assessments/report_unavailable.html", {**context, "reason": "timeout"}, status=503)
    except ReportRenderError:
        return render(request, "assessments/report_unavailable.html", {**context, "reason": "failed"}, status=503)

    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = content_disposition(round_)
    return response
