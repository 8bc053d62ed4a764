import re

import pytest
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains, assertTemplateUsed

from toolkit.models import Recommendation, Stage, Tool

from .helpers import heading_levels, make_case_study, make_tool, recommendation

pytestmark = pytest.mark.django_db


@pytest.fixture
def tool():
    return make_tool(
        "Mentor Selection Rubric",
        recommendation(5),
        recommendation(3),
        creators="Lakeview State University College of Education",
        tool_type=Tool.Type.RUBRIC,
        audience=Tool.Audience.DISTRICT,
        description="Criteria for choosing mentor teachers.\n\nScored on four levels.",
        url="https://tools.example.org/mentor-rubric.pdf",
        is_verified=True,
    )


@pytest.fixture
def case_study(tool):
    return make_case_study(
        "Riverbend and Lakeview share their mentors",
        recommendation(5),
        tools=[tool],
        districts="Riverbend Unified School District",
        programs="Lakeview State University",
        state="OR",
        years="2017–",
        summary="Two partners who pick mentors together.",
        body="They wrote one rubric.\n\nThey trained every mentor with it.",
        is_featured=True,
        is_verified=True,
    )


def page_urls(tool, case_study):
    return {
        "home": reverse("toolkit:home"),
        "stage": Stage.objects.get(order=1).get_absolute_url(),
        "recommendation list": reverse("toolkit:recommendation-list"),
        "recommendation": recommendation(5).get_absolute_url(),
        "tool list": reverse("toolkit:tool-list"),
        "tool list, filtered": reverse("toolkit:tool-list") + "?q=mentor",
        "tool": tool.get_absolute_url(),
        "case study list": reverse("toolkit:case-study-list"),
        "case study": case_study.get_absolute_url(),
    }


UNVERIFIED_NOTE = "We have not yet checked these details against a public source."

PAGES = [
    "home",
    "stage",
    "recommendation list",
    "recommendation",
    "tool list",
    "tool list, filtered",
    "tool",
    "case study list",
    "case study",
]


@pytest.mark.parametrize("page", PAGES)
def test_page_has_title_and_one_h1(client, tool, case_study, page):
    response = client.get(page_urls(tool, case_study)[page])
    html = response.content.decode()

    assert response.status_code == 200
    assert re.search(r"<title>\S[^<]* \| Partnering on Prep</title>", html)
    assert heading_levels(html).count(1) == 1


@pytest.mark.parametrize("page", PAGES)
def test_page_headings_skip_no_level(client, tool, case_study, page):
    levels = heading_levels(client.get(page_urls(tool, case_study)[page]).content.decode())

    assert levels[0] == 1
    for previous, current in zip(levels, levels[1:], strict=False):
        assert current <= previous + 1, levels


@pytest.mark.parametrize("page", [page for page in PAGES if page != "home"])
def test_page_has_breadcrumbs(client, tool, case_study, page):
    response = client.get(page_urls(tool, case_study)[page])

    assertContains(response, '<nav aria-label="Breadcrumb">')
    assertContains(response, f'<a href="{reverse("toolkit:home")}">Home</a>', html=True)


@pytest.mark.parametrize(
    "url_name",
    ["toolkit:stage-detail", "toolkit:recommendation-detail", "toolkit:tool-detail", "toolkit:case-study-detail"],
)
def test_unknown_slug_is_404(client, url_name):
    response = client.get(reverse(url_name, args=["no-such-page"]))

    assert response.status_code == 404
    assertTemplateUsed(response, "404.html")


def test_home_sends_visitors_to_signup(client):
    response = client.get(reverse("toolkit:home"))

    assertContains(response, f'href="{reverse("accounts:signup")}"')
    assertContains(response, f'href="{reverse("toolkit:recommendation-list")}"')
    assertContains(response, f'href="{reverse("toolkit:tool-list")}"')


def test_home_sends_signed_in_users_to_partnerships(client_for, alice):
    response = client_for(alice).get(reverse("toolkit:home"))

    assertContains(
        response,
        f'<a class="btn btn-primary" href="{reverse("assessments:partnership-list")}">Go to my partnerships</a>',
        html=True,
    )
    assertNotContains(response, "Sign up to start the self-assessment")


def test_home_lists_every_stage_and_recommendation(client):
    response = client.get(reverse("toolkit:home"))

    for stage in Stage.objects.all():
        assertContains(response, f'<a href="{stage.get_absolute_url()}">{stage.name}</a>', html=True)
    for item in Recommendation.objects.all():
        assertContains(response, f'href="{item.get_absolute_url()}"')


