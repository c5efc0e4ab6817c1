"""Stage 3 of the second demo initiative: learning objectives (the initiative's own
category, two initiative-wide ones adopted by many, every status) and reflections
(private, shared with the facilitators, shared with the match, some for the authoriser).

Everything goes through the evaluation services; the dates they set to "now" are then
moved back to when each thing happened.
"""

from evaluation import services
from evaluation.models import LearningObjective, Reflection
from initiatives.models import Stage

from .contact import day, happened, moment
from .second import MOVED_TO_LEARNING, Cast, move

Category = LearningObjective.Category
Status = LearningObjective.Status

OWN_CATEGORY = "Open data and citizens' use"
# (category, description) set by the facilitators for everyone, adopted by many.
INITIATIVE_WIDE = [
    (
        Category.POLITICAL,
        "Win a senior ally at home for publishing what we learn to publish.",
    ),
    (
        Category.OWN,
        "Publish one data set that people outside the institution use.",
    ),
]
# (category, description, evidence) of the peers' own objectives, in turn.
OBJECTIVES = [
    (
        Category.TECHNICAL,
        "Publish the monthly budget execution report as open data, not only as PDF.",
        "The monthly report goes out as CSV with a data dictionary; 400 downloads of the first.",
    ),
    (
        Category.TECHNICAL,
        "Set up a register of audit recommendations and the answers ministries give.",
        "The register is live for 14 ministries; 61% of recommendations have an answer.",
    ),
    (
        Category.FLEXIBILITY,
        "Adapt my pair's follow-up register to our smaller office instead of copying it.",
        "We kept three of its nine columns and added the deadline agreed with each ministry.",
    ),
    (
        Category.TECHNICAL,
        "Define five red-flag indicators for procurement data that our analysts use.",
        "Five indicators agreed and computed every month; note on the agency's site.",
    ),
    (
        Category.SUBVERSION,
        "Replace the donor's 120-indicator transparency template with the ten people read.",
        "The donor accepted the short list for the annual report.",
    ),
    (
        Category.POLITICAL,
        "Bring the budget committee's chair on board before the audit report goes out.",
        "The chair opened the hearing on the report and asked ministries for answers.",
    ),
    (
        Category.FLEXIBILITY,
        "Pilot a new rule with one ministry before changing it for all.",
        "The pilot with the health ministry ran for three months; the rule was adjusted.",
    ),
    (
        Category.SUBVERSION,
        "Use the existing reporting law to publish data the new strategy forgot.",
        "Article 12 of the law was enough to publish the transfers to municipalities.",
    ),
]
EVIDENCE_LINK = "https://open.example.org/budget-transparency/evidence"


def load_learning(initiative, facilitator):
    """Move the second demo initiative into stage 3, 300 days ago, with its objectives and
    reflections. Once: nothing when it is in stage 3 already. Side effects: no email."""
    if initiative.stage >= Stage.LEARNING_OUTCOMES:
        return
    move(initiative, facilitator, Stage.LEARNING_OUTCOMES, MOVED_TO_LEARNING)
    cast = Cast(initiative)
    own = _category(initiative, facilitator)
    shared = initiative_wide(initiative, facilitator, own)
    objectives(cast, shared)
    reflections(cast)
    with happened(MOVED_TO_LEARNING - 1, 9):
        services.set_cadence(initiative=initiative, by=facilitator, every_days=30)


def _category(initiative, facilitator):
    with happened(MOVED_TO_LEARNING, 10):
        return services.add_category(initiative=initiative, by=facilitator, name=OWN_CATEGORY)


def initiative_wide(initiative, facilitator, own):
    made = []
    for category, description in INITIATIVE_WIDE:
        with happened(MOVED_TO_LEARNING - 1, 11):
            objective = services.add_objective(
                initiative=initiative,
                by=facilitator,
                category=category,
                own_category=own if category == Category.OWN else None,
                description=description,
            )
        _dated(objective, MOVED_TO_LEARNING - 1)
        made.append(objective)
    return made


def _dated(objective, created_ago, status_ago=None):
    LearningObjective.objects.filter(pk=objective.pk).update(
        created_at=moment(created_ago, 11),
        status_changed_on=day(created_ago if status_ago is None else status_ago),
    )


