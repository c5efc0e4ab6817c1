import pytest

from demo.self_assessment import load_self_assessments
from evaluation import queries, services
from evaluation.models import EvaluationPoint, ObjectiveRating
from initiatives.models import Role
from surveys.models import Response

from ..factories import FacilitatorFactory, InitiativeFactory, MembershipFactory

pytestmark = pytest.mark.django_db


def _initiative_with_objectives(peers=12):
    initiative = InitiativeFactory()
    facilitator = FacilitatorFactory(organisation=initiative.organisation)
    MembershipFactory(initiative=initiative, user=facilitator, role=Role.FACILITATOR)
    for number in range(peers):
        membership = MembershipFactory(initiative=initiative)
        for aim in ("Accrual accounting", "Arrears control")[: 1 + number % 2]:
            services.add_objective(
                initiative=initiative,
                by=membership.user,
                membership=membership,
                category="technical",
                description=f"{aim} ({number})",
            )
    return initiative


def test_loader_plans_past_rounds_and_rates_most_peers_higher_at_the_endline():
    initiative = _initiative_with_objectives(peers=20)

    load_self_assessments(initiative)

    points = EvaluationPoint.objects.filter(initiative=initiative)
    assert sorted(points.values_list("round", flat=True)) == ["baseline", "endline"]
    assert all(point.closes_on < point.survey.created_at.date() for point in points)
    results = queries.self_assessment_results(initiative.memberships.peers())
    changes = [row.change for row in results.rows if row.change is not None]
    answered = Response.objects.filter(survey__initiative=initiative).values("membership")
    assert len(set(answered.values_list("membership", flat=True))) >= 17
    assert results.overall.mean_change > 0
    assert any(change < 0 for change in changes)
    assert 0 < results.from_peers < results.ratings


def test_loader_run_twice_changes_nothing():
    initiative = _initiative_with_objectives()
    load_self_assessments(initiative)
    before = sorted(ObjectiveRating.objects.values_list("objective_id", "score", "source"))

    load_self_assessments(initiative)

    after = sorted(ObjectiveRating.objects.values_list("objective_id", "score", "source"))
    assert after == before
    assert EvaluationPoint.objects.count() == 2
    assert Response.objects.count() == len({r.response_id for r in ObjectiveRating.objects.all()})


def test_loader_without_objectives_only_plans_the_rounds():
    initiative = _initiative_with_objectives(peers=0)

    load_self_assessments(initiative)

    assert EvaluationPoint.objects.count() == 2
    assert not Response.objects.exists()
