"""Answers posted to a questionnaire page after the session ended, kept until someone logs in again.

A page saved from a tab whose session expired, or that was logged out in another tab, reaches the
server as an anonymous POST. Its ratings and notes are stored in the anonymous session, which
``django.contrib.auth.login`` keeps when it cycles the session key, and the answer page shows
them again, unsaved, on its next GET.

The session does not record who was logged out, so the kept answers are shown to whichever
respondent member of the partnership logs in next in that browser and opens the page. Another
person of the same partnership on a shared computer could therefore see, and save as their own,
answers that someone else typed. Members of other partnerships and facilitators never see them,
because the answer page checks access and the respondent role before it reads the session.
"""

import re
from urllib.parse import urlsplit

from django.core.exceptions import ValidationError
from django.urls import Resolver404, resolve

from .forms.answers import NOTE_MAX_LENGTH, AnswerForm, note_field_name
from .models import Indicator

ANSWER_PAGE_VIEW = "assessments:answer-page"
# Shown on the login page that an anonymous POST with kept answers is redirected to.
ANSWERS_KEPT_MESSAGE = (
    "Your session expired. Log in to continue; the changes you just made are kept until you save them."
)
FIELD_NAME_PATTERN = re.compile(r"^(rating|note)-(\d+)$")


def session_key(partnership_id, round_id, number):
    return f"pending_answers:{partnership_id}:{round_id}:{number}"


def keep_posted_answers(request, partnership_id, round_id, number):
    """Store the rating and note fields of an anonymous POST in its session and return how many were kept.

    Only fields of indicators on that page of that round are kept, at most one value each, and every
    value is cut to the note length limit, so the session stays small whatever the request contains.
    """
    indicator_ids = set(
        Indicator.objects.filter(
            version__rounds__pk=round_id,
            version__rounds__partnership_id=partnership_id,
            recommendation__number=number,
        ).values_list("pk", flat=True)
    )
    fields = {}
    cut_notes = []
    for name, value in request.POST.items():
        match = FIELD_NAME_PATTERN.match(name)
        if match is None or int(match[2]) not in indicator_ids:
            continue
        # Browsers send line breaks as CRLF, and the form counts each as one character.
        value = value.replace("\r\n", "\n")
        if len(value) > NOTE_MAX_LENGTH:
            value = value[:NOTE_MAX_LENGTH]
            if match[1] == "note":
                cut_notes.append(name)
        fields[name] = value

    if fields:
        request.session[session_key(partnership_id, round_id, number)] = {"fields": fields, "cut_notes": cut_notes}
    return len(fields)


def pop_pending_form(session, round_, page, initial):
    """Remove the answers kept for this page from the session and return them in a bound AnswerForm.

    Return None when nothing was kept. Fields the POST did not contain keep their ``initial``
    (stored) values. The form is validated so that invalid kept values show their errors, and
    nothing in it is saved.
    """
    pending = session.pop(session_key(round_.partnership_id, round_.pk, page.number), None)
    if not pending:
        return None

    data = {name: value for name, value in initial.items() if value}
    data.update(pending["fields"])
    form = AnswerForm(data, indicators=page.indicators)
    form.is_valid()
    field_names = {note_field_name(indicator) for indicator in page.indicators}
    for name in pending["cut_notes"]:
        if name in field_names:
            form.add_error(
                name,
                ValidationError(
                    "Only the first %(max)s characters of this note were kept. Check its end before you save.",
                    code="note_cut",
                    params={"max": f"{NOTE_MAX_LENGTH:,}"},
                ),
            )
    return form


def has_pending_answers(session, url):
    """Return whether answers are kept for the answer page at ``url``, a path on this site."""
    try:
        match = resolve(urlsplit(url).path)
    except Resolver404:
        return False
    if match.view_name != ANSWER_PAGE_VIEW:
        return False
    return session_key(**match.kwargs) in session
