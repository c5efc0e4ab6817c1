"""Writes of stage 2: contacts logged and their participants' answers."""

from datetime import timedelta
from pathlib import PurePath

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from matching.models import Match, MatchMember
from peerlearn import audit
from peerlearn.outbox import absolute_url, queue_templated_email

from .models import (
    Contact,
    ContactParticipant,
    LibraryDocument,
    LogisticsRequest,
    LogisticsUpdate,
    MatchCheckIn,
)

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


# --- check-ins ---

FIRST_CHECK_IN_AFTER = timedelta(days=30)
CHECK_IN_EVERY = timedelta(days=60)

audit.describe(**{"check_in.answer": _("Answered a check-in")})


def check_in_number_due(published_at, now):
    """Which check-in is due now (1, 2, …), or 0 before the first."""
    if now < published_at + FIRST_CHECK_IN_AFTER:
        return 0
    return (now - published_at - FIRST_CHECK_IN_AFTER) // CHECK_IN_EVERY + 1


def send_match_check_ins(*, now=None):
    """Ask every member of a live published match how it goes, when a check-in is due.

    Check-in k falls 30 days after publishing plus 60 days per earlier step; a step
    missed while the sweep was down is skipped for the latest one.
    Side effects: per member and due step, one MatchCheckIn row and its email in one
    transaction; rows already there are left alone, so a second sweep queues nothing.
    Returns how many check-ins were created.
    """
    now = now or timezone.now()
    members = MatchMember.objects.filter(
        match__status=Match.Status.PUBLISHED,
        match__run__published_at__lte=now - FIRST_CHECK_IN_AFTER,
    ).select_related("match__run", "membership__user", "membership__initiative")
    sent = set(
        MatchCheckIn.objects.filter(match__status=Match.Status.PUBLISHED).values_list(
            "match_id", "membership_id", "number"
        )
    )
    created = 0
    for member in members:
        number = check_in_number_due(member.match.run.published_at, now)
        if (member.match_id, member.membership_id, number) not in sent:
            created += _create_check_in(member, number, now)
    return created


def _create_check_in(member, number, now):
    try:
        with transaction.atomic():
            _create_and_tell(member, number, now)
    except IntegrityError:  # a sweep running at the same time got there first
        return 0
    return 1


def _create_and_tell(member, number, now):
    match = member.match
    due_at = match.run.published_at + FIRST_CHECK_IN_AFTER + CHECK_IN_EVERY * (number - 1)
    check_in = MatchCheckIn.objects.create(
        match=match, membership=member.membership, number=number, due_at=due_at, sent_at=now
    )
    link = reverse("contact:check_in", args=[match.run.initiative_id, check_in.pk])
    queue_templated_email(
        to=member.membership.user.email,
        kind="match_check_in",
        key=f"match-check-in:{match.pk}:{member.membership_id}:{number}",
        template="match_check_in",
        context={
            "initiative": member.membership.initiative,
            "person": member.membership.user,
            "link": absolute_url(link),
        },
    )


def answer_check_in(*, check_in, rating, not_working, comment):
    """Record a peer's answer. Side effects: updates the check-in; one audit entry."""
    with transaction.atomic():
        check_in.answer(
            rating=rating, not_working=not_working, comment=comment, when=timezone.now()
        )
        membership = check_in.membership
        audit.log(
            actor=membership.user,
            action="check_in.answer",
            target=check_in,
            initiative=membership.initiative_id,
            target_label=str(membership.user),
            rating=rating,
            not_working=not_working,
        )


# --- logistics requests ---

audit.describe(
    **{
        "contact.request_logistics": _("Asked for logistics support"),
        "contact.update_logistics": _("Changed a logistics request's status"),
    }
)


def request_logistics(*, membership, by, kind, details, match=None, needed_on=None):
    """A peer asks the facilitators for support. Side effects: one LogisticsRequest
    (open); one audit entry."""
    with transaction.atomic():
        request = LogisticsRequest.objects.create(
            initiative_id=membership.initiative_id,
            membership=membership,
            kind=kind,
            details=details,
            match=match,
            needed_on=needed_on,
        )
        audit.log(actor=by, action="contact.request_logistics", target=request, kind=kind)
    return request


def update_logistics_request(*, request, by, status, note=""):
    """A facilitator moves `request` to `status` with an optional note (a reason when
    declining). Side effects, in one transaction: the request's status; one
    LogisticsUpdate; an email to the peer keyed by that update (outbox); one audit entry."""
    with transaction.atomic():
        request = LogisticsRequest.objects.select_for_update().get(pk=request.pk)
        previous = request.status
        request.move(status, timezone.now())
        update = LogisticsUpdate.objects.create(request=request, status=status, note=note, by=by)
        peer = request.membership.user
        link = reverse("contact:logistics_mine", args=[request.initiative_id])
        queue_templated_email(
            to=peer.email,
            kind="logistics_update",
            key=f"logistics-update:{request.pk}:{update.pk}",
            template="logistics_update",
            context={
                "initiative": request.initiative,
                "person": peer,
                "request": request,
                "note": note,
                "link": absolute_url(link),
            },
        )
        audit.log(
            actor=by,
            action="contact.update_logistics",
            target=request,
            target_label=str(peer),
            status=status,
            previous=previous,
        )
    return request
