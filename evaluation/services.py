"""Writes of stage 3: learning objectives, reflections and reflection prompts."""

from pathlib import PurePath

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from initiatives.models import Membership
from peerlearn import audit
from peerlearn.outbox import absolute_url, queue_templated_email
from peerlearn.subscriptions import optional_email_headers

from . import queries
from .models import (
    LearningObjective,
    ObjectiveCategory,
    Reflection,
    ReflectionCadence,
    ReflectionPrompt,
)

audit.describe(
    **{
        "evaluation.add_objective": _("Set a learning objective"),
        "evaluation.change_objective": _("Changed a learning objective"),
        "evaluation.adopt_objective": _("Adopted an initiative-wide learning objective"),
        "evaluation.add_category": _("Added a learning objective category"),
        "evaluation.write_reflection": _("Wrote a reflection"),
        "evaluation.set_cadence": _("Changed how often peers are asked to reflect"),
    }
)


def add_objective(*, initiative, by, membership=None, upload=None, **fields):
    """Add a peer's objective (`membership`) or, without one, an initiative-wide objective.

    `upload` (checked by DocumentField) is kept as the evidence file. Side effects: one
    objective row; one audit entry.
    """
    with transaction.atomic():
        objective = LearningObjective(
            initiative=initiative,
            membership=membership,
            created_by=by,
            status_changed_on=timezone.localdate(),
            **fields,
        )
        if upload is not None:
            _attach(objective, upload)
        objective.save()
        audit.log(
            actor=by,
            action="evaluation.add_objective",
            target=objective,
            category=objective.category,
            initiative_wide=membership is None,
        )
    return objective


def change_objective(*, objective, by, status, upload=None, **fields):
    """Change an objective; a new `status` is dated today, a new `upload` replaces the
    evidence file (the old one leaves the storage once committed).

    Side effects: the objective saved; one audit entry naming what changed.
    """
    stored = LearningObjective.objects.get(pk=objective.pk)
    changed = [name for name, value in fields.items() if getattr(stored, name) != value]
    before = stored.evidence_file.name
    with transaction.atomic():
        for name, value in fields.items():
            setattr(objective, name, value)
        if upload is not None:
            _attach(objective, upload)
            changed.append("evidence_file")
        if status != stored.status:
            objective.status = status
            objective.status_changed_on = timezone.localdate()
            changed.append("status")
        objective.save()
        if before and before != objective.evidence_file.name:
            storage = objective.evidence_file.storage
            transaction.on_commit(lambda: storage.delete(before))
        audit.log(
            actor=by,
            action="evaluation.change_objective",
            target=objective,
            changed=changed,
            status=objective.status,
        )
    return objective


def adopt_objective(*, objective, membership, by):
    """Give `membership` its own copy of an initiative-wide `objective`, linked to it.

    Adopting twice returns the first copy. Side effects: one objective row; one audit entry.
    """
    existing = LearningObjective.objects.filter(membership=membership, adopted_from=objective)
    if existing.exists():
        return existing.first()
    with transaction.atomic():
        copy = LearningObjective.objects.create(
            initiative=objective.initiative,
            membership=membership,
            adopted_from=objective,
            category=objective.category,
            own_category=objective.own_category,
            description=objective.description,
            status_changed_on=timezone.localdate(),
            created_by=by,
        )
        audit.log(actor=by, action="evaluation.adopt_objective", target=copy)
    return copy


def add_category(*, initiative, by, name):
    """Add one of the initiative's own objective categories. Side effects: one audit entry."""
    with transaction.atomic():
        category = ObjectiveCategory.objects.create(initiative=initiative, name=name)
        audit.log(actor=by, action="evaluation.add_category", target=category)
    return category


def _attach(objective, upload):
    objective.evidence_file = upload  # stored under peerlearn.uploads.stored_name when saved
    objective.evidence_content_type = upload.content_type
    objective.evidence_name = PurePath(upload.name).name[:255]


# --- reflections ---


def write_reflection(
    *, membership, by, text, objective=None, match=None, shared=False, share_with_authoriser=False
):
    """A reflection of `membership`: for their match group (`match`), or single-peer,
    private unless `shared` with the facilitators.

    Side effects: one reflection row; one audit entry (without the text).
    """
    with transaction.atomic():
        reflection = Reflection.objects.create(
            initiative=membership.initiative,
            membership=membership,
            match=match,
            objective=objective,
            text=text,
            shared_with_facilitators=shared,
            share_with_authoriser=share_with_authoriser,
        )
        audit.log(
            actor=by,
            action="evaluation.write_reflection",
            target=reflection,
            target_label=str(membership.user),
            multi_peer=match is not None,
            shared=shared,
        )
    return reflection


def set_cadence(*, initiative, by, every_days):
    """Ask peers to reflect every `every_days` days (0: never), counted from today.

    Side effects: the initiative's cadence row created or changed; one audit entry.
    """
    with transaction.atomic():
        cadence, _created = ReflectionCadence.objects.update_or_create(
            initiative=initiative,
            defaults={"every_days": every_days, "since": timezone.localdate()},
        )
        audit.log(
            actor=by,
            action="evaluation.set_cadence",
            target=cadence,
            target_label=str(initiative),
            every_days=every_days,
        )
    return cadence


def send_reflection_prompts(*, today=None):
    """Ask each active peer of initiatives at stage 3 or later to reflect, when due.

    A prompt is due once per period of the initiative's cadence, from the first period
    on; a period missed while the sweep was down is skipped for the current one. Peers
    who want no optional email are left out.
    Side effects: per peer and period, one ReflectionPrompt row and its email in one
    transaction; a second sweep finds the rows and queues nothing. Returns how many
    prompts were sent.
    """
    today = today or timezone.localdate()
    sent = 0
    for cadence in queries.cadences_due():
        period = cadence.period_on(today)
        if period < 1:
            continue
        starts_on = cadence.period_start(period)
        peers = (
            cadence.initiative.memberships.peers()
            .filter(status=Membership.Status.ACTIVE, user__is_active=True)
            .exclude(reflection_prompts__period_starts_on=starts_on)
            .select_related("user", "initiative")
        )
        for membership in peers:
            if membership.user.wants_optional_email:
                sent += _prompt(membership, period, starts_on)
    return sent


def _prompt(membership, period, starts_on):
    try:
        with transaction.atomic():
            ReflectionPrompt.objects.create(
                membership=membership,
                period=period,
                period_starts_on=starts_on,
                sent_at=timezone.now(),
            )
            queue_templated_email(
                to=membership.user.email,
                kind="reflection_prompt",
                key=f"reflection-prompt:{membership.pk}:{starts_on.isoformat()}",
                template="reflection_prompt",
                context={
                    "person": membership.user,
                    "initiative": membership.initiative,
                    "link": absolute_url(
                        reverse("evaluation:reflection_new", args=[membership.initiative_id])
                    ),
                },
                headers=optional_email_headers(membership.user),
            )
    except IntegrityError:  # a sweep running at the same time got there first
        return 0
    return 1
