"""The evaluation app's URLs in the permission matrix."""

from ..permissions import FACILITATOR_ONLY, LOGIN, initiative_kwargs
from .factories import objective, pdf_upload, round_kwargs, sent_report, shared_objective

PEER_ONLY = {
    **FACILITATOR_ONLY,
    "facilitator": 403,
    "peer": 200,
    "authoriser": 403,
    "other_authoriser": 403,
}
PEER_POSTS = {**PEER_ONLY, "peer": 302}
AUTHORISERS = {
    **FACILITATOR_ONLY,
    "facilitator": 403,
    "peer": 403,
    "authoriser": 200,
    "other_authoriser": 200,
}
# The peer, the facilitators and the authoriser of the peer's organisation; not another's.
EVIDENCE_READERS = {**FACILITATOR_ONLY, "peer": 200, "authoriser": 200, "other_authoriser": 404}


def objective_kwargs(world):
    return {"pk": world.initiative.pk, "objective_pk": objective(world).pk}


def evidence_kwargs(world):
    return {"pk": world.initiative.pk, "objective_pk": objective(world, upload=pdf_upload()).pk}


def shared_kwargs(world):
    return {"pk": world.initiative.pk, "objective_pk": shared_objective(world).pk}


# url name: (method, kwargs, expected status per visitor)
MATRIX = {
    "evaluation:learning": ("get", initiative_kwargs, FACILITATOR_ONLY),
    "evaluation:objectives_csv": ("get", initiative_kwargs, FACILITATOR_ONLY),
    "evaluation:objectives_xlsx": ("get", initiative_kwargs, FACILITATOR_ONLY),
    "evaluation:shared_objectives": ("get", initiative_kwargs, FACILITATOR_ONLY),
    "evaluation:categories": ("get", initiative_kwargs, FACILITATOR_ONLY),
    "evaluation:cadence": ("get", initiative_kwargs, FACILITATOR_ONLY),
    "evaluation:facilitator_reflections": ("get", initiative_kwargs, FACILITATOR_ONLY),
    "evaluation:authorised_objectives": ("get", initiative_kwargs, AUTHORISERS),
    "evaluation:objectives": ("get", initiative_kwargs, PEER_ONLY),
    "evaluation:objective_new": ("get", initiative_kwargs, PEER_ONLY),
    "evaluation:objective_edit": ("get", objective_kwargs, PEER_ONLY),
    "evaluation:objective_adopt": ("post", shared_kwargs, PEER_POSTS),
    "evaluation:objective_evidence": ("get", evidence_kwargs, EVIDENCE_READERS),
    "evaluation:reflections": ("get", initiative_kwargs, PEER_ONLY),
    "evaluation:reflection_new": ("get", initiative_kwargs, PEER_ONLY),
}

# --- dashboard ---

# Facilitators, and authorisers for their own organisation; never peers.
DASHBOARD_READERS = AUTHORISERS | {"facilitator": 200}


def trend_kwargs(world):
    return {"pk": world.initiative.pk, "dimension": "diffusion"}


MATRIX |= {
    "evaluation:dashboard": ("get", initiative_kwargs, DASHBOARD_READERS),
    "evaluation:dashboard_csv": ("get", initiative_kwargs, DASHBOARD_READERS),
    "evaluation:dashboard_xlsx": ("get", initiative_kwargs, DASHBOARD_READERS),
    "evaluation:funnel_chart": ("get", initiative_kwargs, DASHBOARD_READERS),
    "evaluation:trend_chart": ("get", trend_kwargs, DASHBOARD_READERS),
}


# --- self-assessments ---

# The facilitators see everyone's results, each authoriser those of their own peers.
RESULT_READERS = {**FACILITATOR_ONLY, "authoriser": 200, "other_authoriser": 200}


def point_kwargs(world):
    return {"pk": world.initiative.pk, "round_": "endline"}


MATRIX.update(
    {
        "evaluation:self_assessment_timeline": ("get", initiative_kwargs, FACILITATOR_ONLY),
        "evaluation:evaluation_point": ("get", point_kwargs, FACILITATOR_ONLY),
        "evaluation:self_assessment_results": ("get", initiative_kwargs, RESULT_READERS),
        "evaluation:self_assessment_chart": ("get", initiative_kwargs, RESULT_READERS),
        "evaluation:self_assessment_csv": ("get", initiative_kwargs, RESULT_READERS),
        "evaluation:self_assessment_xlsx": ("get", initiative_kwargs, RESULT_READERS),
        "evaluation:self_assessments": ("get", initiative_kwargs, PEER_ONLY),
        "evaluation:self_assessment_round": ("get", round_kwargs, PEER_ONLY),
        "evaluation:self_assessment_draft": ("post", round_kwargs, PEER_POSTS),
        "evaluation:self_assessment_submit": ("post", round_kwargs, PEER_POSTS),
    }
)


# --- reports to authorisers ---

# The facilitators and the authorisers of the report's organisation; nobody else, not even
# whether it exists.
REPORT_READERS = {
    **FACILITATOR_ONLY,
    "peer": 404,
    "authoriser": 200,
    "other_authoriser": 404,
}
# Only the report's own authorisers answer it; its facilitators read it but may not.
REPORT_ANSWERERS = {**REPORT_READERS, "facilitator": 403, "authoriser": 302}
EVERYONE = {role: 200 for role in FACILITATOR_ONLY} | {"anonymous": LOGIN}
FACILITATOR_POSTS = {**FACILITATOR_ONLY, "facilitator": 302}


def organisation_kwargs(world):
    return {"pk": world.initiative.pk, "organisation_pk": world.home.pk}


def report_kwargs(world):
    return {"report_token": sent_report(world).token}


def retry_kwargs(world):
    return {"pk": world.initiative.pk, "report_pk": sent_report(world).pk}


MATRIX |= {
    "evaluation:reports": ("get", initiative_kwargs, FACILITATOR_ONLY),
    "evaluation:report_schedule": ("get", initiative_kwargs, FACILITATOR_ONLY),
    "evaluation:report_preview": ("get", organisation_kwargs, FACILITATOR_ONLY),
    "evaluation:report_note": ("get", organisation_kwargs, FACILITATOR_ONLY),
    "evaluation:report_send_now": ("post", organisation_kwargs, FACILITATOR_POSTS),
    "evaluation:report_retry": ("post", retry_kwargs, FACILITATOR_POSTS),
    "evaluation:my_reports": ("get", None, EVERYONE),
    "evaluation:report": ("get", report_kwargs, REPORT_READERS),
    "evaluation:report_pdf": ("get", report_kwargs, REPORT_READERS),
    "evaluation:report_acknowledge": ("post", report_kwargs, REPORT_ANSWERERS),
    # An empty reply is shown again with its errors (200) to the authoriser.
    "evaluation:report_reply": ("post", report_kwargs, {**REPORT_ANSWERERS, "authoriser": 200}),
}
