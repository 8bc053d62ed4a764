import logging
import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.forms.models import model_to_dict
from django.urls import reverse
from django.utils import timezone
from pytest_django.asserts import assertContains, assertNotContains, assertRedirects

from assessments.models import Invitation, Membership, Side, hash_token
from assessments.services import partnerships as partnership_services
from conftest import PASSWORD, make_partnership, make_user


def create_url(partnership):
    return reverse("assessments:invitation-create", args=[partnership.pk])


def accept_url(token):
    return reverse("assessments:invitation-accept", args=[token])


def detail_url(partnership):
    return reverse("assessments:partnership-detail", args=[partnership.pk])


def create_link(client, partnership, side="program"):
    """Create an invitation through the page and return the invitation and the token shown."""
    response = client.post(create_url(partnership), {"side": side}, follow=True)
    link = re.search(r'id="invitation-link" class="[^"]*" value="([^"]+)"', response.content.decode()).group(1)
    token = link.rstrip("/").rsplit("/", 1)[1]
    return Invitation.objects.get(token_hash=hash_token(token)), token


@pytest.fixture
def invitation_and_token(partnership, alice):
    return Invitation.create_with_token(partnership=partnership, side=Side.PROGRAM, created_by=alice)


def test_create_redirects_then_shows_link_once(client_for, partnership, alice):
    client = client_for(alice)

    response = client.post(create_url(partnership), {"side": "program"})
    page = client.get(detail_url(partnership))
    reload = client.get(detail_url(partnership))

    assertRedirects(response, detail_url(partnership) + "#new-invitation", fetch_redirect_response=False)
    invitation = Invitation.objects.get(partnership=partnership)
    link = page.context["new_invitation"]["link"]
    assert link.startswith("http://testserver/partnerships/join/")
    assert hash_token(link.rstrip("/").rsplit("/", 1)[1]) == invitation.token_hash
    assertContains(page, '<h3 id="new-invitation" class="h5" tabindex="-1">Invitation link created</h3>', count=1)
    assertContains(page, f"Invitation link for the preparation program side (#{invitation.pk})</label>")
    assertContains(page, f'value="{link}" readonly', count=1)
    assertContains(page, 'data-copy-target="invitation-link" hidden>Copy link</button>')
    assertContains(page, "/static/js/copy-link.js")
    assert "no-store" in page["Cache-Control"]
    assertNotContains(reload, link)
    assertNotContains(reload, 'id="new-invitation"')
    assertNotContains(reload, "/static/js/copy-link.js")
    assert Invitation.objects.filter(partnership=partnership).count() == 1


def test_new_link_stays_with_its_partnership(client_for, partnership, alice):
    other = make_partnership(alice, district_name="Hilltop School District", program_name="Summit College")
    client = client_for(alice)
    client.post(create_url(partnership), {"side": "program"})

    other_page = client.get(detail_url(other))
    page = client.get(detail_url(partnership))

    assertNotContains(other_page, 'id="new-invitation"')
    assertContains(page, 'id="new-invitation"', count=1)


def test_new_link_of_deleted_invitation_hidden(client_for, partnership, alice):
    client = client_for(alice)
    client.post(create_url(partnership), {"side": "program"})
    Invitation.objects.get(partnership=partnership).delete()

    page = client.get(detail_url(partnership))

    assert page.status_code == 200
    assertNotContains(page, 'id="new-invitation"')


def test_create_stores_side_expiry_and_creator(client_for, partnership, alice):
    before = timezone.now()

    invitation, _ = create_link(client_for(alice), partnership, side="facilitator")

    assert invitation.side == Side.FACILITATOR
    assert invitation.created_by == alice
    assert invitation.use_count == 0
    assert invitation.revoked_at is None
    assert before + timedelta(days=30) <= invitation.expires_at <= timezone.now() + timedelta(days=30)


def test_token_is_long_and_stored_only_hashed(client_for, partnership, alice):
    invitation, token = create_link(client_for(alice), partnership)

    # 32 random bytes in URL-safe base64 are 43 characters: 256 bits, well over the 128 required.
    assert len(token) >= 43
    row = model_to_dict(invitation)
    assert all(token not in str(value) for value in row.values())
    assert invitation.token_hash == hash_token(token)


