from celery import shared_task

from . import services

# --- exchanges ---


@shared_task(name="contact.send_post_digests")
def send_post_digests():
    return services.send_post_digests()
