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
from ..models import AssessmentRound, Response
from ..results import SIDE_LABELS, build_results
from .partnerships import ANONYMOUS_MEMBER_LABELS

logger = logging.getLogger(__name__)

READ_METHODS = ("GET", "HEAD")
CLOSE_METHODS = ("GET", "HEAD", "POST")


def get_runner_access(user, partnership_id):
    """Return the user's access if they may close rounds and export the score summary, else raise Http404."""
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
    """Show who would be left out (GET, or POST without ``confirm``), and close on a confirmed POST."""
    access = get_runner_access(request.user, partnership_id)
    round_ = get_round(access, round_id)
    if request.method not in CLOSE_METHODS:
        return HttpResponseNotAllowed(CLOSE_METHODS)

    if not round_.is_open:
        messages.info(request, f"{round_.label} was already closed.")
        return redirect("assessments:results", partnership_id, round_id)

    if request.method == "POST" and request.POST.get("confirm") == "yes":
        if close_round(round_, request.user):
            messages.success(
                request, f"{round_.label} is closed. Its results stay available, and you can open a new round."
            )
        else:
            messages.info(request, f"{round_.label} was already closed.")
        return redirect("assessments:results", partnership_id, round_id)

    unsubmitted = unsubmitted_by_side(round_, access)
    context = {
        "partnership": access.partnership,
        "round": round_,
        "unsubmitted": unsubmitted,
        "unsubmitted_count": sum(len(side["names"]) for side in unsubmitted),
    }
    return render(request, "assessments/round_close_confirm.html", context)


def unsubmitted_by_side(round_, access):
    """Return, per answering side, the names of people who started a response but did not submit it.

    Names follow the member list's rule: the display name, else the email for owners, else a
    label for the side.
    """
    responses = (
        Response.objects.filter(round=round_, submitted_at__isnull=True)
        .select_related("respondent")
        .order_by("started_at", "pk")
    )
    names = {side: [] for side in SIDE_LABELS}
    for response in responses:
        if response.side not in names:
            continue
        respondent = response.respondent
        if respondent.display_name:
            names[response.side].append(respondent.display_name)
        elif access.is_owner:
            names[response.side].append(respondent.email)
        else:
            names[response.side].append(ANONYMOUS_MEMBER_LABELS[response.side])
    return [{"side": side, "label": SIDE_LABELS[side], "names": side_names} for side, side_names in names.items()]


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
    # The rows carry no names, but a response id still ties each rating to one person, so only
    # facilitators and staff get this file. Owners have the per-side summary instead.
    access = get_access(request.user, partnership_id)
    if not access.can_see_individual_answers:
        raise Http404("No such partnership.")
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
