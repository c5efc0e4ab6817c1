"""Survey operations that write: setting a survey up, editing its questions and
settings, answering it, and reminding peers who have not."""

from datetime import timedelta

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from peerlearn import audit
from peerlearn.content_languages import every_language
from peerlearn.outbox import absolute_url, queue_templated_email, queue_templated_emails

from . import road_map
from .defaults import default_questions, default_title
from .models import Question, Response, Survey

audit.describe(
    **{
        "survey.question_added": _("Added a survey question"),
        "survey.question_edited": _("Edited a survey question"),
        "survey.question_deleted": _("Deleted a survey question"),
        "survey.question_moved": _("Moved a survey question"),
        "survey.settings_changed": _("Changed a survey's dates and reminders"),
        "survey.submitted": _("Submitted a survey"),
        "survey.opened": _("Opened a survey to peers"),
    }
)


def survey_for(*, initiative, purpose=Survey.Purpose.PRE_EVENT, round_=""):
    """The initiative's survey of `purpose` and `round_`, created on first use as a draft
    that peers do not see (open_survey opens it).

    Side effects: on first use, one Survey and its default Question rows, their texts
    in the active language with every site language's version alongside.
    """
    survey = Survey.objects.filter(initiative=initiative, purpose=purpose, round=round_).first()
    if survey is not None:
        return survey
    try:
        with transaction.atomic():
            title = default_title(purpose, round_)
            survey = Survey.objects.create(
                initiative=initiative,
                purpose=purpose,
                round=round_,
                title=str(title),
                translations=every_language(title=title),
            )
            Question.objects.bulk_create(
                Question(
                    survey=survey,
                    position=position,
                    text=str(text),
                    help_text=str(help_text),
                    translations=every_language(text=text, help_text=help_text),
                    kind=kind,
                    required=required,
                    profile_field=profile_field,
                )
                for position, (text, help_text, kind, required, profile_field) in enumerate(
                    default_questions(purpose), start=1
                )
            )
    except IntegrityError:  # someone else created it at the same moment
        survey = Survey.objects.get(initiative=initiative, purpose=purpose, round=round_)
    return survey


def add_question(*, survey, by, **fields):
    """A new question at the end of the survey.

    Side effects: one Question row; an audit entry survey.question_added.
    """
    with transaction.atomic():
        last = survey.questions.aggregate(last=Max("position"))["last"] or 0
        question = Question.objects.create(survey=survey, position=last + 1, **fields)
        _log(by, "survey.question_added", question, text=question.text)
    return question


def edit_question(*, question, by, **fields):
    """Change the question's text, type, choices or profile field.

    Side effects: the Question saved; an audit entry survey.question_edited naming the
    fields that changed.
    """
    with transaction.atomic():
        changed = _changes(question, fields)
        question.save(update_fields=list(fields))
        _log(by, "survey.question_edited", question, changed=changed)
    return question


def delete_question(*, question, by):
    """Side effects: the Question deleted (answers to it stay in the responses, unread);
    an audit entry survey.question_deleted."""
    with transaction.atomic():
        _log(by, "survey.question_deleted", question, text=question.text)
        question.delete()


def move_question(*, question, step, by):
    """Swap `question` with its neighbour above (step -1) or below (step +1).

    Side effects: renumbers the survey's questions 1..n (two or more rows); an audit
    entry survey.question_moved when it moved.
    """
    with transaction.atomic():
        questions = list(question.survey.questions.select_for_update())
        index = next(i for i, other in enumerate(questions) if other.pk == question.pk)
        target = index + step
        moved = 0 <= target < len(questions)
        if moved:
            questions[index], questions[target] = questions[target], questions[index]
        for position, other in enumerate(questions, start=1):
            other.position = position
        Question.objects.bulk_update(questions, ["position"])
        if moved:
            _log(by, "survey.question_moved", question, position=target + 1)


def open_survey(*, survey, by):
    """Open a draft survey to the initiative's peers and tell each of them.

    Side effects, once per survey (opening it again does nothing): opened_at set; one
    outbox email per invited or joined peer, keyed survey-opened:<survey>:<membership>,
    queued in bulk in the same transaction; an audit entry survey.opened. Returns how
    many emails were queued (None when the survey was open already).
    """
    with transaction.atomic():
        now = timezone.now()
        if not Survey.objects.filter(pk=survey.pk, opened_at=None).update(opened_at=now):
            return None
        survey.opened_at = now
        peers = _peers(survey).select_related("user")
        emails = queue_templated_emails(
            kind="survey_opened",
            template="survey_opened",
            messages=[_opened_message(survey, peer) for peer in peers],
        )
        _log(by, "survey.opened", survey, emails=len(emails))
    return len(emails)


