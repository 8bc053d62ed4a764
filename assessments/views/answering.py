"""Rounds, the questionnaire pages, autosave, submission and individual responses.

Every view first resolves the partnership and the round through ``assessments.access``, so a
signed-in outsider gets 404 whatever the HTTP method. Only members see 405 for a wrong method.
"""

import logging
from functools import wraps

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponseNotAllowed, JsonResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render, resolve_url
from django.urls import reverse

from .. import pending_answers
from ..access import get_access, get_round
from ..forms.answers import AnswerForm, RoundForm, initial_from_answers
from ..models import Response
from ..services import answers as services

logger = logging.getLogger(__name__)

NOT_RESPONDENT_MESSAGE = (
    "Only district and program members answer the questionnaire. Facilitators and site staff follow the round."
)
ROUND_CLOSED_MESSAGE = services.ROUND_CLOSED_MESSAGE
SUBMITTED_MESSAGE = services.SUBMITTED_MESSAGE
PENDING_ANSWERS_MESSAGE = "You were logged out before these changes were saved. Check them and choose Save."
PENDING_ANSWERS_DROPPED_MESSAGE = (
    "You were logged out before your last changes to this page were saved, and they can no longer be saved."
)


def login_required_json(view):
    """Like login_required, but return 401 with JSON, because a script cannot follow a login redirect."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if request.user.is_authenticated:
            return view(request, *args, **kwargs)
        query = QueryDict(mutable=True)
        query["next"] = reverse("assessments:answer-page", kwargs=kwargs)
        login_url = f"{resolve_url(settings.LOGIN_URL)}?{query.urlencode(safe='/')}"
        return JsonResponse({"status": "login_required", "login_url": login_url}, status=401)

    return wrapper


def keep_answers_posted_logged_out(view):
    """Keep the answers of an anonymous POST in the session before ``login_required`` redirects it.

    The login page then explains that the changes are kept. ``assessments.pending_answers``
    describes who sees them after the next login.
    """

    @wraps(view)
    def wrapper(request, partnership_id, round_id, number):
        if request.method == "POST" and not request.user.is_authenticated:
            kept_count = pending_answers.keep_posted_answers(request, partnership_id, round_id, number)
            if kept_count:
                logger.info(
                    "event=answers_kept_for_login round_id=%s number=%s fields=%s", round_id, number, kept_count
                )
        return view(request, partnership_id, round_id, number)

    return wrapper


def answer_page_url(round_, number):
    return reverse("assessments:answer-page", args=[round_.partnership_id, round_.pk, number])


def log_rejected_save(round_, user):
    reason = "round_closed" if not round_.is_open else "response_submitted"
    logger.info("event=answer_save_rejected reason=%s round_id=%s user_id=%s", reason, round_.pk, user.pk)


@login_required
def round_create(request, partnership_id):
    access = get_access(request.user, partnership_id)
    if request.method not in ("GET", "POST"):
        return HttpResponseNotAllowed(["GET", "POST"])
    if not access.can_run_rounds:
        raise Http404("Only owners and facilitators start rounds.")

    form = RoundForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            round_ = services.open_round(
                partnership=access.partnership, label=form.cleaned_data["label"], user=request.user
            )
        except services.RoundAlreadyOpen:
            logger.info("event=round_open_rejected reason=already_open partnership_id=%s", partnership_id)
            form.add_error(
                None,
                ValidationError(
                    "This partnership already has an open round. Close it before you start a new one.",
                    code="round_already_open",
                ),
            )
        except services.NoCurrentVersion:
            logger.warning("event=round_open_rejected reason=no_current_version partnership_id=%s", partnership_id)
            form.add_error(
                None,
                ValidationError(
                    "No questionnaire is published yet, so a round cannot start. Ask the site's editors.",
                    code="no_questionnaire",
                ),
            )
        else:
            messages.success(request, f"Round “{round_.label}” is open. Members can start answering.")
            return redirect(round_)

    context = {
        "partnership": access.partnership,
        "form": form,
        "open_round": access.partnership.rounds.filter(closed_at__isnull=True).first(),
    }
    return render(request, "assessments/round_form.html", context)


def overview_context(request, access, round_, missing=()):
    """Build the round overview's context. The submit view reuses it to list missing ratings."""
    response = progress = None
    if access.is_respondent:
        response = services.find_response(round_, request.user)
        progress = services.load_progress(round_.questionnaire_version, response)
    missing_links = [
        (
            f"{answer_page_url(round_, item.number)}#indicator-{indicator.pk}",
            f"Recommendation {item.number}, indicator {indicator.code}: {indicator.text}",
        )
        for item, indicator in missing
    ]
    return {
        "partnership": access.partnership,
        "round": round_,
        "access": access,
        "response": response,
        "progress": progress,
        "sides": services.summarize_sides(round_),
        "can_see_names": access.is_owner or access.can_see_individual_answers,
        "missing_links": missing_links,
    }


