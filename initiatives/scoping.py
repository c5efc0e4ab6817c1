"""Scoping and the risk register: the standard risks, seeding them, and the gate checks."""

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from peerlearn import audit

from .models import Risk, Scoping, Stage
from .models.scoping import SECTIONS, Progress
from .road_map import gate_check

audit.describe(
    **{
        "scoping.answer": gettext_lazy("Saved a scoping section"),
        "scoping.learning_goals": gettext_lazy("Chose the learning goals"),
        "risk.add": gettext_lazy("Added a risk"),
        "risk.edit": gettext_lazy("Changed a risk"),
        "risk.close": gettext_lazy("Closed a risk"),
    }
)

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


def scoping_for(initiative):
    """The initiative's scoping, created on first use, with its risk register seeded."""
    scoping, _created = Scoping.objects.get_or_create(initiative=initiative)
    if scoping.risks_seeded_at is None:
        seed_risk_register(scoping=scoping)
    return scoping


def seed_risk_register(*, scoping):
    """Add the standard risks to the initiative's register, once.

    Side effects: creates one Risk per standard risk and stamps the scoping as
    seeded. The stamp is claimed with a conditional update, so two visits at the
    same moment seed once; a risk already seeded is never added again.
    """
    now = timezone.now()
    with transaction.atomic():
        claimed = Scoping.objects.filter(pk=scoping.pk, risks_seeded_at=None).update(
            risks_seeded_at=now
        )
        if claimed:
            for key, stage, description, mitigation in STANDARD_RISKS:
                try:
                    with transaction.atomic():
                        Risk.objects.create(
                            initiative_id=scoping.initiative_id,
                            seed_key=key,
                            stage=stage,
                            description=str(description),
                            mitigation=str(mitigation),
                        )
                except IntegrityError:
                    pass  # already there: seeded before the stamp existed
    scoping.risks_seeded_at = now


def save_scoping_section(*, form, by):
    """Save the answers of one scoping section (`form`, valid, from `section_form`).

    Side effects: the section's columns; one audit entry naming the section.
    """
    with transaction.atomic():
        scoping = form.save()
        audit.log(
            actor=by,
            action="scoping.answer",
            target=scoping,
            target_label=str(form.section.title),
            changed=form.changed_data,
        )
    return scoping


def choose_learning_goals(*, form, by):
    """Save the learning goals chosen in `form` (a valid LearningGoalsForm).

    Side effects: the scoping's goals; one audit entry listing the chosen ones.
    """
    with transaction.atomic():
        scoping = form.save()
        audit.log(
            actor=by,
            action="scoping.learning_goals",
            target=scoping,
            target_label=str(scoping.initiative),
            chosen=sorted(scoping.learning_goals),
        )
    return scoping


def save_risk(*, form, by):
    """Add the risk of `form` (a valid RiskForm) or save changes to it.

    Side effects: the risk row; one audit entry (naming the changed fields of an edit).
    """
    adding = form.instance.pk is None
    with transaction.atomic():
        risk = form.save()
        if adding:
            audit.log(actor=by, action="risk.add", target=risk)
        else:
            audit.log(actor=by, action="risk.edit", target=risk, changed=form.changed_data)
    return risk


def close_risk(*, risk, by):
    """Close a risk. Side effects: its status; one audit entry."""
    with transaction.atomic():
        risk.close()
        audit.log(actor=by, action="risk.close", target=risk)
    return risk


def _existing_scoping(initiative):
    return Scoping.objects.filter(initiative=initiative).first() or Scoping(initiative=initiative)


@gate_check(Stage.SCOPING)
def scoping_answered(initiative):
    scoping = _existing_scoping(initiative)
    for section in SECTIONS:
        progress = scoping.progress(section)
        if progress == Progress.UNANSWERED:
            yield _("%(section)s is not answered yet.") % {"section": section.title}
        elif progress == Progress.PARTLY:
            yield _("%(section)s is only partly answered.") % {"section": section.title}
    if not scoping.chosen_learning_goals():
        yield _("No learning goal has been chosen.")


def _register_risk_check(stage):
    @gate_check(stage)
    def risks_open(initiative):
        count = initiative.risks.open().filter(stage=stage).count()
        if not count:
            return
        if stage == Stage.SCOPING:
            message = ngettext(
                "%(count)d scoping risk is still open.",
                "%(count)d scoping risks are still open.",
                count,
            )
        else:
            message = ngettext(
                "%(count)d risk of this stage is still open.",
                "%(count)d risks of this stage are still open.",
                count,
            )
        yield message % {"count": count}

    return risks_open


for _stage in Stage:
    _register_risk_check(_stage)
