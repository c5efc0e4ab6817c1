from celery import shared_task

from . import services, surveys
from .models import MatchRun


@shared_task(name="matching.run_matching")
def run_matching_task(*, run_id):
    run = MatchRun.objects.filter(pk=run_id).select_related("initiative").first()
    if run is not None:
        services.run_matching(run=run)


@shared_task(name="matching.send_match_check_ins")
def send_match_check_ins():
    return services.send_match_check_ins()


@shared_task(name="matching.send_survey_reminders")
def send_survey_reminders():
    return surveys.send_survey_reminders()
