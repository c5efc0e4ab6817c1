import datetime

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from evaluation import services
from initiatives.models import Role, Stage
from matching.models import Match, MatchMember, MatchRun
from surveys.services import add_question

PDF = b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<<>>\n%%EOF\n"


def pdf_upload(name="new-budget-rules.pdf"):
    """An upload as DocumentField leaves it: typed from its bytes."""
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def membership_of(world, user):
    return world.initiative.memberships.get(user=user, role=Role.PEER)


def in_stage_three(initiative):
    initiative.stage = Stage.LEARNING_OUTCOMES
    initiative.save(update_fields=["stage"])


def objective(world, *, user=None, upload=None, **fields):
    """A learning objective of the world's peer (or `user`)."""
    values = {"category": "technical", "description": "Learn accrual accounting", **fields}
    return services.add_objective(
        initiative=world.initiative,
        by=user or world.peer,
        membership=membership_of(world, user or world.peer),
        upload=upload,
        **values,
    )


def shared_objective(world, **fields):
    values = {"category": "political", "description": "Build a coalition for reform", **fields}
    return services.add_objective(initiative=world.initiative, by=world.facilitator, **values)


def pair(world):
    """A published match of the world's two peers."""
    run = MatchRun.objects.create(initiative=world.initiative, status=MatchRun.Status.PUBLISHED)
    match = Match.objects.create(run=run, number=1, status=Match.Status.PUBLISHED)
    MatchMember.objects.bulk_create(
        MatchMember(match=match, membership=membership_of(world, user))
        for user in (world.peer, world.peer_elsewhere)
    )
    return match


def reflection(world, *, user=None, text="I learned to sequence reforms.", **fields):
    membership = membership_of(world, user or world.peer)
    return services.write_reflection(membership=membership, by=membership.user, text=text, **fields)


def evaluation_world(world, match):
    """One of everything stage 3 shows, for the page-wide tests; returns URL kwargs."""
    category = services.add_category(initiative=world.initiative, by=world.facilitator, name="IT")
    aim = objective(world, upload=pdf_upload(), category="own", own_category=category)
    aim.evidence = "Closed the books early"
    aim.evidence_url = "https://example.org/evidence"
    aim.save(update_fields=["evidence", "evidence_url"])
    adopted = services.adopt_objective(
        objective=shared_objective(world), membership=aim.membership, by=world.peer
    )
    reflection(world, match=match, objective=adopted)
    reflection(world, shared=True)
    services.set_cadence(initiative=world.initiative, by=world.facilitator, every_days=14)
    return {"objective_pk": aim.pk, **self_assessment_world(world, aim)}


# --- self-assessments ---


def evaluation_point(world, round_="baseline", *, opens_in=-1, closes_in=13, remind=7):
    """A round of the world's initiative, opening `opens_in` days from today."""
    today = timezone.localdate()
    return services.set_evaluation_point(
        initiative=world.initiative,
        round_=round_,
        by=world.facilitator,
        opens_on=today + datetime.timedelta(days=opens_in),
        closes_on=today + datetime.timedelta(days=closes_in),
        remind_every_days=remind,
    )


def assessed(point, membership, ratings, answers=None):
    """`membership` submits `point` with {objective: (score, source)}."""
    return services.submit_self_assessment(
        point=point,
        membership=membership,
        ratings={
            aim: {"score": score, "source": source, "comment": ""}
            for aim, (score, source) in ratings.items()
        },
        answers=answers or {},
        questions=[],
    )


def round_kwargs(world):
    evaluation_point(world)
    return {"pk": world.initiative.pk, "round_": "baseline"}


def self_assessment_world(world, aim):
    """An open baseline with an extra question, the peer's submitted ratings, and an
    endline; returns URL kwargs."""
    baseline = evaluation_point(world)
    question = add_question(
        survey=baseline.survey, by=world.facilitator, text="What surprised you?"
    )
    membership = membership_of(world, world.peer)
    services.submit_self_assessment(
        point=baseline,
        membership=membership,
        ratings={aim: {"score": 2, "source": "both", "comment": "From my pair"}},
        answers={str(question.pk): "The pace"},
        questions=[question],
    )
    endline = evaluation_point(world, "endline", opens_in=-10, closes_in=-1)
    assessed(endline, membership, {aim: (4, "peers")})
    return {"round_": "baseline"}

    return {"objective_pk": aim.pk}


# --- reports to authorisers ---


def sent_report(world, organisation=None):
    """A report to the world's home organisation, built and stored as the task leaves it
    (with a stand-in PDF, so the matrix draws no PDF per visitor)."""
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage

    from evaluation.models import Report
    from evaluation.report_content import build_content

    organisation = organisation or world.home
    start, end = datetime.date(2026, 5, 1), datetime.date(2026, 6, 1)
    content = build_content(
        initiative=world.initiative, organisation=organisation, start=start, end=end
    )
    return Report.objects.create(
        initiative=world.initiative,
        organisation=organisation,
        period_start=start,
        period_end=end,
        status=Report.Status.SENT,
        content=content,
        pdf=default_storage.save("reports/matrix.pdf", ContentFile(PDF)),
    )
