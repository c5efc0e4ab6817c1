"""The survey URLs in the permission matrix (the pre-event survey's paths)."""

from surveys.services import survey_for

from ..permissions import FACILITATOR_ONLY, initiative_kwargs
from .factories import open_survey_for

PEER_ONLY = {
    **FACILITATOR_ONLY,
    "facilitator": 403,
    "peer": 200,
}


def question_kwargs(world):
    question = survey_for(initiative=world.initiative).questions.first()
    return {"pk": world.initiative.pk, "question_pk": question.pk}


def open_survey_kwargs(world):
    """The pre-event survey opened to peers, so the peer's pages show and take answers."""
    open_survey_for(world.initiative)
    return initiative_kwargs(world)


def peer_kwargs(world):
    membership = world.initiative.memberships.get(user=world.peer)
    return {"pk": world.initiative.pk, "membership_pk": membership.pk}


MATRIX = {
    "surveys:survey": ("get", open_survey_kwargs, PEER_ONLY),
    "surveys:save_draft": ("post", open_survey_kwargs, {**PEER_ONLY, "peer": 302}),
    "surveys:submit": ("post", open_survey_kwargs, {**PEER_ONLY, "peer": 400}),
    "surveys:builder": ("get", initiative_kwargs, FACILITATOR_ONLY),
    "surveys:settings": ("get", initiative_kwargs, FACILITATOR_ONLY),
    "surveys:preview": ("get", initiative_kwargs, FACILITATOR_ONLY),
    "surveys:open": ("post", initiative_kwargs, {**FACILITATOR_ONLY, "facilitator": 302}),
    "surveys:add_question": ("get", initiative_kwargs, FACILITATOR_ONLY),
    "surveys:edit_question": ("get", question_kwargs, FACILITATOR_ONLY),
    "surveys:delete_question": ("post", question_kwargs, {**FACILITATOR_ONLY, "facilitator": 302}),
    "surveys:move_question_up": (
        "post",
        question_kwargs,
        {**FACILITATOR_ONLY, "facilitator": 302},
    ),
    "surveys:move_question_down": (
        "post",
        question_kwargs,
        {**FACILITATOR_ONLY, "facilitator": 302},
    ),
    "surveys:results": ("get", initiative_kwargs, FACILITATOR_ONLY),
    "surveys:peer_answers": ("get", peer_kwargs, FACILITATOR_ONLY),
    "surveys:answers_csv": ("get", initiative_kwargs, FACILITATOR_ONLY),
    "surveys:answers_xlsx": ("get", initiative_kwargs, FACILITATOR_ONLY),
}
