"""Stage 0: the scoping questions, learning goals and the risk register.

The questions live once, here, as data: the workspace, the forms, the stage
gate and the printable summary are all built from SECTIONS.
"""

from dataclasses import dataclass

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from peerlearn.content_languages import translations_field

from .initiative import Initiative, Stage

LONG_ANSWER = 4000


@dataclass(frozen=True)
class Question:
    field: str
    label: str
    help: str
    one_per_line: bool = False


@dataclass(frozen=True)
class Section:
    slug: str
    title: str
    intro: str
    questions: tuple

    @property
    def fields(self):
        return [question.field for question in self.questions]

    def get_absolute_url_for(self, initiative):
        return reverse("initiatives:scoping_section", args=[initiative.pk, self.slug])


SECTIONS = (
    Section(
        "reform-area",
        _("Reform area and existing networks"),
        _("Peer learning works best aimed at one sector, ideally where peers already meet."),
        (
            Question(
                "focal_area",
                _("Which reform do you want to focus on?"),
                _("Name the sector and the part of the reform peers will work on."),
            ),
            Question(
                "existing_networks",
                _("Which networks or communities already exist in this area?"),
                _("Communities of practice, associations or programmes that could bring peers."),
            ),
        ),
    ),
    Section(
        "theory-of-change",
        _("Theory of change"),
        _("Peer learning is a means, not an end: say how it should lead to reform results."),
        (
            Question(
                "goals",
                _("What are the goals of the reform?"),
                _("One goal per line."),
                one_per_line=True,
            ),
            Question(
                "means",
                _("By which means will these goals be reached?"),
                _("One means per line."),
                one_per_line=True,
            ),
            Question(
                "assumptions",
                _("What do you assume about how the means lead to the goals?"),
                _("One assumption per line."),
                one_per_line=True,
            ),
        ),
    ),
    Section(
        "knowledge-gaps",
        _("Knowledge gaps"),
        _("Be clear about what is missing before choosing how to fill it."),
        (
            Question(
                "knowledge_gaps",
                _("Which gaps in knowledge should this initiative fill?"),
                _("Technical, managerial or political know-how that officials lack today."),
            ),
            Question(
                "other_approaches",
                _("What else could fill these gaps?"),
                _("Training, expert advice, publications… and why they are or are not enough."),
            ),
        ),
    ),
    Section(
        "why-peers",
        _("Why peers"),
        _("Bringing peers together is demanding; it should have a reason."),
        (
            Question(
                "why_peers",
                _("Why bring peers together: for learning, or for other reasons?"),
                _("Learning, networking, mutual support, joint work, peer pressure…"),
            ),
        ),
    ),
    Section(
        "target-peers",
        _("Target peers"),
        _("Peers are people, not organisations: describe the people you want."),
        (
            Question(
                "peer_profile",
                _("Who exactly are the peers you want to engage?"),
                _("Positions, tasks, experience, languages, countries or organisations."),
            ),
            Question(
                "attracting_peers",
                _("How will you attract them?"),
                _("Channels, sponsors and what is in it for them."),
            ),
        ),
    ),
    Section(
        "benefits",
        _("Hoped-for benefits"),
        _("Say what should come out of the initiative and how you will know."),
        (
            Question(
                "who_learns_what",
                _("Who will learn what, and from whom?"),
                _("Include what information peers will need to share."),
            ),
            Question(
                "impact_on_reform",
                _("How will the learning change the reform?"),
                _("The path from what individuals learn to results in their organisations."),
            ),
            Question(
                "success_measures",
                _("How and when will you measure success?"),
                _("Indicators and the moments you will look at them."),
            ),
            Question(
                "engagement_length",
                _("How long do peers need to stay engaged?"),
                _("Months or years, and how often they would meet."),
            ),
            Question(
                "activities",
                _("Which activities will peers take part in?"),
                _("Meetings, paired work, site visits, online exchanges, joint products…"),
            ),
        ),
    ),
    Section(
        "challenges",
        _("Challenges"),
        _("Peers need political room and practical means to take part throughout."),
        (
            Question(
                "political_challenges",
                _("What political obstacles could stop peers taking part?"),
                _("Consider both the facilitator's view and the peers' own."),
            ),
            Question(
                "logistical_challenges",
                _("What practical obstacles do you foresee?"),
                _("Travel, visas, languages, time zones, connectivity, workload."),
            ),
        ),
    ),
    Section(
        "costs",
        _("Costs, resources and support"),
        _("Weigh what the initiative will take against what you have."),
        (
            Question(
                "political_difficulty",
                _("How hard will this be to achieve politically?"),
                _("Who might resist, and what it would cost to win them over."),
            ),
            Question(
                "resources_needed",
                _("Which resources and capacity do you need?"),
                _("Money, staff time, facilitation skills, tools, venues."),
            ),
            Question(
                "support",
                _("Do you have enough support?"),
                _("From funders, your own organisation and the peers' home organisations."),
            ),
        ),
    ),
)
SECTIONS_BY_SLUG = {section.slug: section for section in SECTIONS}

