"""Foundational events: attendance, and inviting attendees to keep going afterwards."""

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from peerlearn.outbox import absolute_url, queue_templated_email

from .models import Attendance, Event, Membership


def record_attendance(*, event, present, by):
    """Record every invitee of `event` as present (in `present`) or absent.

    Side effects: one Attendance row per invitee, created or overwritten in one
    transaction; rows of people no longer invited are left as they were.
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
    return len(rows)


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
