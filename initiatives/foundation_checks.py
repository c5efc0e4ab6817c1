"""What the foundational engagement still lacks (stage gate), and the peer's next step."""

from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from .contracts import contract_or_none
from .models import Attendance, Membership, PeerContract, Role, Stage
from .models.foundation import unsigned_peers
from .next_steps import Step, register
from .stages import register_check


@register_check(Stage.FOUNDATION)
def event_held(initiative):
    events = initiative.events.all()
    if not events.exists():
        yield _("No foundational event has been planned yet.")
        return
    recorded = Attendance.objects.filter(event=OuterRef("pk"))
    unrecorded = events.filter(ends_at__lte=timezone.now()).exclude(Exists(recorded))
    for event in unrecorded:
        yield _("Attendance has not been recorded for “%(event)s”.") % {"event": event.title}


@register_check(Stage.FOUNDATION)
def contracts_signed(initiative):
    if not initiative.memberships.peers().current().exists():
        return
    unsigned = unsigned_peers(initiative).count()
    if unsigned:
        yield ngettext(
            "%(count)d peer contract has not been signed.",
            "%(count)d peer contracts have not been signed.",
            unsigned,
        ) % {"count": unsigned}
    waiting = (
        PeerContract.objects.awaiting_countersignature()
        .filter(membership__initiative=initiative)
        .exclude(membership__status=Membership.Status.WITHDRAWN)
        .count()
    )
    if waiting:
        yield ngettext(
            "%(count)d contract is waiting for the home organisation's countersignature.",
            "%(count)d contracts are waiting for the home organisation's countersignature.",
            waiting,
        ) % {"count": waiting}


@register_check(Stage.FOUNDATION)
def engagement_offered(initiative):
    if not initiative.engagement_options.exists():
        yield _("No options for continued engagement are offered to peers yet.")


@register
def sign_contract(membership):
    if membership.status != Membership.Status.ACTIVE or membership.role != Role.PEER:
        return
    if membership.initiative.stage < Stage.FOUNDATION:
        return
    contract = contract_or_none(membership)
    if contract is None or contract.signed_at is None:
        yield Step(
            _("Sign your peer contract."),
            reverse("initiatives:contract", args=[membership.initiative_id]),
        )
