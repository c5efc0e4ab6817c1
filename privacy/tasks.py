from celery import shared_task

from . import services


@shared_task(name="privacy.erase_person")
def erase_person(*, request_id):
    return services.erase(request_id=request_id)


@shared_task(name="privacy.anonymise_closed_initiatives")
def anonymise_closed_initiatives():
    return services.anonymise_due_initiatives()
