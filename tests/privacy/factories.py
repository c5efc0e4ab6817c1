from collections import defaultdict

from allauth.account.models import EmailAddress
from django.db import connection

from contact import services as contact_services
from evaluation.models import Reflection
from initiatives.models import Membership, Stage
from peerlearn import audit
from peerlearn.outbox import queue_email
from privacy import services, tasks
from privacy.models import DataArchive, ErasureRequest

from ..contact import factories as contact
from ..diffusion import factories as diffusion
from ..evaluation import factories as evaluation
from ..matching.factories import PeerProfileFactory


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


NAME = "Zofia Quintanilla-Brakspear"
EMAIL = "zofia.quintanilla@finances.example"
SEARCHED = [EMAIL, "zofia.quintanilla", "Zofia", "Quintanilla", "Brakspear"]
TEXT_TYPES = ("text", "character varying", "json", "jsonb")


def renamed_peer(world):
    """The world's peer, renamed so that their name and address are unmistakable."""
    peer = world.peer
    EmailAddress.objects.filter(user=peer).update(email=EMAIL)
    peer.name, peer.email = NAME, EMAIL
    peer.save(update_fields=["name", "email"])
    return peer


def everywhere(world):
    """The world's peer (renamed) with data in every app; returns the peer."""
    peer = renamed_peer(world)
    world.initiative.move_to(Stage.DIFFUSION)
    match, membership, _partner = contact.pair(world)
    PeerProfileFactory(membership=membership, background=f"{NAME} studied economics")
    evaluation.evaluation_world(world, match)  # objectives, reflections, self-assessments
    evaluation.reflection(world, text=f"{NAME} learned to sequence reforms.")
    evaluation.sent_report(world)  # the authoriser's report names the peer
    contact.logged_by_partner(world, match=match, note=f"Called {NAME} about arrears")
    contact.post_in(world, match=match, attachment=contact.notes_upload("zofia-notes.txt"))
    contact.post_in(world, by=world.peer_elsewhere, match=match, body="Thanks, Zofia!")
    contact.library_document(world, upload=contact.pdf_upload("brakspear-checklist.pdf"))
    contact_services.request_logistics(
        membership=membership, by=peer, kind="travel", details="Zofia needs a visa letter"
    )
    contact.help_requested(world, text="Zofia cannot find a time")
    diffusion.plan_item(world)
    diffusion.report_back(world, summary=f"{NAME} told the budget department")
    diffusion.story(world)
    diffusion.commitment(world)
    diffusion.community(world)
    audit.log(actor=world.facilitator, action="people.note", target_label=NAME, email=EMAIL)
    queue_email(to=EMAIL, kind="reminder", key="to-zofia", subject="Hello", body="Hi Zofia")
    queue_email(
        to="partner@example.org",
        kind="post",
        key="about-zofia",
        subject=f"{NAME} wrote",
        body=f"{NAME} ({EMAIL}) posted.",
    )
    correction_asked(world, details=f"My name is {NAME}, not Zofia Q.")
    ready_archive(world, peer)
    assert Reflection.objects.filter(membership=membership).exists()
    return peer


def mentions(terms):
    """(table, column, term) of every text, character or JSON column of every table of the
    database holding one of `terms` (any case): one query per table."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT table_name, column_name FROM information_schema.columns "
            "WHERE table_schema = current_schema() AND data_type IN %s",
            [TEXT_TYPES],
        )
        columns = defaultdict(list)
        for table, column in cursor.fetchall():
            columns[table].append(column)
        found = []
        for table in connection.introspection.table_names():
            if not columns[table]:
                continue
            quote = connection.ops.quote_name
            checks = [
                f"bool_or({quote(column)}::text ILIKE %s)"
                for column in columns[table]
                for _term in terms
            ]
            cursor.execute(
                f"SELECT {', '.join(checks)} FROM {quote(table)}",  # noqa: S608 (introspected)
                [f"%{term}%" for _column in columns[table] for term in terms],
            )
            hits = iter(cursor.fetchone())
            found += [
                (table, column, term) for column in columns[table] for term in terms if next(hits)
            ]
    return found


def erased(person, *, by, keep_files=False):
    """Ask for and confirm `person`'s erasure (by `by`, in every initiative); the task runs."""
    request = services.request_erasure(person=person)
    for confirmation in request.confirmations.all():
        services.confirm(confirmation=confirmation, by=by, keep_files=keep_files)
    return ErasureRequest.objects.get(pk=request.pk)