def test_create_rejects_invalid_side(client_for, partnership, alice):
    response = client_for(alice).post(create_url(partnership), {"side": "principal"})

    assertRedirects(
        response,
        reverse("assessments:partnership-detail", args=[partnership.pk]) + "#invitations",
        fetch_redirect_response=False,
    )
    assert not Invitation.objects.exists()


def test_create_get_is_not_allowed(client_for, partnership, alice):
    assert client_for(alice).get(create_url(partnership)).status_code == 405


@pytest.mark.parametrize("persona", ["bob", "fran"])
def test_create_by_non_owner_is_404(client_for, partnership, request, persona):
    response = client_for(request.getfixturevalue(persona)).post(create_url(partnership), {"side": "program"})

    assert response.status_code == 404
    assert not Invitation.objects.exists()


def test_panel_lists_invitations(client_for, partnership, alice, invitation_and_token):
    invitation, _ = invitation_and_token
    revoked, _ = Invitation.create_with_token(
        partnership=partnership, side=Side.DISTRICT, created_by=alice, revoked_at=timezone.now()
    )
    Invitation.create_with_token(
        partnership=partnership, side=Side.FACILITATOR, created_by=alice, expires_at=timezone.now() - timedelta(days=1)
    )
    Invitation.objects.filter(pk=invitation.pk).update(use_count=3)

    response = client_for(alice).get(reverse("assessments:partnership-detail", args=[partnership.pk]))

    content = response.content.decode()
    assert content.count('<td data-label="Status">Active</td>') == 1
    assert content.count('<td data-label="Status">Revoked</td>') == 1
    assert content.count('<td data-label="Status">Expired</td>') == 1
    assertContains(response, '<td data-label="Times used">3</td>')
    assertContains(response, f'<th scope="row">#{invitation.pk}</th>')
    revoke_url = reverse("assessments:invitation-revoke", args=[partnership.pk, invitation.pk])
    assertContains(response, f'action="{revoke_url}"')
    assertNotContains(response, reverse("assessments:invitation-revoke", args=[partnership.pk, revoked.pk]))


def test_panel_shows_time_creator_and_expiry(client_for, partnership, alice):
    created = datetime(2026, 12, 4, 15, 5, tzinfo=ZoneInfo("America/New_York"))
    invitation, _ = Invitation.create_with_token(
        partnership=partnership, side=Side.PROGRAM, created_by=alice, expires_at=created + timedelta(days=30)
    )
    Invitation.objects.filter(pk=invitation.pk).update(created_at=created)

    response = client_for(alice).get(detail_url(partnership))

    assertContains(response, '<td data-label="Created">Dec 4, 2026, 3:05 PM by Alice Rivera</td>', html=True)
    assertContains(response, '<td data-label="Expires">Jan 3, 2027, 3:05 PM</td>', html=True)


def test_revoke_labels_are_distinct(client_for, partnership, alice):
    invitations = [
        Invitation.create_with_token(partnership=partnership, side=Side.PROGRAM, created_by=alice)[0] for _ in range(3)
    ]

    response = client_for(alice).get(detail_url(partnership))

    labels = re.findall(
        r'btn-outline-danger">(Revoke<span class="visually-hidden">[^<]*</span>)', response.content.decode()
    )
    assert len(labels) == 3
    assert len(set(labels)) == 3
    for invitation in invitations:
        assert any(f"link #{invitation.pk}, the preparation program link created" in label for label in labels)


def test_revoke_marks_invitation(client_for, partnership, alice, invitation_and_token):
    invitation, _ = invitation_and_token

    response = client_for(alice).post(reverse("assessments:invitation-revoke", args=[partnership.pk, invitation.pk]))

    assertRedirects(
        response,
        reverse("assessments:partnership-detail", args=[partnership.pk]) + "#invitations",
        fetch_redirect_response=False,
    )
    invitation.refresh_from_db()
    assert invitation.revoked_at is not None


