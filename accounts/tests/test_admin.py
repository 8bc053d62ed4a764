import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from pytest_django.asserts import assertContains

from conftest import PASSWORD, make_user

User = get_user_model()


@pytest.fixture
def admin_client_for_staff(client_for, db):
    admin = make_user("admin@partnerprep.example.org", is_staff=True, is_superuser=True)
    return client_for(admin)


def test_admin_lists_users_by_email(admin_client_for_staff, alice):
    response = admin_client_for_staff.get(reverse("admin:accounts_user_changelist"))

    assertContains(response, "alice@riverbend.example.org")


def test_admin_adds_user(admin_client_for_staff):
    response = admin_client_for_staff.post(
        reverse("admin:accounts_user_add"),
        {
            "email": "Gale@Example.org",
            "display_name": "",
            "usable_password": "true",
            "password1": PASSWORD,
            "password2": PASSWORD,
        },
    )

    assert response.status_code == 302
    assert User.objects.get(email="gale@example.org").check_password(PASSWORD)


def test_admin_rejects_duplicate_email(admin_client_for_staff, alice):
    response = admin_client_for_staff.post(
        reverse("admin:accounts_user_add"),
        {
            "email": "ALICE@riverbend.example.org",
            "usable_password": "true",
            "password1": PASSWORD,
            "password2": PASSWORD,
        },
    )

    assert response.status_code == 200
    assert response.context["adminform"].form.has_error("email", code="duplicate_email")


def test_admin_change_page_opens(admin_client_for_staff, alice):
    response = admin_client_for_staff.get(reverse("admin:accounts_user_change", args=[alice.pk]))

    assertContains(response, "alice@riverbend.example.org")
