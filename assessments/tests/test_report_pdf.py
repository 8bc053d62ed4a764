"""The PDF report download: access, content, page sizes, tags and failures."""

import logging

import pytest
import weasyprint
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone
from pytest_django.asserts import assertContains, assertNotContains, assertRedirects

from assessments.models import CachedReport, Membership, Side
from assessments.report.filenames import content_disposition, report_filename
from assessments.tests.report_helpers import (
    answer_round,
    first_indicator_code,
    make_round,
    pdf_info,
    pdf_objects,
    pdf_text,
)
from conftest import add_member, make_user
from toolkit.models import Recommendation

LETTER = "612 x 792 pts (letter)"
A4 = "595.276 x 841.89 pts (A4)"


def report_url(round_, query=""):
    return reverse("assessments:report-pdf", args=[round_.partnership_id, round_.pk]) + query


def without_whitespace(text):
    """Drop all whitespace, because the PDF wraps lines wherever the layout needs to."""
    return "".join(text.split())


def one_line(text):
    return " ".join(text.split())


@pytest.fixture
def answered_round(partnership, alice, bob):
    """Fall 2026 with both sides submitted: district 2 and program 4 everywhere, so combined 3."""
    round_ = make_round(partnership)
    answer_round(round_, alice, Side.DISTRICT, rating="2", notes={first_indicator_code(round_): "District view."})
    answer_round(round_, bob, Side.PROGRAM, rating="4", notes={first_indicator_code(round_): "Program view."})
    return round_


@pytest.fixture
def report(answered_round, alice, client_for):
    response = client_for(alice).get(report_url(answered_round))
    assert response.status_code == 200
    return response.content


def test_download_is_pdf_attachment(answered_round, alice, client_for):
    response = client_for(alice).get(report_url(answered_round))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF-1.7")
    assert response["Content-Disposition"] == (
        'attachment; filename="Riverbend-Unified-School-District-Lakeview-State-University-College-of-Education'
        "-Fall-2026.pdf\"; filename*=UTF-8''Riverbend-Unified-School-District-Lakeview-State-University-College"
        "-of-Education-Fall-2026.pdf"
    )


def test_facilitator_can_download(answered_round, fran, client_for):
    response = client_for(fran).get(report_url(answered_round))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"


def test_filename_transliterates_accents(partnership):
    partnership.district_name = "Ñandú School District"
    partnership.program_name = "Colegio Núñez"
    round_ = make_round(partnership)

    assert content_disposition(round_) == (
        'attachment; filename="Nandu-School-District-Colegio-Nunez-Fall-2026.pdf"; '
        "filename*=UTF-8''%C3%91and%C3%BA-School-District-Colegio-N%C3%BA%C3%B1ez-Fall-2026.pdf"
    )


def test_filename_drops_quotes_and_slashes(partnership):
    partnership.district_name = 'North/South "Unified"; rm -rf'
    partnership.program_name = "..\\College"
    round_ = make_round(partnership, label="Fall\r\n2026")

    assert report_filename(round_, ascii_only=True) == "North-South-Unified-rm-rf-College-Fall-2026.pdf"


def test_filename_without_any_letters(partnership):
    partnership.district_name = "学区"
    partnership.program_name = "!!!"
    round_ = make_round(partnership, label="—")

    assert report_filename(round_, ascii_only=True) == "report.pdf"
    assert report_filename(round_, ascii_only=False) == "学区.pdf"


@pytest.mark.parametrize("method", ["get", "head", "post", "put", "delete"])
def test_outsider_gets_404(answered_round, oscar, client_for, method):
    response = getattr(client_for(oscar), method)(report_url(answered_round))

    assert response.status_code == 404


@pytest.mark.parametrize("method", ["get", "post"])
def test_anonymous_visitor_is_sent_to_login(answered_round, client, method):
    url = report_url(answered_round)

    response = getattr(client, method)(url)

    assertRedirects(response, f"{reverse('accounts:login')}?next={url}", fetch_redirect_response=False)


def test_round_of_other_partnership_is_404(answered_round, other_partnership, oscar, client_for):
    url = reverse("assessments:report-pdf", args=[other_partnership.pk, answered_round.pk])

    response = client_for(oscar).get(url)

    assert response.status_code == 404


def test_unknown_round_is_404(partnership, alice, client_for):
    response = client_for(alice).get(reverse("assessments:report-pdf", args=[partnership.pk, 999999]))

    assert response.status_code == 404


def test_member_post_is_not_allowed(answered_round, alice, client_for):
    response = client_for(alice).post(report_url(answered_round))

    assert response.status_code == 405
    assert response["Allow"] == "GET, HEAD"


def test_round_without_submissions_gets_friendly_page(partnership, alice, client_for):
    round_ = make_round(partnership)
    answer_round(round_, alice, Side.DISTRICT, submitted=False)

    response = client_for(alice).get(report_url(round_))

    assertContains(response, "The PDF report is not available", status_code=409)
    assertContains(response, "once at least one person has submitted their answers", status_code=409)
    assert response["Content-Type"] == "text/html; charset=utf-8"


