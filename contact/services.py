"""Writes of stage 2: contacts logged and their participants' answers."""

from pathlib import PurePath

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from peerlearn import audit

from .models import Contact, ContactParticipant, LibraryDocument

audit.describe(
    **{
        "contact.log": _("Logged a contact"),
        "contact.confirm": _("Confirmed a contact"),
        "contact.decline": _("Said a contact did not happen"),
    }
)


def log_contact(*, initiative, by, participants, confirmed=(), **fields):
    """Record a contact with `participants` (memberships).

    Those in `confirmed` (the logger's own membership, or everyone when a facilitator
    logs) are confirmed at once; the others are asked to confirm. Audited.
    """
    confirmed = set(confirmed)
    with transaction.atomic():
        contact = Contact.objects.create(initiative=initiative, logged_by=by, **fields)
        ContactParticipant.objects.bulk_create(
            ContactParticipant(
                contact=contact,
                membership=membership,
                status=ContactParticipant.Status.CONFIRMED
                if membership in confirmed
                else ContactParticipant.Status.PENDING,
            )
            for membership in participants
        )
        audit.log(
            actor=by,
            action="contact.log",
            target=contact,
            kind=contact.kind,
            participants=len(participants),
        )
    return contact


def confirm_contact(*, participant, by):
    """`participant` says the contact happened. Audited."""
    _answer(participant, by, ContactParticipant.Status.CONFIRMED, "contact.confirm")


def decline_contact(*, participant, by):
    """`participant` says the contact did not happen. Audited."""
    _answer(participant, by, ContactParticipant.Status.DECLINED, "contact.decline")


def _answer(participant, by, status, action):
    with transaction.atomic():
        participant.answer(status, timezone.now())
        audit.log(
            actor=by,
            action=action,
            target=participant.contact,
            initiative=participant.contact.initiative_id,
        )


# --- library ---

audit.describe(
    **{
        "contact.add_document": _("Added a document to the library"),
        "contact.change_document": _("Changed a library document"),
        "contact.delete_document": _("Deleted a library document"),
    }
)


def add_document(*, initiative, by, authors, upload=None, **fields):
    """Add a file (`upload`, checked by DocumentField) or a link (`url`) to the library.

    The file goes to the default storage under an unguessable name; its checked type,
    original name and size are kept on the row. Audited.
    """
    with transaction.atomic():
        document = LibraryDocument(initiative=initiative, added_by=by, **fields)
        if upload is not None:
            _attach(document, upload)
        document.save()
        document.authors.set(authors)
        audit.log(
            actor=by,
            action="contact.add_document",
            target=document,
            kind=document.kind,
            link=document.is_link,
        )
    return document


def change_document(*, document, by, authors, upload=None, **fields):
    """Change a library document; a new `upload` replaces its file, a `url` turns it
    into a link. A file no longer used leaves the storage once the change is committed.
    Audited, with the names of the fields that changed.
    """
    # As stored: a model form has already copied the new values onto `document`.
    stored = LibraryDocument.objects.get(pk=document.pk)
    before = stored.file.name
    changed = [name for name, value in fields.items() if getattr(stored, name) != value]
    if set(stored.authors.values_list("pk", flat=True)) != {m.pk for m in authors}:
        changed.append("authors")
    with transaction.atomic():
        for name, value in fields.items():
            setattr(document, name, value)
        if upload is not None:
            _attach(document, upload)
            changed.append("file")
        elif document.url:
            _detach(document)
        document.save()
        document.authors.set(authors)
        if before and before != document.file.name:
            _forget_file_on_commit(document.file.storage, before)
        audit.log(actor=by, action="contact.change_document", target=document, changed=changed)
    return document


def delete_document(*, document, by):
    """Delete a library document and, once committed, its stored file. Audited."""
    with transaction.atomic():
        audit.log(
            actor=by,
            action="contact.delete_document",
            target=document,
            kind=document.kind,
            link=document.is_link,
        )
        if document.file:
            _forget_file_on_commit(document.file.storage, document.file.name)
        document.delete()


def _attach(document, upload):
    document.file = upload  # stored under peerlearn.uploads.stored_name when saved
    document.url = ""
    document.content_type = upload.content_type
    document.original_name = PurePath(upload.name).name[:255]
    document.size = upload.size


def _detach(document):
    document.file = ""
    document.content_type = document.original_name = ""
    document.size = None


def _forget_file_on_commit(storage, name):
    # After the commit: a rolled-back change still finds its file.
    transaction.on_commit(lambda: storage.delete(name))
