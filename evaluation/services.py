"""Writes of stage 3: learning objectives, reflections and reflection prompts."""

import datetime
from pathlib import PurePath

from django.db import IntegrityError, transaction
from django.db.models import Exists, Max, OuterRef
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from initiatives.models import Membership
from peerlearn import audit
from peerlearn.outbox import absolute_url, queue_templated_email
from peerlearn.subscriptions import optional_email_headers
from surveys.models import Survey
from surveys.services import save_draft, submit_survey, survey_for

from . import queries
from .models import (
    EvaluationPoint,
    LearningObjective,
    ObjectiveCategory,
    ObjectiveRating,
    Reflection,
    ReflectionCadence,
    ReflectionPrompt,
    SelfAssessmentRequest,
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


# --- self-assessments ---

audit.describe(
    **{
        "evaluation.set_evaluation_point": _("Set the dates of a self-assessment round"),
    }
)


def _start_of(day):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def set_evaluation_point(*, initiative, round_, by, opens_on, closes_on, remind_every_days):
    """Set when the self-assessment round `round_` opens and closes, and how often peers
    who have not submitted are reminded.

    The round's survey (purpose self-assessment) is created when missing and opened from
    the start of `opens_on` to the end of `closes_on`; its own reminders are turned off,
    because send_self_assessment_requests sends them. Side effects: the EvaluationPoint
    created or changed; the Survey created or its dates changed; one audit entry.
    """
    with transaction.atomic():
        survey = survey_for(
            initiative=initiative, purpose=Survey.Purpose.SELF_ASSESSMENT, round_=round_
        )
        survey.opens_at = _start_of(opens_on)
        survey.closes_at = _start_of(closes_on + datetime.timedelta(days=1))
        survey.max_reminders = 0
        survey.save(update_fields=["opens_at", "closes_at", "max_reminders"])
        point, _created = EvaluationPoint.objects.update_or_create(
            initiative=initiative,
            round=round_,
            defaults={
                "survey": survey,
                "opens_on": opens_on,
                "closes_on": closes_on,
                "remind_every_days": remind_every_days,
            },
        )
        audit.log(
            actor=by,
            action="evaluation.set_evaluation_point",
            target=point,
            target_label=str(initiative),
            round=round_,
            opens_on=opens_on.isoformat(),
            closes_on=closes_on.isoformat(),
            remind_every_days=remind_every_days,
        )
    return point


def _store_ratings(response, ratings):
    """Upsert `ratings` ({objective: {score, source, comment}}) of `response`, one query."""
    ObjectiveRating.objects.bulk_create(
        [
            ObjectiveRating(
                response=response,
                objective=objective,
                score=values.get("score"),
                source=values.get("source") or "",
                comment=values.get("comment") or "",
            )
            for objective, values in ratings.items()
        ],
        update_conflicts=True,
        unique_fields=["response", "objective"],
        update_fields=["score", "source", "comment"],
    )


def save_self_assessment_draft(*, point, membership, ratings, answers):
    """Keep a peer's ratings and answers to the extra questions, unchecked, as a draft.

    Side effects: the round's Response saved with `answers`; one ObjectiveRating per
    objective in `ratings` created or changed, in one transaction.
    """
    with transaction.atomic():
        response = save_draft(survey=point.survey, membership=membership, answers=answers)
        _store_ratings(response, ratings)
    return response


def submit_self_assessment(*, point, membership, ratings, answers, questions):
    """Record a peer's final ratings and answers for the round.

    Side effects: the Response submitted through surveys (its hooks and its audit entry
    survey.submitted); one ObjectiveRating per objective created or changed; all in one
    transaction.
    """
    with transaction.atomic():
        response = submit_survey(
            survey=point.survey, membership=membership, answers=answers, questions=questions
        )
        _store_ratings(response, ratings)
    return response


def send_self_assessment_requests(*, today=None):
    """Ask each active peer to self-assess when a point opens, and remind those who
    have not submitted every `remind_every_days` days until it closes.

    A peer who has had nothing yet gets the request, whenever the sweep first finds the
    point open; a reminder goes out only if the previous message was sent before the
    reminder's day, so a late request is not followed by a reminder an hour later.
    Missed reminders are skipped for the current one.
    Side effects: per message, one SelfAssessmentRequest row and its outbox email (key
    self-assessment:<point>:<membership>:<number>) in one transaction; a second sweep
    queues nothing. Returns how many messages were queued.
    """
    today = today or timezone.localdate()
    return sum(_requests_for(point, today) for point in queries.points_open_on(today))


def _requests_for(point, today):
    due = point.message_number_on(today)
    submitted = point.survey.responses.submitted().filter(membership=OuterRef("pk"))
    peers = (
        point.initiative.memberships.peers()
        .filter(status=Membership.Status.ACTIVE, user__is_active=True)
        .exclude(Exists(submitted))
        .select_related("user")
    )
    last = {
        row["membership_id"]: row
        for row in point.requests.values("membership_id").annotate(
            number=Max("number"), sent_on=Max("sent_on")
        )
    }
    sent = 0
    for membership in peers:
        previous = last.get(membership.pk)
        if previous is None:
            number = 0
        elif due > previous["number"] and previous["sent_on"] < point.reminder_due_on(due):
            number = due
        else:
            continue
        sent += _send_request(point, membership, number, today)
    return sent


def _send_request(point, membership, number, today):
    try:
        with transaction.atomic():
            SelfAssessmentRequest.objects.create(
                point=point,
                membership=membership,
                number=number,
                sent_on=today,
                sent_at=timezone.now(),
            )
            queue_templated_email(
                to=membership.user.email,
                kind="self_assessment_request",
                key=f"self-assessment:{point.pk}:{membership.pk}:{number}",
                template="self_assessment_request",
                context={
                    "person": membership.user,
                    "initiative": point.initiative,
                    "point": point,
                    "reminder": number > 0,
                    "link": absolute_url(
                        reverse(
                            "evaluation:self_assessment_round",
                            args=[point.initiative_id, point.round],
                        )
                    ),
                },
            )
    except IntegrityError:  # a sweep running at the same time got there first
        return 0
    return 1
