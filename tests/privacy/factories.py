from initiatives.models import Membership
from privacy import services, tasks
from privacy.models import DataArchive


def membership_of(world, user):
    return Membership.objects.get(initiative=world.initiative, user=user)


def ready_archive(world, person=None):
    """An archive built as the worker builds it (the test's transaction never commits,
    so the task is run here)."""
    archive = services.request_archive(person=person or world.peer)
    tasks.build_archive(archive.pk)
    return DataArchive.objects.get(pk=archive.pk)


def correction_asked(world, details="My position is Head of Treasury, not Clerk"):
    return services.ask_correction(membership=membership_of(world, world.peer), details=details)
