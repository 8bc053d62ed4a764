"""Private data: partnerships, their members and invitations, and self-assessment rounds.

The questionnaire (versions and indicators) is content loaded from fixtures; everything else
belongs to one partnership and is only shown to its members.
"""

import hashlib
import secrets
from datetime import timedelta

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone

from toolkit.models import Recommendation

from .states import US_STATES


class Side(models.TextChoices):
    DISTRICT = "district", "District"
    PROGRAM = "program", "Preparation program"
    FACILITATOR = "facilitator", "Facilitator"


# Only these two sides answer the questionnaire; facilitators read and run rounds.
RESPONDING_SIDES = (Side.DISTRICT, Side.PROGRAM)


class Rating(models.TextChoices):
    NOT_YET_STARTED = "1", "Not yet started"
    BEGINNING = "2", "Beginning"
    DEVELOPING = "3", "Developing"
    STRONG = "4", "Strong"
    NOT_SURE = "not-sure", "Not sure"
    NOT_APPLICABLE = "not-applicable", "Not applicable"


class QuestionnaireVersionManager(models.Manager):
    def get_by_natural_key(self, slug):
        return self.get(slug=slug)

    def current(self):
        return self.filter(is_current=True).order_by("-published_on").first()


class QuestionnaireVersion(models.Model):
    slug = models.SlugField(unique=True)
    title = models.CharField(max_length=200)
    published_on = models.DateField()
    is_current = models.BooleanField(default=False, help_text="New rounds start with the current version.")

    objects = QuestionnaireVersionManager()

    class Meta:
        ordering = ["-published_on"]

    def __str__(self):
        return self.title

    def natural_key(self):
        return (self.slug,)

    def is_in_use(self):
        return self.rounds.exists()


class IndicatorManager(models.Manager):
    def get_by_natural_key(self, version_slug, code):
        return self.get(version__slug=version_slug, code=code)


class Indicator(models.Model):
    version = models.ForeignKey(QuestionnaireVersion, on_delete=models.PROTECT, related_name="indicators")
    recommendation = models.ForeignKey(Recommendation, on_delete=models.PROTECT, related_name="indicators")
    code = models.CharField(max_length=10, help_text='Recommendation number and position, e.g. "4.2".')
    order = models.PositiveSmallIntegerField()
    text = models.TextField(help_text="A plain statement a partnership can rate.")
    strong_looks_like = models.TextField(help_text="What a Strong rating looks like, shown as help.")

    objects = IndicatorManager()

    class Meta:
        ordering = ["version", "recommendation__number", "order"]
        constraints = [
            models.UniqueConstraint(fields=["version", "code"], name="unique_indicator_code"),
        ]

    def __str__(self):
        return f"{self.code} {self.text}"

    def natural_key(self):
        return (self.version.slug, self.code)

    natural_key.dependencies = ["assessments.questionnaireversion", "toolkit.recommendation"]


class Partnership(models.Model):
    district_name = models.CharField(max_length=200)
    program_name = models.CharField("preparation program name", max_length=200)
    state = models.CharField(max_length=2, choices=US_STATES)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    members = models.ManyToManyField(settings.AUTH_USER_MODEL, through="Membership", related_name="partnerships")

    class Meta:
        ordering = ["district_name", "program_name"]

    def __str__(self):
        return f"{self.district_name} and {self.program_name}"

    def get_absolute_url(self):
        return reverse("assessments:partnership-detail", args=[self.pk])


class Membership(models.Model):
    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    side = models.CharField(max_length=20, choices=Side.choices)
    is_owner = models.BooleanField(default=False)
    show_name_in_reports = models.BooleanField(
        default=False, help_text="Print this person's name, not only a count, on the PDF report cover."
    )
    joined_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["side", "joined_at"]
        constraints = [
            models.UniqueConstraint(fields=["partnership", "user"], name="unique_membership"),
        ]

    def __str__(self):
        return f"{self.user} ({self.get_side_display()}) in {self.partnership}"

    @property
    def is_facilitator(self):
        return self.side == Side.FACILITATOR

    @property
    def is_respondent(self):
        return self.side in RESPONDING_SIDES


def hash_token(token):
    return hashlib.sha256(token.encode()).hexdigest()


def default_invitation_expiry():
    return timezone.now() + timedelta(days=settings.INVITATION_LIFETIME_DAYS)


class InvitationQuerySet(models.QuerySet):
    def usable(self):
        return self.filter(revoked_at__isnull=True, expires_at__gt=timezone.now())


