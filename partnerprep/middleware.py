"""Responses for requests that no view can serve, because the body is too large or the database is gone."""

import logging

from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.template import loader

from assessments.forms.answers import NOTE_MAX_LENGTH

logger = logging.getLogger(__name__)

# Views whose callers are scripts, so they get JSON that site.js can show, not an HTML page.
JSON_VIEWS = {"assessments:answer-autosave"}
UNAVAILABLE_MESSAGE = "Could not save. Try again."
# Only a note can make an autosave this large, because ratings are a few bytes each.
TOO_LARGE_MESSAGE = f"This note is too long to save. Notes can be at most {NOTE_MAX_LENGTH:,} characters."
RETRY_AFTER_SECONDS = 5


def wants_json(request):
    return bool(request.resolver_match and request.resolver_match.view_name in JSON_VIEWS)


class RequestBodyLimitMiddleware:
    """Reject with 413 any request whose declared body is larger than ``DATA_UPLOAD_MAX_MEMORY_SIZE``.

    Django applies that limit to form fields only. The site takes no file uploads and no JSON
    bodies, so a larger body of any kind is rejected before anything reads it.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        # NOTE: a chunked body declares no length, so only Django's form limits apply to it.
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length <= settings.DATA_UPLOAD_MAX_MEMORY_SIZE:
            return None

        logger.warning("event=request_too_large method=%s path=%s bytes=%s", request.method, request.path, length)
        if wants_json(request):
            return JsonResponse({"status": "too_large", "message": TOO_LARGE_MESSAGE}, status=413)
        # The path is the page that sent the form, so the link leads back to it on this site.
        context = {"back_url": request.path, "note_max_length": f"{NOTE_MAX_LENGTH:,}"}
        return render(request, "413.html", context, status=413)


class DatabaseUnavailableMiddleware:
    """Return a 503 when a view fails because the database dropped or refused its connection.

    The answer services save inside ``transaction.atomic``, so by the time this runs a failed
    save is rolled back and nothing half-written remains.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, (OperationalError, InterfaceError)):
            return None

        logger.error(
            "event=database_unavailable method=%s path=%s error=%s",
            request.method,
            request.path,
            type(exception).__name__,
            exc_info=exception,
        )
        if wants_json(request):
            response = JsonResponse({"status": "unavailable", "message": UNAVAILABLE_MESSAGE}, status=503)
        else:
            # Rendered without a request context, because its context processors would query the database again.
            response = HttpResponse(loader.get_template("503.html").render(), status=503)
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return response
