"""Stage 2's background work: thin tasks that call a service."""

from celery import shared_task

from . import services

# --- check-ins ---


@shared_task(name="contact.send_match_check_ins")
def send_match_check_ins():
    return services.send_match_check_ins()


# --- momentum ---


@shared_task(name="contact.nudge_quiet_matches")
def nudge_quiet_matches():
    return services.nudge_quiet_matches()


# --- exchanges ---


@shared_task(name="contact.send_post_digests")
def send_post_digests():
    return services.send_post_digests()
