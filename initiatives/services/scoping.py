"""Scoping and the risk register: answers, learning goals, risks and their seeding."""

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy

from peerlearn import audit
from peerlearn.content_languages import every_language

from ..defaults import STANDARD_RISKS
from ..models import Risk, Scoping

audit.describe(
    **{
        "scoping.answer": gettext_lazy("Saved a scoping section"),
        "scoping.learning_goals": gettext_lazy("Chose the learning goals"),
        "risk.add": gettext_lazy("Added a risk"),
        "risk.edit": gettext_lazy("Changed a risk"),
        "risk.close": gettext_lazy("Closed a risk"),
    }
)


def scoping_for(initiative):
    """The initiative's scoping, created on first use, with its risk register seeded."""
    scoping, _created = Scoping.objects.get_or_create(initiative=initiative)
    if scoping.risks_seeded_at is None:
        seed_risk_register(scoping=scoping)
    return scoping


def seed_risk_register(*, scoping):
    """Add the standard risks to the initiative's register, once.

    Side effects: creates one Risk per standard risk (in the active language, with every
    site language's version alongside) and stamps the scoping as
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
                            translations=every_language(
                                description=description, mitigation=mitigation
                            ),
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
