import datetime

from django.utils import timezone

from diffusion import services
from initiatives.models import Role, Stage


def membership_of(world, user):
    return world.initiative.memberships.get(user=user, role=Role.PEER)


def in_stage_four(world):
    world.initiative.stage = Stage.DIFFUSION
    world.initiative.save(update_fields=["stage"])


def plan_item(world, *, user=None, what="The new arrears checklist", status="planned"):
    return services.add_sharing_item(
        membership=membership_of(world, user or world.peer),
        by=user or world.peer,
        what=what,
        audience="The budget department",
        means="A lunchtime presentation",
        planned_for=timezone.localdate() + datetime.timedelta(days=14),
        status=status,
    )


def report_back(world, *, user=None, format="presentation", days_ago=3, **fields):
    fields = {
        "title": "What Chisinau taught us about arrears",
        "summary": "Five lessons from the treasury visit",
        "audience_size": 20,
        "colleagues_reached": 15,
        **fields,
    }
    return services.record_report_back(
        membership=membership_of(world, user or world.peer),
        by=user or world.peer,
        held_on=timezone.localdate() - datetime.timedelta(days=days_ago),
        format=format,
        **fields,
    )


def story(world, *, peers=None, by=None, title="Arrears now reported monthly"):
    return services.write_story(
        initiative=world.initiative,
        by=by or world.peer,
        peers=peers or [membership_of(world, world.peer)],
        title=title,
        what_changed="The ministry adopted a monthly arrears report.",
        why_it_matters="Arrears are seen before they grow.",
        domain="processes",
    )


def commitment(world, *, user=None, required=True, by=None):
    return services.set_commitment(
        membership=membership_of(world, user or world.peer),
        by=by or world.facilitator,
        mandate="Bring back the treasury's arrears checklist.",
        report_back_required=required,
        hours_per_month=4,
    )


def community(world, *, by=None, name="Arrears practitioners of Chisinau"):
    return services.add_community(
        initiative=world.initiative,
        by=by or world.peer,
        peers=[membership_of(world, world.peer)],
        name=name,
        home_organisation=world.home,
        description="Budget officers who meet monthly.",
        colleagues="Ana Popescu\nIon Rusu",
        founded_on=datetime.date(2026, 1, 15),
    )
