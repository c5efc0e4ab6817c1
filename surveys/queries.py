"""Survey reads: completion, each peer's response, readable answers and the export table."""

from django.utils.translation import gettext as _

from initiatives.taxonomy import REFORM_AREA_NAMES
from peerlearn.languages import language_names

from .models import Question, Response, Survey


def _peers(survey):
    return survey.initiative.memberships.peers().current()


def answer_count(*, question):
    """How many peers have answered `question`, in a draft or a submitted survey."""
    return question.survey.responses.filter(answers__has_key=str(question.pk)).count()


def response_of(*, survey, membership):
    """The peer's response to `survey`, or None before they save anything."""
    return survey.responses.filter(membership=membership).first()


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


# --- indicators ---


def _pre_event_submitted(scope):
    return Response.objects.submitted().filter(
        survey__initiative=scope.initiative, survey__purpose=Survey.Purpose.PRE_EVENT
    )


def peers_surveyed(scope):
    return scope.count_peers(scope.within(_pre_event_submitted(scope), "submitted_at"))


def peers_surveyed_per_month(scope):
    return scope.per_month(scope.of_peers(_pre_event_submitted(scope)), "submitted_at")