@login_required
def round_detail(request, partnership_id, round_id):
    access = get_access(request.user, partnership_id)
    round_ = get_round(access, round_id)
    if request.method != "GET":
        return HttpResponseNotAllowed(["GET"])

    return render(request, "assessments/round_detail.html", overview_context(request, access, round_))


@keep_answers_posted_logged_out
@login_required
def answer_page(request, partnership_id, round_id, number):
    access = get_access(request.user, partnership_id)
    round_ = get_round(access, round_id)
    if request.method not in ("GET", "POST"):
        return HttpResponseNotAllowed(["GET", "POST"])
    if not access.is_respondent:
        messages.info(request, NOT_RESPONDENT_MESSAGE)
        return redirect(round_)

    response = services.find_response(round_, request.user)
    progress = services.load_progress(round_.questionnaire_version, response)
    page = progress.get(number)
    if page is None:
        raise Http404("No such recommendation in this questionnaire.")
    blocker = services.save_blocker(round_, response)

    if request.method == "POST":
        return save_answer_page(request, access, round_, progress, page, blocker)

    initial = initial_from_answers(services.load_answers(response, page.indicators))
    form = pending_answers.pop_pending_form(request.session, round_, page, initial)
    if form is None:
        form = AnswerForm(indicators=page.indicators, initial=initial)
    elif blocker:
        messages.warning(request, PENDING_ANSWERS_DROPPED_MESSAGE)
        form = AnswerForm(indicators=page.indicators, initial=initial)
    else:
        messages.warning(request, PENDING_ANSWERS_MESSAGE)
    return render_answer_page(request, access, round_, progress, page, form, blocker)


def save_answer_page(request, access, round_, progress, page, blocker):
    """Save the valid fields of a page, then continue if all were valid or show the errors."""
    if blocker:
        log_rejected_save(round_, request.user)
        messages.error(request, f"{blocker} Nothing was saved.")
        return redirect(answer_page_url(round_, page.number))

    form = AnswerForm(request.POST, indicators=page.indicators)
    is_valid = form.is_valid()
    changes = form.changed_answers()
    if changes:
        try:
            response, _ = services.save_answers(round_=round_, membership=access.membership, changes=changes)
        except services.ResponseLocked:
            log_rejected_save(round_, request.user)
            messages.error(request, f"{SUBMITTED_MESSAGE} Nothing was saved.")
            return redirect(answer_page_url(round_, page.number))
        progress = progress.with_rated_ids(services.rated_indicator_ids(response))

    if not is_valid:
        return render_answer_page(request, access, round_, progress, page, form, None, saved_some=bool(changes))

    messages.success(request, f"Your answers to recommendation {page.number} were saved.")
    following = progress.next(page.number)
    if request.POST.get("action") == "continue" and following is not None:
        return redirect(answer_page_url(round_, following.number))
    return redirect(round_)


def render_answer_page(request, access, round_, progress, page, form, blocker, saved_some=False):
    if blocker:
        form.set_readonly()
    previous_item = progress.previous(page.number)
    next_item = progress.next(page.number)
    context = {
        "partnership": access.partnership,
        "round": round_,
        "progress": progress,
        "page": page,
        "recommendation": page.recommendation,
        "form": form,
        "blocker": blocker,
        "saved_some": saved_some,
        "previous_url": answer_page_url(round_, previous_item.number) if previous_item else None,
        "previous_item": previous_item,
        "next_url": answer_page_url(round_, next_item.number) if next_item else None,
        "next_item": next_item,
        "autosave_url": reverse("assessments:answer-autosave", args=[round_.partnership_id, round_.pk, page.number]),
    }
    return render(request, "assessments/answer_page.html", context)


