import json
from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from accounts.management.commands.backup_partnerships import partnership_models
from assessments.models import (
    AssessmentRound,
    Indicator,
    Invitation,
    Partnership,
    QuestionnaireVersion,
    Rating,
    Response,
    Side,
)
from conftest import make_partnership, make_user
from toolkit.models import Recommendation


@pytest.fixture
def questionnaire(db):
    version = QuestionnaireVersion.objects.create(
        slug="backup-test", title="Backup test questionnaire", published_on=timezone.localdate()
    )
    recommendation = Recommendation.objects.order_by("number").first()
    for order in (1, 2):
        Indicator.objects.create(
            version=version,
            recommendation=recommendation,
            code=f"{recommendation.number}.{order}",
            order=order,
            text=f"Indicator {order}",
            strong_looks_like="Both sides agree.",
        )
    return version


@pytest.fixture
def partnership_data(partnership, other_partnership, alice, bob, questionnaire):
    """Rows in every backed-up model: two partnerships, an invitation, a closed and an open round, answers."""
    Invitation.create_with_token(partnership=partnership, side=Side.PROGRAM, created_by=alice)
    closed = AssessmentRound.objects.create(
        partnership=partnership,
        label="Spring 2026",
        questionnaire_version=questionnaire,
        opened_at=timezone.now() - timedelta(days=120),
        closed_at=timezone.now() - timedelta(days=90),
        closed_by=alice,
    )
    AssessmentRound.objects.create(partnership=partnership, label="Fall 2026", questionnaire_version=questionnaire)
    submitted = Response.objects.create(
        round=closed, respondent=alice, side=Side.DISTRICT, submitted_at=timezone.now()
    )
    draft = Response.objects.create(round=closed, respondent=bob, side=Side.PROGRAM)
    first, second = questionnaire.indicators.order_by("order")
    submitted.answers.create(indicator=first, rating=Rating.DEVELOPING, note="Placements matched — “mostly” on time ✓")
    submitted.answers.create(indicator=second, rating=Rating.NOT_SURE)
    draft.answers.create(indicator=first, rating=Rating.STRONG, note="")


def snapshot():
    """Every column of every backed-up row, so a round trip can be compared exactly."""
    return {model._meta.label: list(model._base_manager.order_by("pk").values()) for model in partnership_models()}


def delete_partnership_data():
    for model in reversed(partnership_models()):
        model._base_manager.all().delete()


def test_round_trip_restores_every_row(partnership_data, tmp_path):
    before = snapshot()
    backup = tmp_path / "backup.json"

    call_command("backup_partnerships", str(backup), stdout=StringIO())
    delete_partnership_data()
    emptied = snapshot()
    output = StringIO()
    call_command("restore_partnerships", str(backup), stdout=output)

    assert all(rows == [] for rows in emptied.values())
    assert snapshot() == before
    assert [len(before[label]) for label in before] == [4, 2, 4, 1, 2, 2, 3]
    assert output.getvalue() == (
        "Restored 18 rows (4 accounts.User, 2 assessments.Partnership, 4 assessments.Membership, "
        "1 assessments.Invitation, 2 assessments.AssessmentRound, 2 assessments.Response, 3 assessments.Answer) "
        f"from {backup}.\n"
    )


def test_backup_refers_to_content_by_natural_key(partnership_data, alice, tmp_path):
    backup = tmp_path / "backup.json"

    call_command("backup_partnerships", str(backup), stdout=StringIO())
    rows = json.loads(backup.read_text())
    answer = next(row for row in rows if row["model"] == "assessments.answer")
    round_row = next(row for row in rows if row["model"] == "assessments.assessmentround")
    membership = next(row for row in rows if row["model"] == "assessments.membership")

    assert answer["fields"]["indicator"][0] == "backup-test"
    assert round_row["fields"]["questionnaire_version"] == ["backup-test"]
    assert membership["fields"]["user"] == [alice.email]
    assert isinstance(membership["fields"]["partnership"], int)
    assert {row["model"] for row in rows} == {label.lower() for label in snapshot()}


