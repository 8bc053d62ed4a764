import pytest
from django.urls import reverse
from pytest_django.asserts import assertContains, assertRedirects, assertTemplateUsed

from conftest import PASSWORD, make_user

LOGIN_URL = reverse("accounts:login")
IP = "203.0.113.7"


@pytest.fixture
def dana(db):
    return make_user("dana@riverbend.example.org")


def log_in(client, email, password, ip=IP, next_url=None):
    data = {"username": email, "password": password}
    if next_url is not None:
        data["next"] = next_url
    return client.post(LOGIN_URL, data, REMOTE_ADDR=ip)


@pytest.mark.django_db
def test_login_form_labels_username_as_email(client):
    response = client.get(LOGIN_URL)

    assertContains(response, 'for="id_username"')
    assertContains(response, "Email")
    assertContains(response, 'type="email" name="username"')


def test_login_redirects_to_partnerships(client, dana):
    response = log_in(client, "dana@riverbend.example.org", PASSWORD)

    assertRedirects(response, reverse("assessments:partnership-list"), fetch_redirect_response=False)
    assert client.session["_auth_user_id"] == str(dana.pk)


def test_login_matches_email_in_any_case(client, dana):
    response = log_in(client, "Dana@Riverbend.example.org", PASSWORD)

    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(dana.pk)


def test_login_wrong_password_shows_error(client, dana):
    response = log_in(client, "dana@riverbend.example.org", "wrong-password")

    assert response.status_code == 200
    assert response.context["form"].has_error("__all__", code="invalid_login")
    assertContains(response, "The email or password is not correct.")
    assertContains(response, 'id="error-summary"')
    assert "_auth_user_id" not in client.session


def test_login_follows_safe_next(client, dana):
    response = log_in(client, "dana@riverbend.example.org", PASSWORD, next_url="/partnerships/new/")

    assertRedirects(response, "/partnerships/new/", fetch_redirect_response=False)


def test_login_ignores_next_to_other_host(client, dana):
    response = log_in(client, "dana@riverbend.example.org", PASSWORD, next_url="https://evil.example/")

    assertRedirects(response, reverse("assessments:partnership-list"), fetch_redirect_response=False)


@pytest.mark.django_db
def test_login_page_links_signup_with_next(client):
    response = client.get(LOGIN_URL + "?next=/partnerships/join/abc/")

    assertContains(response, 'href="/accounts/signup/?next=/partnerships/join/abc/"')


def test_lockout_after_five_failures(client, dana):
    for _ in range(4):
        response = log_in(client, "dana@riverbend.example.org", "wrong-password")
        assert response.status_code == 200

    response = log_in(client, "dana@riverbend.example.org", "wrong-password")

    assert response.status_code == 429
    assertTemplateUsed(response, "registration/locked_out.html")
    assertContains(response, "Login paused for 15 minutes", status_code=429)
    assertContains(response, f'href="{reverse("accounts:password-reset")}"', status_code=429)


def test_lockout_blocks_correct_password(client, dana):
    for _ in range(5):
        log_in(client, "dana@riverbend.example.org", "wrong-password")

    response = log_in(client, "dana@riverbend.example.org", PASSWORD)

    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_lockout_counts_email_case_variants_together(client, dana):
    variants = ["dana@riverbend.example.org", "DANA@riverbend.example.org", "Dana@Riverbend.example.org"]
    for email in variants + variants[:2]:
        response = log_in(client, email, "wrong-password")

    assert response.status_code == 429


def test_lockout_is_per_address(client, dana):
    for _ in range(5):
        log_in(client, "dana@riverbend.example.org", "wrong-password")

    response = log_in(client, "dana@riverbend.example.org", PASSWORD, ip="198.51.100.20")

    assert response.status_code == 302


def test_logout_requires_post(client_for, dana):
    client = client_for(dana)

    assert client.get(reverse("accounts:logout")).status_code == 405
    response = client.post(reverse("accounts:logout"))
    assertRedirects(response, reverse("toolkit:home"), fetch_redirect_response=False)
    assert "_auth_user_id" not in client.session
