import pytest
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains, assertRedirects

from assessments.models import Membership, Side
from assessments.tests.report_helpers import answer_round, make_round, pdf_text
from conftest import add_member, make_user


def update_url(membership):
    return reverse("assessments:membership-update", args=[membership.partnership_id, membership.pk])


def membership_of(partnership, user):
    return Membership.objects.get(partnership=partnership, user=user)


def messages_of(response):
    return [str(message) for message in response.wsgi_request._messages]


def test_owner_changes_side(client_for, partnership, alice, bob):
    membership = membership_of(partnership, bob)

    response = client_for(alice).post(update_url(membership), {"action": "change", "side": "district"})

    assertRedirects(response, partnership.get_absolute_url(), fetch_redirect_response=False)
    membership.refresh_from_db()
    assert membership.side == Side.DISTRICT
    assert not membership.is_owner
    assert messages_of(response) == ["Bob Chen is saved as a member on the district side."]


def test_owner_makes_member_owner(client_for, partnership, alice, bob):
    membership = membership_of(partnership, bob)

    client_for(alice).post(update_url(membership), {"action": "change", "side": "program", "is_owner": "on"})

    membership.refresh_from_db()
    assert membership.is_owner
    assert membership.side == Side.PROGRAM


def test_owner_removes_member(client_for, partnership, alice, bob):
    membership = membership_of(partnership, bob)

    response = client_for(alice).post(update_url(membership), {"action": "remove"})

    assertRedirects(response, partnership.get_absolute_url(), fetch_redirect_response=False)
    assert not Membership.objects.filter(pk=membership.pk).exists()


def test_owner_rejects_invalid_side(client_for, partnership, alice, bob):
    membership = membership_of(partnership, bob)

    response = client_for(alice).post(update_url(membership), {"action": "change", "side": "principal"})

    assertRedirects(response, partnership.get_absolute_url(), fetch_redirect_response=False)
    membership.refresh_from_db()
    assert membership.side == Side.PROGRAM


def test_owner_rejects_missing_side(client_for, partnership, alice, bob):
    membership = membership_of(partnership, bob)

    client_for(alice).post(update_url(membership), {"action": "change"})

    membership.refresh_from_db()
    assert membership.side == Side.PROGRAM


def test_member_leaves(client_for, partnership, bob):
    membership = membership_of(partnership, bob)

    response = client_for(bob).post(update_url(membership), {"action": "remove"})

    assertRedirects(response, reverse("assessments:partnership-list"), fetch_redirect_response=False)
    assert not Membership.objects.filter(pk=membership.pk).exists()


def test_member_cannot_change_own_side(client_for, partnership, bob):
    membership = membership_of(partnership, bob)

    response = client_for(bob).post(update_url(membership), {"action": "change", "side": "district", "is_owner": "on"})

    assert response.status_code == 404
    membership.refresh_from_db()
    assert membership.side == Side.PROGRAM
    assert not membership.is_owner


@pytest.mark.parametrize("action", [{"action": "remove"}, {"action": "change", "side": "program"}])
def test_non_owner_changing_others_is_404(client_for, partnership, alice, bob, action):
    membership = membership_of(partnership, alice)

    response = client_for(bob).post(update_url(membership), action)

    assert response.status_code == 404
    membership.refresh_from_db()
    assert membership.is_owner
    assert membership.side == Side.DISTRICT


def test_last_owner_cannot_leave(client_for, partnership, alice):
    membership = membership_of(partnership, alice)

    response = client_for(alice).post(update_url(membership), {"action": "remove"})

    assertRedirects(response, partnership.get_absolute_url(), fetch_redirect_response=False)
    assert Membership.objects.filter(pk=membership.pk, is_owner=True).exists()
    assert messages_of(response) == [
        "A partnership needs at least one owner. Make another member an owner before the last owner leaves."
    ]


def test_last_owner_cannot_drop_owner_flag(client_for, partnership, alice):
    membership = membership_of(partnership, alice)

    client_for(alice).post(update_url(membership), {"action": "change", "side": "district"})

    membership.refresh_from_db()
    assert membership.is_owner


def test_last_owner_can_change_own_side(client_for, partnership, alice):
    membership = membership_of(partnership, alice)

    client_for(alice).post(update_url(membership), {"action": "change", "side": "facilitator", "is_owner": "on"})

    membership.refresh_from_db()
    assert membership.side == Side.FACILITATOR
    assert membership.is_owner


def test_new_last_owner_cannot_leave(client_for, partnership, alice, bob):
    Membership.objects.filter(partnership=partnership, user=bob).update(is_owner=True)
    alice_membership = membership_of(partnership, alice)
    bob_membership = membership_of(partnership, bob)
    client = client_for(alice)

    client.post(update_url(alice_membership), {"action": "change", "side": "district"})
    response = client_for(bob).post(update_url(bob_membership), {"action": "remove"})

    alice_membership.refresh_from_db()
    assert not alice_membership.is_owner
    assert response.status_code == 302
    assert Membership.objects.filter(pk=bob_membership.pk, is_owner=True).exists()


def test_owner_leaves_when_another_owner_remains(client_for, partnership, alice, bob):
    Membership.objects.filter(partnership=partnership, user=bob).update(is_owner=True)
    membership = membership_of(partnership, alice)

    response = client_for(alice).post(update_url(membership), {"action": "remove"})

    assertRedirects(response, reverse("assessments:partnership-list"), fetch_redirect_response=False)
    assert not Membership.objects.filter(pk=membership.pk).exists()


