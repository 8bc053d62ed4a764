import pytest
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains, assertRedirects

from conftest import make_user
from toolkit.models import Recommendation, Step, Tool

from .helpers import make_case_study, make_tool, recommendation

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor_client(client_for):
    editor = make_user("editor@partnerprep.example.org", is_staff=True, is_superuser=True)
    return client_for(editor)


@pytest.mark.parametrize("model", ["stage", "recommendation", "step", "tool", "casestudy"])
def test_changelist_and_add_pages_load(editor_client, model):
    changelist = editor_client.get(reverse(f"admin:toolkit_{model}_changelist"))
    add_form = editor_client.get(reverse(f"admin:toolkit_{model}_add"))

    assert changelist.status_code == 200
    assert add_form.status_code == 200


def test_step_inline_is_ordered(editor_client):
    item = recommendation(2)

    response = editor_client.get(reverse("admin:toolkit_recommendation_change", args=[item.pk]))

    assertContains(response, 'name="steps-TOTAL_FORMS"')
    html = response.content.decode()
    positions = [html.index(f'value="{step.title}"') for step in item.steps.order_by("order")]
    assert positions == sorted(positions)


def test_recommendation_changelist_filters_by_stage(editor_client):
    stage = recommendation(9).stage

    response = editor_client.get(reverse("admin:toolkit_recommendation_changelist"), {"stage__id__exact": stage.pk})

    assertContains(response, recommendation(9).short_title)
    assertNotContains(response, recommendation(1).short_title)


def test_tool_changelist_searches_creators(editor_client):
    make_tool("Quietwater Hiring Timeline", recommendation(8), creators="Quietwater Public Schools")

    response = editor_client.get(reverse("admin:toolkit_tool_changelist"), {"q": "quietwater public"})

    assertContains(response, "Quietwater Hiring Timeline")
    assertContains(response, "1 result")


@pytest.mark.parametrize(
    "parameter",
    ["recommendations__id__exact", "tool_type__exact", "audience__exact", "is_verified__exact"],
)
def test_tool_changelist_offers_filters(editor_client, parameter):
    response = editor_client.get(reverse("admin:toolkit_tool_changelist"))

    assertContains(response, f"?{parameter}=")


def test_tool_changelist_filters_original_toolkit(editor_client):
    make_tool("Original Example Tool", recommendation(1), is_from_original_toolkit=True)
    make_tool("Newer Example Tool", recommendation(1), is_from_original_toolkit=False)

    response = editor_client.get(
        reverse("admin:toolkit_tool_changelist"), {"is_from_original_toolkit__exact": "1", "q": "Example Tool"}
    )

    assertContains(response, "Original Example Tool")
    assertNotContains(response, "Newer Example Tool")


def test_case_study_changelist_filters_by_state(editor_client):
    make_case_study("Oregon Example Partnership", recommendation(2), state="OR")
    make_case_study("Texas Example Partnership", recommendation(2), state="TX")

    response = editor_client.get(reverse("admin:toolkit_casestudy_changelist"), {"state": "TX", "q": "Example"})

    assertContains(response, "Texas Example Partnership")
    assertNotContains(response, "Oregon Example Partnership")


def test_tool_form_widgets(editor_client):
    response = editor_client.get(reverse("admin:toolkit_tool_add"))

    assertContains(response, 'class="selectfilter"')
    assertContains(response, "data-prepopulated-field")


def test_editor_adds_tool(editor_client):
    data = {
        "name": "Shared Vacancy Forecast",
        "slug": "shared-vacancy-forecast",
        "creators": "Riverbend Unified School District",
        "tool_type": Tool.Type.DATA_TOOL,
        "audience": Tool.Audience.DISTRICT,
        "description": "Projects next year's openings by subject.",
        "url": "https://tools.example.org/vacancy-forecast",
        "recommendations": [recommendation(1).pk, recommendation(4).pk],
        "source_url": "",
        "source_note": "",
    }

    response = editor_client.post(reverse("admin:toolkit_tool_add"), data)

    assertRedirects(response, reverse("admin:toolkit_tool_changelist"))
    tool = Tool.objects.get(slug="shared-vacancy-forecast")
    assert sorted(tool.recommendations.values_list("number", flat=True)) == [1, 4]
    assert tool.is_verified is False


def test_editor_adds_step_inline(editor_client):
    item = recommendation(7)
    steps = list(item.steps.order_by("order"))
    data = {
        field: getattr(item, field)
        for field in ["number", "short_title", "slug", "statement", "summary", "editorial_note", "source_url"]
    }
    data |= {
        "stage": item.stage_id,
        "source_note": item.source_note,
        "is_verified": "on" if item.is_verified else "",
        "steps-TOTAL_FORMS": len(steps) + 1,
        "steps-INITIAL_FORMS": len(steps),
        "steps-MIN_NUM_FORMS": 0,
        "steps-MAX_NUM_FORMS": 1000,
    }
    for index, step in enumerate(steps):
        data |= {
            f"steps-{index}-id": step.pk,
            f"steps-{index}-recommendation": item.pk,
            f"steps-{index}-order": step.order,
            f"steps-{index}-title": step.title,
            f"steps-{index}-body": step.body,
        }
    new = len(steps)
    data |= {
        f"steps-{new}-recommendation": item.pk,
        f"steps-{new}-order": 99,
        f"steps-{new}-title": "Review the meeting calendar each spring",
        f"steps-{new}-body": "",
    }

    response = editor_client.post(reverse("admin:toolkit_recommendation_change", args=[item.pk]), data)

    assertRedirects(response, reverse("admin:toolkit_recommendation_changelist"))
    assert Step.objects.get(recommendation=item, order=99).title == "Review the meeting calendar each spring"
    assert Recommendation.objects.get(pk=item.pk).steps.count() == len(steps) + 1
