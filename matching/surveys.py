"""Pre-event survey operations: setting it up, answering it, reminding, reporting."""

from datetime import timedelta

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from initiatives.taxonomy import REFORM_AREA_NAMES
from peerlearn.languages import language_names
from peerlearn.outbox import absolute_url, queue_templated_email

from .models import PeerProfile, Question, Response, Survey
from .survey_template import default_questions


def survey_for(*, initiative):
    """The initiative's survey, created from the default questions on first use.

    Side effects: on first use, one Survey and its default Question rows.
    """
    survey = Survey.objects.filter(initiative=initiative).first()
    if survey is not None:
        return survey
    try:
        with transaction.atomic():
            survey = Survey.objects.create(
                initiative=initiative, title=_("Before we meet: your work and your challenges")
            )
            Question.objects.bulk_create(
                Question(
                    survey=survey,
                    position=position,
                    text=text,
                    help_text=help_text,
                    kind=kind,
                    required=required,
                    profile_field=profile_field,
                )
                for position, (text, help_text, kind, required, profile_field) in enumerate(
                    default_questions(), start=1
                )
            )
    except IntegrityError:  # someone else created it at the same moment
        survey = Survey.objects.get(initiative=initiative)
    return survey


def add_question(*, survey, **fields):
    """A new question at the end of the survey."""
    last = survey.questions.aggregate(last=Max("position"))["last"] or 0
    return Question.objects.create(survey=survey, position=last + 1, **fields)


def move_question(*, question, step):
    """Swap `question` with its neighbour above (step -1) or below (step +1).

    Side effects: renumbers the survey's questions 1..n (two or more rows).
    """
    with transaction.atomic():
        questions = list(question.survey.questions.select_for_update())
        index = next(i for i, other in enumerate(questions) if other.pk == question.pk)
        target = index + step
        if 0 <= target < len(questions):
            questions[index], questions[target] = questions[target], questions[index]
        for position, other in enumerate(questions, start=1):
            other.position = position
        Question.objects.bulk_update(questions, ["position"])


def answer_count(*, question):
    """How many peers have answered `question`, in a draft or a submitted survey."""
    return question.survey.responses.filter(answers__has_key=str(question.pk)).count()


def response_of(*, survey, membership):
    response, _created = Response.objects.get_or_create(survey=survey, membership=membership)
    return response


def save_draft(*, survey, membership, answers):
    """Keep the peer's answers without checking them; nothing reaches the profile yet."""
    response = response_of(survey=survey, membership=membership)
    response.save_answers(answers)
    return response


def _profile_value(question, value):
    """The answer as the profile field holds it; no answer gives the field's empty value."""
    if question.profile_field == Question.ProfileField.YEARS_OF_SERVICE:
        return value
    if question.kind in (Question.Kind.REFORM_AREAS, Question.Kind.LANGUAGES):
        return list(value or ())
    if value is None:
        return ""
    if isinstance(value, list):
        return "; ".join(value)
    field = PeerProfile._meta.get_field(question.profile_field)
    text = str(value)
    return text[: field.max_length] if field.max_length else text


def submit_survey(*, survey, membership, answers, questions):
    """Record the peer's final answers and copy the mapped ones into their profile.

    Side effects: the Response is marked submitted; the PeerProfile is created
    or updated, including survey_completed_at.
    """
    now = timezone.now()
    with transaction.atomic():
        response = response_of(survey=survey, membership=membership)
        response.submit(answers, now)
        profile, _created = PeerProfile.objects.get_or_create(membership=membership)
        changed = ["survey_completed_at", "updated_at"]
        for question in questions:
            if not question.profile_field:
                continue
            value = _profile_value(question, answers.get(str(question.pk)))
            setattr(profile, question.profile_field, value)
            changed.append(question.profile_field)
        profile.survey_completed_at = now
        profile.save(update_fields=sorted(set(changed)))
    return response


def _peers(survey):
    return survey.initiative.memberships.peers().current()


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


def _remind_for(survey, now):
    gap = timedelta(days=survey.reminder_gap_days)
    started = survey.opens_at or survey.created_at
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
                "link": absolute_url(reverse("matching:survey", args=[survey.initiative_id])),
            },
        )
    return 1 if email else 0


def completion(*, survey):
    """Submitted surveys overall and per home organisation: dicts with counts and percent."""
    rows = _peers(survey).values_list("home_organisation__name", "home_organisation__country", "pk")
    submitted = set(survey.responses.submitted().values_list("membership_id", flat=True))
    per_organisation = {}
    for name, country, membership_pk in rows:
        label = f"{name} ({country})" if name and country else (name or _("No organisation"))
        entry = per_organisation.setdefault(label, {"name": label, "peers": 0, "submitted": 0})
        entry["peers"] += 1
        entry["submitted"] += membership_pk in submitted
    organisations = sorted(per_organisation.values(), key=lambda entry: entry["name"])
    overall = {
        "name": _("All peers"),
        "peers": sum(entry["peers"] for entry in organisations),
        "submitted": sum(entry["submitted"] for entry in organisations),
    }
    for entry in [overall, *organisations]:
        entry["percent"] = round(100 * entry["submitted"] / entry["peers"]) if entry["peers"] else 0
    return overall, organisations


def readable_answer(question, value):
    """An answer as a person reads it: names for codes, lists joined."""
    if value is None:
        return ""
    if question.kind == Question.Kind.REFORM_AREAS:
        return "; ".join(str(REFORM_AREA_NAMES.get(code, code)) for code in value)
    if question.kind == Question.Kind.LANGUAGES:
        return "; ".join(language_names(value))
    if question.kind == Question.Kind.YES_NO:
        return str(_("Yes") if value == "yes" else _("No"))
    if isinstance(value, list):
        return "; ".join(str(item) for item in value)
    return str(value)


def peer_responses(*, survey):
    """Every current peer with their response (or None), in one pass of two queries."""
    peers = list(
        _peers(survey)
        .select_related("user", "home_organisation")
        .order_by("home_organisation__name", "user__name", "user__email")
    )
    responses = {
        response.membership_id: response
        for response in survey.responses.filter(membership__in=[peer.pk for peer in peers])
    }
    return [(peer, responses.get(peer.pk)) for peer in peers]


def export_table(*, survey):
    """Header and one row per peer, one column per question, for CSV and XLSX."""
    questions = list(survey.questions.all())
    header = [
        _("Name"),
        _("Email"),
        _("Home organisation"),
        _("Status"),
        _("Submitted at"),
        *[question.text for question in questions],
    ]
    rows = []
    for peer, response in peer_responses(survey=survey):
        answers = response.answers if response else {}
        submitted = response.submitted_at if response else None
        values = [
            peer.user.name,
            peer.user.email,
            str(peer.home_organisation or ""),
            str(response_status(response)),
            submitted.strftime("%Y-%m-%d %H:%M") if submitted else "",
            *[readable_answer(q, answers.get(str(q.pk))) for q in questions],
        ]
        rows.append(values)
    return [str(title) for title in header], rows


def response_status(response):
    if response is None or (not response.answers and not response.submitted_at):
        return _("Not started")
    return _("Submitted") if response.submitted_at else _("Draft")
