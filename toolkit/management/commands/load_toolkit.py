from pathlib import Path

from django.apps import apps
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import transaction


def content_fixture_paths():
    """List the content fixtures every installed app declares in its ``content_fixtures`` attribute.

    Each app names its own fixtures, so this command loads the questionnaire too without the
    toolkit app importing the assessments app.
    """
    paths = []
    for app_config in apps.get_app_configs():
        paths.extend(Path(path) for path in getattr(app_config, "content_fixtures", ()))
    return paths


class Command(BaseCommand):
    help = (
        "Load the toolkit content and the questionnaire from fixtures/. Rows are matched by natural key, "
        "so running it again updates them in place and never touches partnership data."
    )

    def handle(self, *args, **options):
        paths = content_fixture_paths()
        with transaction.atomic():
            call_command("loaddata", *[str(path) for path in paths], verbosity=options["verbosity"])
