"""The one place that decides who may see a partnership and its rounds.

Anyone who is not a member gets 404, never 403, so a URL never confirms that a partnership
exists. Admin staff (``is_staff``) may read every partnership without being a member.
"""

from dataclasses import dataclass

from django.http import Http404

from .models import AssessmentRound, Membership, Partnership, Side


@dataclass(frozen=True)
class Access:
    partnership: Partnership
    membership: Membership | None

    @property
    def side(self):
        return self.membership.side if self.membership else None

    @property
    def is_owner(self):
        return bool(self.membership and self.membership.is_owner)

    @property
    def is_facilitator(self):
        return self.side == Side.FACILITATOR

    @property
    def is_respondent(self):
        return self.side in (Side.DISTRICT, Side.PROGRAM)

    @property
    def is_staff_viewer(self):
        return self.membership is None

    @property
    def can_run_rounds(self):
        """Owners and facilitators open and close rounds."""
        return self.is_owner or self.is_facilitator

    @property
    def can_see_individual_answers(self):
        return self.is_facilitator or self.is_staff_viewer


def get_access(user, partnership_id):
    """Return the user's access to a partnership, or raise Http404 if they are not a member."""
    if not user.is_authenticated:
        raise Http404("No such partnership.")
    membership = (
        Membership.objects.select_related("partnership").filter(partnership_id=partnership_id, user=user).first()
    )
    if membership:
        return Access(partnership=membership.partnership, membership=membership)
    if user.is_staff:
        partnership = Partnership.objects.filter(pk=partnership_id).first()
        if partnership:
            return Access(partnership=partnership, membership=None)
    raise Http404("No such partnership.")


def get_round(access, round_id):
    """Return a round of the accessed partnership, or raise Http404."""
    round_ = (
        AssessmentRound.objects.select_related("questionnaire_version")
        .filter(partnership=access.partnership, pk=round_id)
        .first()
    )
    if round_ is None:
        raise Http404("No such round.")
    return round_
