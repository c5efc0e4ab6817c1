"""Writes of stage 2: contacts logged and their participants' answers."""

import contextlib
import datetime
from datetime import timedelta
from pathlib import PurePath

from django.conf import settings
from django.core import signing
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _

from initiatives.models import Initiative, Membership, Stage
from matching.models import Match, MatchMember
from peerlearn import audit
from peerlearn.outbox import absolute_url, queue_templated_email, queue_templated_emails
from peerlearn.subscriptions import optional_email_headers

from . import queries
from .models import (
    Contact,
    ContactParticipant,
    ExchangeRead,
    HelpRequest,
    InTouchMark,
    LibraryDocument,
    LogisticsRequest,
    LogisticsUpdate,
    MatchCheckIn,
    MatchNote,
    Nudge,
    NudgePause,
    Post,
    PostDigest,
    PostEmailChoice,
    PostEmails,
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
            "log_link": absolute_url(
                reverse("contact:log", args=[match.run.initiative_id]) + f"?match={match.pk}"
            ),
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


# --- momentum ---

audit.describe(
    **{
        "contact.nudge": _("Nudged a quiet match"),
        "contact.alert": _("Told the facilitators about a quiet match"),
        "contact.in_touch": _("Said a match is in touch"),
        "contact.ask_help": _("Asked for help with a match"),
        "contact.resolve_help": _("Resolved a help request"),
        "contact.pause_nudges": _("Paused nudges"),
        "contact.resume_nudges": _("Resumed nudges"),
        "contact.note": _("Added a note on a match"),
    }
)

LINK_PURPOSES = ("log", "in_touch", "help")


class LinkExpired(Exception):
    pass


class LinkInvalid(Exception):
    pass


def nudge_link(*, nudge, membership, purpose):
    """The absolute, signed one-click link of `purpose` for `membership` in a nudge."""
    data = {"n": nudge.pk, "m": membership.pk, "a": nudge.match_id}
    token = signing.dumps(data, salt=f"contact.nudge.{purpose}")
    return absolute_url(reverse(f"contact:nudge_{purpose}", args=[token]))


def read_nudge_link(*, token, purpose):
    """The (nudge, membership) a link was made for. Raises LinkExpired or LinkInvalid."""
    max_age = datetime.timedelta(days=settings.NUDGE_LINK_MAX_AGE_DAYS)
    try:
        data = signing.loads(token, salt=f"contact.nudge.{purpose}", max_age=max_age)
    except signing.SignatureExpired as error:
        raise LinkExpired from error
    except signing.BadSignature as error:
        raise LinkInvalid from error
    member = (
        MatchMember.objects.filter(
            match_id=data.get("a"),
            membership_id=data.get("m"),
            match__status=Match.Status.PUBLISHED,
            match__nudges=data.get("n"),
        )
        .select_related("match__run__initiative", "membership__user")
        .first()
    )
    if member is None:
        raise LinkInvalid
    return Nudge.objects.get(pk=data["n"]), member.membership


def nudge_quiet_matches(*, now=None):
    """Nudge the members of every quiet match once per quiet spell; alert the
    facilitators when it is still quiet a quiet period after the nudge.

    Initiatives past their end date are left alone; withdrawn peers get nothing.
    Side effects: per nudge or alert, one Nudge row (its unique key is the claim),
    its emails (none to paused or unsubscribed peers) and an audit entry, in one
    transaction; a claim already taken (an earlier or concurrent sweep) sends
    nothing. Returns how many nudges and alerts were made.
    """
    today = timezone.localdate(now)
    made = 0
    initiatives = Initiative.objects.filter(stage__gte=Stage.SUSTAINED_CONTACT).exclude(
        ends_on__lt=today
    )
    for initiative in initiatives:
        made += _nudge_quiet_in(initiative, today)
    return made


def _nudge_quiet_in(initiative, today):
    quiet = list(queries.quiet_matches(initiative, today).select_related("run__initiative"))
    taken = queries.sweep_nudges(quiet)
    period = datetime.timedelta(days=initiative.follow_up_every_days)
    made = 0
    for match in quiet:
        spell = match.last_active_on
        nudge = taken.get((match.pk, Nudge.Kind.MEMBERS, spell))
        if nudge is None:
            made += _claim(match, Nudge.Kind.MEMBERS, spell, _tell_members) is not None
        elif (
            timezone.localdate(nudge.created_at) + period <= today
            and (match.pk, Nudge.Kind.FACILITATORS, spell) not in taken
        ):
            made += _claim(match, Nudge.Kind.FACILITATORS, spell, _tell_facilitators) is not None
    return made


def nudge_now(*, match, by):
    """A facilitator nudges a match's members at once, at most once a day.

    Side effects as for a sweep's nudge. Returns the Nudge, or None if one was
    already sent today.
    """
    return _claim(match, Nudge.Kind.NOW, timezone.localdate(), _tell_members, by=by)


def _claim(match, kind, spell, tell, by=None):
    try:
        with transaction.atomic():
            nudge = Nudge.objects.create(match=match, kind=kind, spell=spell, sent_by=by)
            tell(nudge)
            action = "contact.alert" if kind == Nudge.Kind.FACILITATORS else "contact.nudge"
            audit.log(
                actor=by,
                action=action,
                target=match,
                initiative=match.run.initiative_id,
                target_label=str(_("Match %(number)d") % {"number": match.number}),
                kind=kind,
            )
    except IntegrityError:  # claimed by an earlier or concurrent run
        return None
    return nudge


def _tell_members(nudge):
    match = nudge.match
    today = timezone.localdate()
    members = list(
        match.members.exclude(membership__status=Membership.Status.WITHDRAWN).select_related(
            "membership__user", "membership__initiative"
        )
    )
    paused = queries.paused_memberships([m.membership_id for m in members], today)
    for member in members:
        membership, person = member.membership, member.membership.user
        if membership.pk in paused or not person.wants_optional_email:
            continue
        links = {
            purpose: nudge_link(nudge=nudge, membership=membership, purpose=purpose)
            for purpose in LINK_PURPOSES
        }
        partners = [str(m.membership.user) for m in members if m.pk != member.pk]
        queue_templated_email(
            to=person.email,
            kind="contact_nudge",
            key=f"contact-nudge:{nudge.pk}:{membership.pk}",
            template="contact_nudge",
            context={
                "person": person,
                "initiative": membership.initiative,
                "partners": partners,
                "links": links,
                "contacts": absolute_url(reverse("contact:mine", args=[membership.initiative_id])),
            },
            headers=optional_email_headers(person),
        )


def _tell_facilitators(nudge):
    match = nudge.match
    initiative = match.run.initiative
    link = absolute_url(reverse("contact:momentum", args=[initiative.pk]) + "?state=quiet")
    names = [str(m.membership.user) for m in match.members.select_related("membership__user")]
    for facilitator in queries.facilitators_of(initiative):
        queue_templated_email(
            to=facilitator.user.email,
            kind="contact_quiet_alert",
            key=f"contact-quiet-alert:{nudge.pk}:{facilitator.pk}",
            template="contact_quiet_alert",
            context={
                "person": facilitator.user,
                "initiative": initiative,
                "number": match.number,
                "names": names,
                "since": nudge.spell,
                "link": link,
            },
        )


def mark_in_touch(*, nudge, membership):
    """A member says the match is in touch: the quiet clock starts again.

    Side effects: one InTouchMark and an audit entry. Returns False if this link
    was used already.
    """
    try:
        with transaction.atomic():
            InTouchMark.objects.create(match=nudge.match, membership=membership, nudge=nudge)
            audit.log(
                actor=membership.user,
                action="contact.in_touch",
                target=nudge.match,
                initiative=membership.initiative_id,
                target_label=str(membership.user),
            )
    except IntegrityError:
        return False
    return True


def ask_for_help(*, match, membership, text, nudge=None):
    """A member asks the facilitators for help with their match.

    Side effects: one HelpRequest and an audit entry; the facilitators see it on the
    momentum page. Returns it, or None if this nudge's link was used already.
    """
    try:
        with transaction.atomic():
            request = HelpRequest.objects.create(
                match=match, membership=membership, nudge=nudge, text=text
            )
            audit.log(
                actor=membership.user,
                action="contact.ask_help",
                target=request,
                initiative=membership.initiative_id,
                target_label=str(membership.user),
                match=match.number,
            )
    except IntegrityError:
        return None
    return request


def resolve_help(*, help_request, by, note):
    """A facilitator closes a help request with a note. Side effects: an audit entry."""
    with transaction.atomic():
        help_request.resolve(by=by, note=note, when=timezone.now())
        audit.log(
            actor=by,
            action="contact.resolve_help",
            target=help_request,
            initiative=help_request.membership.initiative_id,
            target_label=str(help_request.membership.user),
        )


def pause_nudges(*, membership, days):
    """No nudges to `membership` for `days` days from today. Side effects: an audit entry."""
    until = timezone.localdate() + datetime.timedelta(days=days)
    with transaction.atomic():
        NudgePause.objects.update_or_create(membership=membership, defaults={"until": until})
        audit.log(
            actor=membership.user,
            action="contact.pause_nudges",
            target=membership,
            until=until.isoformat(),
        )
    return until


def resume_nudges(*, membership):
    """Nudges again for `membership`. Side effects: an audit entry."""
    with transaction.atomic():
        NudgePause.objects.filter(membership=membership).delete()
        audit.log(actor=membership.user, action="contact.resume_nudges", target=membership)


def add_match_note(*, match, by, text):
    """A facilitator's note on a match. Side effects: an audit entry."""
    with transaction.atomic():
        note = MatchNote.objects.create(match=match, author=by, text=text)
        audit.log(
            actor=by,
            action="contact.note",
            target=match,
            initiative=match.run.initiative_id,
            target_label=str(_("Match %(number)d") % {"number": match.number}),
        )
    return note


# --- exchanges ---

audit.describe(
    **{
        "contact.post": _("Posted a message"),
        "contact.reply": _("Replied to a message"),
        "contact.edit_post": _("Edited a message"),
        "contact.delete_post": _("Deleted a message"),
        "contact.hide_post": _("Hid a message"),
        "contact.post_emails": _("Chose how to hear of new messages"),
    }
)

# The digest goes out on the first sweep after this hour (UTC), once a day.
DIGEST_HOUR_UTC = 7
# A digest never reaches further back than this, e.g. after email was off for months.
DIGEST_REACH = datetime.timedelta(days=7)
DIGEST_MOST_POSTS = 50
EXCERPT_CHARS = 600


def optional_email_recipients(memberships):
    """The memberships that accept non-essential email (post news and digests).

    Every post email passes through here, so unsubscribing stops them for a person.
    """
    return [membership for membership in memberships if membership.user.wants_optional_email]


def create_post(*, initiative, match, by, body, attachment=None, parent=None):
    """A new post in `match`'s conversation (the board when `match` is None), or a reply
    to `parent`, with at most one attached file (an upload already checked by DocumentField).

    Side effects: the stored file; the post row; one audit entry; an outbox email to each
    reader who chose "at once" (never the author), all in one transaction; the file is
    removed again if that transaction fails.
    """
    post = Post(initiative=initiative, match=match, parent=parent, author=by, body=body)
    if attachment:
        post.attachment_name = attachment.name[:255]
        post.attachment_type = attachment.content_type
        post.attachment_size = attachment.size
        post.attachment.save(attachment.name, attachment, save=False)
    try:
        with transaction.atomic():
            post.save()
            audit.log(
                actor=by,
                action="contact.reply" if parent else "contact.post",
                target=post,
                match=match.number if match else None,
                attachment=bool(attachment),
            )
            _tell_at_once(post)
    except Exception:
        if post.attachment:
            post.attachment.storage.delete(post.attachment.name)
        raise
    return post


def _tell_at_once(post):
    readers = [
        reader
        for reader in queries.readers_of(post.initiative, post.match)
        if reader.post_emails == PostEmails.AT_ONCE and reader.user_id != post.author_id
    ]
    readers = optional_email_recipients(readers)
    if not readers:
        return
    context = _post_context(post)
    queue_templated_emails(
        kind="exchange_post",
        template="exchanges_post",
        messages=[
            (
                reader.user.email,
                f"post:{post.pk}:{reader.pk}",
                {**context, "person": reader.user},
                optional_email_headers(reader.user),
            )
            for reader in readers
        ],
    )


def _post_context(post):
    return {
        "initiative": post.initiative,
        "author": post.author,
        "match_number": post.match.number if post.match_id else None,
        "excerpt": Truncator(post.body).chars(EXCERPT_CHARS),
        "link": absolute_url(place_url(post.initiative_id, post.match_id)),
    }


def place_url(initiative_id, match_id):
    """The page of a match's conversation, or of the board when `match_id` is None."""
    if match_id is None:
        return reverse("contact:board", args=[initiative_id])
    return reverse("contact:conversation", args=[initiative_id, match_id])


def edit_post(*, post, by, body):
    """The author changes the text of their post. Side effects: the post; one audit entry."""
    with transaction.atomic():
        post.edit(body, timezone.now())
        audit.log(actor=by, action="contact.edit_post", target=post)


def delete_post(*, post, by):
    """The author deletes their post.

    A post with replies stays as "deleted" in their place, its text and file gone;
    otherwise the row goes, and so does a deleted post left with no reply.
    Side effects: one audit entry; the post row (or its text) and its stored file.
    """
    with transaction.atomic():
        audit.log(actor=by, action="contact.delete_post", target=post, reply=bool(post.parent_id))
        _drop_file_on_commit(post)
        if post.parent_id is None and post.replies.exists():
            post.blank_out(timezone.now())
            return
        post.delete()
        parent = post.parent
        if parent is not None and parent.deleted_at and not parent.replies.exists():
            parent.delete()


def _drop_file_on_commit(post):
    if post.attachment:
        storage, name = post.attachment.storage, post.attachment.name
        transaction.on_commit(lambda: storage.delete(name))


def hide_post(*, post, by, reason):
    """A facilitator hides a post from the members, saying why.

    Side effects: the post is marked hidden; one audit entry.
    """
    with transaction.atomic():
        post.hide(by=by, reason=reason, when=timezone.now())
        audit.log(actor=by, action="contact.hide_post", target=post, reason=reason)


def choose_post_emails(*, membership, choice, by):
    """How new posts reach `membership`: at once, a daily digest or not at all.

    Side effects: the membership's choice row; one audit entry.
    """
    with transaction.atomic():
        PostEmailChoice.objects.update_or_create(membership=membership, defaults={"choice": choice})
        audit.log(
            actor=by,
            action="contact.post_emails",
            target=membership,
            initiative=membership.initiative_id,
            target_label=str(membership.user),
            choice=choice,
        )


def mark_read(*, user, initiative, match):
    """Remember that `user` has just read a conversation (or the board, `match` None).

    Not audited: opening a page changes nothing anyone else sees.
    """
    now = timezone.now()
    marks = ExchangeRead.objects.filter(user=user, initiative=initiative, match=match)
    if marks.update(read_at=now):
        return
    with contextlib.suppress(IntegrityError), transaction.atomic():  # opened twice at once
        ExchangeRead.objects.create(user=user, initiative=initiative, match=match, read_at=now)


def send_post_digests(*, now=None):
    """Send each member on the daily digest, once a day after DIGEST_HOUR_UTC, the posts
    by others that are new to them since their last digest (no email when none).

    Side effects: per member and day one PostDigest row (the claim: a sweep running twice
    or at the same time sends nothing twice) and, when there is news, one outbox email
    keyed `digest:<membership>:<day>`, in one transaction. Returns how many were queued.
    """
    now = now or timezone.now()
    utc_now = now.astimezone(datetime.UTC)
    if utc_now.hour < DIGEST_HOUR_UTC:
        return 0
    day = utc_now.date()
    readers = queries.digest_readers(day=day, since=now - DIGEST_REACH)
    return sum(_send_digest(membership, day, now) for membership in readers)


def _send_digest(membership, day, now):
    since = max(
        queries.last_digest_at(membership) or now - datetime.timedelta(days=1), now - DIGEST_REACH
    )
    posts = list(queries.new_posts_for(membership, since=since, until=now))
    try:
        with transaction.atomic():
            PostDigest.objects.create(
                membership=membership, day=day, posts=len(posts), created_at=now
            )
            if posts and optional_email_recipients([membership]):
                _queue_digest(membership, day, posts)
    except IntegrityError:  # another sweep claimed this day first
        return 0
    return int(bool(posts))


def _queue_digest(membership, day, posts):
    shown = posts[:DIGEST_MOST_POSTS]
    queue_templated_email(
        to=membership.user.email,
        kind="exchange_digest",
        key=f"digest:{membership.pk}:{day.isoformat()}",
        template="exchanges_digest",
        headers=optional_email_headers(membership.user),
        context={
            "person": membership.user,
            "initiative": membership.initiative,
            "count": len(posts),
            "more": len(posts) - len(shown),
            "posts": [
                {
                    "author": post.author,
                    "match_number": post.match.number if post.match_id else None,
                    "excerpt": Truncator(post.body).chars(EXCERPT_CHARS // 2),
                    "link": absolute_url(place_url(post.initiative_id, post.match_id)),
                }
                for post in shown
            ],
        },
    )