def test_home_shows_featured_case_studies_only(client, case_study):
    make_case_study("Hilltop and Summit", recommendation(1), is_featured=False)

    response = client.get(reverse("toolkit:home"))

    assertContains(response, case_study.title)
    assertNotContains(response, "Hilltop and Summit")


def test_stage_page_lists_its_recommendations_only(client):
    stage = recommendation(1).stage

    response = client.get(stage.get_absolute_url())

    assertContains(response, f"<h1>{stage.name}</h1>", html=True)
    for item in Recommendation.objects.all():
        if item.stage_id == stage.pk:
            assertContains(response, f'href="{item.get_absolute_url()}"')
        else:
            assertNotContains(response, f'href="{item.get_absolute_url()}"')


def test_stage_page_counts_tools_and_case_studies(client):
    stage = Stage.objects.create(order=99, slug="test-stage", name="Test Stage", summary="For this test.")
    item = Recommendation.objects.create(
        number=99, slug="test-recommendation", short_title="Test", statement="S.", summary="S.", stage=stage
    )
    make_tool("First Tool", item)
    make_case_study("First Case", item)
    make_case_study("Second Case", item)

    response = client.get(stage.get_absolute_url())

    assertContains(response, "1 tool · 2 case studies")


def test_recommendation_list_groups_by_stage(client):
    html = client.get(reverse("toolkit:recommendation-list")).content.decode()

    for item in Recommendation.objects.select_related("stage"):
        stage_position = html.index(f'id="stage-{item.stage.slug}"')
        assert stage_position < html.index(f'href="{item.get_absolute_url()}"')
    positions = [html.index(f'id="stage-{stage.slug}"') for stage in Stage.objects.all()]
    assert positions == sorted(positions)


def test_recommendation_page_shows_its_text(client):
    item = recommendation(4)

    response = client.get(item.get_absolute_url())

    assertContains(response, f"<h1>{item.short_title}</h1>", html=True)
    assertContains(response, "Recommendation 4")
    assertContains(response, f'<a href="{item.stage.get_absolute_url()}">{item.stage.name}</a>', html=True)
    assertContains(response, item.statement)


def test_recommendation_page_lists_steps_in_order(client):
    item = recommendation(2)
    html = client.get(item.get_absolute_url()).content.decode()

    positions = [html.index(step.title) for step in item.steps.order_by("order")]
    assert len(positions) == item.steps.count()
    assert positions == sorted(positions)


def test_recommendation_page_lists_tools_and_case_studies(client, tool, case_study):
    response = client.get(recommendation(5).get_absolute_url())

    assertContains(response, f'<a class="tool-item-name" href="{tool.get_absolute_url()}">{tool.name}</a>', html=True)
    assertContains(response, "<dt>Type</dt><dd>Rubric</dd>", html=True)
    assertContains(response, "<dt>Audience</dt><dd>Districts</dd>", html=True)
    assertContains(
        response,
        f'<a class="case-study-item-title" href="{case_study.get_absolute_url()}">{case_study.title}</a>',
        html=True,
    )


def test_recommendation_page_without_tools_says_so(client):
    Tool.objects.filter(recommendations=recommendation(7)).delete()

    response = client.get(recommendation(7).get_absolute_url())

    assertContains(response, "No tools are linked to this recommendation yet.")


def test_recommendation_page_links_neighbors(client):
    response = client.get(recommendation(5).get_absolute_url())

    assertContains(response, '<nav aria-label="Previous and next recommendations" class="pager">')
    assertContains(response, f'href="{recommendation(4).get_absolute_url()}" rel="prev"')
    assertContains(response, f'href="{recommendation(6).get_absolute_url()}" rel="next"')


def test_first_recommendation_has_no_previous_link(client):
    response = client.get(recommendation(1).get_absolute_url())

    assertNotContains(response, 'rel="prev"')
    assertContains(response, f'href="{recommendation(2).get_absolute_url()}" rel="next"')


def test_last_recommendation_has_no_next_link(client):
    last = Recommendation.objects.order_by("-number").first()

    response = client.get(last.get_absolute_url())

    assertNotContains(response, 'rel="next"')
    assertContains(response, 'rel="prev"')


