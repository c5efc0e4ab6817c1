"""Background work of the personal-data app: thin tasks that call a service."""

from celery import shared_task

from . import services
from .models import DataArchive


@shared_task(name="privacy.build_archive")
def build_archive(archive_id):
    archive = DataArchive.objects.filter(pk=archive_id).select_related("person").first()
    if archive is None or archive.status == DataArchive.Status.READY:
        return None
    try:
        services.build_archive(archive=archive)
    except Exception as error:
        DataArchive.objects.filter(pk=archive_id).update(
            status=DataArchive.Status.FAILED, error=str(error)[:2000]
        )
        raise
    return archive_id


@shared_task(name="privacy.delete_expired_archives")
def delete_expired_archives():
    return services.delete_expired_archives()


@shared_task(name="privacy.erase_person")
def erase_person(*, request_id):
    return services.erase(request_id=request_id)


@shared_task(name="privacy.anonymise_closed_initiatives")
def anonymise_closed_initiatives():
    return services.anonymise_due_initiatives()
