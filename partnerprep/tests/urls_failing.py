"""URLs for the logging tests: the site's own URLs plus one view that always fails."""

from django.urls import path

from partnerprep.urls import urlpatterns as site_urlpatterns


def failing_view(request):
    raise RuntimeError("the view failed on purpose")


urlpatterns = [
    path("test-failure/", failing_view),
    *site_urlpatterns,
]

handler404 = "partnerprep.views.page_not_found"
handler500 = "partnerprep.views.server_error"