def test_backup_leaves_out_content_and_cached_reports(partnership_data, tmp_path):
    backup = tmp_path / "backup.json"

    call_command("backup_partnerships", str(backup), stdout=StringIO())
    models = {row["model"] for row in json.loads(backup.read_text())}

    assert "assessments.cachedreport" not in models
    assert "assessments.indicator" not in models
    assert "toolkit.recommendation" not in models


def test_backup_file_readable_by_owner_only(partnership_data, tmp_path):
    backup = tmp_path / "backup.json"

    call_command("backup_partnerships", str(backup), stdout=StringIO())

    assert backup.stat().st_mode & 0o777 == 0o600


def test_backup_output_counts_one_row(alice, tmp_path):
    backup = tmp_path / "backup.json"
    output = StringIO()

    call_command("backup_partnerships", str(backup), stdout=output)

    assert output.getvalue() == (
        "Wrote 1 row (1 accounts.User, 0 assessments.Partnership, 0 assessments.Membership, "
        "0 assessments.Invitation, 0 assessments.AssessmentRound, 0 assessments.Response, 0 assessments.Answer) "
        f"to {backup}.\n"
    )


def test_backup_into_missing_directory_fails_clearly(db, tmp_path):
    with pytest.raises(CommandError, match="Failed to write the backup to .*No such file or directory"):
        call_command("backup_partnerships", str(tmp_path / "missing" / "backup.json"))


def test_restore_rejects_existing_data(partnership_data, tmp_path):
    backup = tmp_path / "backup.json"
    call_command("backup_partnerships", str(backup), stdout=StringIO())
    before = snapshot()

    with pytest.raises(CommandError, match="already has rows in accounts.User, assessments.Partnership"):
        call_command("restore_partnerships", str(backup))

    assert snapshot() == before


def test_restore_replace_drops_newer_data(partnership_data, tmp_path):
    backup = tmp_path / "backup.json"
    call_command("backup_partnerships", str(backup), stdout=StringIO())
    before = snapshot()
    newcomer = make_user("newcomer@example.org")
    make_partnership(newcomer, district_name="Created After The Backup")

    call_command("restore_partnerships", str(backup), "--replace", stdout=StringIO())

    assert snapshot() == before
    assert not Partnership.objects.filter(district_name="Created After The Backup").exists()


def test_restore_continues_primary_keys(partnership_data, tmp_path):
    backup = tmp_path / "backup.json"
    call_command("backup_partnerships", str(backup), stdout=StringIO())
    highest = Partnership.objects.order_by("-pk").first().pk
    delete_partnership_data()
    call_command("restore_partnerships", str(backup), stdout=StringIO())

    newcomer = make_user("newcomer@example.org")
    created = make_partnership(newcomer)

    assert created.pk > highest


def test_restore_rejects_content_rows(questionnaire, tmp_path):
    backup = tmp_path / "backup.json"
    backup.write_text(json.dumps([{"model": "toolkit.stage", "pk": 1, "fields": {"name": "Replaced"}}]))

    with pytest.raises(CommandError, match="contains toolkit.Stage rows"):
        call_command("restore_partnerships", str(backup))


def test_restore_rejects_invalid_json(questionnaire, tmp_path):
    backup = tmp_path / "backup.json"
    backup.write_text("[{")

    with pytest.raises(CommandError, match="is not a valid partnership backup"):
        call_command("restore_partnerships", str(backup))


def test_restore_reports_missing_file(questionnaire, tmp_path):
    with pytest.raises(CommandError, match="Failed to read the backup .*missing.json"):
        call_command("restore_partnerships", str(tmp_path / "missing.json"))


def test_restore_needs_questionnaire(partnership_data, tmp_path):
    backup = tmp_path / "backup.json"
    call_command("backup_partnerships", str(backup), stdout=StringIO())
    delete_partnership_data()
    Indicator.objects.all().delete()

    with pytest.raises(CommandError, match="Run `manage.py load_toolkit` first"):
        call_command("restore_partnerships", str(backup))

    assert not Partnership.objects.exists()
