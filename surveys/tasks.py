from celery import shared_task

from . import services


@shared_task(name="surveys.send_survey_reminders")
def send_survey_reminders():
    return services.send_survey_reminders()
