from celery import shared_task

# --- momentum ---
from . import services


@shared_task(name="contact.nudge_quiet_matches")
def nudge_quiet_matches():
    return services.nudge_quiet_matches()
