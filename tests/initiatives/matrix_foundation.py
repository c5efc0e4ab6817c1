"""The foundational engagement's URLs in the permission matrix."""

from datetime import timedelta

from django.utils import timezone

from initiatives.models import AgendaItem, EngagementOption, Event
from initiatives.services import contracts

from ..permissions import FACILITATOR_ONLY, MEMBERS, initiative_kwargs

PEER_ONLY = {**FACILITATOR_ONLY, "facilitator": 403, "peer": 200}
AUTHORISERS = {**FACILITATOR_ONLY, "facilitator": 403, "authoriser": 200, "other_authoriser": 200}


def make_event(world):
    starts = timezone.now() + timedelta(days=10)
    return Event.objects.create(
        initiative=world.initiative,
        kind=Event.Kind.LARGE_GROUP,
        title="Kick-off workshop",
        starts_at=starts,
        ends_at=starts + timedelta(hours=6),
        time_zone="Europe/Chisinau",
        venue="Chisinau",
    )


def event_kwargs(world):
    return {"pk": world.initiative.pk, "event_pk": make_event(world).pk}


def agenda_item_kwargs(world):
    event = make_event(world)
    item = AgendaItem.objects.create(event=event, starts_at="09:00", title="Welcome")
    return {"pk": world.initiative.pk, "event_pk": event.pk, "item_pk": item.pk}


def countersign_kwargs(world):
    membership = world.initiative.memberships.get(user=world.peer)
    contract = contracts.sign_contract(membership=membership, name="Peer Person")
    return {"pk": world.initiative.pk, "contract_pk": contract.pk}


def option_kwargs(world):
    option = EngagementOption.objects.create(
        initiative=world.initiative, kind=EngagementOption.Kind.ONLINE_GROUP, title="Online group"
    )
    return {"pk": world.initiative.pk, "option_pk": option.pk}


# url name: (method, kwargs, expected status per visitor)
MATRIX = {
    "initiatives:events": ("get", initiative_kwargs, MEMBERS),
    "initiatives:create_event": ("get", initiative_kwargs, FACILITATOR_ONLY),
    "initiatives:event": ("get", event_kwargs, MEMBERS),
    "initiatives:edit_event": ("get", event_kwargs, FACILITATOR_ONLY),
    "initiatives:event_calendar": ("get", event_kwargs, MEMBERS),
    "initiatives:attendance": ("get", event_kwargs, FACILITATOR_ONLY),
    "initiatives:add_agenda_item": ("get", event_kwargs, FACILITATOR_ONLY),
    "initiatives:edit_agenda_item": ("get", agenda_item_kwargs, FACILITATOR_ONLY),
    "initiatives:remove_agenda_item": (
        "post",
        agenda_item_kwargs,
        {**FACILITATOR_ONLY, "facilitator": 302},
    ),
    "initiatives:contracts": ("get", initiative_kwargs, FACILITATOR_ONLY),
    "initiatives:contract_template": ("get", initiative_kwargs, FACILITATOR_ONLY),
    "initiatives:contract": ("get", initiative_kwargs, PEER_ONLY),
    "initiatives:contracts_to_countersign": ("get", initiative_kwargs, AUTHORISERS),
    "initiatives:countersign": (
        "get",
        countersign_kwargs,
        {**AUTHORISERS, "other_authoriser": 404},
    ),
    "initiatives:engagement": ("get", initiative_kwargs, MEMBERS),
    "initiatives:add_engagement_option": ("get", initiative_kwargs, FACILITATOR_ONLY),
    "initiatives:edit_engagement_option": ("get", option_kwargs, FACILITATOR_ONLY),
    "initiatives:sign_up": ("post", option_kwargs, {**PEER_ONLY, "peer": 302}),
    "initiatives:withdraw_sign_up": ("post", option_kwargs, {**PEER_ONLY, "peer": 302}),
}
