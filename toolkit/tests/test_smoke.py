from django.urls import reverse


def test_healthz_answers_ok(client, db):
    response = client.get(reverse("healthz"))

    assert response.status_code == 200
    assert response.content == b"ok\n"
