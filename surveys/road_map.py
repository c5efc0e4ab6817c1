"""Where surveys plug into the road map (the peer's next step, the stage gate, the tab),
and the hooks through which apps above (matching) use the answers without surveys
knowing them."""

from collections import defaultdict

from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from initiatives import road_map
from initiatives.models import Role, Stage
from initiatives.road_map import Step, fixed_at, gate_check, next_step_provider, tab

from . import personal_data, queries
from .models import Response, Survey

_on_submitted = defaultdict(list)
_prefills = defaultdict(list)


def on_submitted(purpose):
    """Decorator: `hook(*, response, questions)` runs inside the transaction that submits
    a survey of `purpose`."""

    def add(hook):
        _on_submitted[purpose].append(hook)
        return hook

    return add


def prefill(purpose):
    """Decorator: `hook(membership)` returns {profile field: value} already known about a
    peer, shown in a survey of `purpose` where the peer has no saved answer."""

    def add(hook):
        _prefills[purpose].append(hook)
        return hook

    return add


def run_submitted_hooks(*, response, questions):
    for hook in _on_submitted[response.survey.purpose]:
        hook(response=response, questions=questions)


def known_answers(*, survey, membership):
    known = {}
    for hook in _prefills[survey.purpose]:
        known.update(hook(membership))
    return known


@next_step_provider
def complete_survey(memberships):
    """Open surveys of each peer's initiative that the peer has not submitted."""
    peers = [m for m in memberships if m.role == Role.PEER]
    if not peers:
        return
    now = timezone.now()
    surveys = defaultdict(list)
    for survey in Survey.objects.filter(initiative__in={m.initiative_id for m in peers}):
        if survey.is_open(now) and survey.purpose not in _answer_pages:
            surveys[survey.initiative_id].append(survey)
    submitted = set(
        Response.objects.submitted()
        .filter(membership__in=peers)
        .values_list("membership_id", "survey_id")
    )
    for membership in peers:
        for survey in surveys[membership.initiative_id]:
            if (membership.pk, survey.pk) not in submitted:
                yield membership, Step(_survey_step_text(survey), survey.url("survey"))


def _survey_step_text(survey):
    if survey.is_pre_event:
        return gettext("Complete the pre-event survey")
    return gettext("Answer “%(title)s”") % {"title": survey.title}


@gate_check(Stage.FOUNDATION)
def survey_answered(initiative):
    survey = Survey.objects.pre_event().filter(initiative=initiative).first()
    if survey is None:
        yield fixed_at(
            gettext("The pre-event survey has not been set up."), "surveys:builder", initiative
        )
        return
    if survey.is_draft:
        yield fixed_at(
            gettext("The pre-event survey is a draft: open it to peers."),
            "surveys:builder",
            initiative,
        )
        return
    peers = initiative.memberships.peers().current()
    submitted = survey.responses.submitted().filter(membership=OuterRef("pk"))
    missing = peers.exclude(Exists(submitted)).count()
    if missing:
        text = ngettext(
            "%(count)d peer has not submitted the pre-event survey.",
            "%(count)d peers have not submitted the pre-event survey.",
            missing,
        ) % {"count": missing}
        yield fixed_at(text, "surveys:results", initiative)


tab("survey", _("Survey"), "surveys:builder", stage=Stage.FOUNDATION, order=21)


# --- indicators ---

road_map.indicator(
    "peers_surveyed",
    label=_("Peers who completed the pre-event survey"),
    definition=_("Peers who submitted the pre-event survey in the period."),
    objective=road_map.ChainObjective.ENGAGEMENT,
    funnel=20,
    source="surveys:results",
    series=queries.peers_surveyed_per_month,
)(queries.peers_surveyed)


# --- self-assessments ---

# Purposes whose surveys an app above answers on a page of its own (evaluation's
# self-assessments add a rating of each learning objective): {purpose: page(survey)}.
_answer_pages = {}


def answered_elsewhere(purpose):
    """Decorator: `page(survey)` returns the URL where peers answer surveys of `purpose`
    (or None to answer here); the survey's own page sends peers there, and the app that
    owns the page gives the peers' next step instead of surveys."""

    def add(page):
        _answer_pages[purpose] = page
        return page

    return add


def answer_page(survey):
    page = _answer_pages.get(survey.purpose)
    return page(survey) if page else None


# --- what invitations say ---


@road_map.invitation_context
def open_pre_event_survey(initiative):
    """The pre-event survey, when it is open, so a peer's invitation mentions it."""
    survey = Survey.objects.pre_event().filter(initiative=initiative).first()
    open_now = survey is not None and survey.is_open(timezone.now())
    return {"open_survey": survey if open_now else None}


# --- personal data: records ---


@road_map.personal_records("survey_answers", label=_("Your survey answers"), order=10)
def survey_answer_records(person):
    responses = Response.objects.filter(membership__user=person).select_related("survey")
    return [
        {
            "initiative_id": response.survey.initiative_id,
            "title": str(response.survey),
            "fields": {
                gettext("Answers"): response.answers,
                gettext("Submitted"): response.submitted_at.isoformat()
                if response.submitted_at
                else None,
            },
            "files": [],
        }
        for response in responses
    ]


# --- personal data: erasure ---
road_map.anonymiser("surveys", order=30)(personal_data.forget_person)
road_map.initiative_anonymiser("surveys", order=30)(personal_data.anonymise_initiative)