class Invitation(models.Model):
    """A link that lets anyone holding it join one side of a partnership until it expires or is revoked.

    Only a SHA-256 hash of the token is stored, so a database leak does not leak working links.
    """

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="invitations")
    side = models.CharField(max_length=20, choices=Side.choices)
    token_hash = models.CharField(max_length=64, unique=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(default=default_invitation_expiry)
    revoked_at = models.DateTimeField(null=True, blank=True)
    use_count = models.PositiveIntegerField(default=0)

    objects = InvitationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.get_side_display()} invitation to {self.partnership}"

    @classmethod
    def create_with_token(cls, **fields):
        """Create an invitation and return it with its plain token, which is never stored."""
        token = secrets.token_urlsafe(32)
        invitation = cls.objects.create(token_hash=hash_token(token), **fields)
        return invitation, token

    @property
    def is_usable(self):
        return self.revoked_at is None and self.expires_at > timezone.now()


class AssessmentRound(models.Model):
    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="rounds")
    label = models.CharField(max_length=100, help_text='For example "Fall 2026".')
    questionnaire_version = models.ForeignKey(QuestionnaireVersion, on_delete=models.PROTECT, related_name="rounds")
    opened_at = models.DateTimeField(default=timezone.now)
    opened_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    changed_at = models.DateTimeField(
        default=timezone.now,
        help_text="Last time an answer, a submission or the round itself changed; the PDF cache keys on it.",
    )

    class Meta:
        ordering = ["-opened_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["partnership"],
                condition=models.Q(closed_at__isnull=True),
                name="one_open_round_per_partnership",
            ),
        ]

    def __str__(self):
        return f"{self.label} ({self.partnership})"

    def get_absolute_url(self):
        return reverse("assessments:round-detail", args=[self.partnership_id, self.pk])

    @property
    def is_open(self):
        return self.closed_at is None


class RoundSummary(models.Model):
    """A round's scores and response counts, stored so the dashboard does not score every round per request.

    The summary is fresh while its ``changed_at`` equals the round's. Saving an answer, submitting,
    reopening a response and closing the round all set a new ``AssessmentRound.changed_at``, so a
    summary computed before any of those no longer matches and is computed again on its next read.

    NOTE: Deleting a user in the admin deletes their responses without touching ``changed_at``, so
    the summary keeps counting them until the round changes again.
    """

    round = models.OneToOneField(AssessmentRound, on_delete=models.CASCADE, related_name="summary")
    changed_at = models.DateTimeField(help_text="The round's changed_at when this summary was computed.")
    data = models.JSONField(help_text="Scores and counts, in the layout that assessments.summaries writes.")

    class Meta:
        verbose_name_plural = "round summaries"

    def __str__(self):
        return f"Summary of round {self.round_id}"


class Response(models.Model):
    """One respondent's answers in one round; submitting locks it."""

    round = models.ForeignKey(AssessmentRound, on_delete=models.CASCADE, related_name="responses")
    respondent = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="responses")
    side = models.CharField(
        max_length=20,
        choices=Side.choices,
        help_text="The respondent's side when they started; results group answers by it.",
    )
    started_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    submitted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["round", "side", "started_at"]
        constraints = [
            models.UniqueConstraint(fields=["round", "respondent"], name="one_response_per_round"),
        ]

    def __str__(self):
        return f"{self.respondent} in {self.round}"

    @property
    def is_submitted(self):
        return self.submitted_at is not None


class Answer(models.Model):
    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="answers")
    indicator = models.ForeignKey(Indicator, on_delete=models.PROTECT, related_name="answers")
    rating = models.CharField(max_length=20, choices=Rating.choices, blank=True)
    note = models.TextField(blank=True, max_length=2000)
    saved_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["response", "indicator"]
        constraints = [
            models.UniqueConstraint(fields=["response", "indicator"], name="one_answer_per_indicator"),
        ]

    def __str__(self):
        return f"{self.indicator.code}: {self.rating or 'no rating'}"


class CachedReport(models.Model):
    """A rendered PDF report, kept in the database so every app server shares one cache."""

    round = models.ForeignKey(AssessmentRound, on_delete=models.CASCADE, related_name="cached_reports")
    page_size = models.CharField(max_length=10)
    fingerprint = models.CharField(max_length=64, help_text="Hash of what the report was built from.")
    pdf = models.BinaryField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["round", "page_size"], name="one_cached_report_per_size"),
        ]

    def __str__(self):
        return f"Report for {self.round} ({self.page_size})"
