import pytest
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains, assertRedirects

from assessments.models import AssessmentRound, Membership, Partnership, QuestionnaireVersion, Side
from conftest import add_member, make_partnership, make_user

LIST_URL = reverse("assessments:partnership-list")
CREATE_URL = reverse("assessments:partnership-create")


def detail_url(partnership):
    return reverse("assessments:partnership-detail", args=[partnership.pk])


def open_round(partnership, label="Fall 2026"):
    version = QuestionnaireVersion.objects.current() or QuestionnaireVersion.objects.create(
        slug="test-version", title="Test questionnaire", published_on="2026-01-01", is_current=True
    )
    return AssessmentRound.objects.create(partnership=partnership, label=label, questionnaire_version=version)


@pytest.mark.django_db
@pytest.mark.parametrize("url", [LIST_URL, CREATE_URL])
def test_partnership_pages_require_login(client, url):
    response = client.get(url)

    assertRedirects(response, f"{reverse('accounts:login')}?next={url}", fetch_redirect_response=False)


def test_list_shows_own_partnerships_only(client_for, partnership, other_partnership, bob):
    response = client_for(bob).get(LIST_URL)

    assertContains(response, str(partnership))
    assertNotContains(response, "Hilltop School District")
    assertContains(response, f'href="{CREATE_URL}"')


def test_list_shows_side_owner_and_open_round(client_for, partnership, alice):
    round_ = open_round(partnership, "Spring 2027")

    response = client_for(alice).get(LIST_URL)

    assertContains(response, "District")
    assertContains(response, '<span class="badge text-bg-dark">Owner</span>', html=True)
    assertContains(response, f'<a href="{round_.get_absolute_url()}">Spring 2027</a>', html=True)


def test_list_without_partnerships_explains_next_step(client_for, oscar):
    response = client_for(oscar).get(LIST_URL)

    assertContains(response, "You are not in a partnership yet.")


def test_list_query_count_is_constant(client_for, alice, django_assert_num_queries):
    client = client_for(alice)
    for number in range(3):
        partnership = make_partnership(alice, district_name=f"District {number}")
        open_round(partnership, f"Round {number}")

    # Session, user, memberships with partnerships, open rounds.
    with django_assert_num_queries(4):
        response = client.get(LIST_URL)
    assert len(response.context["memberships"]) == 3


def test_create_makes_creator_owner(client_for, oscar):
    response = client_for(oscar).post(
        CREATE_URL,
        {"district_name": "  Canyon   Unified ", "program_name": "Mesa University", "state": "AZ", "side": "program"},
    )

    partnership = Partnership.objects.get(district_name="Canyon Unified")
    assertRedirects(response, detail_url(partnership), fetch_redirect_response=False)
    assert partnership.program_name == "Mesa University"
    assert partnership.state == "AZ"
    assert partnership.created_by == oscar
    membership = Membership.objects.get(partnership=partnership)
    assert membership.user == oscar
    assert membership.side == Side.PROGRAM
    assert membership.is_owner


def test_create_rejects_unknown_state_and_side(client_for, oscar):
    response = client_for(oscar).post(
        CREATE_URL, {"district_name": "Canyon Unified", "program_name": "Mesa University", "state": "XX", "side": "x"}
    )

    assert response.status_code == 200
    assert response.context["form"].has_error("state", code="invalid_choice")
    assert response.context["form"].has_error("side", code="invalid_choice")
    assertContains(response, 'id="error-summary"')
    assert not Partnership.objects.filter(district_name="Canyon Unified").exists()


def test_create_form_has_labelled_fields(client_for, oscar):
    response = client_for(oscar).get(CREATE_URL)

    assertContains(response, 'for="id_district_name" class="form-label requiredField"')
    assertContains(response, '<option value="" selected>Choose a state</option>', html=True)
    assertContains(response, "<legend")
    assertContains(response, "Your side")


def test_create_rejects_put(client_for, oscar):
    assert client_for(oscar).put(CREATE_URL).status_code == 405


def test_detail_shows_facts_and_members(client_for, partnership, alice):
    response = client_for(alice).get(detail_url(partnership))

    assertContains(
        response, "<h1>Riverbend Unified School District and Lakeview State University College of Education</h1>"
    )
    assertContains(response, "Oregon")
    assertContains(response, "Alice Rivera")
    assertContains(response, "Bob Chen")
    assertContains(response, "Fran Okafor")


def test_detail_shows_emails_to_owners(client_for, partnership, alice):
    response = client_for(alice).get(detail_url(partnership))

    assertContains(response, "bob@lakeview.example.edu")


def test_detail_hides_emails_from_other_members(client_for, partnership, bob):
    nameless = make_user("nameless@riverbend.example.org")
    add_member(partnership, nameless, Side.DISTRICT)

    response = client_for(bob).get(detail_url(partnership))

    assertNotContains(response, "alice@riverbend.example.org")
    assertNotContains(response, "nameless@riverbend.example.org")
    assertContains(response, "A district member")
    assertContains(response, "Alice Rivera")


def test_detail_shows_nameless_member_email_to_owner(client_for, partnership, alice):
    nameless = make_user("nameless@riverbend.example.org")
    add_member(partnership, nameless, Side.DISTRICT)

    response = client_for(alice).get(detail_url(partnership))

    assertContains(response, "nameless@riverbend.example.org")
    assertNotContains(response, "A district member")


def test_detail_lists_rounds(client_for, partnership, bob):
    round_ = open_round(partnership)

    response = client_for(bob).get(detail_url(partnership))

    assertContains(response, f'<a href="{round_.get_absolute_url()}">Fall 2026</a>', html=True)


@pytest.mark.parametrize("persona, sees_link", [("alice", True), ("fran", True), ("bob", False)])
def test_detail_round_create_link(client_for, partnership, request, persona, sees_link):
    response = client_for(request.getfixturevalue(persona)).get(detail_url(partnership))

    round_create = reverse("assessments:round-create", args=[partnership.pk])
    assert (f'href="{round_create}"' in response.content.decode()) is sees_link


@pytest.mark.parametrize("persona, sees_panel", [("alice", True), ("bob", False), ("fran", False)])
def test_detail_invitation_panel_for_owners_only(client_for, partnership, request, persona, sees_panel):
    response = client_for(request.getfixturevalue(persona)).get(detail_url(partnership))

    invitation_create = reverse("assessments:invitation-create", args=[partnership.pk])
    assert (f'action="{invitation_create}"' in response.content.decode()) is sees_panel


def test_detail_visible_to_staff(client_for, partnership):
    staff = make_user("staff@partnerprep.example.org", is_staff=True)

    response = client_for(staff).get(detail_url(partnership))

    assertContains(response, "Site staff, not a member")
    assertContains(response, "bob@lakeview.example.edu")


def test_detail_query_count_is_constant(client_for, partnership, alice, django_assert_num_queries):
    client = client_for(alice)
    for number in range(4):
        add_member(partnership, make_user(f"member{number}@riverbend.example.org"), Side.DISTRICT)

    # Session, user, access, memberships, rounds, invitations.
    with django_assert_num_queries(6):
        client.get(detail_url(partnership))


def test_create_error_summary_links_radio_group(client_for, oscar):
    response = client_for(oscar).post(CREATE_URL, {"district_name": "Canyon Unified", "side": "x"})

    assertContains(response, '<a href="#id_side_0" class="alert-link">Your side:')
    assertContains(response, '<fieldset aria-describedby="id_side_helptext id_side_error">')
