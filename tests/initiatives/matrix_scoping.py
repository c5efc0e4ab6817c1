"""Scoping and the risk register in the permission matrix: facilitators only."""

from initiatives.models import Risk

from ..permissions import FACILITATOR_ONLY, initiative_kwargs


def section_kwargs(world):
    return {"pk": world.initiative.pk, "slug": "theory-of-change"}


def risk_kwargs(world):
    risk = Risk.objects.create(initiative=world.initiative, description="Peers drift away.")
    return {"pk": world.initiative.pk, "risk_pk": risk.pk}


# url name: (method, kwargs, expected status per visitor)
MATRIX = {
    "initiatives:scoping": ("get", initiative_kwargs, FACILITATOR_ONLY),
    "initiatives:scoping_section": ("get", section_kwargs, FACILITATOR_ONLY),
    "initiatives:learning_goals": ("get", initiative_kwargs, FACILITATOR_ONLY),
    "initiatives:scoping_summary": ("get", initiative_kwargs, FACILITATOR_ONLY),
    "initiatives:risks": ("get", initiative_kwargs, FACILITATOR_ONLY),
    "initiatives:add_risk": ("get", initiative_kwargs, FACILITATOR_ONLY),
    "initiatives:edit_risk": ("get", risk_kwargs, FACILITATOR_ONLY),
    "initiatives:close_risk": ("post", risk_kwargs, {**FACILITATOR_ONLY, "facilitator": 302}),
}