def test_one_side_gives_labelled_preview(partnership, alice, client_for):
    round_ = make_round(partnership)
    answer_round(round_, alice, Side.DISTRICT, rating="2")

    response = client_for(alice).get(report_url(round_))

    assert response.status_code == 200
    text = one_line(pdf_text(response.content))
    assert "Only the district side has submitted answers so far." in text
    assert "Focus areas appear once both sides have submitted their answers." in text


def test_failed_render_gets_friendly_page(answered_round, alice, client_for, monkeypatch, caplog):
    def fail(*args, **kwargs):
        raise RuntimeError("Pango could not load a font")

    monkeypatch.setattr(weasyprint.HTML, "write_pdf", fail)

    with caplog.at_level(logging.INFO, logger="assessments.report"):
        response = client_for(alice).get(report_url(answered_round))

    assertContains(response, "Something went wrong while we were building the report", status_code=503)
    assertNotContains(response, "Pango could not load a font", status_code=503)
    assertNotContains(response, "Traceback", status_code=503)
    [record] = [record for record in caplog.records if "event=report_failed" in record.getMessage()]
    assert record.levelno == logging.ERROR
    assert record.getMessage() == f"event=report_failed round_id={answered_round.pk} page_size=letter"
    assert record.exc_info[0] is RuntimeError


def test_slow_render_is_stopped_with_friendly_page(answered_round, alice, client_for, caplog):
    # A real render needs over a second, so a 50 ms limit always cuts it off.
    with override_settings(REPORT_RENDER_TIMEOUT_SECONDS=0.05), caplog.at_level(logging.INFO):
        response = client_for(alice).get(report_url(answered_round))

    assertContains(response, "Building the report for Fall 2026 took too long", status_code=503)
    assert not CachedReport.objects.filter(round=answered_round).exists()
    [record] = [record for record in caplog.records if "event=report_timed_out" in record.getMessage()]
    assert record.levelno == logging.WARNING
    assert record.getMessage() == (
        f"event=report_timed_out round_id={answered_round.pk} page_size=letter limit_s=0.05"
    )


def test_render_within_limit_succeeds_after_timeout(answered_round, alice, client_for):
    with override_settings(REPORT_RENDER_TIMEOUT_SECONDS=0.05):
        client_for(alice).get(report_url(answered_round))

    response = client_for(alice).get(report_url(answered_round))

    assert response.status_code == 200
    assert response.content.startswith(b"%PDF")


def test_success_is_logged(answered_round, alice, client_for, caplog):
    with caplog.at_level(logging.INFO, logger="assessments.report"):
        response = client_for(alice).get(report_url(answered_round))

    [record] = [record for record in caplog.records if "event=report_generated" in record.getMessage()]
    message = record.getMessage()
    assert message.startswith(f"event=report_generated round_id={answered_round.pk} page_size=letter duration_ms=")
    assert message.endswith(f" bytes={len(response.content)}")


def test_cover_names_partnership_and_round(report):
    text = one_line(pdf_text(report, page=1))

    assert "Riverbend Unified School District and Lakeview State University College of Education" in text
    assert "State Oregon" in text
    assert "Assessment round Fall 2026 (still open)" in text
    assert (
        f"Report generated {timezone.localdate():%B} {timezone.localdate().day}, {timezone.localdate().year}" in text
    )


def test_cover_counts_respondents_per_side(partnership, alice, bob, client_for):
    dana = make_user("dana@riverbend.example.org", display_name="Dana Diaz")
    add_member(partnership, dana, Side.DISTRICT)
    round_ = make_round(partnership)
    answer_round(round_, alice, Side.DISTRICT)
    answer_round(round_, dana, Side.DISTRICT)
    answer_round(round_, bob, Side.PROGRAM)

    text = pdf_text(client_for(alice).get(report_url(round_)).content, page=1, layout=True)

    assert one_line(text).count("District 2 None listed") == 1
    assert one_line(text).count("Preparation program 1 None listed") == 1


def test_cover_names_only_members_who_opted_in(answered_round, partnership, alice, bob, client_for):
    Membership.objects.filter(partnership=partnership, user=alice).update(show_name_in_reports=True)

    pdf = client_for(alice).get(report_url(answered_round)).content
    text = one_line(pdf_text(pdf, layout=True))

    assert "District 1 Alice Rivera" in text
    assert "Preparation program 1 None listed" in text
    assert "Bob Chen" not in text
    assert "@" not in text


