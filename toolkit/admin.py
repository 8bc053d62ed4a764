from django.contrib import admin
from django.db import models

from .models import CaseStudy, Recommendation, Stage, Step, Tool

PROVENANCE_FIELDSET = (
    "Source",
    {"fields": ["source_url", "source_note", "is_verified"]},
)


class ContentAdmin(admin.ModelAdmin):
    # A link typed without a scheme is taken as https, the default Django 6.0 adopts.
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}


@admin.register(Stage)
class StageAdmin(ContentAdmin):
    list_display = ["order", "name", "slug", "is_verified"]
    list_display_links = ["name"]
    search_fields = ["name", "summary"]
    prepopulated_fields = {"slug": ["name"]}
    fieldsets = [(None, {"fields": ["order", "name", "slug", "summary"]}), PROVENANCE_FIELDSET]


class StepInline(admin.TabularInline):
    model = Step
    fields = ["order", "title", "body"]
    ordering = ["order"]
    extra = 1


@admin.register(Recommendation)
class RecommendationAdmin(ContentAdmin):
    list_display = ["number", "short_title", "stage", "is_verified"]
    list_display_links = ["short_title"]
    list_filter = ["stage", "is_verified"]
    list_select_related = ["stage"]
    search_fields = ["short_title", "statement", "summary"]
    prepopulated_fields = {"slug": ["short_title"]}
    fieldsets = [
        (None, {"fields": ["number", "stage", "short_title", "slug", "statement", "summary", "editorial_note"]}),
        PROVENANCE_FIELDSET,
    ]
    inlines = [StepInline]


@admin.register(Step)
class StepAdmin(admin.ModelAdmin):
    list_display = ["recommendation", "order", "title"]
    list_display_links = ["title"]
    list_filter = ["recommendation"]
    list_select_related = ["recommendation"]
    search_fields = ["title", "body"]


@admin.register(Tool)
class ToolAdmin(ContentAdmin):
    list_display = ["name", "creators", "tool_type", "audience", "is_verified", "is_from_original_toolkit"]
    list_filter = ["recommendations", "tool_type", "audience", "is_verified", "is_from_original_toolkit"]
    search_fields = ["name", "creators", "description"]
    prepopulated_fields = {"slug": ["name"]}
    filter_horizontal = ["recommendations"]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "name",
                    "slug",
                    "creators",
                    "tool_type",
                    "audience",
                    "description",
                    "url",
                    "recommendations",
                    "is_from_original_toolkit",
                ]
            },
        ),
        PROVENANCE_FIELDSET,
    ]


@admin.register(CaseStudy)
class CaseStudyAdmin(ContentAdmin):
    list_display = ["title", "districts", "programs", "state", "is_featured", "is_verified"]
    list_filter = ["recommendations", "state", "is_featured", "is_verified"]
    search_fields = ["title", "districts", "programs", "summary", "body"]
    prepopulated_fields = {"slug": ["title"]}
    filter_horizontal = ["recommendations", "tools"]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "title",
                    "slug",
                    "districts",
                    "programs",
                    "state",
                    "years",
                    "summary",
                    "body",
                    "recommendations",
                    "tools",
                    "is_featured",
                ]
            },
        ),
        PROVENANCE_FIELDSET,
    ]
