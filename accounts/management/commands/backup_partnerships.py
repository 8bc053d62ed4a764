import datetime
import itertools
import os
from collections import Counter

from django.apps import apps
from django.core import serializers
from django.core.management.base import BaseCommand, CommandError
from django.core.serializers.json import DjangoJSONEncoder

# Listed in dependency order, so every row's foreign keys point at content or at rows earlier in the file
# and the restore can save rows one by one. Cached PDF reports are left out because they are rebuilt on demand.
PARTNERSHIP_MODELS = [
    "accounts.User",
    "assessments.Partnership",
    "assessments.Membership",
    "assessments.Invitation",
    "assessments.AssessmentRound",
    "assessments.Response",
    "assessments.Answer",
]


def partnership_models():
    return [apps.get_model(label) for label in PARTNERSHIP_MODELS]


class BackupJSONEncoder(DjangoJSONEncoder):
    """Write datetimes with microseconds, which DjangoJSONEncoder cuts to milliseconds.

    Restoring then gives back exactly the timestamps that were saved, so ordering by
    them and the PDF cache key on ``AssessmentRound.changed_at`` survive a round trip.
    """

    def default(self, o):
        if isinstance(o, datetime.datetime):
            return o.isoformat()
        return super().default(o)


def summarize_counts(counts):
    """Describe per-model row counts, e.g. "2 rows (1 accounts.User, 1 assessments.Partnership, ...)"."""
    total = counts.total()
    per_model = ", ".join(f"{counts[label]} {label}" for label in PARTNERSHIP_MODELS)
    return f"{total} {'row' if total == 1 else 'rows'} ({per_model})"


def counted(rows, counts):
    for row in rows:
        counts[row._meta.label] += 1
        yield row


class Command(BaseCommand):
    help = (
        "Write every account and all partnership data (members, invitations, rounds, responses and answers) "
        "to a JSON file that restore_partnerships loads. Content is referenced by natural key "
        "(indicators by questionnaire version and code), people by email and private rows by primary key. "
        "The file contains password hashes and answers: store it like the database itself."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "output", help="Path of the JSON file to write. The file is created readable by its owner only."
        )

    def handle(self, *args, **options):
        path = options["output"]
        querysets = [model._base_manager.order_by("pk") for model in partnership_models()]
        rows = itertools.chain.from_iterable(queryset.iterator() for queryset in querysets)
        counts = Counter()

        try:
            descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        except OSError as error:
            raise CommandError(f"Failed to write the backup to {path}: {error.strerror}.") from None
        os.fchmod(descriptor, 0o600)
        with os.fdopen(descriptor, "w", encoding="utf-8") as stream:
            serializers.serialize(
                "json",
                counted(rows, counts),
                stream=stream,
                indent=1,
                use_natural_foreign_keys=True,
                cls=BackupJSONEncoder,
            )

        self.stdout.write(f"Wrote {summarize_counts(counts)} to {path}.")
