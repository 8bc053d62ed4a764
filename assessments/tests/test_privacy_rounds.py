import pytest
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains, assertRedirects

from assessments.models import Answer, AssessmentRound, Response, Side
from conftest import make_user

from .helpers import answer_all, make_round

pytestmark = pytest.mark.django_db

METHODS = ["get", "post", "put", "patch", "delete"]


@pytest.fixture
def alice_response(partnership, alice):
    round_ = make_round(partnership)
    answered = answer_all(round_, alice, Side.DISTRICT, rating="3", submitted=True)
    Answer.objects.filter(response=answered, indicator__code="1.1").update(note="Our private remark")
    return answered


def owned_urls(answered):
    round_ = answered.round
    partnership_round = [round_.partnership_id, round_.pk]
    return [
        reverse("assessments:round-create", args=[round_.partnership_id]),
        reverse("assessments:round-detail", args=partnership_round),
        reverse("assessments:answer-page", args=[*partnership_round, 1]),
        reverse("assessments:answer-autosave", args=[*partnership_round, 1]),
        reverse("assessments:response-submit", args=partnership_round),
        reverse("assessments:response-detail", args=[*partnership_round, answered.pk]),
        reverse("assessments:response-reopen", args=[*partnership_round, answered.pk]),
    ]


@pytest.mark.parametrize("method", METHODS)
def test_outsider_gets_404_everywhere(client_for, oscar, other_partnership, alice_response, method):
    client = client_for(oscar)
    submitted_at = alice_response.submitted_at

    for url in owned_urls(alice_response):
        response = getattr(client, method)(url)
        assert response.status_code == 404, f"{method.upper()} {url} gave {response.status_code}"

    alice_response.refresh_from_db()
    assert alice_response.submitted_at == submitted_at
    assert AssessmentRound.objects.count() == 1


@pytest.mark.parametrize("method", METHODS)
def test_anonymous_is_sent_to_login(client, alice_response, method):
    for url in owned_urls(alice_response):
        response = getattr(client, method)(url)
        if url.endswith("/autosave/"):
            assert response.status_code == 401, url
        else:
            assertRedirects(response, f"{reverse('accounts:login')}?next={url}", fetch_redirect_response=False)


def test_outsider_404_does_not_leak_round_label(client_for, oscar, alice_response):
    detail_url = owned_urls(alice_response)[1]

    response = client_for(oscar).get(detail_url)

    assertNotContains(response, "Fall 2026", status_code=404)


def test_other_member_cannot_read_response(client_for, bob, alice_response):
    detail_url = owned_urls(alice_response)[5]

    response = client_for(bob).get(detail_url)

    assert response.status_code == 404


def test_owner_cannot_read_others_response(client_for, alice, bob, partnership, alice_response):
    bob_response = answer_all(alice_response.round, bob, Side.PROGRAM, submitted=True)
    url = reverse("assessments:response-detail", args=[partnership.pk, alice_response.round_id, bob_response.pk])

    response = client_for(alice).get(url)

    assert response.status_code == 404


def test_facilitator_reads_response(client_for, fran, alice_response):
    detail_url = owned_urls(alice_response)[5]

    response = client_for(fran).get(detail_url)

    assertContains(response, "<h1>Answers of Alice Rivera</h1>", html=True)
    assertContains(response, "Our private remark")
    assertContains(response, "Rating: Developing")


def test_respondent_reads_own_response(client_for, alice, alice_response):
    detail_url = owned_urls(alice_response)[5]

    response = client_for(alice).get(detail_url)

    assertContains(response, "<h1>Your answers</h1>", html=True)
    assertContains(response, "Our private remark")


def test_staff_reads_response(client_for, alice_response):
    staff = make_user("staff@partnerprep.example.org", is_staff=True)
    detail_url = owned_urls(alice_response)[5]

    response = client_for(staff).get(detail_url)

    assertContains(response, "Our private remark")


def test_response_of_other_round_is_404(client_for, fran, partnership, alice_response):
    alice_response.round.closed_at = alice_response.submitted_at
    alice_response.round.save()
    later_round = make_round(partnership, version=alice_response.round.questionnaire_version, label="Spring")
    url = reverse("assessments:response-detail", args=[partnership.pk, later_round.pk, alice_response.pk])

    response = client_for(fran).get(url)

    assert response.status_code == 404


def test_outsider_cannot_submit_into_round(client_for, oscar, alice_response):
    submit_url = owned_urls(alice_response)[4]

    client_for(oscar).post(submit_url)

    assert not Response.objects.filter(respondent=oscar).exists()
