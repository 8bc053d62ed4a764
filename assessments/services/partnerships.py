"""Changes to partnerships, their members and their invitations.

Every membership change keeps at least one owner in each partnership.
"""

import logging

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from ..models import Invitation, Membership, Partnership

logger = logging.getLogger(__name__)


class LastOwnerError(Exception):
    """Raised when a change would leave a partnership without an owner."""


class InvitationUnusableError(Exception):
    """Raised when an invitation was revoked or expired before someone could join with it."""


@transaction.atomic
def create_partnership(*, user, district_name, program_name, state, side):
    """Create a partnership with ``user`` as its owner on ``side``."""
    partnership = Partnership.objects.create(
        district_name=district_name, program_name=program_name, state=state, created_by=user
    )
    Membership.objects.create(partnership=partnership, user=user, side=side, is_owner=True)
    logger.info("event=partnership_created partnership_id=%s user_id=%s", partnership.pk, user.pk)
    return partnership


def create_invitation(*, partnership, side, created_by):
    """Create an invitation and return it with its plain token. Only the token's hash is stored."""
    invitation, token = Invitation.create_with_token(partnership=partnership, side=side, created_by=created_by)
    logger.info(
        "event=invitation_created invitation_id=%s partnership_id=%s user_id=%s",
        invitation.pk,
        partnership.pk,
        created_by.pk,
    )
    return invitation, token


def revoke_invitation(*, invitation, user):
    if invitation.revoked_at is not None:
        return
    invitation.revoked_at = timezone.now()
    invitation.save(update_fields=["revoked_at"])
    logger.info(
        "event=invitation_revoked invitation_id=%s partnership_id=%s user_id=%s",
        invitation.pk,
        invitation.partnership_id,
        user.pk,
    )


@transaction.atomic
def accept_invitation(*, invitation, user):
    """Add ``user`` to the invitation's partnership on its side, and return the membership and whether it is new.

    A user who is already a member keeps their side, and the invitation's use count stays the same.
    """
    membership, created = Membership.objects.get_or_create(
        partnership_id=invitation.partnership_id, user=user, defaults={"side": invitation.side}
    )
    if not created:
        return membership, False

    # F() increments in the database, so two people joining at once both count. Filtering on usable()
    # again catches a revocation that landed after the caller looked the invitation up.
    counted = Invitation.objects.usable().filter(pk=invitation.pk).update(use_count=F("use_count") + 1)
    if not counted:
        raise InvitationUnusableError(f"Invitation {invitation.pk} was revoked or expired.")
    logger.info(
        "event=invitation_used invitation_id=%s partnership_id=%s user_id=%s",
        invitation.pk,
        invitation.partnership_id,
        user.pk,
    )
    return membership, True


def _lock_owner_ids(partnership_id):
    """Return the ids of the partnership's owner memberships, locking those rows until the transaction ends."""
    owners = Membership.objects.select_for_update().filter(partnership_id=partnership_id, is_owner=True)
    return set(owners.values_list("pk", flat=True))


@transaction.atomic
def change_membership(*, membership, side, is_owner, changed_by):
    owner_ids = _lock_owner_ids(membership.partnership_id)
    if owner_ids == {membership.pk} and not is_owner:
        raise LastOwnerError(
            "A partnership needs at least one owner. Make another member an owner before removing this owner flag."
        )

    membership.side = side
    membership.is_owner = is_owner
    membership.save(update_fields=["side", "is_owner"])
    logger.info(
        "event=membership_changed membership_id=%s partnership_id=%s side=%s is_owner=%s user_id=%s",
        membership.pk,
        membership.partnership_id,
        side,
        is_owner,
        changed_by.pk,
    )
    return membership


def set_report_name_choice(*, membership, show_name_in_reports):
    """Store whether the member's display name is printed on PDF report covers."""
    membership.show_name_in_reports = show_name_in_reports
    membership.save(update_fields=["show_name_in_reports"])
    logger.info(
        "event=report_name_choice_changed membership_id=%s partnership_id=%s show_name_in_reports=%s",
        membership.pk,
        membership.partnership_id,
        show_name_in_reports,
    )


@transaction.atomic
def remove_membership(*, membership, removed_by):
    owner_ids = _lock_owner_ids(membership.partnership_id)
    if owner_ids == {membership.pk}:
        raise LastOwnerError(
            "A partnership needs at least one owner. Make another member an owner before the last owner leaves."
        )

    membership.delete()
    logger.info(
        "event=membership_removed partnership_id=%s member_user_id=%s user_id=%s",
        membership.partnership_id,
        membership.user_id,
        removed_by.pk,
    )
