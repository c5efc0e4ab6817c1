"""Writes of stage 3: learning objectives, reflections and reflection prompts."""

import datetime
import logging
from functools import partial
from pathlib import PurePath

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.db.models import Exists, Max, OuterRef, Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from initiatives.models import Membership
from peerlearn import audit
from peerlearn.jobs import enqueue, enqueue_on_commit
from peerlearn.outbox import absolute_url, queue_templated_email, queue_templated_emails
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
    Report,
    ReportNote,
    ReportReply,
    ReportSchedule,
    SelfAssessmentRequest,
)
from .report_content import build_content, period_label, render_pdf, report_language

logger = logging.getLogger(__name__)

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
    Side effects: per peer and period, one ReflectionPrompt row and its email, written
    in bulk in one transaction per initiative; a second sweep (even one running at the
    same time) finds the rows and queues nothing. Returns how many prompts were sent.
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
        sent += _prompt_all([m for m in peers if m.user.wants_optional_email], period, starts_on)
    return sent


def _prompt_all(memberships, period, starts_on):
    """Prompt `memberships` for the period starting `starts_on`, in bulk; returns how
    many were prompted (those a concurrent sweep had prompted are left out)."""
    if not memberships:
        return 0
    now = timezone.now()
    with transaction.atomic():
        ReflectionPrompt.objects.bulk_create(
            [
                ReflectionPrompt(
                    membership=membership, period=period, period_starts_on=starts_on, sent_at=now
                )
                for membership in memberships
            ],
            ignore_conflicts=True,
        )
        # The rows this sweep wrote (a concurrent one wrote its own with another time;
        # the email keys stop a repeat in any case).
        mine = set(
            ReflectionPrompt.objects.filter(
                membership__in=[membership.pk for membership in memberships],
                period_starts_on=starts_on,
                sent_at=now,
            ).values_list("membership_id", flat=True)
        )
        link = absolute_url(
            reverse("evaluation:reflection_new", args=[memberships[0].initiative_id])
        )
        queue_templated_emails(
            kind="reflection_prompt",
            template="reflection_prompt",
            messages=[
                (
                    membership.user.email,
                    f"reflection-prompt:{membership.pk}:{starts_on.isoformat()}",
                    {"person": membership.user, "initiative": membership.initiative, "link": link},
                    optional_email_headers(membership.user),
                )
                for membership in memberships
                if membership.pk in mine
            ],
        )
    return len(mine)


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
        # The round's dates decide when peers answer: its survey is never a draft.
        survey.opened_at = survey.opened_at or timezone.now()
        survey.save(update_fields=["opens_at", "closes_at", "max_reminders", "opened_at"])
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


# --- reports to authorisers ---

audit.describe(
    **{
        "evaluation.set_report_cadence": _("Set how often authorisers get progress reports"),
        "evaluation.send_report": _("Sent a progress report to authorisers"),
        "evaluation.request_report": _("Asked for a progress report to be sent now"),
        "evaluation.retry_report": _("Retried a progress report"),
        "evaluation.write_report_note": _("Wrote a personal note for the next progress report"),
        "evaluation.acknowledge_report": _("Acknowledged a progress report"),
        "evaluation.reply_to_report": _("Replied to a progress report"),
    }
)

# A report claimed longer ago than this by a worker that never finished is built again.
REPORT_CLAIM_TIMEOUT = datetime.timedelta(minutes=15)


def set_report_cadence(*, initiative, by, cadence):
    """Send progress reports to the initiative's authorisers at `cadence`.

    Side effects: the initiative's report schedule created or changed; one audit entry.
    """
    with transaction.atomic():
        schedule, _created = ReportSchedule.objects.update_or_create(
            initiative=initiative, defaults={"cadence": cadence}
        )
        audit.log(
            actor=by,
            action="evaluation.set_report_cadence",
            target=schedule,
            target_label=str(initiative),
            cadence=cadence,
        )
    return schedule


