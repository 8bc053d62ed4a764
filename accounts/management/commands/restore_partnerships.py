from collections import Counter
from pathlib import Path

from django.core import serializers
from django.core.management.base import BaseCommand, CommandError
from django.core.management.color import no_style
from django.core.serializers.base import DeserializationError
from django.db import connection, transaction

from assessments.models import Indicator

from .backup_partnerships import partnership_models, summarize_counts


class Command(BaseCommand):
    help = (
        "Load a file written by backup_partnerships into a database that has the toolkit content loaded "
        "(run load_toolkit first). Stops without changes if the database already has accounts or "
        "partnership data, unless --replace is given."
    )

    def add_arguments(self, parser):
        parser.add_argument("input", help="Path of a JSON file written by backup_partnerships.")
        parser.add_argument(
            "--replace",
            action="store_true",
            help="Delete every existing account and all partnership data before loading the backup.",
        )

    def handle(self, *args, **options):
        path = options["input"]
        models = partnership_models()
        if not Indicator.objects.exists():
            raise CommandError("The questionnaire is not loaded. Run `manage.py load_toolkit` first, then restore.")
        try:
            text = Path(path).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as error:
            raise CommandError(f"Failed to read the backup {path}: {error}.") from None

        with transaction.atomic():
            self.clear_existing(models, replace=options["replace"])
            counts = self.load(text, path, models)
            self.reset_sequences(models)

        self.stdout.write(f"Restored {summarize_counts(counts)} from {path}.")

    def clear_existing(self, models, replace):
        existing = [model._meta.label for model in models if model._base_manager.exists()]
        if existing and not replace:
            raise CommandError(
                f"The database already has rows in {', '.join(existing)}. Restore into an empty database, "
                "or pass --replace to delete them first."
            )
        # Children first, so no PROTECT foreign key blocks a delete.
        for model in reversed(models):
            model._base_manager.all().delete()

    def load(self, text, path, models):
        """Save the backup's rows in file order and return the number of rows saved per model."""
        allowed = {model._meta.label: model for model in models}
        counts = Counter()
        try:
            for deserialized in serializers.deserialize("json", text):
                label = deserialized.object._meta.label
                if label not in allowed:
                    raise CommandError(
                        f"{path} contains {label} rows, but a partnership backup may contain only "
                        f"{', '.join(allowed)}. Check that the file was written by backup_partnerships."
                    )
                deserialized.save()
                counts[label] += 1
        except DeserializationError as error:
            raise CommandError(
                f"{path} is not a valid partnership backup for this database: {error}. "
                "If it refers to missing indicators, load the toolkit content it was made with first."
            ) from None
        return counts

    def reset_sequences(self, models):
        # Restored rows keep their primary keys, so PostgreSQL sequences must move past them before new rows
        # are created. SQLite needs no reset because it takes the next id from the table itself.
        with connection.cursor() as cursor:
            for statement in connection.ops.sequence_reset_sql(no_style(), models):
                cursor.execute(statement)
