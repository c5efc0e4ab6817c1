"""Surveys for tests: most tests need one peers can answer, and new surveys are drafts."""

from django.utils import timezone

from surveys.services import survey_for


def open_survey_for(initiative, **which):
    """The initiative's survey (`which`: purpose, round_), opened to peers without emails."""
    survey = survey_for(initiative=initiative, **which)
    if survey.is_draft:
        survey.opened_at = timezone.now()
        survey.save(update_fields=["opened_at"])
    return survey
