import json

import pytest
from django.core import serializers
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains, assertRedirects

from assessments.models import Answer, AssessmentRound, Indicator, Invitation, QuestionnaireVersion, Side
from assessments.versioning import VersionInUse, copy_version, next_free_slug
from conftest import MODEL_BACKEND, make_user

from .helpers import answer_all, make_questionnaire, make_round

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client_for_staff(client):
    superuser = make_user("editor@partnerprep.example.org", is_staff=True, is_superuser=True)
    client.force_login(superuser, backend=MODEL_BACKEND)
    return client


def indicator_texts(version):
    return list(version.indicators.order_by("code").values_list("code", "text", "strong_looks_like"))


def write_fixture(tmp_path, version, change=None):
    """Write the version and its indicators as a fixture, applying ``change`` to the indicator rows."""
    rows = json.loads(
        serializers.serialize(
            "json",
            [version, *version.indicators.all()],
            use_natural_foreign_keys=True,
            use_natural_primary_keys=True,
        )
    )
    if change:
        for row in rows:
            if row["model"] == "assessments.indicator":
                change(row["fields"])
    path = tmp_path / "questionnaire.json"
    path.write_text(json.dumps(rows), encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("slug", "expected"), [("2026-1", "2026-2"), ("answering-tests", "answering-tests-2"), ("v9", "v10")]
)
def test_next_free_slug(slug, expected):
    assert next_free_slug(slug) == expected


def test_next_free_slug_skips_taken():
    make_questionnaire(slug="2030-2", current=False)

    assert next_free_slug("2030-1") == "2030-3"


def test_copy_makes_current_version_with_same_indicators():
    original = make_questionnaire(slug="2031-1")

    copy = copy_version(original)

    original.refresh_from_db()
    assert copy.slug == "2031-2"
    assert copy.is_current
    assert not original.is_current
    assert QuestionnaireVersion.objects.current() == copy
    assert indicator_texts(copy) == indicator_texts(original)
    assert copy.indicators.count() == 20


def test_round_unchanged_after_new_version(partnership, alice):
    round_ = make_round(partnership)
    version = round_.questionnaire_version
    answered = answer_all(round_, alice, Side.DISTRICT, rating="4")
    texts_before = indicator_texts(version)
    answers_before = list(Answer.objects.filter(response=answered).values_list("indicator_id", "rating"))

    copy = copy_version(version)
    copy.indicators.filter(code="1.1").update(text="A reworded first indicator.")

    round_.refresh_from_db()
    assert round_.questionnaire_version == version
    assert indicator_texts(version) == texts_before
    assert list(Answer.objects.filter(response=answered).values_list("indicator_id", "rating")) == answers_before


def test_new_round_uses_new_current_version(client_for, alice, partnership):
    old_round = make_round(partnership, closed_at="2026-06-01T12:00:00Z")
    copy = copy_version(old_round.questionnaire_version)

    client_for(alice).post(reverse("assessments:round-create", args=[partnership.pk]), {"label": "Spring 2027"})

    new_round = AssessmentRound.objects.get(partnership=partnership, label="Spring 2027")
    old_round.refresh_from_db()
    assert new_round.questionnaire_version == copy
    assert old_round.questionnaire_version != copy


def test_saving_indicator_of_version_in_use_is_rejected(partnership):
    round_ = make_round(partnership)
    indicator = round_.questionnaire_version.indicators.get(code="2.1")
    original_text = indicator.text

    indicator.text = "Changed after the round started."
    with pytest.raises(VersionInUse, match=round_.questionnaire_version.slug):
        indicator.save()

    indicator.refresh_from_db()
    assert indicator.text == original_text


def test_adding_indicator_to_version_in_use_is_rejected(partnership):
    round_ = make_round(partnership)
    first = round_.questionnaire_version.indicators.get(code="2.1")

    with pytest.raises(VersionInUse):
        Indicator.objects.create(
            version=round_.questionnaire_version,
            recommendation=first.recommendation,
            code="2.3",
            order=3,
            text="A late addition.",
            strong_looks_like="-",
        )


def test_unchanged_save_of_version_in_use_is_allowed(partnership):
    round_ = make_round(partnership)
    indicator = round_.questionnaire_version.indicators.get(code="2.1")

    indicator.save()

    assert Indicator.objects.filter(pk=indicator.pk).exists()


