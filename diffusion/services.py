"""Writes of stage 4: sharing plans, report-back sessions and stories of change."""

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from peerlearn import audit

from .models import ChangeStory, ReportBack, SharingItem

audit.describe(
    **{
        "diffusion.plan_item": _("Planned how to share what was learned"),
        "diffusion.change_plan_item": _("Changed a sharing plan item"),
        "diffusion.report_back": _("Recorded a report-back session"),
        "diffusion.story": _("Wrote a story of change"),
        "diffusion.verify_story": _("Verified a story of change"),
    }
)


def add_sharing_item(*, membership, by, **fields):
    """Add an item to `membership`'s sharing plan. Audited."""
    with transaction.atomic():
        item = SharingItem.objects.create(membership=membership, **fields)
        audit.log(
            actor=by, action="diffusion.plan_item", target=item, initiative=membership.initiative_id
        )
    return item


def change_sharing_item(*, item, by, **fields):
    """Change what, whom, how, when or the status of a plan item. Audited."""
    for name, value in fields.items():
        setattr(item, name, value)
    with transaction.atomic():
        item.save(update_fields=list(fields))
        audit.log(
            actor=by,
            action="diffusion.change_plan_item",
            target=item,
            initiative=item.membership.initiative_id,
            status=item.status,
        )
    return item


def record_report_back(*, membership, by, **fields):
    """Record a report-back session held by `membership`'s peer.

    A plan item it answers is marked done. Audited.
    """
    with transaction.atomic():
        report_back = ReportBack.objects.create(
            initiative_id=membership.initiative_id, membership=membership, recorded_by=by, **fields
        )
        item = report_back.plan_item
        if item is not None and item.status != SharingItem.Status.DONE:
            item.status = SharingItem.Status.DONE
            item.save(update_fields=["status"])
        audit.log(
            actor=by,
            action="diffusion.report_back",
            target=report_back,
            format=report_back.format,
            colleagues_reached=report_back.colleagues_reached,
        )
    return report_back


def write_story(*, initiative, by, peers, **fields):
    """A story of change concerning `peers` (memberships). Audited."""
    with transaction.atomic():
        story = ChangeStory.objects.create(initiative=initiative, written_by=by, **fields)
        story.peers.set(peers)
        audit.log(actor=by, action="diffusion.story", target=story, domain=story.domain)
    return story


def verify_story(*, story, by, name, role, on):
    """Record who at home confirmed the story, and when. Audited."""
    with transaction.atomic():
        story.verify(name=name, role=role, on=on)
        audit.log(actor=by, action="diffusion.verify_story", target=story, verified_by=name)
    return story
