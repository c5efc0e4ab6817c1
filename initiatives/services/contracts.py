"""Peer contracts: the peer signs, the home organisation countersigns, reminders follow."""

from datetime import timedelta

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy

from peerlearn import audit
from peerlearn.outbox import absolute_url, queue_templated_email

from ..models import ContractTemplate, Membership, PeerContract, Role, Stage

REMINDER_INTERVAL = timedelta(days=7)

audit.describe(
    **{
        "contract.text": gettext_lazy("Changed the peer contract's commitments"),
        "contract.sign": gettext_lazy("Signed a peer contract"),
        "contract.countersign": gettext_lazy("Countersigned a peer contract"),
    }
)


class AlreadySigned(Exception):
    pass


def contract_of(membership):
    contract, _created = PeerContract.objects.get_or_create(membership=membership)
    return contract


def sign_contract(*, membership, name):
    """The peer signs the current commitments of their initiative.

    Side effects: the contract keeps the signed text, name and time; each
    authoriser of the peer's home organisation gets one email (unique key); one
    audit entry.
    Raises AlreadySigned for a second signature.
    """
    template = ContractTemplate.for_initiative(membership.initiative)
    with transaction.atomic():
        contract = contract_of(membership)
        if contract.signed_at:
            raise AlreadySigned
        # The peer signs the words they read, in their language.
        contract.sign(text="\n".join(template.lines_in()), name=name, when=timezone.now())
        audit.log(
            actor=membership.user,
            action="contract.sign",
            target=contract,
            initiative=membership.initiative_id,
            target_label=str(membership.user),
        )
        for authoriser in authorisers_of(membership):
            queue_templated_email(
                to=authoriser.user.email,
                kind="contract_signed",
                key=f"contract-signed:{contract.pk}:{authoriser.pk}",
                template="contract_signed",
                context={
                    "contract": contract,
                    "peer": membership.user,
                    "initiative": membership.initiative,
                    "link": absolute_url(
                        reverse(
                            "initiatives:countersign",
                            args=[membership.initiative_id, contract.pk],
                        )
                    ),
                },
            )
    return contract


def authorisers_of(membership):
    if membership.home_organisation_id is None:
        return Membership.objects.none()
    return (
        membership.initiative.memberships.filter(
            role=Role.AUTHORISER,
            status=Membership.Status.ACTIVE,
            authorised_organisations=membership.home_organisation_id,
        )
        .select_related("user")
        .distinct()
    )


def countersign_contract(*, contract, by, note=""):
    """The authoriser gives the home organisation's mandate.

    Side effects: the contract row; one audit entry.
    """
    membership = contract.membership
    with transaction.atomic():
        contract.countersign(by=by, note=note.strip(), when=timezone.now())
        audit.log(
            actor=by,
            action="contract.countersign",
            target=contract,
            initiative=membership.initiative_id,
            target_label=str(membership.user),
        )
    return contract


def save_commitments(*, template, commitments, by, translations=None):
    """Change the commitments peers sign from now on (signed contracts keep their text),
    with their versions in other languages ({language: {"commitments": text}}).

    Side effects: the template row; one audit entry with the number of commitments.
    """
    with transaction.atomic():
        template.commitments = commitments
        template.translations = translations or {}
        template.save(update_fields=["commitments", "translations", "updated_at"])
        audit.log(
            actor=by,
            action="contract.text",
            target=template,
            target_label=str(template.initiative),
            commitments=len(template.lines),
        )
    return template


def peers_to_remind(now):
    """Active peers, in a stage that asks for contracts, whose next reminder is due."""
    return (
        Membership.objects.filter(
            role=Role.PEER,
            status=Membership.Status.ACTIVE,
            initiative__stage__gte=Stage.FOUNDATION,
            joined_at__lte=now - REMINDER_INTERVAL,
        )
        .exclude(peer_contract__signed_at__isnull=False)
        .exclude(peer_contract__reminders_sent__gte=PeerContract.MAX_REMINDERS)
        .exclude(peer_contract__last_reminded_at__gt=now - REMINDER_INTERVAL)
        .select_related("user", "initiative")
    )


def send_contract_reminders(*, now=None):
    """Remind peers who have not signed: at most three times, a week apart.

    The first reminder goes a week after the peer joined. Side effects: per
    reminder, the contract's counter moves on by a conditional update and one
    outbox email is queued under a key per step, so a second run sends nothing.
    Returns how many reminders were queued.
    """
    now = now or timezone.now()
    queued = 0
    for membership in peers_to_remind(now):
        with transaction.atomic():
            contract = contract_of(membership)
            step = contract.reminders_sent + 1
            if not contract.claim_reminder(step=step, when=now, not_after=now - REMINDER_INTERVAL):
                continue
            email = queue_templated_email(
                to=membership.user.email,
                kind="contract_reminder",
                key=f"contract-reminder:{membership.pk}:{step}",
                template="contract_reminder",
                context={
                    "initiative": membership.initiative,
                    "step": step,
                    "link": absolute_url(
                        reverse("initiatives:contract", args=[membership.initiative_id])
                    ),
                },
            )
            queued += email is not None
    return queued