def write_report_note(*, initiative, organisation, by, text):
    """The facilitator's personal note for `organisation`'s next report (blank: none).

    Side effects: the open note written, replaced or deleted; one audit entry.
    """
    with transaction.atomic():
        open_note = ReportNote.objects.filter(
            initiative=initiative, organisation=organisation, report__isnull=True
        )
        if text.strip():
            note, _created = ReportNote.objects.update_or_create(
                initiative=initiative,
                organisation=organisation,
                report=None,
                defaults={"text": text.strip(), "written_by": by},
            )
        else:
            open_note.delete()
            note = None
        audit.log(
            actor=by,
            action="evaluation.write_report_note",
            initiative=initiative,
            target_label=str(organisation),
        )
    return note


def claim_report(*, initiative, organisation, start, end, by=None):
    """Create the report of (initiative, organisation, period), or None if it exists.

    The unique constraint is the claim: two sweeps (or a sweep and a facilitator) that
    race for the same period create one row, and only its creator enqueues the build."""
    from .tasks import build_report

    try:
        with transaction.atomic():
            report = Report.objects.create(
                initiative=initiative,
                organisation=organisation,
                period_start=start,
                period_end=end,
                language=report_language(
                    initiative,
                    queries.authoriser_languages(initiative=initiative, organisation=organisation),
                ),
                requested_by=by,
            )
    except IntegrityError:
        return None
    enqueue_on_commit(build_report, report_id=report.pk)
    return report


def create_due_reports(*, today=None):
    """Claim every report that is due and enqueue its build; returns how many were new.

    Due: for each initiative whose cadence is on, the last period that has ended, for
    each home organisation with current peers. Reports left pending or half-built by a
    worker that died are enqueued again. Side effects: Report rows; build tasks enqueued
    on commit.
    """
    today = today or timezone.localdate()
    created = 0
    for initiative, schedule, changes in queries.report_schedules():
        period = schedule.due_period(today, changes)
        if period is None or period[1] <= schedule.initiative_start():
            continue
        for organisation in queries.reporting_organisations(initiative):
            with transaction.atomic():
                report = claim_report(
                    initiative=initiative,
                    organisation=organisation,
                    start=period[0],
                    end=period[1],
                )
            created += report is not None
    _enqueue_stalled_reports()
    return created


def _enqueue_stalled_reports():
    from .tasks import build_report

    stale = timezone.now() - REPORT_CLAIM_TIMEOUT
    stalled = Report.objects.filter(
        Q(status=Report.Status.PENDING, created_at__lt=stale)
        | Q(status=Report.Status.BUILDING, claimed_at__lt=stale)
    )
    for report_id in stalled.values_list("pk", flat=True):
        enqueue(build_report, report_id=report_id)


def send_report_now(*, initiative, organisation, by):
    """A report for `organisation` covering the current period up to today, sent now.

    Returns the new report, or None if one for the same days exists already.
    Side effects: a Report row; its build enqueued on commit; one audit entry.
    """
    schedule = queries.report_schedule_of(initiative)
    today = timezone.localdate()
    start, _end = schedule.current_period(today, queries.stage_change_days(initiative))
    with transaction.atomic():
        report = claim_report(
            initiative=initiative,
            organisation=organisation,
            start=start,
            end=today + datetime.timedelta(days=1),
            by=by,
        )
        if report is not None:
            audit.log(actor=by, action="evaluation.request_report", target=report)
    return report


def retry_report(*, report, by):
    """Build and send a failed report again; False if it had not failed.

    Side effects: the report back to pending; its build enqueued on commit; an audit entry.
    """
    from .tasks import build_report

    with transaction.atomic():
        retried = Report.objects.filter(pk=report.pk, status=Report.Status.FAILED).update(
            status=Report.Status.PENDING, error=""
        )
        if retried:
            audit.log(actor=by, action="evaluation.retry_report", target=report)
            enqueue_on_commit(build_report, report_id=report.pk)
    return bool(retried)


