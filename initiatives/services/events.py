"""Foundational events: planning, attendance, and inviting attendees to keep going afterwards."""

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy

from peerlearn import audit
from peerlearn.outbox import absolute_url, queue_templated_email

from ..models import Attendance, EngagementSignUp, Event, Membership

audit.describe(
    **{
        "event.create": gettext_lazy("Planned an event"),
        "event.edit": gettext_lazy("Changed an event"),
        "agenda.add": gettext_lazy("Added an agenda item"),
        "agenda.edit": gettext_lazy("Changed an agenda item"),
        "agenda.remove": gettext_lazy("Removed an agenda item"),
        "attendance.record": gettext_lazy("Recorded attendance"),
        "engagement.add": gettext_lazy("Offered a way to keep in touch"),
        "engagement.edit": gettext_lazy("Changed a way to keep in touch"),
        "engagement.sign_up": gettext_lazy("Signed up to keep in touch"),
        "engagement.withdraw": gettext_lazy("Withdrew from a way to keep in touch"),
    }
)


def save_event(*, form, by):
    """Plan the event of `form` (a valid EventForm) or save changes to it.

    Side effects: the event row and its invitees; one audit entry (naming the
    changed fields of an edit).
    """
    event = form.instance
    adding = event.pk is None
    if adding:
        event.initiative, event.created_by = form.initiative, by
    with transaction.atomic():
        form.save()
        if adding:
            audit.log(actor=by, action="event.create", target=event)
        else:
            audit.log(actor=by, action="event.edit", target=event, changed=form.changed_data)
    return event


def save_agenda_item(*, form, event, by):
    """Add the agenda item of `form` (a valid AgendaItemForm) to `event`, or save changes.

    Side effects: the item row; one audit entry.
    """
    adding = form.instance.pk is None
    form.instance.event = event
    with transaction.atomic():
        item = form.save()
        audit.log(
            actor=by,
            action="agenda.add" if adding else "agenda.edit",
            target=item,
            initiative=event.initiative_id,
            target_label=f"{event} · {item}",
        )
    return item


def remove_agenda_item(*, item, by):
    """Take an item off its event's agenda. Side effects: deletes it; one audit entry."""
    event = item.event
    with transaction.atomic():
        audit.log(
            actor=by,
            action="agenda.remove",
            target=item,
            initiative=event.initiative_id,
            target_label=f"{event} · {item}",
        )
        item.delete()


def record_attendance(*, event, present, by):
    """Record every invitee of `event` as present (in `present`) or absent.

    Side effects: one Attendance row per invitee, created or overwritten in one
    transaction, and one audit entry; rows of people no longer invited are left as
    they were.
    """
    present_ids = {membership.pk for membership in present}
    now = timezone.now()
    rows = [
        Attendance(
            event=event,
            membership_id=membership_id,
            present=membership_id in present_ids,
            recorded_by=by,
            recorded_at=now,
        )
        for membership_id in event.invitees.values_list("pk", flat=True)
    ]
    with transaction.atomic():
        Attendance.objects.bulk_create(
            rows,
            update_conflicts=True,
            unique_fields=["event", "membership"],
            update_fields=["present", "recorded_by", "recorded_at"],
        )
        present_count = sum(row.present for row in rows)
        audit.log(
            actor=by,
            action="attendance.record",
            target=event,
            present=present_count,
            absent=len(rows) - present_count,
        )
    return len(rows)


def save_engagement_option(*, form, initiative, by):
    """Offer the way to keep in touch of `form` (a valid EngagementOptionForm), or save changes.

    Side effects: the option row; one audit entry.
    """
    adding = form.instance.pk is None
    form.instance.initiative = initiative
    with transaction.atomic():
        option = form.save()
        action = "engagement.add" if adding else "engagement.edit"
        audit.log(actor=by, action=action, target=option)
    return option


def sign_up(*, option, membership):
    """The peer signs up for `option`. Side effects: one sign-up and its audit entry, once."""
    with transaction.atomic():
        signed_up, created = EngagementSignUp.objects.get_or_create(
            option=option, membership=membership
        )
        if created:
            audit.log(actor=membership.user, action="engagement.sign_up", target=option)
    return signed_up


def withdraw_sign_up(*, option, membership):
    """The peer withdraws from `option`. Side effects: deletes the sign-up; an audit entry."""
    with transaction.atomic():
        deleted, _rows = EngagementSignUp.objects.filter(
            option=option, membership=membership
        ).delete()
        if deleted:
            audit.log(actor=membership.user, action="engagement.withdraw", target=option)


def send_engagement_invitations(*, now=None):
    """Invite the attendees of every ended event to sign up for what comes next.

    Only events whose initiative offers at least one option and whose attendance
    has been recorded are due. Side effects: each due event is claimed once (a
    conditional update) and one outbox email per present attendee is queued under
    a key per event and person, so a repeated run queues nothing. Returns the
    number of emails queued.
    """
    now = now or timezone.now()
    due = (
        Event.objects.filter(
            ends_at__lte=now,
            engagement_invitations_sent_at=None,
            initiative__engagement_options__isnull=False,
            attendance__isnull=False,
        )
        .distinct()
        .select_related("initiative")
    )
    queued = 0
    for event in due:
        with transaction.atomic():
            if not event.mark_engagement_invitations_sent(now):
                continue
            attendees = (
                event.attendance.filter(present=True)
                .exclude(membership__status=Membership.Status.WITHDRAWN)
                .select_related("membership__user")
            )
            for row in attendees:
                queued += _invite_to_engage(event, row.membership) is not None
    return queued


def _invite_to_engage(event, membership):
    link = absolute_url(reverse("initiatives:engagement", args=[event.initiative_id]))
    return queue_templated_email(
        to=membership.user.email,
        kind="engagement_invitation",
        key=f"engagement-invitation:{event.pk}:{membership.pk}",
        template="engagement_invitation",
        context={"event": event, "initiative": event.initiative, "link": link},
    )
