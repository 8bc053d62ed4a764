"""The data the report template renders: the results page's context plus the cover."""

from django.utils import timezone

from ..access import Access
from ..models import Response
from ..results import build_results


def named_respondents(round_):
    """Return ``{side: [display names]}`` of submitted respondents who chose to be named.

    Only members whose ``show_name_in_reports`` is on and who have a display name are listed.
    Email addresses are never printed.
    """
    rows = (
        Response.objects.filter(
            round=round_,
            submitted_at__isnull=False,
            respondent__memberships__partnership_id=round_.partnership_id,
            respondent__memberships__show_name_in_reports=True,
        )
        .exclude(respondent__display_name="")
        .values_list("side", "respondent__display_name")
    )
    names = {}
    for side, name in rows:
        names.setdefault(side, []).append(name)
    return {side: sorted(side_names, key=str.casefold) for side, side_names in names.items()}


def build_report_context(round_, *, page_size):
    # One cached PDF serves every member, so the report is built without a reader's side.
    # It only prints per-side results, which every member may see.
    results = build_results(round_, access=Access(partnership=round_.partnership, membership=None))

    names = named_respondents(round_)
    respondent_sides = [
        {"label": count.label, "submitted": count.submitted, "names": names.get(count.side, [])}
        for count in results["respondents"].values()
    ]
    return {
        **results,
        "page_size": page_size,
        "generated_at": timezone.now(),
        "respondent_sides": respondent_sides,
    }
