"""What a new survey starts with, per purpose; the facilitator edits it freely."""

from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _

from .models import Question, Survey

Kind = Question.Kind
Field = Question.ProfileField


def default_title(purpose, round_):
    """The title as a translatable text: rendered in each language it is stored in."""
    if purpose == Survey.Purpose.PRE_EVENT:
        return _("Before we meet: your work and your challenges")
    return lazy(lambda: str(Survey(purpose=purpose, round=round_).name), str)()


def default_questions(purpose):
    """(text, help text, kind, required, profile field) for a new survey, most important first;
    the texts are translatable, rendered in every language when the survey is created.

    Only the pre-event survey starts with questions (those matching reads).
    """
    if purpose != Survey.Purpose.PRE_EVENT:
        return []
    return [
        (
            _("Which challenges and problems are you facing in your work right now?"),
            _(
                "Describe them in your own words, as concretely as you can. Peers are matched "
                "mainly on the problems they share."
            ),
            Kind.LONG_TEXT,
            True,
            Field.CHALLENGES,
        ),
        (
            _("Which reform areas do these challenges belong to?"),
            "",
            Kind.REFORM_AREAS,
            False,
            Field.CHALLENGE_TAGS,
        ),
        (
            _("What is your position?"),
            _("For example: head of the budget execution unit."),
            Kind.SHORT_TEXT,
            True,
            Field.POSITION,
        ),
        (
            _("Which task or policy initiative are you working on?"),
            "",
            Kind.SHORT_TEXT,
            False,
            Field.TASK,
        ),
        (
            _("How many years have you worked in public service?"),
            "",
            Kind.SHORT_TEXT,
            False,
            Field.YEARS_OF_SERVICE,
        ),
        (
            _("What is your professional background?"),
            _("For example: economist, accountant, lawyer, IT."),
            Kind.SHORT_TEXT,
            False,
            Field.BACKGROUND,
        ),
        (_("Which languages can you work in?"), "", Kind.LANGUAGES, True, Field.LANGUAGES),
        (
            _("What could you offer your peers?"),
            _("Experience, tools or lessons others might use."),
            Kind.LONG_TEXT,
            False,
            Field.CAN_OFFER,
        ),
        (
            _("What would you like to learn from your peers?"),
            "",
            Kind.LONG_TEXT,
            False,
            Field.WANTS_TO_LEARN,
        ),
        (
            _("When are you usually available for calls or meetings?"),
            _("For example: Tuesday and Thursday afternoons."),
            Kind.SHORT_TEXT,
            False,
            Field.AVAILABILITY,
        ),
        (
            _("Which time zone do you work in?"),
            _("For example: UTC+4."),
            Kind.SHORT_TEXT,
            False,
            Field.TIME_ZONE,
        ),
    ]
