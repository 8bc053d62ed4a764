import pytest
from django.test import RequestFactory, override_settings
from django.urls import reverse

from conftest import PASSWORD, make_user
from partnerprep.proxy import client_ip_address

PROXY_ADDRESS = "10.0.0.2"
BEHIND_PROXY = {
    "SECURE_PROXY_SSL_HEADER": ("HTTP_X_FORWARDED_PROTO", "https"),
    "AXES_CLIENT_IP_CALLABLE": "partnerprep.proxy.client_ip_address",
}


@pytest.mark.parametrize(
    ("forwarded_for", "expected"),
    [
        ("203.0.113.7", "203.0.113.7"),
        ("198.51.100.1, 203.0.113.7", "203.0.113.7"),
        ("198.51.100.1,203.0.113.7 ", "203.0.113.7"),
        ("", PROXY_ADDRESS),
    ],
    ids=["one-hop", "forged-entry-first", "no-spaces", "no-header"],
)
def test_client_ip_address_takes_last_hop(forwarded_for, expected):
    request = RequestFactory().get("/", REMOTE_ADDR=PROXY_ADDRESS, HTTP_X_FORWARDED_FOR=forwarded_for)

    assert client_ip_address(request) == expected


def log_in_through_proxy(client, email, password, client_address):
    return client.post(
        reverse("accounts:login"),
        {"username": email, "password": password},
        REMOTE_ADDR=PROXY_ADDRESS,
        HTTP_X_FORWARDED_FOR=client_address,
        HTTP_X_FORWARDED_PROTO="https",
    )


@override_settings(**BEHIND_PROXY)
def test_lockout_behind_proxy_is_per_client(client, db):
    make_user("dana@riverbend.example.org")
    for _ in range(5):
        locked = log_in_through_proxy(client, "dana@riverbend.example.org", "wrong-password", "203.0.113.7")

    response = log_in_through_proxy(client, "dana@riverbend.example.org", PASSWORD, "198.51.100.20")

    assert locked.status_code == 429
    assert response.status_code == 302


@override_settings(**BEHIND_PROXY)
def test_lockout_behind_proxy_ignores_forged_entries(client, db):
    make_user("dana@riverbend.example.org")
    for attempt in range(5):
        forged = f"192.0.2.{attempt}, 203.0.113.7"
        log_in_through_proxy(client, "dana@riverbend.example.org", "wrong-password", forged)

    response = log_in_through_proxy(client, "dana@riverbend.example.org", PASSWORD, "192.0.2.99, 203.0.113.7")

    assert response.status_code == 429


@override_settings(**BEHIND_PROXY, SECURE_SSL_REDIRECT=True)
def test_forwarded_https_is_not_redirected(client, db):
    response = client.get("/no-such-page/", HTTP_X_FORWARDED_PROTO="https")

    assert response.status_code == 404