def test_loader_refuses_to_alter_version_in_use(partnership, tmp_path):
    round_ = make_round(partnership)
    version = round_.questionnaire_version
    texts_before = indicator_texts(version)

    def reword(fields):
        if fields["code"] == "3.2":
            fields["text"] = "A reworded indicator."

    path = write_fixture(tmp_path, version, reword)

    with pytest.raises(CommandError) as raised:
        call_command("load_toolkit", str(path), verbosity=0)

    assert f'Questionnaire version "{version.slug}" is used by assessment rounds' in str(raised.value)
    assert "new version slug" in str(raised.value)
    assert indicator_texts(version) == texts_before


def test_loader_accepts_unchanged_version_in_use(partnership, tmp_path):
    round_ = make_round(partnership)
    path = write_fixture(tmp_path, round_.questionnaire_version)

    call_command("load_toolkit", str(path), verbosity=0)

    assert round_.questionnaire_version.indicators.count() == 20


def test_loader_updates_version_not_in_use(tmp_path):
    version = make_questionnaire(slug="draft-1")

    def reword(fields):
        if fields["code"] == "3.2":
            fields["text"] = "A reworded indicator."

    call_command("load_toolkit", str(write_fixture(tmp_path, version, reword)), verbosity=0)

    assert version.indicators.get(code="3.2").text == "A reworded indicator."


def test_published_questionnaire_reloads_with_round_open(partnership):
    published = QuestionnaireVersion.objects.exclude(slug__in=["answering-tests"]).filter(is_current=True).first()
    if published is None:
        pytest.skip("fixtures/questionnaire.json defines no current version")
    make_round(partnership, version=published)

    call_command("load_toolkit", verbosity=0)

    assert published.indicators.exists()


def test_admin_shows_version_in_use_read_only(admin_client_for_staff, partnership):
    round_ = make_round(partnership)
    url = reverse("admin:assessments_questionnaireversion_change", args=[round_.questionnaire_version_id])

    response = admin_client_for_staff.get(url)

    assert response.status_code == 200
    assertNotContains(response, 'name="indicators-0-text"')
    assertContains(response, "Indicator 1.1 is part of how the partners work.")


def test_admin_edits_version_not_in_use(admin_client_for_staff):
    version = make_questionnaire(slug="draft-2")
    url = reverse("admin:assessments_questionnaireversion_change", args=[version.pk])

    response = admin_client_for_staff.get(url)

    assertContains(response, 'name="indicators-0-text"')


def test_admin_action_copies_version(admin_client_for_staff, partnership):
    round_ = make_round(partnership)
    changelist = reverse("admin:assessments_questionnaireversion_changelist")

    response = admin_client_for_staff.post(
        changelist, {"action": "copy_as_new_version", "_selected_action": [round_.questionnaire_version_id]}
    )

    assertRedirects(response, changelist, fetch_redirect_response=False)
    copy = QuestionnaireVersion.objects.get(slug="answering-tests-2")
    assert copy.is_current
    assert copy.indicators.count() == 20


def test_admin_action_needs_one_version(admin_client_for_staff):
    first = make_questionnaire(slug="draft-3", current=False)
    second = make_questionnaire(slug="draft-4", current=False)
    count_before = QuestionnaireVersion.objects.count()

    response = admin_client_for_staff.post(
        reverse("admin:assessments_questionnaireversion_changelist"),
        {"action": "copy_as_new_version", "_selected_action": [first.pk, second.pk]},
        follow=True,
    )

    assertContains(response, "Select exactly one version to copy.")
    assert QuestionnaireVersion.objects.count() == count_before


def test_admin_hides_invitation_token(admin_client_for_staff, partnership, alice):
    invitation, _ = Invitation.create_with_token(partnership=partnership, side=Side.PROGRAM, created_by=alice)

    response = admin_client_for_staff.get(reverse("admin:assessments_invitation_change", args=[invitation.pk]))

    assert response.status_code == 200
    assertNotContains(response, invitation.token_hash)
    assertNotContains(response, "Token hash")


def test_admin_partnership_data_is_read_only(admin_client_for_staff, partnership, alice):
    round_ = make_round(partnership)
    answered = answer_all(round_, alice, Side.DISTRICT)

    response = admin_client_for_staff.get(reverse("admin:assessments_response_change", args=[answered.pk]))

    assert response.status_code == 200
    assertNotContains(response, 'type="submit" value="Save"')
    assertNotContains(response, 'name="answers-0-rating"')
    assert admin_client_for_staff.get(reverse("admin:assessments_partnership_add")).status_code == 403
