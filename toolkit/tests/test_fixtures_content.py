"""Checks on the real content that load_toolkit puts in the test database."""

import json
import re
from collections import Counter

import pytest
from django.conf import settings
from django.db.models import Count

from assessments.models import Indicator, QuestionnaireVersion
from toolkit.models import CaseStudy, Recommendation, Stage, Tool

FIXTURES = settings.BASE_DIR / "fixtures"


def fixture_rows(name):
    return json.loads((FIXTURES / name).read_text(encoding="utf-8"))


def test_three_stages_in_order(db):
    stages = list(Stage.objects.values_list("order", "slug"))

    assert stages == [
        (1, "initiation-stage"),
        (2, "implementation-stage"),
        (3, "continuous-improvement-stage"),
    ]


def test_recommendations_numbered_one_to_ten(db):
    numbers = list(Recommendation.objects.values_list("number", flat=True))

    assert numbers == list(range(1, 11))


def test_recommendations_split_four_four_two(db):
    counts = dict(Stage.objects.annotate(count=Count("recommendations")).values_list("slug", "count"))

    assert counts == {"initiation-stage": 4, "implementation-stage": 4, "continuous-improvement-stage": 2}


def test_stages_contain_expected_numbers(db):
    by_stage = {
        stage.slug: list(stage.recommendations.values_list("number", flat=True)) for stage in Stage.objects.all()
    }

    assert by_stage["initiation-stage"] == [1, 2, 3, 4]
    assert by_stage["implementation-stage"] == [5, 6, 7, 8]
    assert by_stage["continuous-improvement-stage"] == [9, 10]


def test_steps_consecutive_from_one(db):
    for recommendation in Recommendation.objects.prefetch_related("steps"):
        orders = [step.order for step in recommendation.steps.all()]

        assert len(orders) >= 3, recommendation.slug
        assert orders == list(range(1, len(orders) + 1)), recommendation.slug


def test_steps_have_title_and_body(db):
    for recommendation in Recommendation.objects.prefetch_related("steps"):
        for step in recommendation.steps.all():
            assert step.title.strip(), f"{recommendation.slug} step {step.order}"
            assert step.body.strip(), f"{recommendation.slug} step {step.order}"


def test_recommendation_8_is_editorial(db):
    recommendation = Recommendation.objects.get(number=8)

    assert recommendation.is_verified is False
    assert recommendation.editorial_note.strip() != ""


def test_other_recommendations_verified_without_note(db):
    for recommendation in Recommendation.objects.exclude(number=8):
        assert recommendation.is_verified is True, recommendation.slug
        assert recommendation.editorial_note == "", recommendation.slug
        assert recommendation.source_url.startswith("https://"), recommendation.slug


def test_tool_count_at_least_55(db):
    assert Tool.objects.count() >= 55


def test_tools_have_http_url(db):
    for slug, url in Tool.objects.values_list("slug", "url"):
        assert re.match(r"https?://\S+$", url), slug


def test_tools_have_recommendation(db):
    without = list(
        Tool.objects.annotate(count=Count("recommendations")).filter(count=0).values_list("slug", flat=True)
    )

    assert without == []


def test_tool_choices_valid(db):
    for tool in Tool.objects.all():
        assert tool.tool_type in Tool.Type.values, tool.slug
        assert tool.audience in Tool.Audience.values, tool.slug


def test_original_toolkit_tools_flagged(db):
    assert Tool.objects.filter(is_from_original_toolkit=True).count() == 5


def test_case_study_count_at_least_12(db):
    assert CaseStudy.objects.count() >= 12


def test_case_studies_name_partners(db):
    for case_study in CaseStudy.objects.all():
        assert case_study.districts.strip(), case_study.slug
        assert case_study.programs.strip(), case_study.slug
        assert re.fullmatch(r"[A-Z]{2}", case_study.state), case_study.slug


def test_case_studies_have_recommendation(db):
    without = list(
        CaseStudy.objects.annotate(count=Count("recommendations")).filter(count=0).values_list("slug", flat=True)
    )

    assert without == []


def test_case_study_body_two_paragraphs(db):
    for case_study in CaseStudy.objects.all():
        assert len(case_study.body.split("\n\n")) == 2, case_study.slug


def test_three_case_studies_featured(db):
    assert CaseStudy.objects.filter(is_featured=True).count() == 3


@pytest.mark.parametrize("model", ["toolkit.stage", "toolkit.recommendation", "toolkit.tool", "toolkit.casestudy"])
def test_fixture_slugs_unique(model):
    # A repeated slug still loads, because loaddata silently overwrites the first row with the second.
    slugs = Counter(row["fields"]["slug"] for row in fixture_rows("toolkit.json") if row["model"] == model)

    assert [slug for slug, count in slugs.items() if count > 1] == []


@pytest.mark.parametrize("name", ["toolkit.json", "questionnaire.json"])
def test_fixtures_use_natural_keys_only(name):
    rows_with_pk = [row for row in fixture_rows(name) if "pk" in row]

    assert rows_with_pk == []


def test_current_version_is_2026_1(db):
    assert QuestionnaireVersion.objects.current().slug == "2026-1"


def test_indicator_total_between_25_and_35(db):
    assert 25 <= Indicator.objects.filter(version__slug="2026-1").count() <= 35


def test_indicators_two_to_four_per_recommendation(db):
    counts = dict(Recommendation.objects.annotate(count=Count("indicators")).values_list("number", "count"))

    for number, count in counts.items():
        assert 2 <= count <= 4, f"recommendation {number} has {count} indicators"


def test_indicator_codes_match_position(db):
    for indicator in Indicator.objects.select_related("recommendation"):
        assert indicator.code == f"{indicator.recommendation.number}.{indicator.order}"


def test_indicators_have_help_text(db):
    for indicator in Indicator.objects.all():
        assert indicator.text.strip(), indicator.code
        assert indicator.strong_looks_like.strip(), indicator.code