def _claim_build(report_id):
    stale = timezone.now() - REPORT_CLAIM_TIMEOUT
    return (
        Report.objects.filter(pk=report_id)
        .filter(
            Q(status=Report.Status.PENDING) | Q(status=Report.Status.BUILDING, claimed_at__lt=stale)
        )
        .update(status=Report.Status.BUILDING, claimed_at=timezone.now())
    )


def build_and_send_report(*, report_id):
    """Build one claimed report, freeze it, and email it to the organisation's authorisers.

    Runs once per report even if the task is delivered twice: it claims the row first
    (pending -> building), and each email's outbox key names the report and the person.
    A failure is recorded on the report (failed, with the error) for the facilitator
    to retry; it never stops other reports. Side effects: the report's content and PDF
    (in default_storage); the open personal note taken in; one outbox email per active
    authoriser; one audit entry. Returns True when this call sent it.
    """
    if not _claim_build(report_id):
        return False
    report = Report.objects.select_related("initiative", "organisation").get(pk=report_id)
    try:
        _build_and_send(report)
    except Exception as error:  # any failure is the facilitator's to see and retry
        logger.exception("Report %s failed", report_id)
        report.mark_failed(error)
        return False
    return True


def _build_and_send(report):
    initiative, organisation = report.initiative, report.organisation
    with transaction.atomic(), translation.override(report.language or None):
        note = (
            ReportNote.objects.select_for_update()
            .filter(initiative=initiative, organisation=organisation, report__isnull=True)
            .first()
        )
        report.content = build_content(
            initiative=initiative,
            organisation=organisation,
            start=report.period_start,
            end=report.period_end,
            note=note.text if note else "",
            previous=queries.previous_report(report),
        )
        name = default_storage.save(
            f"reports/{report.token}.pdf", ContentFile(render_pdf(report.content))
        )
        if report.pdf and report.pdf != name:
            # A rebuilt report replaces its PDF: the old file goes once the new one counts.
            transaction.on_commit(partial(default_storage.delete, report.pdf))
        report.pdf = name
        report.status = Report.Status.SENT
        report.sent_at = timezone.now()
        report.error = ""
        report.save(update_fields=["content", "pdf", "status", "sent_at", "error"])
        if note is not None:
            note.report = report
            note.save(update_fields=["report"])
        _email_report(report)
        audit.log(actor=None, action="evaluation.send_report", target=report)


def _email_report(report):
    link = absolute_url(reverse("evaluation:report", args=[report.token]))
    attachment = {
        "path": report.pdf,
        "name": f"progress-report-{report.period_start:%Y-%m-%d}.pdf",
        "mimetype": "application/pdf",
    }
    for membership in queries.authorisers_of(report):
        with translation.override(membership.user.language or report.language or None):
            _queue_report_email(report, membership, link, attachment)


def _queue_report_email(report, membership, link, attachment):
    queue_templated_email(
        to=membership.user.email,
        kind="evaluation_report",
        key=f"evaluation_report:{report.pk}:{membership.user_id}",
        template="evaluation_report",
        context={
            "person": membership.user,
            "report": report,
            "content": report.content,
            "period": period_label(report.content),
            "link": link,
        },
        attachments=[attachment],
    )


def acknowledge_report(*, report, by):
    """The authoriser has read the report. Side effects: the report acknowledged (once);
    one audit entry the first time."""
    with transaction.atomic():
        if report.acknowledged_at is None:
            report.acknowledge(by=by, when=timezone.now())
            audit.log(actor=by, action="evaluation.acknowledge_report", target=report)
    return report


def reply_to_report(*, report, by, kind, text, due_on=None):
    """An authoriser's comment or commitment on a report, shown to the facilitators and in
    the organisation's next report. Side effects: one reply row; the report acknowledged;
    one audit entry."""
    with transaction.atomic():
        reply = ReportReply.objects.create(
            report=report, author=by, kind=kind, text=text, due_on=due_on
        )
        report.acknowledge(by=by, when=timezone.now())
        audit.log(actor=by, action="evaluation.reply_to_report", target=report, kind=kind)
    return reply
