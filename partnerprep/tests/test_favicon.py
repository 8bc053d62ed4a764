import pytest
from django.contrib.staticfiles import finders
from pytest_django.asserts import assertContains


def test_favicon_ico_redirects_to_svg(client):
    response = client.get("/favicon.ico")

    assert response.status_code == 301
    assert response["Location"] == "/static/favicon.svg"


def test_favicon_svg_exists():
    path = finders.find("favicon.svg")

    assert path is not None
    with open(path, encoding="utf-8") as icon:
        assert icon.read().startswith('<svg xmlns="http://www.w3.org/2000/svg"')


@pytest.mark.django_db
def test_pages_link_favicon(client):
    response = client.get("/")

    assertContains(response, '<link rel="icon" href="/static/favicon.svg" type="image/svg+xml">', html=True)