def test_recommendation_page_shows_editorial_note(client):
    Recommendation.objects.filter(number=6).update(editorial_note="Worded by the project.")

    response = client.get(recommendation(6).get_absolute_url())

    assertContains(response, '<p class="editorial-note">Worded by the project.</p>', html=True)


def test_recommendation_page_hides_empty_editorial_note(client):
    Recommendation.objects.filter(number=6).update(editorial_note="")

    response = client.get(recommendation(6).get_absolute_url())

    assertNotContains(response, 'class="editorial-note"')


@pytest.mark.parametrize("is_verified", [True, False])
def test_recommendation_page_marks_unverified(client, is_verified):
    Recommendation.objects.filter(number=3).update(is_verified=is_verified)

    response = client.get(recommendation(3).get_absolute_url())

    assertContains(response, UNVERIFIED_NOTE, count=0 if is_verified else 1)


def test_tool_page_shows_its_facts(client, tool):
    response = client.get(tool.get_absolute_url())

    assertContains(response, f"<h1>{tool.name}</h1>", html=True)
    assertContains(response, f"<dt>Made by</dt><dd>{tool.creators}</dd>", html=True)
    assertContains(response, "<dt>Type</dt><dd>Rubric</dd>", html=True)
    assertContains(response, "<dt>For</dt><dd>Districts</dd>", html=True)
    assertContains(response, "<p>Criteria for choosing mentor teachers.</p><p>Scored on four levels.</p>", html=True)


def test_tool_page_links_out(client, tool):
    response = client.get(tool.get_absolute_url())

    assertContains(response, f'href="{tool.url}" rel="noopener noreferrer"')
    assertContains(response, f'<span class="link-out-url overflow-wrap-anywhere">{tool.url}</span>', html=True)


def test_tool_page_lists_recommendations_and_case_studies(client, tool, case_study):
    response = client.get(tool.get_absolute_url())

    for number in (3, 5):
        item = recommendation(number)
        link = f'<a href="{item.get_absolute_url()}">Recommendation {number}: {item.short_title}</a>'
        assertContains(response, link, html=True)
    assertContains(response, f'href="{case_study.get_absolute_url()}"')


@pytest.mark.parametrize("is_original", [True, False])
def test_tool_page_marks_original_toolkit(client, tool, is_original):
    Tool.objects.filter(pk=tool.pk).update(is_from_original_toolkit=is_original)

    response = client.get(tool.get_absolute_url())

    assertContains(response, "From the original toolkit", count=1 if is_original else 0)


@pytest.mark.parametrize("is_verified", [True, False])
def test_tool_page_marks_unverified(client, tool, is_verified):
    Tool.objects.filter(pk=tool.pk).update(is_verified=is_verified)

    response = client.get(tool.get_absolute_url())

    assertContains(response, UNVERIFIED_NOTE, count=0 if is_verified else 1)


def test_case_study_list_shows_each_case_study(client, case_study):
    response = client.get(reverse("toolkit:case-study-list"))

    assertContains(response, f'<a href="{case_study.get_absolute_url()}">{case_study.title}</a>', html=True)
    assertContains(response, "Riverbend Unified School District with Lakeview State University, OR (2017–)")
    assertContains(response, case_study.summary)
    assertContains(response, f'href="{recommendation(5).get_absolute_url()}"')


def test_case_study_page_shows_its_facts(client, case_study):
    response = client.get(case_study.get_absolute_url())

    assertContains(response, f"<h1>{case_study.title}</h1>", html=True)
    assertContains(response, f"<dt>Districts</dt><dd>{case_study.districts}</dd>", html=True)
    assertContains(response, f"<dt>Preparation programs</dt><dd>{case_study.programs}</dd>", html=True)
    assertContains(response, "<dt>State</dt><dd>OR</dd>", html=True)
    assertContains(response, "<dt>Years</dt><dd>2017–</dd>", html=True)
    assertContains(response, case_study.summary)


def test_case_study_body_keeps_paragraphs(client, case_study):
    response = client.get(case_study.get_absolute_url())

    assertContains(
        response,
        '<div class="case-study-body"><p>They wrote one rubric.</p><p>They trained every mentor with it.</p></div>',
        html=True,
    )


def test_case_study_page_links_recommendations_and_tools(client, case_study, tool):
    response = client.get(case_study.get_absolute_url())

    assertContains(response, f'href="{recommendation(5).get_absolute_url()}"')
    assertContains(response, f'<a class="tool-item-name" href="{tool.get_absolute_url()}">{tool.name}</a>', html=True)
