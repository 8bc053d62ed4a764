import json
from collections import Counter
from io import StringIO

import pytest
from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from assessments.models import (
    Answer,
    AssessmentRound,
    Indicator,
    Invitation,
    Membership,
    Partnership,
    QuestionnaireVersion,
    Rating,
    Response,
    Side,
)
from toolkit.management.commands.load_toolkit import content_fixture_paths
from toolkit.models import CaseStudy, Recommendation, Stage, Step, Tool

CONTENT_MODELS = [Stage, Recommendation, Step, Tool, CaseStudy, QuestionnaireVersion, Indicator]

SMALL_FIXTURE = [
    {
        "model": "toolkit.stage",
        "fields": {"order": 90, "slug": "loader-stage", "name": "Loader Stage", "summary": "Only for loader tests."},
    },
    {
        "model": "toolkit.recommendation",
        "fields": {
            "number": 90,
            "slug": "loader-recommendation",
            "short_title": "Load Content Safely",
            "statement": "Partners should reload content without losing data.",
            "summary": "Used by the loader tests.",
            "stage": ["loader-stage"],
        },
    },
    {
        "model": "toolkit.step",
        "fields": {"recommendation": ["loader-recommendation"], "order": 1, "title": "First step", "body": ""},
    },
    {
        "model": "toolkit.step",
        "fields": {"recommendation": ["loader-recommendation"], "order": 2, "title": "Second step", "body": ""},
    },
    {
        "model": "toolkit.tool",
        "fields": {
            "slug": "loader-tool",
            "name": "Loader Tool",
            "creators": "Riverbend Unified School District",
            "tool_type": "guide",
            "audience": "both",
            "description": "Used by the loader tests.",
            "url": "https://tools.example.org/loader-tool",
            "recommendations": [["loader-recommendation"]],
        },
    },
    {
        "model": "toolkit.casestudy",
        "fields": {
            "slug": "loader-case-study",
            "title": "Loader Case Study",
            "districts": "Riverbend Unified School District",
            "programs": "Lakeview State University",
            "state": "OR",
            "summary": "Used by the loader tests.",
            "body": "Used by the loader tests.",
            "recommendations": [["loader-recommendation"]],
            "tools": [["loader-tool"]],
        },
    },
]


def fixture_items(model_label=None):
    """Return the objects of the real content fixtures as parsed JSON, optionally only those of one model."""
    items = []
    for path in content_fixture_paths():
        items.extend(json.loads(path.read_text(encoding="utf-8")))
    return [item for item in items if model_label in (None, item["model"])]


def fixture_counts():
    """Count the objects of each model in the real content fixtures, e.g. {Stage: 3, ...}."""
    return Counter(apps.get_model(item["model"]) for item in fixture_items())


def snapshot(models):
    """Return every row of these models, with its many-to-many links, to compare before and after a load."""
    rows = {}
    for model in models:
        rows[model._meta.label] = list(model.objects.order_by("pk").values())
        for field in model._meta.many_to_many:
            links = getattr(model, field.name).through.objects.values_list()
            rows[f"{model._meta.label}.{field.name}"] = sorted(links)
    return rows


def write_fixture(tmp_path, objects):
    path = tmp_path / "content.json"
    path.write_text(json.dumps(objects), encoding="utf-8")
    return str(path)


@pytest.mark.django_db
def test_real_content_is_loaded():
    counts = fixture_counts()

    assert counts[Stage] == 3
    assert counts[Recommendation] == 10
    for model in CONTENT_MODELS:
        assert model.objects.count() == counts[model], model


@pytest.mark.django_db
def test_loading_twice_changes_nothing():
    before = snapshot(CONTENT_MODELS)

    call_command("load_toolkit", verbosity=0)
    after_first = snapshot(CONTENT_MODELS)
    call_command("load_toolkit", verbosity=0)
    after_second = snapshot(CONTENT_MODELS)

    assert after_first == before
    assert after_second == before


@pytest.mark.django_db
def test_loading_restores_edited_rows_in_place():
    first = fixture_items("toolkit.recommendation")[0]["fields"]
    first_step = next(
        item["fields"] for item in fixture_items("toolkit.step") if item["fields"]["recommendation"] == [first["slug"]]
    )
    recommendation = Recommendation.objects.get(slug=first["slug"])
    step = recommendation.steps.get(order=first_step["order"])
    Recommendation.objects.filter(pk=recommendation.pk).update(short_title="Edited in the admin", is_verified=False)
    Step.objects.filter(pk=step.pk).update(title="Edited step")

    call_command("load_toolkit", verbosity=0)

    recommendation.refresh_from_db()
    step.refresh_from_db()
    assert recommendation.short_title == first["short_title"]
    assert recommendation.is_verified == first.get("is_verified", False)
    assert step.title == first_step["title"]
    assert Recommendation.objects.filter(slug=first["slug"]).count() == 1


