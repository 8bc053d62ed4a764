"""Partnerships, their members and invitation links.

Views that take a partnership id resolve it through ``assessments.access`` before anything else,
so a signed-in outsider gets 404 whatever the HTTP method, and only members see 405.
"""

from collections import defaultdict
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Prefetch
from django.http import Http404, HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.cache import add_never_cache_headers
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from ..access import get_access
from ..forms.partnerships import InvitationForm, MembershipChangeForm, PartnershipForm
from ..models import AssessmentRound, Invitation, Membership, Side, hash_token
from ..services import partnerships as services

READ_METHODS = ("GET", "HEAD")

# Labels that other members see for someone without a display name, because only owners see emails.
ANONYMOUS_MEMBER_LABELS = {
    Side.DISTRICT: "A district member",
    Side.PROGRAM: "A preparation program member",
    Side.FACILITATOR: "A facilitator",
}


def get_owner_access(request, partnership_id):
    """Return the user's access if they own the partnership; other members get 404 like outsiders."""
    access = get_access(request.user, partnership_id)
    if not access.is_owner:
        raise Http404("Only owners manage invitations.")
    return access


def invitations_url(partnership):
    return reverse("assessments:partnership-detail", args=[partnership.pk]) + "#invitations"


def new_invitation_session_key(partnership):
    return f"new-invitation-{partnership.pk}"


def pop_new_invitation(request, access):
    """Remove the link of an invitation just created from the session, and return it with the invitation.

    The database stores only the token's hash, so this one page view is the only time the link is shown.
    """
    if not access.is_owner:
        return None
    stored = request.session.pop(new_invitation_session_key(access.partnership), None)
    if stored is None:
        return None
    invitation = access.partnership.invitations.filter(pk=stored["invitation_id"]).first()
    if invitation is None:
        return None
    return {"invitation": invitation, "link": stored["link"]}


@login_required
@require_http_methods(READ_METHODS)
def partnership_list(request):
    open_rounds = Prefetch(
        "partnership__rounds", queryset=AssessmentRound.objects.filter(closed_at__isnull=True), to_attr="open_rounds"
    )
    memberships = (
        Membership.objects.filter(user=request.user)
        .select_related("partnership")
        .prefetch_related(open_rounds)
        .order_by("partnership__district_name", "partnership__program_name")
    )
    return render(request, "assessments/partnership_list.html", {"memberships": memberships})


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def partnership_create(request):
    form = PartnershipForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        partnership = services.create_partnership(user=request.user, **form.cleaned_data)
        messages.success(request, "Your partnership is ready. Invite the other side with a link below.")
        return redirect(partnership)

    return render(request, "assessments/partnership_form.html", {"form": form})


def group_members(access, memberships):
    """Group memberships by side, each with the name this viewer may see."""
    show_emails = access.is_owner or access.is_staff_viewer
    groups = defaultdict(list)
    for membership in memberships:
        user = membership.user
        if user.display_name:
            membership.visible_name = user.display_name
        elif show_emails:
            membership.visible_name = user.email
        else:
            membership.visible_name = ANONYMOUS_MEMBER_LABELS[membership.side]
        membership.visible_email = user.email if show_emails else ""
        groups[membership.side].append(membership)
    return [(side, label, groups[side]) for side, label in Side.choices]


@login_required
def partnership_detail(request, partnership_id):
    access = get_access(request.user, partnership_id)
    if request.method not in READ_METHODS:
        return HttpResponseNotAllowed(READ_METHODS)

    partnership = access.partnership
    memberships = partnership.memberships.select_related("user")
    new_invitation = pop_new_invitation(request, access)
    context = {
        "partnership": partnership,
        "access": access,
        "member_groups": group_members(access, memberships),
        "rounds": partnership.rounds.all(),
        "side_choices": Side.choices,
        "invitation_form": InvitationForm() if access.is_owner else None,
        "invitations": partnership.invitations.select_related("created_by") if access.is_owner else None,
        "invitation_lifetime_days": settings.INVITATION_LIFETIME_DAYS,
        "new_invitation": new_invitation,
    }
    response = render(request, "assessments/partnership_detail.html", context)
    if new_invitation:
        # Keep the page with the plain link out of browser and proxy caches.
        add_never_cache_headers(response)
    return response


@never_cache
@login_required
def invitation_create(request, partnership_id):
    access = get_owner_access(request, partnership_id)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])

    form = InvitationForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choose the side the invited person joins, then create the link again.")
        return redirect(invitations_url(access.partnership))

    invitation, token = services.create_invitation(
        partnership=access.partnership, side=form.cleaned_data["side"], created_by=request.user
    )
    # Post/redirect/get, so reloading the page that shows the link creates no second link. The
    # session keeps the plain link only until the partnership page shows it once.
    request.session[new_invitation_session_key(access.partnership)] = {
        "invitation_id": invitation.pk,
        "link": request.build_absolute_uri(reverse("assessments:invitation-accept", args=[token])),
    }
    return redirect(reverse("assessments:partnership-detail", args=[access.partnership.pk]) + "#new-invitation")


