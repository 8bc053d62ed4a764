"""Each public page makes the same number of queries whatever the number of tools and case studies."""

import pytest
from django.urls import reverse

from .helpers import make_case_study, make_tool, recommendation

pytestmark = pytest.mark.django_db


def add_linked_content(prefix, count):
    """Create tools and featured case studies all linked to recommendation 5 and to one another."""
    tools = [
        make_tool(f"{prefix} Tool {index}", recommendation(5), recommendation(9), description="Counted query tool.")
        for index in range(count)
    ]
    case_studies = [
        make_case_study(f"{prefix} Case {index}", recommendation(5), tools=tools, is_featured=True)
        for index in range(count)
    ]
    return tools[0], case_studies[0]


PAGES = [
    # (page, how to build its URL from the first tool and case study, queries)
    ("home", lambda tool, case_study: reverse("toolkit:home"), 3),
    ("stage", lambda tool, case_study: recommendation(5).stage.get_absolute_url(), 2),
    ("recommendation list", lambda tool, case_study: reverse("toolkit:recommendation-list"), 2),
    ("recommendation", lambda tool, case_study: recommendation(5).get_absolute_url(), 6),
    ("tool list", lambda tool, case_study: reverse("toolkit:tool-list"), 3),
    (
        "tool list, filtered",
        lambda tool, case_study: reverse("toolkit:tool-list") + "?q=counted&stage=" + recommendation(5).stage.slug,
        4,
    ),
    ("tool", lambda tool, case_study: tool.get_absolute_url(), 3),
    ("case study list", lambda tool, case_study: reverse("toolkit:case-study-list"), 2),
    ("case study", lambda tool, case_study: case_study.get_absolute_url(), 3),
]


@pytest.mark.parametrize("page, build_url, queries", PAGES, ids=[page for page, _, _ in PAGES])
def test_page_queries_stay_fixed(client, django_assert_num_queries, page, build_url, queries):
    url = build_url(*add_linked_content("Small", 1))
    with django_assert_num_queries(queries):
        assert client.get(url).status_code == 200

    add_linked_content("Large", 15)
    with django_assert_num_queries(queries):
        response = client.get(url)

    assert response.status_code == 200
