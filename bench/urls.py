"""The site's URL map plus two baseline views, used only by the benchmark.

The trivial view goes through the same middleware as every page but does no work of its own, so
each page's time is reported as a multiple of it. The base template view renders the site's
layout with an empty content block: the least any HTML page of the site costs.
"""

from django.http import HttpResponse
from django.shortcuts import render
from django.urls import include, path

from partnerprep.urls import handler404, handler500  # noqa: F401


def trivial(request):
    return HttpResponse("ok", content_type="text/plain")


def base_template(request):
    return render(request, "base.html")


urlpatterns = [
    path("bench/trivial/", trivial, name="bench-trivial"),
    path("bench/base-template/", base_template, name="bench-base-template"),
    path("", include("partnerprep.urls")),
]
