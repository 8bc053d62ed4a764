from django.contrib import admin
from django.urls import include, path

from . import views

urlpatterns = [
    path("", include("toolkit.urls")),
    path("accounts/", include("accounts.urls")),
    path("partnerships/", include("assessments.urls")),
    path("healthz", views.healthz, name="healthz"),
    path("admin/", admin.site.urls),
]

handler404 = "partnerprep.views.page_not_found"
handler500 = "partnerprep.views.server_error"
