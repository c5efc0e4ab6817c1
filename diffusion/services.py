"""Writes of stage 4: sharing plans, report-back sessions and stories of change."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from peerlearn import audit

from .models import ChangeStory, Community, HomeCommitment, ReportBack, SharingItem

audit.describe(
    **{
        "diffusion.plan_item": _("Planned how to share what was learned"),
        "diffusion.change_plan_item": _("Changed a sharing plan item"),
        "diffusion.report_back": _("Recorded a report-back session"),
        "diffusion.story": _("Wrote a story of change"),
        "diffusion.verify_story": _("Verified a story of change"),
        "diffusion.commitment": _("Set a home organisation's commitment"),
        "diffusion.countersign": _("Countersigned a home organisation's commitment"),
        "diffusion.community": _("Added a local community of practice"),
        "diffusion.change_community": _("Changed a local community of practice"),
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


COMMITMENT_FIELDS = ("mandate", "report_back_required", "hours_per_month")


def set_commitment(*, membership, by, **fields):
    """Set what `membership`'s home organisation commits to.

    A change to a countersigned commitment withdraws the countersignature: the
    authoriser countersigns what is written now. Audited.
    """
    with transaction.atomic():
        commitment, created = HomeCommitment.objects.select_for_update().get_or_create(
            membership=membership, defaults={**fields, "set_by": by}
        )
        changed = [name for name in COMMITMENT_FIELDS if getattr(commitment, name) != fields[name]]
        if changed:
            for name in changed:
                setattr(commitment, name, fields[name])
            commitment.set_by = by
            commitment.countersigned_by = commitment.countersigned_at = None
            commitment.save()
        audit.log(
            actor=by,
            action="diffusion.commitment",
            target=commitment,
            initiative=membership.initiative_id,
            report_back_required=commitment.report_back_required,
            changed=sorted(COMMITMENT_FIELDS) if created else changed,
        )
    return commitment


def countersign_commitment(*, commitment, by):
    """The authoriser `by` countersigns the commitment, dated now. Audited."""
    with transaction.atomic():
        commitment.countersign(by=by, when=timezone.now())
        audit.log(
            actor=by,
            action="diffusion.countersign",
            target=commitment,
            initiative=commitment.membership.initiative_id,
        )
    return commitment


def add_community(*, initiative, by, peers, **fields):
    """A local community of practice or coalition with `peers` (memberships). Audited."""
    with transaction.atomic():
        community = Community.objects.create(initiative=initiative, created_by=by, **fields)
        community.peers.set(peers)
        audit.log(actor=by, action="diffusion.community", target=community, peers=len(peers))
    return community


def change_community(*, community, by, peers, **fields):
    """Change a community's details and members. Audited."""
    for name, value in fields.items():
        setattr(community, name, value)
    with transaction.atomic():
        community.save(update_fields=list(fields))
        community.peers.set(peers)
        audit.log(actor=by, action="diffusion.change_community", target=community, peers=len(peers))
    return community
