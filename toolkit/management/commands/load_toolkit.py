from collections import Counter, defaultdict
from pathlib import Path

from django.apps import apps
from django.core import serializers
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import transaction

from toolkit.models import Recommendation, Step


def content_fixture_paths():
    """List the content fixtures every installed app declares in its ``content_fixtures`` attribute.

    Each app names its own fixtures, so this command loads the questionnaire too without the
    toolkit app importing the assessments app.
    """
    paths = []
    for app_config in apps.get_app_configs():
        paths.extend(Path(path) for path in getattr(app_config, "content_fixtures", ()))
    return paths


def read_fixture_objects(paths):
    """Deserialize the fixtures again after loading, so natural keys resolve to the rows just saved."""
    objects = []
    for path in paths:
        with open(path, encoding="utf-8") as stream:
            objects.extend(item.object for item in serializers.deserialize("json", stream))
    return objects


def delete_stale_steps(objects):
    """Delete the steps of each recommendation in the fixtures that the fixtures no longer list.

    The fixture that defines a recommendation owns its steps, so a step removed from the fixture
    disappears from the site. Steps of recommendations that the fixtures do not define are kept.
    Returns the number of steps deleted.
    """
    recommendation_ids = {obj.pk for obj in objects if isinstance(obj, Recommendation)}
    orders_by_recommendation = defaultdict(set)
    for obj in objects:
        if isinstance(obj, Step):
            orders_by_recommendation[obj.recommendation_id].add(obj.order)

    deleted = 0
    for recommendation_id in recommendation_ids:
        stale = Step.objects.filter(recommendation_id=recommendation_id).exclude(
            order__in=orders_by_recommendation[recommendation_id]
        )
        deleted += stale.delete()[0]
    return deleted


def describe_counts(objects):
    counts = Counter(type(obj) for obj in objects)
    parts = []
    for model, count in counts.items():
        name = model._meta.verbose_name if count == 1 else model._meta.verbose_name_plural
        parts.append(f"{count} {name}")
    return ", ".join(parts) or "no objects"


class Command(BaseCommand):
    help = (
        "Load the toolkit content and the questionnaire from fixtures/. Rows are matched by natural key, "
        "so running it again updates them in place and never touches partnership data. Steps of a "
        "recommendation that the fixtures define but no longer list are deleted."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "fixtures",
            nargs="*",
            help="JSON fixture files to load instead of the ones the installed apps declare.",
        )

    def handle(self, *args, **options):
        paths = [Path(path) for path in options["fixtures"]] or content_fixture_paths()

        with transaction.atomic():
            call_command("loaddata", *[str(path) for path in paths], verbosity=0)
            objects = read_fixture_objects(paths)
            deleted_steps = delete_stale_steps(objects)

        if options["verbosity"] < 1:
            return
        self.stdout.write(f"Loaded {describe_counts(objects)} from {len(paths)} fixture file(s).")
        if deleted_steps:
            self.stdout.write(f"Deleted {deleted_steps} step(s) that the fixtures no longer list.")
