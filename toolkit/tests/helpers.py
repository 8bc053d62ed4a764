"""Small builders for toolkit rows that a test needs beyond the loaded content, and an HTML outline reader."""

from html.parser import HTMLParser

from django.utils.text import slugify

from toolkit.models import CaseStudy, Recommendation, Tool


def recommendation(number):
    return Recommendation.objects.select_related("stage").get(number=number)


def make_tool(name, *recommendations, **fields):
    fields.setdefault("slug", slugify(name))
    fields.setdefault("creators", "Riverbend Unified School District")
    fields.setdefault("tool_type", Tool.Type.RUBRIC)
    fields.setdefault("audience", Tool.Audience.BOTH)
    fields.setdefault("description", "A test tool.")
    fields.setdefault("url", f"https://tools.example.org/{fields['slug']}")
    tool = Tool.objects.create(name=name, **fields)
    tool.recommendations.set(recommendations)
    return tool


def make_case_study(title, *recommendations, tools=(), **fields):
    fields.setdefault("slug", slugify(title))
    fields.setdefault("districts", "Riverbend Unified School District")
    fields.setdefault("programs", "Lakeview State University")
    fields.setdefault("state", "OR")
    fields.setdefault("summary", "A test case study.")
    fields.setdefault("body", "What the partners did.")
    case_study = CaseStudy.objects.create(title=title, **fields)
    case_study.recommendations.set(recommendations)
    case_study.tools.set(tools)
    return case_study


class HeadingCollector(HTMLParser):
    def __init__(self):
        super().__init__()
        self.levels = []

    def handle_starttag(self, tag, attrs):
        if len(tag) == 2 and tag[0] == "h" and tag[1] in "123456":
            self.levels.append(int(tag[1]))


def heading_levels(html):
    """Return the levels of the page's headings in document order, e.g. [1, 2, 3, 2]."""
    collector = HeadingCollector()
    collector.feed(html)
    return collector.levels