def objectives(cast, shared):
    """Achievers achieved their first objective (with evidence) between seven months and
    a few weeks ago; the others are in progress, planned or, in quiet matches, dropped."""
    achievers = {m.pk for m in cast.achievers}
    for index, membership in enumerate(cast.sustained):
        created_ago = MOVED_TO_LEARNING - 5 - index * 2
        category, description, evidence = OBJECTIVES[index % len(OBJECTIVES)]
        first = _own_objective(membership, category, description, created_ago)
        if membership.pk in achievers:
            achieved_ago = 230 - index * 13
            _change(first, membership, Status.ACHIEVED, achieved_ago, evidence, index)
        else:
            _change(first, membership, Status.IN_PROGRESS, created_ago - 40)
        adopted = shared[index % len(shared)]
        with happened(created_ago - 3, 12):
            copy = services.adopt_objective(
                objective=adopted, membership=membership, by=membership.user
            )
        _dated(copy, created_ago - 3)
        if index % 3 == 0 and membership.pk in achievers:
            _change(copy, membership, Status.ACHIEVED, 60 - index, "My director now signs it.", 0)
        elif index % 3 == 1:
            _change(copy, membership, Status.IN_PROGRESS, created_ago - 60)
    for index, membership in enumerate(cast.quiet):
        category, description, _evidence = OBJECTIVES[(index + 3) % len(OBJECTIVES)]
        objective = _own_objective(membership, category, description, MOVED_TO_LEARNING - 20)
        if index % 2 == 0:
            _change(objective, membership, Status.DROPPED, 200 - index)


def _own_objective(membership, category, description, created_ago):
    own_category = None
    if category == Category.OWN:
        own_category = membership.initiative.objective_categories.get(name=OWN_CATEGORY)
    with happened(created_ago, 11):
        objective = services.add_objective(
            initiative=membership.initiative,
            by=membership.user,
            membership=membership,
            category=category,
            own_category=own_category,
            description=description,
        )
    _dated(objective, created_ago)
    return objective


def _change(objective, membership, status, days_ago, evidence="", index=0):
    fields = {}
    if evidence:
        fields["evidence"] = evidence
        if index % 2 == 0:
            fields["evidence_url"] = f"{EVIDENCE_LINK}/{objective.pk}"
    with happened(days_ago, 15):
        services.change_objective(objective=objective, by=membership.user, status=status, **fields)
    LearningObjective.objects.filter(pk=objective.pk).update(status_changed_on=day(days_ago))


# --- reflections ---

PRIVATE = [
    "I am not sure my director wants this published at all. I need a better argument "
    "than 'the neighbours do it'.",
    "Honestly, I copied too much from my pair at first. Our office is a tenth of theirs.",
    "I lost a month waiting for IT. Next time I start with what I can do in a spreadsheet.",
    "The call made me see that I avoid the minister's adviser. That has to change.",
]
FOR_FACILITATORS = [
    "What helped most was seeing my pair's register in use, not the slides about it.",
    "The monthly calls keep me going; without them this would have stopped in spring.",
    "The study visit changed my mind about publishing answers we do not like.",
    "I would like more time with other audit offices; the ministries' view is different.",
]
FOR_THE_MATCH = [
    "What we learned together: start with one ministry, publish, then ask the others.",
    "Our joint note on red flags is the first thing either of us wrote for outsiders.",
    "We agree that the hard part is not the data but who signs off its publication.",
]
QUIET = (
    "We never found a rhythm. Different reforms, different time zones; I should have "
    "said so earlier."
)


def reflections(cast):
    """Each peer who kept in touch wrote three or four: private, shared with the
    facilitators (every third one readable by the authoriser too), and for the match."""
    for index, membership in enumerate(cast.sustained):
        objective = membership.learning_objectives.order_by("pk").first()
        match = cast.match_of[membership.pk]
        base = 270 - index * 7
        _reflect(membership, PRIVATE[index % len(PRIVATE)], base, objective=objective)
        _reflect(
            membership,
            FOR_FACILITATORS[index % len(FOR_FACILITATORS)],
            base - 60,
            shared=True,
            share_with_authoriser=index % 3 == 0,
        )
        if index % 2 == 0:
            _reflect(membership, FOR_THE_MATCH[index % len(FOR_THE_MATCH)], base - 120, match=match)
        if index == 0:
            _reflect(
                membership,
                "For my director: the open-data report cost us two days a month and "
                "ended most of the journalists' requests.",
                20,
                objective=objective,
                shared=True,
                share_with_authoriser=True,
            )
    for membership in cast.quiet[::2]:
        _reflect(membership, QUIET, 240)


def _reflect(membership, text, days_ago, **fields):
    with happened(days_ago, 19):
        reflection = services.write_reflection(
            membership=membership, by=membership.user, text=text, **fields
        )
    Reflection.objects.filter(pk=reflection.pk).update(written_at=moment(days_ago, 19))
    return reflection
