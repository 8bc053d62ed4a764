import re

import pytest
from django.conf import settings
from django.core import mail
from django.urls import reverse
from pytest_django.asserts import assertContains, assertRedirects

from conftest import PASSWORD, make_user

NEW_PASSWORD = "tidal-orchard-lantern-quiet"


@pytest.fixture
def dana(db):
    return make_user("dana@riverbend.example.org")


def test_password_change(client_for, dana):
    client = client_for(dana)

    response = client.post(
        reverse("accounts:password-change"),
        {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )

    assertRedirects(response, reverse("accounts:password-change-done"))
    dana.refresh_from_db()
    assert dana.check_password(NEW_PASSWORD)


def test_password_change_rejects_wrong_old_password(client_for, dana):
    response = client_for(dana).post(
        reverse("accounts:password-change"),
        {"old_password": "wrong-password", "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )

    assert response.context["form"].has_error("old_password", code="password_incorrect")
    assertContains(response, 'id="error-summary"')
    dana.refresh_from_db()
    assert dana.check_password(PASSWORD)


@pytest.mark.django_db
def test_password_change_requires_login(client):
    url = reverse("accounts:password-change")

    response = client.get(url)

    assertRedirects(response, f"{reverse('accounts:login')}?next={url}", fetch_redirect_response=False)


def test_password_reset_round_trip(client, dana):
    response = client.post(reverse("accounts:password-reset"), {"email": "Dana@riverbend.example.org"})
    assertRedirects(response, reverse("accounts:password-reset-done"))
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["dana@riverbend.example.org"]
    assert message.subject == "Reset your Partnering on Prep password"

    link = re.search(r"http://testserver(/accounts/password/reset/\S+/)", message.body).group(1)
    response = client.get(link)
    # Django swaps the token in the URL for one kept in the session, then shows the form there.
    set_password_url = response.url
    response = client.get(set_password_url)
    assertContains(response, "Set a new password")

    response = client.post(set_password_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assertRedirects(response, reverse("accounts:password-reset-complete"))
    dana.refresh_from_db()
    assert dana.check_password(NEW_PASSWORD)


def test_password_reset_link_works_once(client, dana):
    client.post(reverse("accounts:password-reset"), {"email": "dana@riverbend.example.org"})
    link = re.search(r"http://testserver(/accounts/password/reset/\S+/)", mail.outbox[0].body).group(1)
    set_password_url = client.get(link).url
    client.post(set_password_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})

    response = client.get(link, follow=True)

    assertContains(response, "This password reset link has already been used or has expired.")


@pytest.mark.django_db
def test_password_reset_unknown_email_sends_nothing(client):
    response = client.post(reverse("accounts:password-reset"), {"email": "nobody@example.org"})

    assertRedirects(response, reverse("accounts:password-reset-done"))
    assert mail.outbox == []


def test_password_reset_expiry_matches_page_text():
    # The reset pages and email promise that a link expires after three days.
    assert settings.PASSWORD_RESET_TIMEOUT == 3 * 24 * 60 * 60
