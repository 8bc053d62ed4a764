import re

import pytest
from django.urls import reverse_lazy
from pytest_django.asserts import assertContains, assertNotContains

from toolkit.models import Tool

from .helpers import make_tool, recommendation

pytestmark = pytest.mark.django_db

TOOL_LIST = reverse_lazy("toolkit:tool-list")


def tool_link(tool):
    return f'<a class="tool-item-name" href="{tool.get_absolute_url()}">{tool.name}</a>'


@pytest.fixture
def quokka_tools():
    """Tools that all contain the word "Quokka" and each differ from the first in one filter."""
    return {
        "match": make_tool(
            "Quokka Data Agreement",
            recommendation(4),
            tool_type=Tool.Type.AGREEMENT,
            audience=Tool.Audience.BOTH,
        ),
        "other stage": make_tool(
            "Quokka Progress Agreement",
            recommendation(9),
            tool_type=Tool.Type.AGREEMENT,
            audience=Tool.Audience.BOTH,
        ),
        "other type": make_tool(
            "Quokka Data Rubric",
            recommendation(4),
            tool_type=Tool.Type.RUBRIC,
            audience=Tool.Audience.BOTH,
        ),
        "other audience": make_tool(
            "Quokka Program Agreement",
            recommendation(4),
            tool_type=Tool.Type.AGREEMENT,
            audience=Tool.Audience.PROGRAM,
        ),
        "other words": make_tool(
            "Wombat Data Agreement",
            recommendation(4),
            tool_type=Tool.Type.AGREEMENT,
            audience=Tool.Audience.BOTH,
        ),
    }


def test_library_groups_tools_under_each_recommendation(client):
    tool = make_tool("Shared Pipeline Dashboard", recommendation(1), recommendation(10))

    response = client.get(TOOL_LIST)

    assertContains(response, tool_link(tool), count=2, html=True)
    html = response.content.decode()
    first, second = [match.start() for match in re.finditer(re.escape(tool.get_absolute_url()), html)]
    assert html.index(recommendation(1).get_absolute_url()) < first
    assert first < html.index(recommendation(10).get_absolute_url()) < second


def test_library_shows_stage_and_recommendation_headings(client):
    item = recommendation(1)

    response = client.get(TOOL_LIST)

    assertContains(response, f'<h2 id="stage-{item.stage.slug}">{item.stage.name}</h2>', html=True)
    assertContains(
        response,
        f'<h3 class="h5 recommendation-heading"><a href="{item.get_absolute_url()}">'
        f"Recommendation 1: {item.short_title}</a></h3>",
        html=True,
    )
    assertNotContains(response, 'id="results-heading"')


def test_library_shows_tool_facts(client):
    make_tool(
        "Clinical Placement Survey",
        recommendation(5),
        creators="Lakeview State University",
        tool_type=Tool.Type.SURVEY,
        audience=Tool.Audience.PROGRAM,
    )

    for query in ({}, {"q": "Clinical Placement Survey"}):
        response = client.get(TOOL_LIST, query)

        assertContains(response, "<dt>By</dt><dd>Lakeview State University</dd>", html=True)
        assertContains(response, "<dt>Type</dt><dd>Survey</dd>", html=True)
        assertContains(response, "<dt>Audience</dt><dd>Preparation programs</dd>", html=True)


def test_filter_by_stage(client):
    early = make_tool("Early Stage Example", recommendation(1))
    late = make_tool("Late Stage Example", recommendation(10))

    response = client.get(TOOL_LIST, {"stage": recommendation(1).stage.slug})

    assertContains(response, tool_link(early), count=1, html=True)
    assertNotContains(response, late.name)


def test_filter_by_recommendation(client):
    matching = make_tool("Matching Example", recommendation(6))
    other = make_tool("Other Example", recommendation(7))

    response = client.get(TOOL_LIST, {"recommendation": recommendation(6).slug})

    assertContains(response, tool_link(matching), html=True)
    assertNotContains(response, other.name)


def test_filter_by_type(client):
    survey = make_tool("Typed Survey Example", recommendation(2), tool_type=Tool.Type.SURVEY)
    guide = make_tool("Typed Guide Example", recommendation(2), tool_type=Tool.Type.GUIDE)

    response = client.get(TOOL_LIST, {"type": "survey"})

    assertContains(response, tool_link(survey), html=True)
    assertNotContains(response, guide.name)


