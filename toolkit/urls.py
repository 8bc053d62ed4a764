from django.urls import path

from . import views

app_name = "toolkit"

urlpatterns = [
    path("", views.home, name="home"),
    path("stages/<slug:slug>/", views.stage_detail, name="stage-detail"),
    path("recommendations/", views.recommendation_list, name="recommendation-list"),
    path("recommendations/<slug:slug>/", views.recommendation_detail, name="recommendation-detail"),
    path("tools/", views.tool_list, name="tool-list"),
    path("tools/<slug:slug>/", views.tool_detail, name="tool-detail"),
    path("case-studies/", views.case_study_list, name="case-study-list"),
    path("case-studies/<slug:slug>/", views.case_study_detail, name="case-study-detail"),
]
