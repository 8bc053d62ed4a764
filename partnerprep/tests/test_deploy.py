"""Production settings: the deployment checklist, start-up guards and security headers."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import override_settings
from django.urls import reverse

from conftest import PASSWORD

BASE_DIR = Path(__file__).resolve().parents[2]


def run_manage(*args, **env_overrides):
    """Run manage.py in a fresh interpreter with production settings and the given environment."""
    env = {key: value for key, value in os.environ.items() if not key.startswith("DJANGO_")}
    env["DJANGO_SETTINGS_MODULE"] = "partnerprep.settings"
    env["DJANGO_DEBUG"] = "0"
    env.update({key: value for key, value in env_overrides.items() if value is not None})
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )


def production_secret_key():
    return secrets.token_urlsafe(60)


def test_check_deploy_reports_no_issues():
    result = run_manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        DJANGO_SECRET_KEY=production_secret_key(),
        DJANGO_ALLOWED_HOSTS="partnerprep.example.org",
    )

    assert result.returncode == 0, result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout
    assert "WARNINGS" not in result.stderr


@pytest.mark.parametrize(
    ("secret_key", "allowed_hosts", "message"),
    [
        (None, "partnerprep.example.org", "DJANGO_SECRET_KEY must be set"),
        ("too-short", "partnerprep.example.org", "DJANGO_SECRET_KEY must be set"),
        ("development-only-secret-key-do-not-use-in-production", "partnerprep.example.org", "DJANGO_SECRET_KEY"),
        (production_secret_key(), None, "DJANGO_ALLOWED_HOSTS must list"),
    ],
    ids=["missing-key", "short-key", "development-key", "missing-hosts"],
)
def test_production_start_up_fails_without_secrets(secret_key, allowed_hosts, message):
    result = run_manage("check", DJANGO_SECRET_KEY=secret_key, DJANGO_ALLOWED_HOSTS=allowed_hosts)

    assert result.returncode == 1
    assert "django.core.exceptions.ImproperlyConfigured" in result.stderr
    assert message in result.stderr


# The values production gets from DJANGO_DEBUG=0; test_check_deploy_reports_no_issues proves the
# production settings module sets them, and these tests prove the middleware turns them into headers.
PRODUCTION_SECURITY = {
    "DEBUG": False,
    "SECURE_SSL_REDIRECT": True,
    "SECURE_HSTS_SECONDS": 31536000,
    "SECURE_HSTS_INCLUDE_SUBDOMAINS": True,
    "SECURE_HSTS_PRELOAD": True,
    "SESSION_COOKIE_SECURE": True,
    "CSRF_COOKIE_SECURE": True,
}
# The home page, rendered through base.html like every page of the site.
PAGE_URL = "/"


@override_settings(**PRODUCTION_SECURITY)
def test_security_headers_on_a_page(client, db):
    response = client.get(PAGE_URL, secure=True)

    assert response.status_code == 200
    assert response.headers["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"
    assert response.headers["X-Frame-Options"] == "DENY"


@override_settings(**PRODUCTION_SECURITY)
def test_content_security_policy_allows_only_self(client, db):
    response = client.get(PAGE_URL, secure=True)
    directives = dict(
        directive.strip().split(" ", 1) for directive in response.headers["Content-Security-Policy"].split(";")
    )

    assert directives == {
        "default-src": "'self'",
        "script-src": "'self'",
        "style-src": "'self'",
        "img-src": "'self' data:",
        "font-src": "'self'",
        "connect-src": "'self'",
        "form-action": "'self'",
        "frame-ancestors": "'none'",
        "base-uri": "'self'",
        "object-src": "'none'",
    }


@override_settings(**PRODUCTION_SECURITY)
def test_plain_http_redirects_to_https(client, db):
    response = client.get(PAGE_URL)

    assert response.status_code == 301
    assert response.headers["Location"] == "https://testserver" + PAGE_URL


@override_settings(**PRODUCTION_SECURITY)
def test_session_cookie_is_secure_and_http_only(client, alice):
    response = client.post(reverse("accounts:login"), {"username": alice.email, "password": PASSWORD}, secure=True)
    cookie = response.cookies["sessionid"]

    assert response.status_code == 302
    assert cookie["secure"] is True
    assert cookie["httponly"] is True
    assert cookie["samesite"] == "Lax"


@override_settings(**PRODUCTION_SECURITY)
def test_health_check_works_over_plain_http(client, db):
    response = client.get(reverse("healthz"))

    assert response.status_code == 200


def test_behind_proxy_trusts_forwarded_headers():
    result = run_manage(
        "shell",
        "-c",
        "from django.conf import settings; print(settings.SECURE_PROXY_SSL_HEADER, settings.AXES_CLIENT_IP_CALLABLE)",
        DJANGO_SECRET_KEY=production_secret_key(),
        DJANGO_ALLOWED_HOSTS="partnerprep.example.org",
        DJANGO_BEHIND_PROXY="1",
    )

    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[-1] == "('HTTP_X_FORWARDED_PROTO', 'https') partnerprep.proxy.client_ip_address"