def test_revoke_twice_keeps_first_time(client_for, partnership, alice, invitation_and_token):
    invitation, _ = invitation_and_token
    url = reverse("assessments:invitation-revoke", args=[partnership.pk, invitation.pk])
    client = client_for(alice)
    client.post(url)
    invitation.refresh_from_db()
    first = invitation.revoked_at

    client.post(url)

    invitation.refresh_from_db()
    assert invitation.revoked_at == first


def test_revoke_by_non_owner_is_404(client_for, partnership, bob, invitation_and_token):
    invitation, _ = invitation_and_token

    response = client_for(bob).post(reverse("assessments:invitation-revoke", args=[partnership.pk, invitation.pk]))

    assert response.status_code == 404
    invitation.refresh_from_db()
    assert invitation.revoked_at is None


def test_revoke_invitation_of_other_partnership_is_404(client_for, partnership, other_partnership, alice, oscar):
    foreign, _ = Invitation.create_with_token(partnership=other_partnership, side=Side.PROGRAM, created_by=oscar)

    response = client_for(alice).post(reverse("assessments:invitation-revoke", args=[partnership.pk, foreign.pk]))

    assert response.status_code == 404
    foreign.refresh_from_db()
    assert foreign.revoked_at is None


def test_accept_page_signed_out(client, invitation_and_token):
    _, token = invitation_and_token

    response = client.get(accept_url(token))

    assert response.status_code == 200
    assertContains(response, "Join Riverbend Unified School District and Lakeview State University")
    assertContains(response, "<strong>preparation program</strong> side")
    next_param = f"?next=/partnerships/join/{token}/"
    assertContains(response, f'href="{reverse("accounts:signup")}{next_param}">Sign up to join</a>')
    assertContains(response, f'href="{reverse("accounts:login")}{next_param}">Log in to join</a>')


def test_accept_post_signed_out_redirects_to_login(client, invitation_and_token):
    _, token = invitation_and_token

    response = client.post(accept_url(token))

    assertRedirects(
        response, f"{reverse('accounts:login')}?next=/partnerships/join/{token}/", fetch_redirect_response=False
    )


def test_accept_page_signed_in_offers_join(client_for, oscar, invitation_and_token):
    _, token = invitation_and_token

    response = client_for(oscar).get(accept_url(token))

    assertContains(
        response, '<button type="submit" class="btn btn-primary">Join as preparation program</button>', html=True
    )
    assert not Membership.objects.filter(user=oscar, partnership=invitation_and_token[0].partnership).exists()


def test_join_creates_membership_and_counts(client_for, partnership, oscar, invitation_and_token, caplog):
    invitation, token = invitation_and_token

    with caplog.at_level(logging.INFO, logger="assessments.services.partnerships"):
        response = client_for(oscar).post(accept_url(token))

    assertRedirects(
        response, reverse("assessments:partnership-detail", args=[partnership.pk]), fetch_redirect_response=False
    )
    membership = Membership.objects.get(partnership=partnership, user=oscar)
    assert membership.side == Side.PROGRAM
    assert not membership.is_owner
    invitation.refresh_from_db()
    assert invitation.use_count == 1
    expected = (
        f"event=invitation_used invitation_id={invitation.pk} partnership_id={partnership.pk} user_id={oscar.pk}"
    )
    assert expected in caplog.messages
    assert all(token not in message for message in caplog.messages)


def test_join_link_works_for_several_people(client, partnership, invitation_and_token):
    invitation, token = invitation_and_token
    for email in ["one@lakeview.example.edu", "two@lakeview.example.edu"]:
        client.force_login(make_user(email), backend="django.contrib.auth.backends.ModelBackend")
        client.post(accept_url(token))

    invitation.refresh_from_db()
    assert invitation.use_count == 2
    assert partnership.memberships.filter(side=Side.PROGRAM).count() == 3


def test_accept_when_already_member_keeps_side(client_for, partnership, alice, invitation_and_token):
    invitation, token = invitation_and_token
    client = client_for(alice)

    page = client.get(accept_url(token))
    response = client.post(accept_url(token))

    assertContains(page, "You are already a member of this partnership on the district side.")
    assertContains(page, f'href="{partnership.get_absolute_url()}"')
    assertNotContains(page, "Join as")
    assertRedirects(response, partnership.get_absolute_url(), fetch_redirect_response=False)
    membership = Membership.objects.get(partnership=partnership, user=alice)
    assert membership.side == Side.DISTRICT
    assert membership.is_owner
    invitation.refresh_from_db()
    assert invitation.use_count == 0


