"""Admin for the questionnaire (editable until a round uses it) and read-only views of partnership data.

Partnership data changes only through the site's own pages, which apply its access rules. The
admin shows it for support but never edits it.
"""

from django.contrib import admin, messages
from django.urls import reverse
from django.utils.html import format_html

from .models import (
    Answer,
    AssessmentRound,
    Indicator,
    Invitation,
    Membership,
    Partnership,
    QuestionnaireVersion,
    Response,
)
from .versioning import copy_version


class IndicatorInline(admin.StackedInline):
    model = Indicator
    extra = 0
    fields = ["recommendation", "code", "order", "text", "strong_looks_like"]

    def get_readonly_fields(self, request, obj=None):
        if obj is not None and obj.is_in_use():
            return self.fields
        return []

    def has_add_permission(self, request, obj=None):
        return obj is None or not obj.is_in_use()

    def has_delete_permission(self, request, obj=None):
        return obj is None or not obj.is_in_use()


@admin.register(QuestionnaireVersion)
class QuestionnaireVersionAdmin(admin.ModelAdmin):
    list_display = ["slug", "title", "published_on", "is_current", "round_count"]
    inlines = [IndicatorInline]
    actions = ["copy_as_new_version"]

    def get_readonly_fields(self, request, obj=None):
        # The slug is the fixtures' natural key, so a version in use keeps it.
        if obj is not None and obj.is_in_use():
            return ["slug", "published_on"]
        return []

    @admin.display(description="rounds")
    def round_count(self, obj):
        return obj.rounds.count()

    @admin.action(description="Copy as a new version")
    def copy_as_new_version(self, request, queryset):
        if queryset.count() != 1:
            self.message_user(request, "Select exactly one version to copy.", messages.ERROR)
            return
        copy = copy_version(queryset.get())
        url = reverse("admin:assessments_questionnaireversion_change", args=[copy.pk])
        self.message_user(
            request,
            format_html(
                'Created version <a href="{}">{}</a>; new rounds now use it. Edit its indicators there.',
                url,
                copy.slug,
            ),
            messages.SUCCESS,
        )


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Partnership)
class PartnershipAdmin(ReadOnlyAdmin):
    list_display = ["district_name", "program_name", "state", "created_at"]
    search_fields = ["district_name", "program_name"]


@admin.register(Membership)
class MembershipAdmin(ReadOnlyAdmin):
    list_display = ["user", "partnership", "side", "is_owner", "joined_at"]
    list_filter = ["side", "is_owner"]


@admin.register(Invitation)
class InvitationAdmin(ReadOnlyAdmin):
    # The token hash stays out of the admin because staff have no use for it and it should not be copied around.
    exclude = ["token_hash"]
    list_display = ["partnership", "side", "created_at", "expires_at", "revoked_at", "use_count"]


@admin.register(AssessmentRound)
class AssessmentRoundAdmin(ReadOnlyAdmin):
    list_display = ["label", "partnership", "questionnaire_version", "opened_at", "closed_at"]


class AnswerInline(ReadOnlyInline):
    model = Answer
    fields = ["indicator", "rating", "note", "saved_at"]
    readonly_fields = fields


@admin.register(Response)
class ResponseAdmin(ReadOnlyAdmin):
    list_display = ["respondent", "round", "side", "started_at", "submitted_at"]
    inlines = [AnswerInline]