def test_membership_of_other_partnership_is_404(client_for, partnership, other_partnership, alice, oscar):
    foreign = membership_of(other_partnership, oscar)
    url = reverse("assessments:membership-update", args=[partnership.pk, foreign.pk])

    response = client_for(alice).post(url, {"action": "remove"})

    assert response.status_code == 404
    assert Membership.objects.filter(pk=foreign.pk).exists()


def test_membership_update_get_is_405_for_members(client_for, partnership, bob):
    response = client_for(bob).get(update_url(membership_of(partnership, bob)))

    assert response.status_code == 405


def test_detail_shows_owner_controls(client_for, partnership, alice, bob):
    membership = membership_of(partnership, bob)

    response = client_for(alice).get(partnership.get_absolute_url())

    assertContains(response, f'<label class="visually-hidden" for="side-{membership.pk}">Side for Bob Chen</label>')
    assertContains(response, f'action="{update_url(membership)}"')


def test_detail_shows_leave_button_to_members(client_for, partnership, alice, bob):
    response = client_for(bob).get(partnership.get_absolute_url())

    assertContains(response, f'action="{update_url(membership_of(partnership, bob))}"')
    assertNotContains(response, f'action="{update_url(membership_of(partnership, alice))}"')
    assertContains(response, "Leave partnership")


def test_removed_member_loses_access(client_for, partnership, alice):
    carol = make_user("carol@riverbend.example.org")
    membership = add_member(partnership, carol, Side.DISTRICT)
    client_for(alice).post(update_url(membership), {"action": "remove"})

    response = client_for(carol).get(partnership.get_absolute_url())

    assert response.status_code == 404


def test_member_sees_report_name_form(client_for, partnership, bob):
    membership = membership_of(partnership, bob)

    response = client_for(bob).get(partnership.get_absolute_url())

    assertContains(response, '<input type="hidden" name="action" value="report-name">', count=1)
    assertContains(
        response,
        f'<label class="form-check-label" for="report-name-{membership.pk}">Show my name on PDF reports</label>',
        count=1,
    )
    checkbox = f'type="checkbox" name="show_name_in_reports" id="report-name-{membership.pk}">'
    assertContains(response, checkbox)


def test_report_name_form_shows_saved_choice(client_for, partnership, bob):
    membership = membership_of(partnership, bob)
    Membership.objects.filter(pk=membership.pk).update(show_name_in_reports=True)

    response = client_for(bob).get(partnership.get_absolute_url())

    assertContains(response, f'id="report-name-{membership.pk}" checked>')


def test_facilitator_has_no_report_name_form(client_for, partnership, fran):
    response = client_for(fran).get(partnership.get_absolute_url())

    assertNotContains(response, 'value="report-name"')


def test_member_without_display_name_is_told(client_for, partnership):
    carol = make_user("carol@riverbend.example.org")
    membership = add_member(partnership, carol, Side.DISTRICT)

    response = client_for(carol).get(partnership.get_absolute_url())

    assertContains(response, f'aria-describedby="report-name-help-{membership.pk}"')
    assertContains(response, "Your account has no display name, so reports count you without naming you.")


@pytest.mark.parametrize(("data", "expected"), [({"show_name_in_reports": "on"}, True), ({}, False)])
def test_member_saves_report_name_choice(client_for, partnership, bob, data, expected):
    membership = membership_of(partnership, bob)
    Membership.objects.filter(pk=membership.pk).update(show_name_in_reports=not expected)

    response = client_for(bob).post(update_url(membership), {"action": "report-name", **data})

    assertRedirects(response, partnership.get_absolute_url(), fetch_redirect_response=False)
    membership.refresh_from_db()
    assert membership.show_name_in_reports is expected
    assert membership.side == Side.PROGRAM
    assert not membership.is_owner


def test_report_name_choice_message(client_for, partnership, bob):
    response = client_for(bob).post(
        update_url(membership_of(partnership, bob)), {"action": "report-name", "show_name_in_reports": "on"}
    )

    assert messages_of(response) == ["PDF reports of this partnership will show your name."]


@pytest.mark.parametrize("persona", ["alice", "fran"])
def test_report_name_of_others_is_404(client_for, partnership, bob, request, persona):
    membership = membership_of(partnership, bob)

    response = client_for(request.getfixturevalue(persona)).post(
        update_url(membership), {"action": "report-name", "show_name_in_reports": "on"}
    )

    assert response.status_code == 404
    membership.refresh_from_db()
    assert membership.show_name_in_reports is False


def test_report_cover_names_member_after_choice(client_for, partnership, alice, bob):
    round_ = make_round(partnership)
    answer_round(round_, alice, Side.DISTRICT)
    answer_round(round_, bob, Side.PROGRAM)
    client = client_for(bob)
    report_url = reverse("assessments:report-pdf", args=[partnership.pk, round_.pk])
    before = " ".join(pdf_text(client.get(report_url).content, page=1, layout=True).split())

    client.post(update_url(membership_of(partnership, bob)), {"action": "report-name", "show_name_in_reports": "on"})
    after = " ".join(pdf_text(client.get(report_url).content, page=1, layout=True).split())

    assert "Bob Chen" not in before
    assert "Preparation program 1 Bob Chen" in after
