from allauth.account.models import EmailAddress
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from peerlearn import audit
from peerlearn.models import TeamMembership, User
from peerlearn.outbox import absolute_url, queue_templated_email

from .. import road_map
from ..models import Invitation, Membership, Role, StageChange
from .scoping import scoping_for

audit.describe(
    **{
        "initiative.create": gettext_lazy("Created the initiative"),
        "initiative.edit": gettext_lazy("Changed the initiative's settings"),
        "people.invite": gettext_lazy("Invited someone"),
        "people.accept": gettext_lazy("Accepted an invitation"),
        "people.join": gettext_lazy("Joined the initiative"),
        "people.withdraw": gettext_lazy("Withdrew someone"),
        "team.join": gettext_lazy("Joined the facilitating team"),
        "stage.move": gettext_lazy("Moved the initiative to another stage"),
    }
)


class OpenItemsNotAcknowledged(Exception):
    def __init__(self, items):
        super().__init__(_("Open items must be acknowledged."))
        self.items = items


class InvitationNotForYou(Exception):
    pass


class OnAnotherTeam(Exception):
    """The person already facilitates for another organisation, or the inviter no longer does."""


def create_initiative(*, by, **fields):
    """A new initiative of the facilitator's organisation, with them on its team.

    Side effects: also creates its empty scoping and seeds its risk register.
    """
    with transaction.atomic():
        initiative = by.facilitating_organisation.initiatives.create(created_by=by, **fields)
        Membership.objects.create(
            initiative=initiative,
            user=by,
            role=Role.FACILITATOR,
            status=Membership.Status.ACTIVE,
            joined_at=timezone.now(),
        )
        scoping_for(initiative)
        audit.log(actor=by, action="initiative.create", target=initiative, initiative=initiative)
    return initiative


def update_initiative(*, initiative, by, changes):
    """Save a facilitator's `changes` ({field: value}) to the initiative's settings.

    Side effects: the changed columns; one audit entry naming them (none when nothing changed).
    """
    if not changes:
        return initiative
    with transaction.atomic():
        for field, value in changes.items():
            setattr(initiative, field, value)
        initiative.save(update_fields=list(changes))
        audit.log(
            actor=by,
            action="initiative.edit",
            target=initiative,
            initiative=initiative,
            changed=sorted(changes),
        )
    return initiative


def invite(*, initiative, email, role, by, name="", home_organisation=None):
    """Invite one person to `initiative` in `role`.

    Side effects: finds the account for `email` (any case) or creates it, and
    changes nothing else about an existing account: facilitator rights come
    only when the person accepts (accept_invitation); creates or re-opens the
    membership (a withdrawn one goes back to invited); an authoriser
    authorises their home organisation; writes an Invitation and queues its
    email in the same transaction.
    """
    with transaction.atomic():
        user = User.objects.for_email(email) or User.objects.create_user(email, name=name)
        membership, created = Membership.objects.get_or_create(
            initiative=initiative,
            user=user,
            role=role,
            defaults={"home_organisation": home_organisation},
        )
        if not created:
            if membership.status == Membership.Status.WITHDRAWN:
                membership.status = Membership.Status.INVITED
            if home_organisation:
                membership.home_organisation = home_organisation
            membership.save(update_fields=["status", "home_organisation"])
        if role == Role.AUTHORISER and home_organisation:
            membership.authorised_organisations.add(home_organisation)
        invitation = Invitation.objects.create(
            membership=membership, invited_by=by, language=Invitation.language_for(user)
        )
        audit.log(
            actor=by, action="people.invite", target=membership, target_label=str(user), role=role
        )
        queue_templated_email(
            to=user.email,
            kind="invitation",
            key=f"invitation:{invitation.pk}",
            template="invitation",
            context={
                "invitation": invitation,
                "initiative": initiative,
                "inviter": by,
                "link": absolute_url(invitation.get_absolute_url()),
                **road_map.invitation_extras(initiative),
            },
        )
    return invitation


def accept_invitation(*, invitation, user):
    """Activate the invited membership for `user`, who must own the invited address.

    Side effects: the membership becomes active; the invitation is used up; the
    address is recorded as verified (the link reached it); a facilitator joins
    the organisation's team, granted by the inviter, who must still be on it.
    Raises OnAnotherTeam when that cannot be.
    """
    membership = invitation.membership
    if membership.user_id != user.pk:
        raise InvitationNotForYou
    now = timezone.now()
    with transaction.atomic():
        if membership.role == Role.FACILITATOR:
            join_team(
                user=user,
                organisation=membership.initiative.organisation,
                by=invitation.invited_by,
                initiative=membership.initiative,
            )
        membership.activate(now)
        invitation.mark_accepted(now)
        address, _created = EmailAddress.objects.get_or_create(
            user=user, email=user.email, defaults={"primary": True, "verified": True}
        )
        if not address.verified:
            address.verified = True
            address.save(update_fields=["verified"])
        _log_joined(membership, "people.accept")
    return membership


def join(*, membership):
    """The invited person takes up their place (peers and authorisers; facilitators
    accept their invitation link). Side effects: the membership becomes active."""
    with transaction.atomic():
        membership.activate(timezone.now())
        _log_joined(membership, "people.join")
    return membership


def _log_joined(membership, action):
    audit.log(
        actor=membership.user,
        action=action,
        target=membership,
        target_label=str(membership.user),
        role=membership.role,
    )


def join_team(*, user, organisation, by, initiative=None):
    """Put `user` on `organisation`'s team, granted by `by`, one of its facilitators.

    Side effects: one TeamMembership row (none if the person is already on this
    team) and its audit entry, in the history of `initiative` if given. Raises
    OnAnotherTeam if `by` is not on the team or `user` is on another.
    """
    if by is None or by.facilitating_organisation != organisation:
        raise OnAnotherTeam
    current = user.facilitating_organisation
    if current == organisation:
        return
    if current is not None:
        raise OnAnotherTeam
    team = TeamMembership.objects.create(user=user, organisation=organisation, granted_by=by)
    audit.log(
        actor=user, action="team.join", target=team, target_label=str(user), initiative=initiative
    )
    user.__dict__.pop("facilitating_organisation", None)


def move_stage(*, initiative, to_stage, by, acknowledged=False):
    """Move the initiative to `to_stage`, recording who did it and what was left open.

    Moving forward past open items needs `acknowledged`; otherwise raises
    OpenItemsNotAcknowledged with the items. Moving back is always allowed.
    """
    items = road_map.items_to_acknowledge(initiative, to_stage)
    if items and not acknowledged:
        raise OpenItemsNotAcknowledged(items)
    with transaction.atomic():
        change = StageChange.objects.create(
            initiative=initiative,
            from_stage=initiative.stage,
            to_stage=to_stage,
            acknowledged_items=items,
            changed_by=by,
        )
        initiative.move_to(to_stage)
        audit.log(
            actor=by,
            action="stage.move",
            target=initiative,
            initiative=initiative,
            target_label=f"{change.get_from_stage_display()} → {change.get_to_stage_display()}",
            open_items=len(items),
        )
    return change


def withdraw(*, membership, by):
    """Take a person out of the initiative; inviting them again brings them back.

    Side effects: the membership becomes withdrawn, so it no longer opens the
    initiative, its invitation links stop working and a peer is left out of new
    matching runs (published matches stay until a facilitator ends them); one
    audit entry.
    """
    with transaction.atomic():
        membership.withdraw()
        audit.log(
            actor=by,
            action="people.withdraw",
            target=membership,
            target_label=str(membership.user),
            role=membership.role,
        )