def test_district_audience_includes_tools_for_both(client):
    district = make_tool("Audience District Example", recommendation(2), audience=Tool.Audience.DISTRICT)
    both = make_tool("Audience Both Example", recommendation(2), audience=Tool.Audience.BOTH)
    program = make_tool("Audience Program Example", recommendation(2), audience=Tool.Audience.PROGRAM)

    response = client.get(TOOL_LIST, {"audience": "district", "q": "Audience Example"})

    assertContains(response, tool_link(district), html=True)
    assertContains(response, tool_link(both), html=True)
    assertNotContains(response, program.name)


def test_state_audience_is_exact(client):
    state = make_tool("Audience State Example", recommendation(2), audience=Tool.Audience.STATE)
    both = make_tool("Audience Both Example", recommendation(2), audience=Tool.Audience.BOTH)

    response = client.get(TOOL_LIST, {"audience": "state", "q": "Audience Example"})

    assertContains(response, tool_link(state), html=True)
    assertNotContains(response, both.name)


def test_search_matches_creators(client):
    tool = make_tool("Plain Name", recommendation(3), creators="Quillfeather Teacher Residency")

    response = client.get(TOOL_LIST, {"q": "quillfeather"})

    assertContains(response, '<h2 id="results-heading">1 tool matches</h2>', html=True)
    assertContains(response, tool_link(tool), html=True)


def test_search_matches_description(client):
    tool = make_tool("Plain Name", recommendation(3), description="Tracks zephyrine hiring timelines.")

    response = client.get(TOOL_LIST, {"q": "Zephyrine"})

    assertContains(response, tool_link(tool), html=True)


def test_search_needs_every_word(client, quokka_tools):
    response = client.get(TOOL_LIST, {"q": "  quokka   rubric "})

    assertContains(response, '<h2 id="results-heading">1 tool matches</h2>', html=True)
    assertContains(response, tool_link(quokka_tools["other type"]), html=True)


def test_filters_combine(client, quokka_tools):
    query = {"stage": recommendation(4).stage.slug, "type": "agreement", "audience": "district", "q": "Quokka"}

    response = client.get(TOOL_LIST, query)

    assertContains(response, '<h2 id="results-heading">1 tool matches</h2>', html=True)
    assertContains(response, tool_link(quokka_tools["match"]), html=True)
    for case in ("other stage", "other type", "other audience", "other words"):
        assertNotContains(response, quokka_tools[case].name)


def test_filtered_view_counts_matches(client, quokka_tools):
    response = client.get(TOOL_LIST, {"q": "quokka", "type": "agreement"})

    assertContains(response, '<h2 id="results-heading">3 tools match</h2>', html=True)
    assertContains(response, "<title>Tools matching your filters | Partnering on Prep</title>", html=True)


def test_filtered_view_keeps_choices_selected(client):
    stage_slug = recommendation(1).stage.slug

    response = client.get(TOOL_LIST, {"stage": stage_slug, "type": "rubric", "audience": "both"})

    assertContains(response, f'<option value="{stage_slug}" selected>', count=1)
    assertContains(response, '<option value="rubric" selected>', count=1)
    assertContains(response, '<option value="both" selected>', count=1)


def test_filtered_view_lists_each_tool_once(client):
    tool = make_tool("Zebrafinch Planning Guide", recommendation(1), recommendation(2))

    response = client.get(TOOL_LIST, {"stage": recommendation(1).stage.slug, "q": "zebrafinch"})

    assertContains(response, tool_link(tool), count=1, html=True)
    assertContains(response, '<h2 id="results-heading">1 tool matches</h2>', html=True)


def test_no_match_says_so_with_clear_link(client):
    response = client.get(TOOL_LIST, {"q": "no tool has this xylophonist word"})

    assertContains(response, '<h2 id="results-heading">No tools match</h2>', html=True)
    assertContains(response, f'<a href="{TOOL_LIST}">clear all filters and browse every tool</a>', html=True)


def test_invalid_filters_show_message(client):
    response = client.get(TOOL_LIST, {"stage": "nope", "type": "<script>"})

    assert response.status_code == 200
    assertContains(response, "Some of the filters in this link could not be applied:")
    assertContains(response, "“nope” is not a stage of the toolkit, so the stage filter was not applied.")
    assertContains(response, "“&lt;script&gt;” is not a tool type, so the type filter was not applied.")
    assertNotContains(response, "<script>")


