"""Rendered reports kept in the database, so a repeat download costs a query, not a render."""

import hashlib
import logging

from django.db.models import Count, Max, Q

from ..models import Answer, CachedReport, Membership, Side
from . import rendering

logger = logging.getLogger(__name__)


def report_fingerprint(round_, *, page_size):
    """Hash everything a round's report is built from.

    ``round.changed_at`` moves with every saved answer and submission. The latest answer
    ``saved_at`` and the submitted count are included too, so the cache stays correct where a
    code path forgets to bump ``changed_at``. The names printed on the cover depend on each
    member's ``show_name_in_reports``, which is stored outside the round.
    """
    submissions = round_.responses.aggregate(
        submitted=Count("id", filter=Q(submitted_at__isnull=False)),
        latest_submitted_at=Max("submitted_at"),
    )
    latest_saved_at = Answer.objects.filter(response__round=round_).aggregate(latest=Max("saved_at"))["latest"]
    named_members = list(
        Membership.objects.filter(partnership_id=round_.partnership_id, show_name_in_reports=True)
        .exclude(side=Side.FACILITATOR)
        .order_by("pk")
        .values_list("pk", "user__display_name")
    )

    # TODO: add a content version once toolkit rows record when they change. Until then an
    # edited tool or case study reaches a cached report only when the round changes.
    parts = [
        rendering.TEMPLATE_VERSION,
        round_.pk,
        round_.changed_at.isoformat(),
        round_.closed_at.isoformat() if round_.closed_at else "open",
        submissions["submitted"],
        submissions["latest_submitted_at"].isoformat() if submissions["latest_submitted_at"] else "",
        latest_saved_at.isoformat() if latest_saved_at else "",
        page_size,
        named_members,
    ]
    return hashlib.sha256(repr(parts).encode()).hexdigest()


def get_report_pdf(round_, *, page_size):
    """Return the round's report PDF, from the cache when nothing it depends on has changed.

    Raises ``rendering.ReportRenderError`` when a new render fails. The cache then keeps its
    old entry, which is not served because its fingerprint no longer matches.
    """
    fingerprint = report_fingerprint(round_, page_size=page_size)
    cached = (
        CachedReport.objects.filter(round=round_, page_size=page_size, fingerprint=fingerprint)
        .values_list("pdf", flat=True)
        .first()
    )
    if cached is not None:
        logger.info("event=report_cache_hit round_id=%s page_size=%s", round_.pk, page_size)
        # PostgreSQL returns a memoryview for binary columns.
        return bytes(cached)

    pdf = rendering.render_report(round_, page_size=page_size)
    CachedReport.objects.update_or_create(
        round=round_, page_size=page_size, defaults={"fingerprint": fingerprint, "pdf": pdf}
    )
    return pdf
