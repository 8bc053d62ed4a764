from django.apps import AppConfig
from django.conf import settings


class ToolkitConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "toolkit"
    verbose_name = "Toolkit content"

    @property
    def content_fixtures(self):
        return [settings.BASE_DIR / "fixtures" / "toolkit.json"]
