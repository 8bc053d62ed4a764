import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from pytest_django.asserts import assertContains, assertRedirects

from conftest import PASSWORD, make_user

User = get_user_model()
SIGNUP_URL = reverse("accounts:signup")


def signup_data(**overrides):
    data = {
        "email": "dana@riverbend.example.org",
        "display_name": "Dana Ortiz",
        "password1": PASSWORD,
        "password2": PASSWORD,
    }
    data.update(overrides)
    return data


@pytest.mark.django_db
def test_signup_creates_user_and_logs_in(client):
    response = client.post(SIGNUP_URL, signup_data())

    assertRedirects(response, reverse("assessments:partnership-list"), fetch_redirect_response=False)
    user = User.objects.get(email="dana@riverbend.example.org")
    assert user.display_name == "Dana Ortiz"
    assert user.check_password(PASSWORD)
    assert client.session["_auth_user_id"] == str(user.pk)


@pytest.mark.django_db
def test_signup_lowercases_email(client):
    client.post(SIGNUP_URL, signup_data(email="Dana@Riverbend.Example.org"))

    assert User.objects.filter(email="dana@riverbend.example.org").exists()


@pytest.mark.django_db
def test_signup_display_name_is_optional(client):
    response = client.post(SIGNUP_URL, signup_data(display_name=""))

    assert response.status_code == 302
    assert User.objects.get(email="dana@riverbend.example.org").display_name == ""


@pytest.mark.django_db
def test_signup_rejects_duplicate_email_in_any_case(client):
    make_user("dana@riverbend.example.org")

    response = client.post(SIGNUP_URL, signup_data(email="DANA@riverbend.example.org"))

    assert response.status_code == 200
    assert response.context["form"].has_error("email", code="duplicate_email")
    assertContains(response, "An account with this email address already exists.")
    assert User.objects.count() == 1
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_signup_rejects_mismatched_passwords(client):
    response = client.post(SIGNUP_URL, signup_data(password2="another-horse-battery-staple"))

    assert response.context["form"].has_error("password2", code="password_mismatch")
    assert not User.objects.exists()


@pytest.mark.django_db
def test_signup_applies_password_validators(client):
    response = client.post(SIGNUP_URL, signup_data(password1="password", password2="password"))

    assert response.context["form"].has_error("password2", code="password_too_common")
    assert not User.objects.exists()


@pytest.mark.django_db
def test_signup_errors_summarized_and_tied_to_fields(client):
    response = client.post(SIGNUP_URL, signup_data(email="not-an-email"))

    assertContains(response, '<div id="error-summary" class="alert alert-danger" role="alert" tabindex="-1"')
    assertContains(response, '<a href="#id_email" class="alert-link">Email: Enter a valid email address.</a>')
    assertContains(response, 'aria-describedby="id_email_error"')
    assertContains(response, 'id="id_email_error"')


@pytest.mark.django_db
def test_signup_empty_post_shows_required_errors(client):
    response = client.post(SIGNUP_URL, {})

    assert response.status_code == 200
    assert response.context["form"].has_error("email", code="required")
    assertContains(response, 'id="error-summary"')


@pytest.mark.django_db
def test_signup_follows_safe_next(client):
    response = client.post(SIGNUP_URL + "?next=/partnerships/new/", signup_data())

    assertRedirects(response, "/partnerships/new/", fetch_redirect_response=False)


@pytest.mark.django_db
def test_signup_keeps_next_in_form(client):
    response = client.get(SIGNUP_URL + "?next=/partnerships/new/")

    assertContains(response, '<input type="hidden" name="next" value="/partnerships/new/">', html=True)


@pytest.mark.django_db
def test_signup_ignores_next_to_other_host(client):
    response = client.post(SIGNUP_URL, {**signup_data(), "next": "https://evil.example/steal"})

    assertRedirects(response, reverse("assessments:partnership-list"), fetch_redirect_response=False)


@pytest.mark.django_db
def test_signup_drops_unsafe_next_from_form(client):
    response = client.get(SIGNUP_URL + "?next=https://evil.example/")

    assert response.context["next"] == ""
    assert "evil.example" not in response.content.decode()


def test_signup_when_logged_in_redirects(client_for, alice):
    response = client_for(alice).get(SIGNUP_URL)

    assertRedirects(response, reverse("assessments:partnership-list"), fetch_redirect_response=False)