LEARNING_GOALS = (
    ("formal_knowledge", _("Formal knowledge sharing")),
    ("experiential_knowledge", _("Experiential knowledge sharing")),
    ("support", _("Peer-to-peer support")),
    ("collaboration", _("Coordination and collaboration between peers")),
    ("training", _("Specific training support")),
    ("group_identity", _("Peer group identity")),
    ("peer_pressure", _("Peer-to-peer pressure")),
)

LEARNING_GOAL_HELP = {
    "formal_knowledge": _(
        "Passing on know-how that can be written down: laws, methods, standards, tools."
    ),
    "experiential_knowledge": _(
        "Sharing what peers learnt by doing reforms: what worked, what failed, how they "
        "handled the politics. This tacit knowledge is rarely written anywhere."
    ),
    "support": _(
        "Encouragement and advice between colleagues facing similar problems, through the "
        "hard moments of a reform."
    ),
    "collaboration": _(
        "Working together across organisations or countries: joint positions, shared tools, "
        "common projects."
    ),
    "training": _(
        "Structured courses or certification alongside the exchanges, worth having in "
        "themselves and as occasions to build relationships."
    ),
    "group_identity": _(
        "Peers coming to see themselves as one community with a shared purpose and a "
        "collective voice."
    ),
    "peer_pressure": _(
        "Seeing what comparable peers achieve, and committing in front of them, pushes each "
        "to move their own reform forward."
    ),
}


class Priority(models.IntegerChoices):
    NOT_CHOSEN = 0, _("Not chosen")
    LOW = 1, _("Low")
    MEDIUM = 2, _("Medium")
    HIGH = 3, _("High")


class Progress(models.TextChoices):
    ANSWERED = "answered", _("Answered")
    PARTLY = "partly", _("Partly answered")
    UNANSWERED = "unanswered", _("Not answered yet")


def _answer_field(**kwargs):
    return models.TextField(blank=True, max_length=LONG_ANSWER, **kwargs)


class Scoping(models.Model):
    """The facilitator's answers to the scoping questions of one initiative."""

    initiative = models.OneToOneField(Initiative, on_delete=models.CASCADE, related_name="scoping")
    focal_area = _answer_field()
    existing_networks = _answer_field()
    goals = _answer_field()
    means = _answer_field()
    assumptions = _answer_field()
    knowledge_gaps = _answer_field()
    other_approaches = _answer_field()
    why_peers = _answer_field()
    peer_profile = _answer_field()
    attracting_peers = _answer_field()
    who_learns_what = _answer_field()
    impact_on_reform = _answer_field()
    success_measures = _answer_field()
    engagement_length = _answer_field()
    activities = _answer_field()
    political_challenges = _answer_field()
    logistical_challenges = _answer_field()
    political_difficulty = _answer_field()
    resources_needed = _answer_field()
    support = _answer_field()
    # {goal key: Priority}; goals left out are not chosen.
    learning_goals = models.JSONField(default=dict, blank=True)
    risks_seeded_at = models.DateTimeField(null=True, blank=True, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("scoping")
        verbose_name_plural = _("scopings")

    def __str__(self):
        return f"Scoping of {self.initiative}"

    def is_answered(self, field):
        return bool(getattr(self, field).strip())

    def progress(self, section):
        answered = sum(self.is_answered(field) for field in section.fields)
        if answered == len(section.fields):
            return Progress.ANSWERED
        return Progress.PARTLY if answered else Progress.UNANSWERED

    def unanswered_questions(self, section):
        return [q for q in section.questions if not self.is_answered(q.field)]

    def lines(self, field):
        return [line.strip() for line in getattr(self, field).splitlines() if line.strip()]

    def priority_of(self, goal):
        return self.learning_goals.get(goal, Priority.NOT_CHOSEN)

    def chosen_learning_goals(self):
        """(name, priority label) of chosen goals, highest priority first."""
        chosen = [
            (key, name, self.priority_of(key))
            for key, name in LEARNING_GOALS
            if self.priority_of(key) != Priority.NOT_CHOSEN
        ]
        chosen.sort(key=lambda goal: -goal[2])
        return [(name, Priority(priority).label) for _key, name, priority in chosen]


class RiskQuerySet(models.QuerySet):
    def open(self):
        return self.filter(status=Risk.Status.OPEN)


class Risk(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        MITIGATED = "mitigated", _("Mitigated")
        CLOSED = "closed", _("Closed")

    initiative = models.ForeignKey(Initiative, on_delete=models.CASCADE, related_name="risks")
    stage = models.PositiveSmallIntegerField(_("stage"), choices=Stage, default=Stage.SCOPING)
    description = models.TextField(_("risk"), max_length=1000)
    mitigation = models.TextField(_("how it is managed"), max_length=2000, blank=True)
    translations = translations_field()
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    status = models.CharField(_("status"), max_length=20, choices=Status, default=Status.OPEN)
    # Which of the standard risks this row was seeded from; empty for the facilitator's own.
    seed_key = models.CharField(max_length=50, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = RiskQuerySet.as_manager()

    class Meta:
        ordering = ["stage", "created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["initiative", "seed_key"],
                condition=~Q(seed_key=""),
                name="one_seeded_risk_per_initiative",
            )
        ]

    def __str__(self):
        return self.description

    def close(self):
        self.status = self.Status.CLOSED
        self.save(update_fields=["status"])