@login_required_json
def answer_autosave(request, partnership_id, round_id, number):
    access = get_access(request.user, partnership_id)
    round_ = get_round(access, round_id)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    if not access.is_respondent:
        return JsonResponse({"status": "forbidden", "message": NOT_RESPONDENT_MESSAGE}, status=403)

    response = services.find_response(round_, request.user)
    # The form needs only the page's indicators, so the rated ones are loaded once, after the save.
    progress = services.load_progress(round_.questionnaire_version, None)
    page = progress.get(number)
    if page is None:
        raise Http404("No such recommendation in this questionnaire.")
    blocker = services.save_blocker(round_, response)
    if blocker:
        log_rejected_save(round_, request.user)
        return JsonResponse({"status": "locked", "message": blocker}, status=409)

    form = AnswerForm(request.POST, indicators=page.indicators)
    is_valid = form.is_valid()
    try:
        response, saved_at = services.save_answers(
            round_=round_, membership=access.membership, changes=form.changed_answers()
        )
    except services.ResponseLocked:
        # A submit from another tab won the race after the check above.
        log_rejected_save(round_, request.user)
        return JsonResponse({"status": "locked", "message": SUBMITTED_MESSAGE}, status=409)

    progress = progress.with_rated_ids(services.rated_indicator_ids(response))
    reply = {"saved_at": saved_at.isoformat(), "progress": progress.text}
    if not is_valid:
        return JsonResponse({"status": "invalid", "errors": form.errors_as_json_dict(), **reply}, status=400)
    return JsonResponse({"status": "saved", **reply})


@login_required
def response_submit(request, partnership_id, round_id):
    access = get_access(request.user, partnership_id)
    round_ = get_round(access, round_id)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    if not access.is_respondent:
        messages.info(request, NOT_RESPONDENT_MESSAGE)
        return redirect(round_)

    try:
        services.submit_response(round_=round_, user=request.user)
    except services.RoundClosed:
        logger.info(
            "event=response_submit_rejected reason=round_closed round_id=%s user_id=%s", round_.pk, request.user.pk
        )
        messages.error(request, f"{ROUND_CLOSED_MESSAGE} Your answers were not submitted.")
    except services.ResponseLocked:
        logger.info("event=response_submit_repeated round_id=%s user_id=%s", round_.pk, request.user.pk)
        messages.info(request, "Already submitted. Your answers were submitted before and have not changed.")
    except services.IncompleteResponse as error:
        logger.info(
            "event=response_submit_rejected reason=incomplete missing_count=%s round_id=%s user_id=%s",
            len(error.missing),
            round_.pk,
            request.user.pk,
        )
        context = overview_context(request, access, round_, missing=error.missing)
        return render(request, "assessments/round_detail.html", context)
    else:
        messages.success(request, "Your answers were submitted. Thank you.")
    return redirect(round_)


@login_required
def response_detail(request, partnership_id, round_id, response_id):
    access = get_access(request.user, partnership_id)
    round_ = get_round(access, round_id)
    if request.method != "GET":
        return HttpResponseNotAllowed(["GET"])
    response = get_object_or_404(Response.objects.select_related("respondent"), round=round_, pk=response_id)
    if response.respondent_id != request.user.pk and not access.can_see_individual_answers:
        raise Http404("No such response.")

    context = {
        "partnership": access.partnership,
        "round": round_,
        "response": response,
        "is_own": response.respondent_id == request.user.pk,
        "sheet": services.answer_sheet(round_.questionnaire_version, response),
    }
    return render(request, "assessments/response_detail.html", context)


@login_required
def response_reopen(request, partnership_id, round_id, response_id):
    access = get_access(request.user, partnership_id)
    round_ = get_round(access, round_id)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    if not access.is_owner:
        raise Http404("Only owners reopen responses.")
    response = get_object_or_404(Response.objects.select_related("respondent"), round=round_, pk=response_id)

    try:
        services.reopen_response(round_=round_, response=response)
    except services.RoundClosed:
        logger.info(
            "event=response_reopen_rejected reason=round_closed response_id=%s round_id=%s", response.pk, round_.pk
        )
        messages.error(request, f"{ROUND_CLOSED_MESSAGE} The response was not reopened.")
    else:
        messages.success(request, f"{response.respondent} can change their answers and submit again.")
    return redirect(round_)
