"""Content every initiative starts with."""

from django.utils.translation import gettext_lazy

from .models import Stage

# The risks every initiative starts with: the road map's risks per stage with the
# ways to manage them, plus two of our own for scoping. Keys never change once shipped.
STANDARD_RISKS = (
    (
        "unclear-purpose",
        Stage.SCOPING,
        gettext_lazy("Nobody can say clearly what the peers are meant to gain."),
        gettext_lazy(
            "Write the theory of change and choose the learning goals before inviting anyone; "
            "try them out on a few likely peers."
        ),
    ),
    (
        "wrong-tool",
        Stage.SCOPING,
        gettext_lazy("Bringing peers together may not be the best way to fill the gaps."),
        gettext_lazy(
            "For each knowledge gap, compare peers with training, expert advice or "
            "publications; keep peers for the know-how only practitioners hold."
        ),
    ),
    (
        "magic-bullet",
        Stage.FOUNDATION,
        gettext_lazy(
            "“Magic bullet” thinking: assuming any gathering of peers produces learning, "
            "and that this learning is bound to help."
        ),
        gettext_lazy(
            "Assess the purpose of the engagement in a structured way and check that "
            "officials actually ask for it before the first event."
        ),
    ),
    (
        "formal-target",
        Stage.SUSTAINED_CONTACT,
        gettext_lazy(
            "Meetings and visits happen as planned, yet miss what would be politically "
            "useful to the peers."
        ),
        gettext_lazy(
            "Run exercises that build commitment and trust in the group, and plan "
            "activities that keep things moving between meetings."
        ),
    ),
    (
        "standard-solutions",
        Stage.LEARNING_OUTCOMES,
        gettext_lazy("Peers end up pushing ready-made, one-size-fits-all reforms on each other."),
        gettext_lazy(
            "Bring research evidence in, use methods for open and inclusive discussion, "
            "add formal training to peer activities, evaluate learning objectives and give "
            "peers tools to reflect."
        ),
    ),
    (
        "weak-evaluation",
        Stage.DIFFUSION,
        gettext_lazy("The initiative as a whole is hardly evaluated."),
        gettext_lazy(
            "Plan from the start how the whole initiative, not only its events, will be evaluated."
        ),
    ),
    (
        "no-results-at-scale",
        Stage.DIFFUSION,
        gettext_lazy("What peers learn is not aimed at results across their organisations."),
        gettext_lazy(
            "Tie the learning to each peer's home context, plan with the theory of change, "
            "and build peers' negotiation and coalition-building skills."
        ),
    ),
)