@pytest.mark.django_db
def test_loading_restores_links_in_place(tmp_path):
    path = write_fixture(tmp_path, SMALL_FIXTURE)
    call_command("load_toolkit", path, verbosity=0)
    tool = Tool.objects.get(slug="loader-tool")
    case_study = CaseStudy.objects.get(slug="loader-case-study")
    tool.recommendations.clear()
    case_study.tools.clear()
    Tool.objects.filter(pk=tool.pk).update(name="Renamed")

    call_command("load_toolkit", path, verbosity=0)

    tool.refresh_from_db()
    assert tool.name == "Loader Tool"
    assert list(tool.recommendations.values_list("slug", flat=True)) == ["loader-recommendation"]
    assert list(case_study.tools.values_list("pk", flat=True)) == [tool.pk]
    assert Tool.objects.filter(slug="loader-tool").count() == 1


@pytest.mark.django_db
def test_loading_deletes_dropped_steps(tmp_path):
    call_command("load_toolkit", write_fixture(tmp_path, SMALL_FIXTURE), verbosity=0)
    first_step = Step.objects.get(recommendation__slug="loader-recommendation", order=1)
    other_steps = Step.objects.exclude(recommendation__slug="loader-recommendation").count()
    shorter = [item for item in SMALL_FIXTURE if item["fields"].get("title") != "Second step"]
    output = StringIO()

    call_command("load_toolkit", write_fixture(tmp_path, shorter), stdout=output)

    steps = Step.objects.filter(recommendation__slug="loader-recommendation")
    assert list(steps.values_list("pk", "order")) == [(first_step.pk, 1)]
    assert Step.objects.exclude(recommendation__slug="loader-recommendation").count() == other_steps
    assert "Deleted 1 step(s) that the fixtures no longer list." in output.getvalue()


@pytest.mark.django_db
def test_loading_keeps_other_steps(tmp_path):
    steps_before = Step.objects.count()
    without_steps = [item for item in SMALL_FIXTURE if item["model"] != "toolkit.recommendation"]
    without_steps = [item for item in without_steps if item["model"] != "toolkit.step"]
    call_command("load_toolkit", write_fixture(tmp_path, SMALL_FIXTURE), verbosity=0)

    call_command("load_toolkit", write_fixture(tmp_path, without_steps), verbosity=0)

    assert Step.objects.count() == steps_before + 2


@pytest.mark.django_db
def test_loading_reports_counts(tmp_path):
    output = StringIO()

    call_command("load_toolkit", write_fixture(tmp_path, SMALL_FIXTURE), stdout=output)

    assert output.getvalue() == (
        "Loaded 1 stage, 1 recommendation, 2 steps, 1 tool, 1 case study from 1 fixture file(s).\n"
    )


@pytest.mark.django_db
def test_loading_never_touches_partnership_data(partnership, alice):
    version = QuestionnaireVersion.objects.create(slug="loader-test", title="Loader test", published_on="2026-01-01")
    indicator = Indicator.objects.create(
        version=version,
        recommendation=Recommendation.objects.get(number=1),
        code="1.1",
        order=1,
        text="Both partners study the district's vacancy data.",
        strong_looks_like="They meet on it every term.",
    )
    assessment_round = AssessmentRound.objects.create(
        partnership=partnership, label="Fall 2026", questionnaire_version=version, opened_by=alice
    )
    response = Response.objects.create(round=assessment_round, respondent=alice, side=Side.DISTRICT)
    Answer.objects.create(response=response, indicator=indicator, rating=Rating.DEVELOPING, note="Mostly there.")
    Invitation.create_with_token(partnership=partnership, side=Side.PROGRAM, created_by=alice)
    private_models = [Partnership, Membership, Invitation, AssessmentRound, Response, Answer]
    before = snapshot([*private_models, QuestionnaireVersion, Indicator])

    call_command("load_toolkit", verbosity=0)

    assert snapshot([*private_models, QuestionnaireVersion, Indicator]) == before
    assert Answer.objects.get(response=response).note == "Mostly there."


@pytest.fixture
def reload_content_afterwards(django_db_blocker):
    """Reload the content after a transactional test, whose teardown empties every table."""
    yield
    with django_db_blocker.unblock():
        ContentType.objects.clear_cache()
        call_command("load_toolkit", verbosity=0)


@pytest.mark.slow
def test_migrations_run_down_and_up_then_load(reload_content_afterwards, transactional_db):
    executor = MigrationExecutor(connection)
    leaves = executor.loader.graph.leaf_nodes()
    executor.migrate([(app_label, None) for app_label, _ in leaves])
    assert "toolkit_tool" not in connection.introspection.table_names()

    executor = MigrationExecutor(connection)
    executor.migrate(leaves)
    ContentType.objects.clear_cache()
    call_command("load_toolkit", verbosity=0)

    counts = fixture_counts()
    for model in CONTENT_MODELS:
        assert model.objects.count() == counts[model], model
    assert MigrationExecutor(connection).migration_plan(leaves) == []