@pytest.mark.django_db
@pytest.mark.parametrize("method", ["get", "post"])
def test_accept_unknown_token_is_404(client, method):
    response = getattr(client, method)(accept_url("not-a-real-token"))

    assert response.status_code == 404
    assertContains(response, "Invitation link not found", status_code=404)


@pytest.mark.parametrize("method", ["get", "post"])
def test_accept_revoked_token_is_410(client_for, oscar, invitation_and_token, method):
    invitation, token = invitation_and_token
    Invitation.objects.filter(pk=invitation.pk).update(revoked_at=timezone.now())

    response = getattr(client_for(oscar), method)(accept_url(token))

    assertContains(
        response,
        "This invitation link was turned off by the partnership owner. Ask them for a new one.",
        status_code=410,
    )
    assertNotContains(response, "has expired", status_code=410)
    assertNotContains(response, str(invitation.partnership), status_code=410)
    assert not Membership.objects.filter(user=oscar, partnership=invitation.partnership).exists()


def test_revoke_during_join_says_turned_off(client_for, oscar, invitation_and_token, monkeypatch):
    invitation, token = invitation_and_token
    accept = partnership_services.accept_invitation

    def revoke_then_accept(*, invitation, user):
        # The owner's revocation lands after the page looked the invitation up.
        Invitation.objects.filter(pk=invitation.pk).update(revoked_at=timezone.now())
        return accept(invitation=invitation, user=user)

    monkeypatch.setattr(partnership_services, "accept_invitation", revoke_then_accept)

    response = client_for(oscar).post(accept_url(token))

    assertContains(response, "was turned off by the partnership owner", status_code=410)
    assert not Membership.objects.filter(user=oscar, partnership=invitation.partnership).exists()


@pytest.mark.parametrize("method", ["get", "post"])
def test_accept_expired_token_is_410(client_for, oscar, invitation_and_token, method):
    invitation, token = invitation_and_token
    Invitation.objects.filter(pk=invitation.pk).update(expires_at=timezone.now() - timedelta(seconds=1))

    response = getattr(client_for(oscar), method)(accept_url(token))

    assertContains(
        response, "This invitation link has expired. Ask the partnership owner for a new one.", status_code=410
    )
    assertNotContains(response, "turned off", status_code=410)
    assert not Membership.objects.filter(user=oscar, partnership=invitation.partnership).exists()


def test_accept_rejects_put(client, invitation_and_token):
    _, token = invitation_and_token

    assert client.put(accept_url(token)).status_code == 405


def test_signed_out_join_through_signup(client, partnership, invitation_and_token):
    invitation, token = invitation_and_token
    page = client.get(accept_url(token))
    signup_link = re.search(r'href="([^"]+)">Sign up to join', page.content.decode()).group(1)

    signup_page = client.get(signup_link)
    response = client.post(
        signup_link,
        {
            "email": "new.dean@lakeview.example.edu",
            "display_name": "",
            "password1": PASSWORD,
            "password2": PASSWORD,
            "next": signup_page.context["next"],
        },
    )
    assertRedirects(response, accept_url(token), fetch_redirect_response=False)
    response = client.post(accept_url(token))

    assertRedirects(response, partnership.get_absolute_url(), fetch_redirect_response=False)
    membership = Membership.objects.get(partnership=partnership, user__email="new.dean@lakeview.example.edu")
    assert membership.side == Side.PROGRAM
    invitation.refresh_from_db()
    assert invitation.use_count == 1


def test_signed_out_join_through_login(client, partnership, oscar, invitation_and_token):
    _, token = invitation_and_token

    response = client.post(
        reverse("accounts:login"),
        {"username": oscar.email, "password": PASSWORD, "next": accept_url(token)},
        REMOTE_ADDR="203.0.113.9",
    )
    assertRedirects(response, accept_url(token), fetch_redirect_response=False)
    client.post(accept_url(token))

    assert Membership.objects.get(partnership=partnership, user=oscar).side == Side.PROGRAM