def test_invalid_filter_is_tied_to_its_field(client):
    response = client.get(TOOL_LIST, {"audience": "everyone"})

    assertContains(response, 'aria-invalid="true"', count=1)
    assertContains(response, 'aria-describedby="id_audience_helptext id_audience_error"')
    assertContains(response, '<div class="field-error" id="id_audience_error">')


def test_valid_filters_still_apply(client, quokka_tools):
    response = client.get(TOOL_LIST, {"recommendation": "no-such-recommendation", "q": "quokka rubric"})

    assertContains(response, "is not a recommendation of the toolkit")
    assertContains(response, '<h2 id="results-heading">1 tool matches</h2>', html=True)


def test_invalid_filters_alone_show_groups(client):
    response = client.get(TOOL_LIST, {"stage": "nope"})

    assertNotContains(response, 'id="results-heading"')
    assertContains(response, f'id="stage-{recommendation(1).stage.slug}"')
    assertContains(response, f'<a class="btn btn-link" href="{TOOL_LIST}">Clear filters</a>', html=True)


@pytest.mark.parametrize(
    ("search", "message"),
    [
        ("x" * 300, "The search is 300 characters long, over the limit of 200, so the search was not applied."),
        ("data\x00sharing", "The search contains a null character, so the search was not applied."),
    ],
)
def test_bad_search_shows_message(client, search, message):
    response = client.get(TOOL_LIST, {"q": search})

    assert response.status_code == 200
    assertContains(response, "Some of the filters in this link could not be applied:")
    assertContains(response, f"<li>{message}</li>", html=True)
    assertNotContains(response, 'id="results-heading"')


def test_filter_form_labels_every_control(client):
    response = client.get(TOOL_LIST)

    assertContains(response, '<form method="get" action="/tools/"', count=1)
    for name, label in [
        ("q", "Search"),
        ("stage", "Stage"),
        ("recommendation", "Recommendation"),
        ("type", "Type"),
        ("audience", "Audience"),
    ]:
        assertContains(response, f'<label class="form-label" for="id_{name}">{label}</label>', html=True)
        assertContains(response, f'name="{name}"')
    assertContains(response, '<button type="submit" class="btn btn-primary">Show tools</button>', html=True)


def test_unfiltered_library_offers_no_clear_link(client):
    response = client.get(TOOL_LIST)

    assertNotContains(response, "Clear filters")


def card_of(response, tool):
    """Return the HTML of the first card in the response that links to ``tool``."""
    html = response.content.decode()
    start = html.rindex('<li class="tool-item">', 0, html.index(f'href="{tool.get_absolute_url()}"'))
    return html[start : html.index("</li>", start)]


def test_card_badges_follow_tool_flags(client):
    flagged = make_tool("Heron Original Rubric", recommendation(3), is_from_original_toolkit=True, is_verified=False)
    plain = make_tool("Heron Checked Rubric", recommendation(3), is_from_original_toolkit=False, is_verified=True)

    for query in ({}, {"q": "heron"}):
        response = client.get(TOOL_LIST, query)

        assert '<span class="badge badge-original">From the original toolkit</span>' in card_of(response, flagged)
        assert '<span class="badge badge-unverified">Unverified</span>' in card_of(response, flagged)
        assert "badge-original" not in card_of(response, plain)
        assert "badge-unverified" not in card_of(response, plain)


def test_filtered_card_lists_recommendations(client):
    tool = make_tool("Osprey Data Guide", recommendation(2), recommendation(8))

    response = client.get(TOOL_LIST, {"q": "osprey"})

    links = re.findall(r'<a href="([^"]+)" title="[^"]+">(\d+)<span', card_of(response, tool))
    assert links == [(recommendation(2).get_absolute_url(), "2"), (recommendation(8).get_absolute_url(), "8")]


def test_library_notes_recommendation_without_tools(client):
    Tool.objects.filter(recommendations=recommendation(7)).delete()

    html = client.get(TOOL_LIST).content.decode()

    group = html.split(f'href="{recommendation(7).get_absolute_url()}"')[1].split("</ul>")[0]
    assert "<li>No tools are linked to this recommendation yet.</li>" in group
    assert 'class="tool-item"' not in group
    assert html.count("No tools are linked to this recommendation yet.") == 1
