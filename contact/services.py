"""Writes of stage 2: contacts logged and their participants' answers."""

import contextlib
import datetime

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _

from peerlearn import audit
from peerlearn.outbox import absolute_url, queue_templated_email, queue_templated_emails

from . import queries
from .models import (
    Contact,
    ContactParticipant,
    ExchangeRead,
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

    Every post email passes through here, so one switch can stop them for a person.
    """
    return list(memberships)


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
            (reader.user.email, f"post:{post.pk}:{reader.pk}", {**context, "person": reader.user})
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
