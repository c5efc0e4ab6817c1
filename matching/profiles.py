"""Peer profiles from the pre-event survey: answers copied in on submit, and the
profile (pre-filled by a peer list) offered back as the survey's first answers."""

from django.utils import timezone

from surveys import profile as declared
from surveys.models import Survey
from surveys.road_map import on_submitted, prefill

from .models import PeerProfile


def profile_value(field, value):
    """An answer as the profile column of `field` holds it; no answer gives its empty value."""
    if field.kind == declared.CODES:
        return list(value or ())
    if field.kind == declared.NUMBER:
        return value
    if value is None:
        return ""
    if isinstance(value, list):
        return "; ".join(value)
    text = str(value)
    return text[: field.max_length] if field.max_length else text


@on_submitted(Survey.Purpose.PRE_EVENT)
def copy_answers_to_profile(*, response, questions):
    """Side effects: the PeerProfile is created or updated, including survey_completed_at."""
    profile, _created = PeerProfile.objects.get_or_create(membership_id=response.membership_id)
    changed = ["survey_completed_at", "updated_at"]
    for question in questions:
        field = question.declared_field
        if field is None:
            continue
        setattr(profile, field.name, profile_value(field, response.answers.get(str(question.pk))))
        changed.append(field.name)
    profile.survey_completed_at = response.submitted_at or timezone.now()
    profile.save(update_fields=sorted(set(changed)))


@prefill(Survey.Purpose.PRE_EVENT)
def answers_in_profile(membership):
    profile = PeerProfile.objects.filter(membership=membership).first()
    if profile is None:
        return {}
    return {name: getattr(profile, name) for name in declared.BY_NAME}
