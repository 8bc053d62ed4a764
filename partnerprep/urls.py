from django.contrib import admin
from django.templatetags.static import static
from django.urls import include, path
from django.views.generic import RedirectView

from . import views


class FaviconRedirectView(RedirectView):
    """Send browsers that ask for /favicon.ico by habit to the SVG icon that base.html links."""

    permanent = True

    def get_redirect_url(self, *args, **kwargs):
        # Resolved per request, because the hashed static name exists only after collectstatic.
        return static("favicon.svg")


urlpatterns = [
    path("", include("toolkit.urls")),
    path("accounts/", include("accounts.urls")),
    path("partnerships/", include("assessments.urls")),
    path("healthz", views.healthz, name="healthz"),
    path("favicon.ico", FaviconRedirectView.as_view(), name="favicon"),
    path("admin/", admin.site.urls),
]

handler404 = "partnerprep.views.page_not_found"
handler500 = "partnerprep.views.server_error"
