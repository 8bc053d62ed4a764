"""Results of a round, closing a round, the facilitator dashboard and the CSV exports."""

import logging

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.utils import timezone

from .. import csv_export
from ..access import get_access, get_round
from ..dashboard import build_dashboard
from ..models import AssessmentRound
from ..results import build_results

logger = logging.getLogger(__name__)

READ_METHODS = ("GET", "HEAD")


def get_runner_access(user, partnership_id):
    """Return the user's access if they may close rounds and export, else raise Http404."""
    access = get_access(user, partnership_id)
    if not access.can_run_rounds:
        raise Http404("No such partnership.")
    return access


@login_required
def results_page(request, partnership_id, round_id):
    access = get_access(request.user, partnership_id)
    round_ = get_round(access, round_id)
    if request.method not in READ_METHODS:
        return HttpResponseNotAllowed(READ_METHODS)

    return render(request, "assessments/results_page.html", build_results(round_, access=access))


@login_required
def round_close(request, partnership_id, round_id):
    access = get_runner_access(request.user, partnership_id)
    round_ = get_round(access, round_id)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])

    if close_round(round_, request.user):
        messages.success(
            request, f"{round_.label} is closed. Its results stay available, and you can open a new round."
        )
    else:
        messages.info(request, f"{round_.label} was already closed.")
    return redirect("assessments:results", partnership_id, round_id)


def close_round(round_, user):
    """Close an open round and return True, or return False if it was already closed.

    The update is conditional, so two people closing at once log and stamp the round once.
    """
    now = timezone.now()
    closed = AssessmentRound.objects.filter(pk=round_.pk, closed_at__isnull=True).update(
        closed_at=now, closed_by=user, changed_at=now
    )
    if closed:
        logger.info(
            "event=round_closed round_id=%s partnership_id=%s user_id=%s", round_.pk, round_.partnership_id, user.pk
        )
    return bool(closed)


@login_required
def dashboard(request):
    if request.method not in READ_METHODS:
        return HttpResponseNotAllowed(READ_METHODS)

    context = build_dashboard(request.user, sort=request.GET.get("sort", ""))
    return render(request, "assessments/dashboard_page.html", context)


@login_required
def export_csv(request, partnership_id, round_id):
    access = get_runner_access(request.user, partnership_id)
    round_ = get_round(access, round_id)
    if request.method not in READ_METHODS:
        return HttpResponseNotAllowed(READ_METHODS)

    logger.info("event=csv_exported kind=answers round_id=%s user_id=%s", round_.pk, request.user.pk)
    return csv_export.answers_response(round_)


@login_required
def export_summary_csv(request, partnership_id, round_id):
    access = get_runner_access(request.user, partnership_id)
    round_ = get_round(access, round_id)
    if request.method not in READ_METHODS:
        return HttpResponseNotAllowed(READ_METHODS)

    logger.info("event=csv_exported kind=summary round_id=%s user_id=%s", round_.pk, request.user.pk)
    return csv_export.summary_response(build_results(round_, access=access))
