"""The site's URL map plus three baseline views, used only by the benchmark.

The trivial view goes through the same middleware as every page but does no work of its own, so
each page's time is reported as a multiple of it. The signed-in variant adds loading the session
and the user, and the base template view renders the site's layout with an empty content block:
together they show the least a signed-in HTML page of the site costs.
"""

from django.http import HttpResponse
from django.shortcuts import render
from django.urls import include, path

from partnerprep.urls import handler404, handler500  # noqa: F401


def trivial(request):
    return HttpResponse("ok", content_type="text/plain")


def trivial_signed_in(request):
    # Reading request.user loads the session and the user, the two queries every signed-in page makes.
    return HttpResponse(str(request.user.pk), content_type="text/plain")


def base_template(request):
    return render(request, "base.html")


urlpatterns = [
    path("bench/trivial/", trivial, name="bench-trivial"),
    path("bench/trivial-signed-in/", trivial_signed_in, name="bench-trivial-signed-in"),
    path("bench/base-template/", base_template, name="bench-base-template"),
    path("", include("partnerprep.urls")),
]
