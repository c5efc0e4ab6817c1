"""The pre-event survey's URLs in the permission matrix."""

from matching.surveys import survey_for

from ..permissions import FACILITATOR_ONLY, initiative_kwargs

PEER_ONLY = {
    **FACILITATOR_ONLY,
    "facilitator": 403,
    "peer": 200,
}


def question_kwargs(world):
    question = survey_for(initiative=world.initiative).questions.first()
    return {"pk": world.initiative.pk, "question_pk": question.pk}


def peer_kwargs(world):
    membership = world.initiative.memberships.get(user=world.peer)
    return {"pk": world.initiative.pk, "membership_pk": membership.pk}


MATRIX = {
    "matching:survey": ("get", initiative_kwargs, PEER_ONLY),
    "matching:save_draft": ("post", initiative_kwargs, {**PEER_ONLY, "peer": 302}),
    "matching:submit": ("post", initiative_kwargs, {**PEER_ONLY, "peer": 400}),
    "matching:builder": ("get", initiative_kwargs, FACILITATOR_ONLY),
    "matching:settings": ("get", initiative_kwargs, FACILITATOR_ONLY),
    "matching:preview": ("get", initiative_kwargs, FACILITATOR_ONLY),
    "matching:add_question": ("get", initiative_kwargs, FACILITATOR_ONLY),
    "matching:edit_question": ("get", question_kwargs, FACILITATOR_ONLY),
    "matching:delete_question": ("post", question_kwargs, {**FACILITATOR_ONLY, "facilitator": 302}),
    "matching:move_question_up": (
        "post",
        question_kwargs,
        {**FACILITATOR_ONLY, "facilitator": 302},
    ),
    "matching:move_question_down": (
        "post",
        question_kwargs,
        {**FACILITATOR_ONLY, "facilitator": 302},
    ),
    "matching:results": ("get", initiative_kwargs, FACILITATOR_ONLY),
    "matching:peer_answers": ("get", peer_kwargs, FACILITATOR_ONLY),
    "matching:answers_csv": ("get", initiative_kwargs, FACILITATOR_ONLY),
    "matching:answers_xlsx": ("get", initiative_kwargs, FACILITATOR_ONLY),
}
