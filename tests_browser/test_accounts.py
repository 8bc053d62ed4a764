"""Sign up and log in in a real browser: accessibility, and focus on the error summary."""

from conftest import PASSWORD, make_user
from tests_browser.conftest import assert_no_axe_violations, assert_pages_accessible


def test_account_pages_accessible(page):
    assert_pages_accessible(
        page,
        [
            ("/accounts/signup/", 200),
            ("/accounts/login/", 200),
            ("/accounts/password/reset/", 200),
        ],
    )


def test_signup_errors_take_focus(page):
    page.goto("/accounts/signup/")

    page.get_by_label("Email").fill("not-an-email")
    page.locator("#id_password1").fill("short")
    page.locator("#id_password2").fill("different")
    page.get_by_role("button", name="Create account").click()
    page.wait_for_load_state()
    summary = page.locator("#error-summary")

    assert summary.is_visible()
    assert page.evaluate("document.activeElement.id") == "error-summary"
    assert "Enter a valid email address." in summary.inner_text()
    assert page.errors == []
    assert_no_axe_violations(page)


def test_error_summary_link_focuses_field(page):
    page.goto("/accounts/signup/")
    page.get_by_role("button", name="Create account").click()
    page.wait_for_load_state()

    page.locator("#error-summary a").first.click()

    assert page.evaluate("document.activeElement.id") == "id_email"


def test_login_errors_accessible(page, transactional_db):
    make_user("dana@riverbend.example.org")
    page.goto("/accounts/login/")

    page.get_by_label("Email").fill("dana@riverbend.example.org")
    page.get_by_label("Password").fill(PASSWORD + "-wrong")
    page.get_by_role("button", name="Log in").click()
    page.wait_for_load_state()

    assert "The email or password is not correct." in page.locator("#error-summary").inner_text()
    assert page.evaluate("document.activeElement.id") == "error-summary"
    assert_no_axe_violations(page)


def test_login_through_form_reaches_partnerships(page, transactional_db):
    make_user("dana@riverbend.example.org")
    page.goto("/accounts/login/")

    page.get_by_label("Email").fill("dana@riverbend.example.org")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url("**/partnerships/")

    assert page.get_by_role("button", name="Log out").is_visible()
