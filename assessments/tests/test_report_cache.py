"""Repeat downloads come from the database cache until something the report shows changes."""

import pytest
from django.urls import reverse
from django.utils import timezone

from assessments.models import Answer, CachedReport, Membership, Response, Side
from assessments.report import cache, rendering
from assessments.tests.report_helpers import answer_round, make_round
from conftest import add_member, make_user


@pytest.fixture
def render_calls(monkeypatch):
    """Count real renders: the wrapper records each call, then renders with WeasyPrint."""
    calls = []
    real_render = rendering.render_report

    def counting_render(round_, **kwargs):
        calls.append((round_.pk, kwargs["page_size"]))
        return real_render(round_, **kwargs)

    monkeypatch.setattr(rendering, "render_report", counting_render)
    return calls


@pytest.fixture
def answered_round(partnership, alice, bob):
    round_ = make_round(partnership)
    answer_round(round_, alice, Side.DISTRICT, rating="2")
    answer_round(round_, bob, Side.PROGRAM, rating="4")
    return round_


@pytest.fixture
def download(alice, client_for):
    client = client_for(alice)

    def get(round_, query=""):
        response = client.get(reverse("assessments:report-pdf", args=[round_.partnership_id, round_.pk]) + query)
        assert response.status_code == 200
        return response.content

    return get


def test_repeat_download_served_from_cache(answered_round, download, render_calls):
    first = download(answered_round)
    second = download(answered_round)

    assert render_calls == [(answered_round.pk, "letter")]
    assert second == first
    assert CachedReport.objects.filter(round=answered_round).count() == 1


def test_cache_hit_makes_four_queries(answered_round, download, render_calls, django_assert_num_queries):
    download(answered_round)

    with django_assert_num_queries(4):
        pdf = cache.get_report_pdf(answered_round, page_size="letter")

    assert pdf.startswith(b"%PDF-")
    assert len(render_calls) == 1


def test_changed_answer_renders_again(answered_round, alice, download, render_calls):
    first = download(answered_round)
    answer = Answer.objects.filter(response__respondent=alice).first()
    answer.rating = "4"
    # Saved without bumping round.changed_at: the answer's own saved_at must be enough.
    answer.save()

    second = download(answered_round)

    assert len(render_calls) == 2
    assert second != first
    assert CachedReport.objects.filter(round=answered_round).count() == 1
    assert bytes(CachedReport.objects.get(round=answered_round).pdf) == second


def test_round_change_renders_again(answered_round, download, render_calls):
    download(answered_round)
    answered_round.changed_at = timezone.now()
    answered_round.save()

    download(answered_round)

    assert len(render_calls) == 2


def test_new_submission_renders_again(answered_round, partnership, download, render_calls):
    carol = make_user("carol@lakeview.example.edu")
    add_member(partnership, carol, Side.PROGRAM)
    response = answer_round(answered_round, carol, Side.PROGRAM, submitted=False)
    download(answered_round)

    Response.objects.filter(pk=response.pk).update(submitted_at=timezone.now())
    download(answered_round)

    assert len(render_calls) == 2


def test_showing_a_name_renders_again(answered_round, partnership, alice, download, render_calls):
    download(answered_round)
    Membership.objects.filter(partnership=partnership, user=alice).update(show_name_in_reports=True)

    download(answered_round)

    assert len(render_calls) == 2


def test_page_sizes_cached_separately(answered_round, download, render_calls):
    download(answered_round)
    download(answered_round, "?size=a4")
    download(answered_round)
    download(answered_round, "?size=a4")

    assert render_calls == [(answered_round.pk, "letter"), (answered_round.pk, "a4")]
    assert sorted(CachedReport.objects.filter(round=answered_round).values_list("page_size", flat=True)) == [
        "a4",
        "letter",
    ]


def test_fingerprint_changes_with_template_version(answered_round, monkeypatch):
    before = cache.report_fingerprint(answered_round, page_size="letter")
    monkeypatch.setattr(rendering, "TEMPLATE_VERSION", rendering.TEMPLATE_VERSION + 1)

    assert cache.report_fingerprint(answered_round, page_size="letter") != before


def test_failed_render_leaves_no_cache_row(answered_round, alice, client_for, monkeypatch):
    def fail(round_, **kwargs):
        raise rendering.ReportRenderError("WeasyPrint failed.")

    monkeypatch.setattr(rendering, "render_report", fail)

    response = client_for(alice).get(
        reverse("assessments:report-pdf", args=[answered_round.partnership_id, answered_round.pk])
    )

    assert response.status_code == 503
    assert not CachedReport.objects.filter(round=answered_round).exists()
