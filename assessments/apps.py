from django.apps import AppConfig
from django.conf import settings


class AssessmentsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "assessments"

    @property
    def content_fixtures(self):
        return [settings.BASE_DIR / "fixtures" / "questionnaire.json"]

    def ready(self):
        # Connects the pre_save check that keeps questionnaire versions used by rounds unchanged.
        from . import versioning  # noqa: F401