@login_required
def invitation_revoke(request, partnership_id, invitation_id):
    access = get_owner_access(request, partnership_id)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])

    invitation = get_object_or_404(access.partnership.invitations, pk=invitation_id)
    services.revoke_invitation(invitation=invitation, user=request.user)
    messages.success(request, f"The {invitation.get_side_display().lower()} invitation link is revoked.")
    return redirect(invitations_url(access.partnership))


def render_invalid_invitation(request, invitation):
    status = 404 if invitation is None else 410
    return render(request, "assessments/invitation_invalid.html", {"invitation": invitation}, status=status)


@require_http_methods(["GET", "HEAD", "POST"])
def invitation_accept(request, token):
    invitation = Invitation.objects.select_related("partnership").filter(token_hash=hash_token(token)).first()
    if invitation is None or not invitation.is_usable:
        return render_invalid_invitation(request, invitation)
    if request.method == "POST" and not request.user.is_authenticated:
        return redirect(f"{reverse('accounts:login')}?{urlencode({'next': request.path})}")

    partnership = invitation.partnership
    membership = None
    if request.user.is_authenticated:
        membership = Membership.objects.filter(partnership=partnership, user=request.user).first()

    if request.method == "POST" and membership is None:
        try:
            services.accept_invitation(invitation=invitation, user=request.user)
        except services.InvitationUnusableError:
            # The owner revoked the link after the lookup above, so reload it to show the right reason.
            invitation.refresh_from_db(fields=["revoked_at", "expires_at"])
            return render_invalid_invitation(request, invitation)
        messages.success(request, f"You joined {partnership} on the {invitation.get_side_display().lower()} side.")
        return redirect(partnership)
    if request.method == "POST":
        messages.info(request, "You are already a member of this partnership.")
        return redirect(partnership)

    context = {"invitation": invitation, "partnership": partnership, "membership": membership}
    return render(request, "assessments/invitation_accept.html", context)


@login_required
def membership_update(request, partnership_id, membership_id):
    access = get_access(request.user, partnership_id)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])

    membership = get_object_or_404(access.partnership.memberships.select_related("user"), pk=membership_id)
    is_self = membership.user_id == request.user.pk
    if not (access.is_owner or is_self):
        raise Http404("Only owners change other members.")

    form = MembershipChangeForm(request.POST)
    if not form.is_valid():
        messages.error(request, "The member change was invalid. Choose one of the listed sides and try again.")
        return redirect(access.partnership)
    if form.cleaned_data["action"] == MembershipChangeForm.CHANGE and not access.is_owner:
        raise Http404("Only owners change sides and owner flags.")
    if form.cleaned_data["action"] == MembershipChangeForm.REPORT_NAME:
        if not is_self:
            raise Http404("Members choose only whether their own name appears on reports.")
        return save_report_name_choice(request, access, membership, form.cleaned_data["show_name_in_reports"])

    try:
        if form.cleaned_data["action"] == MembershipChangeForm.REMOVE:
            services.remove_membership(membership=membership, removed_by=request.user)
        else:
            services.change_membership(
                membership=membership,
                side=form.cleaned_data["side"],
                is_owner=form.cleaned_data["is_owner"],
                changed_by=request.user,
            )
    except services.LastOwnerError as error:
        messages.error(request, str(error))
        return redirect(access.partnership)

    return redirect_after_membership_change(request, access, membership, form.cleaned_data["action"], is_self)


def save_report_name_choice(request, access, membership, show_name_in_reports):
    services.set_report_name_choice(membership=membership, show_name_in_reports=show_name_in_reports)
    if show_name_in_reports:
        messages.success(request, "PDF reports of this partnership will show your name.")
    else:
        messages.success(request, "PDF reports of this partnership will count you without showing your name.")
    return redirect(access.partnership)


def redirect_after_membership_change(request, access, membership, action, is_self):
    if action == MembershipChangeForm.REMOVE and is_self:
        messages.success(request, f"You left {access.partnership}.")
        return redirect("assessments:partnership-list")
    if action == MembershipChangeForm.REMOVE:
        messages.success(request, f"{member_label(membership)} is no longer a member.")
    else:
        messages.success(request, f"{member_label(membership)} is saved as {describe_membership(membership)}.")
    return redirect(access.partnership)


def member_label(membership):
    return membership.user.display_name or membership.user.email


def describe_membership(membership):
    side = membership.get_side_display().lower()
    return f"an owner on the {side} side" if membership.is_owner else f"a member on the {side} side"
