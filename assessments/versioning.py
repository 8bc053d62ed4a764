"""Keeping the questionnaire versions that rounds use unchanged.

A round is scored against the indicators it was started with, so once a round uses a version
its indicators are frozen, and changes go into a copy published under a new slug.
"""

import logging
import re

from django.core.management.base import CommandError
from django.db import transaction
from django.db.models.signals import pre_save
from django.dispatch import receiver
from django.utils import timezone

from .models import AssessmentRound, Indicator, QuestionnaireVersion

logger = logging.getLogger(__name__)

INDICATOR_CONTENT_FIELDS = ("version_id", "recommendation_id", "code", "order", "text", "strong_looks_like")


class VersionInUse(Exception):
    """Raised when code outside a fixture load tries to change an indicator of a version in use."""


def next_free_slug(slug):
    """Return the first unused slug after ``slug``, such as "2026-2" after "2026-1" or "spring-2" after "spring"."""
    match = re.fullmatch(r"(.*?)(\d+)", slug)
    prefix, number = (match[1], int(match[2])) if match else (f"{slug}-", 1)
    taken_slugs = set(QuestionnaireVersion.objects.filter(slug__startswith=prefix).values_list("slug", flat=True))
    number += 1
    while f"{prefix}{number}" in taken_slugs:
        number += 1
    return f"{prefix}{number}"


def copy_version(version):
    """Copy a version and its indicators under a new slug and make the copy the current version."""
    with transaction.atomic():
        new_slug = next_free_slug(version.slug)
        title = version.title.replace(version.slug, new_slug)
        if title == version.title:
            title = f"{version.title} ({new_slug})"
        copy = QuestionnaireVersion.objects.create(
            slug=new_slug, title=title, published_on=timezone.localdate(), is_current=True
        )
        Indicator.objects.bulk_create(
            Indicator(
                version=copy,
                recommendation_id=indicator.recommendation_id,
                code=indicator.code,
                order=indicator.order,
                text=indicator.text,
                strong_looks_like=indicator.strong_looks_like,
            )
            for indicator in version.indicators.all()
        )
        QuestionnaireVersion.objects.exclude(pk=copy.pk).update(is_current=False)

    logger.info("event=questionnaire_version_copied from_slug=%s to_slug=%s", version.slug, copy.slug)
    return copy


@receiver(pre_save, sender=Indicator, dispatch_uid="keep_versions_in_use_unchanged")
def keep_versions_in_use_unchanged(sender, instance, raw, **kwargs):
    """Reject any change to an indicator of a version that a round uses.

    ``raw`` is true while ``loaddata`` (and so ``load_toolkit``) saves fixture rows. The error is
    then a CommandError, which stops the command and rolls the whole load back.
    """
    stored = (
        Indicator.objects.filter(pk=instance.pk).values(*INDICATOR_CONTENT_FIELDS).first() if instance.pk else None
    )
    if stored and all(stored[name] == getattr(instance, name) for name in INDICATOR_CONTENT_FIELDS):
        return

    version_ids = {instance.version_id, stored["version_id"] if stored else None} - {None}
    used = AssessmentRound.objects.filter(questionnaire_version_id__in=version_ids).values_list(
        "questionnaire_version__slug", flat=True
    )
    used_slug = used.first()
    if used_slug is None:
        return

    message = (
        f'Questionnaire version "{used_slug}" is used by assessment rounds, so indicator {instance.code} '
        "cannot change. Publish the change under a new version slug instead."
    )
    if raw:
        raise CommandError(
            f"{message} In fixtures/questionnaire.json, give the changed version a new slug and mark it current."
        )
    raise VersionInUse(message)
