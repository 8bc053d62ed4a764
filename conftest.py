"""Shared test set-up: the toolkit content in the test database, and the people who use the site.

Personas: alice (district side, owner), bob (preparation program side), fran (facilitator),
oscar (signed in, but a member of another partnership only) and an anonymous visitor.
"""

import pytest
from django.core.management import call_command

from assessments.models import Membership, Partnership, Side

PASSWORD = "correct-horse-battery-staple"
# force_login would otherwise pick django-axes' backend, which cannot load a user from a session.
MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        call_command("load_toolkit", verbosity=0)


@pytest.fixture(autouse=True)
def reload_content_after_flush(request, django_db_blocker):
    """Load the content again after a test that empties the database.

    Transactional tests (and the live server the browser tests use) end by flushing every table,
    which would leave the tests after them without the toolkit content.
    """
    yield
    if {"transactional_db", "live_server"} & set(request.fixturenames):
        with django_db_blocker.unblock():
            call_command("load_toolkit", verbosity=0)


def make_user(email, **fields):
    from django.contrib.auth import get_user_model

    return get_user_model().objects.create_user(email=email, password=PASSWORD, **fields)


def make_partnership(owner, side=Side.DISTRICT, **fields):
    fields.setdefault("district_name", "Riverbend Unified School District")
    fields.setdefault("program_name", "Lakeview State University College of Education")
    fields.setdefault("state", "OR")
    partnership = Partnership.objects.create(created_by=owner, **fields)
    Membership.objects.create(partnership=partnership, user=owner, side=side, is_owner=True)
    return partnership


def add_member(partnership, user, side, is_owner=False):
    return Membership.objects.create(partnership=partnership, user=user, side=side, is_owner=is_owner)


@pytest.fixture
def alice(db):
    return make_user("alice@riverbend.example.org", display_name="Alice Rivera")


@pytest.fixture
def bob(db):
    return make_user("bob@lakeview.example.edu", display_name="Bob Chen")


@pytest.fixture
def fran(db):
    return make_user("fran@facilitators.example.org", display_name="Fran Okafor")


@pytest.fixture
def oscar(db):
    return make_user("oscar@elsewhere.example.org")


@pytest.fixture
def partnership(alice, bob, fran):
    partnership = make_partnership(alice)
    add_member(partnership, bob, Side.PROGRAM)
    add_member(partnership, fran, Side.FACILITATOR)
    return partnership


@pytest.fixture
def other_partnership(oscar):
    return make_partnership(oscar, district_name="Hilltop School District", program_name="Summit College")


@pytest.fixture
def client_for(client):
    """Return a function that logs the test client in as a given user."""

    def login(user):
        client.force_login(user, backend=MODEL_BACKEND)
        return client

    return login
