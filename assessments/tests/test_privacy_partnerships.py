"""Every partnership URL built here hides the partnership from outsiders, whatever the HTTP method."""

import pytest
from django.urls import reverse

from assessments.models import Invitation, Membership, Side

METHODS = ["get", "post", "put", "patch", "delete"]


@pytest.fixture
def partnership_urls(partnership, alice):
    invitation, _ = Invitation.create_with_token(partnership=partnership, side=Side.PROGRAM, created_by=alice)
    membership = Membership.objects.get(partnership=partnership, user=alice)
    return {
        "partnership-detail": reverse("assessments:partnership-detail", args=[partnership.pk]),
        "membership-update": reverse("assessments:membership-update", args=[partnership.pk, membership.pk]),
        "invitation-create": reverse("assessments:invitation-create", args=[partnership.pk]),
        "invitation-revoke": reverse("assessments:invitation-revoke", args=[partnership.pk, invitation.pk]),
    }


@pytest.mark.parametrize("method", METHODS)
@pytest.mark.parametrize("name", ["partnership-detail", "membership-update", "invitation-create", "invitation-revoke"])
def test_outsider_gets_404(client_for, oscar, other_partnership, partnership_urls, partnership, name, method):
    client = client_for(oscar)

    response = getattr(client, method)(partnership_urls[name], {"action": "remove", "side": "program"})

    assert response.status_code == 404
    assert Membership.objects.filter(partnership=partnership).count() == 3
    assert Invitation.objects.filter(partnership=partnership, revoked_at__isnull=True).count() == 1
    assert Invitation.objects.filter(partnership=partnership).count() == 1


@pytest.mark.parametrize("method", METHODS)
@pytest.mark.parametrize("name", ["partnership-detail", "membership-update", "invitation-create", "invitation-revoke"])
def test_anonymous_is_sent_to_login(client, partnership_urls, name, method):
    url = partnership_urls[name]

    response = getattr(client, method)(url)

    assert response.status_code == 302
    assert response.url == f"{reverse('accounts:login')}?next={url}"


@pytest.mark.parametrize(
    "name, allowed",
    [
        ("partnership-detail", "get"),
        ("membership-update", "post"),
        ("invitation-create", "post"),
        ("invitation-revoke", "post"),
    ],
)
def test_owner_gets_405_for_wrong_method(client_for, alice, partnership_urls, name, allowed):
    client = client_for(alice)

    for method in METHODS:
        if method != allowed:
            assert getattr(client, method)(partnership_urls[name]).status_code == 405, method


@pytest.mark.parametrize("name", ["invitation-create", "invitation-revoke"])
@pytest.mark.parametrize("method", METHODS)
def test_non_owner_member_gets_404_for_invitations(client_for, bob, partnership_urls, name, method):
    response = getattr(client_for(bob), method)(partnership_urls[name], {"side": "program"})

    assert response.status_code == 404


def test_unknown_partnership_is_404(client_for, alice):
    response = client_for(alice).get(reverse("assessments:partnership-detail", args=[999999]))

    assert response.status_code == 404