def _opened_message(survey, peer):
    context = {
        "survey": survey,
        "initiative": survey.initiative,
        "person": peer.user,
        "invited": peer.status == peer.Status.INVITED,
        "opens_at": survey.opens_at if survey.not_open_yet(timezone.now()) else None,
        "closes_at": survey.closes_at,
        "link": absolute_url(survey.url("survey")),
    }
    return peer.user.email, f"survey-opened:{survey.pk}:{peer.pk}", context


def change_settings(*, survey, by, **fields):
    """Set the survey's title, introduction, dates and reminders.

    Side effects: the Survey saved; an audit entry survey.settings_changed naming the
    fields that changed.
    """
    with transaction.atomic():
        changed = _changes(survey, fields)
        survey.save(update_fields=list(fields))
        _log(by, "survey.settings_changed", survey, changed=changed)
    return survey


def _changes(instance, fields):
    """Set `fields` on `instance`; the names whose stored value they change."""
    stored = type(instance).objects.filter(pk=instance.pk).values(*fields).get()
    for name, value in fields.items():
        setattr(instance, name, value)
    return sorted(name for name, value in fields.items() if stored[name] != value)


def _log(by, action, target, **data):
    survey = target if isinstance(target, Survey) else target.survey
    audit.log(actor=by, action=action, target=target, initiative=survey.initiative_id, **data)


def response_of(*, survey, membership):
    response, _created = Response.objects.get_or_create(survey=survey, membership=membership)
    return response


def save_draft(*, survey, membership, answers):
    """Keep the peer's answers without checking them; nothing else reads a draft."""
    response = response_of(survey=survey, membership=membership)
    response.save_answers(answers)
    return response


def submit_survey(*, survey, membership, answers, questions):
    """Record the peer's final answers and hand them to the apps that use them.

    Side effects: the Response is marked submitted; the hooks registered with
    road_map.on_submitted for the survey's purpose run in the same transaction (for
    the pre-event survey, matching copies the answers into the PeerProfile); an
    audit entry survey.submitted.
    """
    with transaction.atomic():
        response = response_of(survey=survey, membership=membership)
        response.submit(answers, timezone.now())
        road_map.run_submitted_hooks(response=response, questions=questions)
        audit.log(
            actor=membership.user,
            action="survey.submitted",
            target=survey,
            initiative=survey.initiative_id,
        )
    return response


def send_survey_reminders(*, now=None):
    """Queue the next reminder to every peer who has not submitted an open survey.

    Reminder k goes out only if k <= the survey's maximum and the gap since the
    previous reminder (or since the survey opened) has passed. Side effects: per
    reminder, a conditional update of the Response and one outbox email keyed
    survey-reminder:<survey>:<membership>:<k>, so a second run queues nothing.
    Returns how many reminders were queued.
    """
    now = now or timezone.now()
    queued = 0
    for survey in Survey.objects.select_related("initiative").filter(max_reminders__gt=0):
        if not survey.is_open(now):
            continue
        queued += _remind_for(survey, now)
    return queued


def _peers(survey):
    return survey.initiative.memberships.peers().current()


def _remind_for(survey, now):
    gap = timedelta(days=survey.reminder_gap_days)
    started = survey.started_at
    if now - started < gap:
        return 0
    peers = _peers(survey).exclude(survey_responses__survey=survey)
    Response.objects.bulk_create(
        [Response(survey=survey, membership=peer) for peer in peers], ignore_conflicts=True
    )
    due = (
        survey.responses.filter(
            submitted_at__isnull=True,
            reminders_sent__lt=survey.max_reminders,
            membership__in=_peers(survey),
        )
        .exclude(last_reminded_at__gt=now - gap)
        .select_related("membership__user")
    )
    return sum(_remind(survey, response, now) for response in due)


def _remind(survey, response, now):
    step = response.reminders_sent + 1
    with transaction.atomic():
        claimed = Response.objects.filter(pk=response.pk, reminders_sent=step - 1).update(
            reminders_sent=step, last_reminded_at=now
        )
        if not claimed:
            return 0
        email = queue_templated_email(
            to=response.membership.user.email,
            kind="survey_reminder",
            key=f"survey-reminder:{survey.pk}:{response.membership_id}:{step}",
            template="survey_reminder",
            context={
                "survey": survey,
                "initiative": survey.initiative,
                "person": response.membership.user,
                "closes_at": survey.closes_at,
                "link": absolute_url(survey.url("survey")),
            },
        )
    return 1 if email else 0
