"""Public content of the toolkit: stages, recommendations, steps, tools and case studies.

This app never imports the assessments app, so public pages know nothing of private data.
"""

from django.db import models
from django.urls import reverse


class SlugManager(models.Manager):
    def get_by_natural_key(self, slug):
        return self.get(slug=slug)


class Provenance(models.Model):
    """Where a content row's facts came from and whether they were checked."""

    source_url = models.URLField(
        max_length=500,
        blank=True,
        help_text="Public page where the facts of this entry were found.",
    )
    source_note = models.TextField(
        blank=True,
        help_text="For editors only: how the facts were found, e.g. a third-party copy of the document.",
    )
    is_verified = models.BooleanField(
        default=False,
        help_text="Checked against a public source. Unverified entries are the project's own editorial text.",
    )

    class Meta:
        abstract = True


class Stage(Provenance):
    order = models.PositiveSmallIntegerField(unique=True)
    slug = models.SlugField(unique=True)
    name = models.CharField(max_length=100)
    summary = models.TextField()

    objects = SlugManager()

    class Meta:
        ordering = ["order"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("toolkit:stage-detail", args=[self.slug])

    def natural_key(self):
        return (self.slug,)


class Recommendation(Provenance):
    number = models.PositiveSmallIntegerField(unique=True, help_text="1 to 10, the order in the framework.")
    slug = models.SlugField(unique=True, max_length=100)
    short_title = models.CharField(max_length=120, help_text="The short title as published.")
    statement = models.TextField(help_text="The recommendation as one sentence.")
    summary = models.TextField()
    stage = models.ForeignKey(Stage, on_delete=models.PROTECT, related_name="recommendations")
    editorial_note = models.CharField(
        max_length=300,
        blank=True,
        help_text="One discreet line shown on the page, e.g. that the wording is the project's adaptation.",
    )

    objects = SlugManager()

    class Meta:
        ordering = ["number"]

    def __str__(self):
        return f"{self.number}. {self.short_title}"

    def get_absolute_url(self):
        return reverse("toolkit:recommendation-detail", args=[self.slug])

    def natural_key(self):
        return (self.slug,)

    natural_key.dependencies = ["toolkit.stage"]

    @property
    def label(self):
        return f"Recommendation {self.number}"


class StepManager(models.Manager):
    def get_by_natural_key(self, recommendation_slug, order):
        return self.get(recommendation__slug=recommendation_slug, order=order)


class Step(models.Model):
    recommendation = models.ForeignKey(Recommendation, on_delete=models.CASCADE, related_name="steps")
    order = models.PositiveSmallIntegerField()
    title = models.CharField(max_length=200)
    body = models.TextField(blank=True)

    objects = StepManager()

    class Meta:
        ordering = ["recommendation__number", "order"]
        constraints = [
            models.UniqueConstraint(fields=["recommendation", "order"], name="unique_step_order"),
        ]

    def __str__(self):
        return f"{self.recommendation.number}.{self.order} {self.title}"

    def natural_key(self):
        return (self.recommendation.slug, self.order)

    natural_key.dependencies = ["toolkit.recommendation"]


class Tool(Provenance):
    class Type(models.TextChoices):
        AGENDA = "agenda", "Agenda"
        AGREEMENT = "agreement", "Agreement"
        BUDGET_MODEL = "budget-model", "Budget model"
        DATA_REPORT = "data-report", "Data report"
        DATA_TOOL = "data-tool", "Data tool"
        GUIDE = "guide", "Guide"
        JOB_DESCRIPTION = "job-description", "Job description"
        POLICY_BRIEF = "policy-brief", "Policy brief"
        PRESENTATION = "presentation", "Presentation"
        PROTOCOL = "protocol", "Protocol"
        RUBRIC = "rubric", "Rubric"
        SURVEY = "survey", "Survey"
        TEMPLATE = "template", "Template"
        THEORY_OF_CHANGE = "theory-of-change", "Theory of change"
        WEBPAGE = "webpage", "Web page"

    class Audience(models.TextChoices):
        BOTH = "both", "Districts and preparation programs"
        DISTRICT = "district", "Districts"
        PROGRAM = "program", "Preparation programs"
        STATE = "state", "State agencies"

    slug = models.SlugField(unique=True, max_length=120)
    name = models.CharField(max_length=300)
    creators = models.CharField(max_length=400, help_text="The organizations that made the tool.")
    tool_type = models.CharField("type", max_length=30, choices=Type.choices)
    audience = models.CharField(max_length=20, choices=Audience.choices)
    description = models.TextField()
    url = models.URLField("public URL", max_length=500)
    recommendations = models.ManyToManyField(Recommendation, related_name="tools")
    is_from_original_toolkit = models.BooleanField(
        default=False,
        help_text="Part of the tool collection of the original published toolkit.",
    )

    objects = SlugManager()

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("toolkit:tool-detail", args=[self.slug])

    def natural_key(self):
        return (self.slug,)

    natural_key.dependencies = ["toolkit.recommendation"]


class CaseStudy(Provenance):
    slug = models.SlugField(unique=True, max_length=120)
    title = models.CharField(max_length=200)
    districts = models.CharField(max_length=400, help_text="The school district or districts in the partnership.")
    programs = models.CharField(
        "preparation programs", max_length=400, help_text="The preparation program or programs in the partnership."
    )
    state = models.CharField(max_length=2, help_text="Two-letter postal code.")
    years = models.CharField(max_length=100, blank=True, help_text='When the partnership ran, e.g. "2017–".')
    summary = models.TextField()
    body = models.TextField()
    recommendations = models.ManyToManyField(Recommendation, related_name="case_studies")
    tools = models.ManyToManyField(Tool, related_name="case_studies", blank=True)
    is_featured = models.BooleanField(default=False, help_text="Shown on the home page.")

    objects = SlugManager()

    class Meta:
        ordering = ["title"]
        verbose_name_plural = "case studies"

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("toolkit:case-study-detail", args=[self.slug])

    def natural_key(self):
        return (self.slug,)

    natural_key.dependencies = ["toolkit.recommendation", "toolkit.tool"]