def test_unicode_notes_come_back(partnership, alice, bob, client_for):
    round_ = make_round(partnership)
    code = first_indicator_code(round_)
    answer_round(round_, alice, Side.DISTRICT, notes={code: "Chúng tôi cần thêm dữ liệu. 双方每学期见面一次。"})
    answer_round(round_, bob, Side.PROGRAM, notes={code: "Ñandú café crème. نحتاج إلى شراكة"})

    text = pdf_text(client_for(alice).get(report_url(round_)).content)

    assert "Chúng tôi cần thêm dữ liệu." in text
    assert "双方每学期见面一次。" in text
    assert "Ñandú café crème." in text
    # pdftotext writes right-to-left runs in visual order, so single Arabic words are compared.
    assert "نحتاج" in text
    assert "شراكة" in text


def test_sections_chart_and_sustaining_stage(report):
    text = one_line(pdf_text(report))

    assert "At a glance" in text
    assert "Current stage: Continuous Improvement Stage." in text
    assert "Every scored recommendation is at Developing or above" in text
    assert "Focus areas" in text
    assert "Gaps to discuss" in text
    assert "Appendix: every indicator" in text
    assert "Growth since" not in text
    assert "Scores of all ten recommendations by stage, for each side and combined" in text


def test_scores_table_matches_answers(report):
    text = one_line(pdf_text(report, layout=True))

    first = Recommendation.objects.get(number=1)
    assert f"1. {first.short_title} 2.00 4.00 3.00 Developing" in text


def test_focus_areas_print_tool_urls_in_full(report):
    text = without_whitespace(pdf_text(report))

    tool = Recommendation.objects.get(number=1).tools.order_by("name").first()
    assert without_whitespace(f"{tool.name}, by {tool.creators}") in text
    assert tool.url in text


def test_gaps_list_both_sides_with_notes(report):
    text = one_line(pdf_text(report))

    gaps = text.split("Gaps to discuss")[1].split("Appendix: every indicator")[0]
    assert "2.00 4.00 2.00" in one_line(gaps)
    assert "District note on" in gaps
    assert "Preparation program note on" in gaps


def test_appendix_labels_notes_by_side(report, answered_round):
    text = one_line(pdf_text(report)).split("Appendix: every indicator")[1]

    code = first_indicator_code(answered_round)
    assert f"District note on {code}: District view." in text
    assert f"Preparation program note on {code}: Program view." in text


def test_growth_since_previous_closed_round(partnership, alice, bob, client_for):
    earlier = make_round(partnership, label="Spring 2026", opened_at=timezone.now() - timezone.timedelta(days=200))
    answer_round(earlier, alice, Side.DISTRICT, rating="1")
    answer_round(earlier, bob, Side.PROGRAM, rating="1")
    earlier.closed_at = timezone.now() - timezone.timedelta(days=100)
    earlier.save()
    round_ = make_round(partnership)
    answer_round(round_, alice, Side.DISTRICT, rating="2")
    answer_round(round_, bob, Side.PROGRAM, rating="4")

    text = one_line(pdf_text(client_for(alice).get(report_url(round_)).content, layout=True))

    first = Recommendation.objects.get(number=1)
    assert "Growth since Spring 2026" in text
    assert f"1. {first.short_title} 1.00 3.00 +2.00 +1.00 +3.00" in text


def test_header_and_footer_on_later_pages(report):
    pages = int(pdf_info(report)["Pages"])
    second = one_line(pdf_text(report, page=2))

    assert pages > 2
    assert second.startswith(
        "Riverbend Unified School District and Lakeview State University College of Education Partnering on Prep"
    )
    assert second.endswith(f"Page 2 of {pages}")
    assert one_line(pdf_text(report, page=1)).endswith(f"Page 1 of {pages}")


def test_pdf_is_tagged_with_title_and_language(report):
    info = pdf_info(report)
    objects = pdf_objects(report)

    assert info["Tagged"] == "yes"
    assert info["Title"] == (
        "Partnership report: Riverbend Unified School District and Lakeview State University College of "
        "Education, Fall 2026"
    )
    assert info["Author"] == "Partnering on Prep"
    assert b"/MarkInfo <</Marked true>>" in objects
    assert b"/StructTreeRoot" in objects
    assert b"/Lang (en)" in objects
    assert b'pdfuaid:part="1"' in objects
    assert b"/S /Figure" in objects
    assert b"/Alt (Scores of every recommendation" in objects


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("", LETTER),
        ("?size=a4", A4),
        ("?size=A4", A4),
        ("?size=letter", LETTER),
        ("?size=legal", LETTER),
        ("?size=", LETTER),
        ("?size=a4&size=%00", LETTER),
    ],
)
def test_size_parameter(answered_round, alice, client_for, query, expected):
    response = client_for(alice).get(report_url(answered_round, query))

    assert response.status_code == 200
    assert pdf_info(response.content)["Page size"] == expected


@pytest.mark.parametrize(("setting", "expected"), [("a4", A4), ("letter", LETTER), ("tabloid", LETTER)])
def test_page_size_setting(answered_round, alice, client_for, setting, expected):
    with override_settings(REPORT_PAGE_SIZE=setting):
        response = client_for(alice).get(report_url(answered_round))

    assert response.status_code == 200
    assert pdf_info(response.content)["Page size"] == expected
