import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from evaluation.models import LearningObjective, ObjectiveCategory
from initiatives.models import Stage
from initiatives.road_map import Scope, indicators, next_steps, open_items
from peerlearn.models import AuditEntry

from ..factories import MembershipFactory
from .factories import in_stage_three, membership_of, objective, pdf_upload, shared_objective

pytestmark = pytest.mark.django_db


def test_peer_sets_an_objective(client, world):
    client.force_login(world.peer)

    response = client.post(
        reverse("evaluation:objective_new", args=[world.initiative.pk]),
        {"category_choice": "flexibility", "description": "Listen before proposing"},
    )

    assert response.status_code == 302
    saved = LearningObjective.objects.get()
    assert (saved.membership.user, saved.category, saved.status) == (
        world.peer,
        "flexibility",
        "planned",
    )
    assert AuditEntry.objects.filter(action="evaluation.add_objective").count() == 1


def test_objective_without_description_keeps_the_choice(client, world):
    client.force_login(world.peer)

    response = client.post(
        reverse("evaluation:objective_new", args=[world.initiative.pk]),
        {"category_choice": "political", "description": ""},
    )

    assert response.status_code == 200
    assert "Say what you mean to learn." in response.content.decode()
    assert response.context["form"]["category_choice"].value() == "political"
    assert not LearningObjective.objects.exists()


def test_peer_picks_the_initiatives_own_category(client, world):
    category = ObjectiveCategory.objects.create(initiative=world.initiative, name="Treasury IT")
    client.force_login(world.peer)

    client.post(
        reverse("evaluation:objective_new", args=[world.initiative.pk]),
        {"category_choice": f"own:{category.pk}", "description": "Plan the switch"},
    )

    assert LearningObjective.objects.get().category_name == "Treasury IT"


def test_status_change_is_dated_and_evidence_kept(client, world):
    aim = objective(world)
    LearningObjective.objects.filter(pk=aim.pk).update(status_changed_on=datetime.date(2025, 1, 1))
    client.force_login(world.peer)

    response = client.post(
        reverse("evaluation:objective_edit", args=[world.initiative.pk, aim.pk]),
        {
            "category_choice": "technical",
            "description": aim.description,
            "status": "achieved",
            "evidence": "We now close accounts in 10 days.",
            "evidence_url": "",
            "upload": pdf_upload(),
        },
    )

    assert response.status_code == 302
    aim.refresh_from_db()
    assert aim.status == "achieved"
    assert aim.status_changed_on > datetime.date(2025, 1, 1)
    assert aim.evidence_name == "new-budget-rules.pdf"


def test_evidence_that_is_not_a_document_is_refused(client, world):
    aim = objective(world)
    client.force_login(world.peer)

    response = client.post(
        reverse("evaluation:objective_edit", args=[world.initiative.pk, aim.pk]),
        {
            "category_choice": "technical",
            "description": "Typed again",
            "status": "in_progress",
            "upload": SimpleUploadedFile("run.pdf", b"\x7fELF\x02\x01\x01" + b"\0" * 64),
        },
    )

    assert response.status_code == 200
    assert "cannot be added" in response.content.decode()
    assert response.context["form"]["description"].value() == "Typed again"


def test_peer_cannot_change_anothers_objective(client, world):
    theirs = objective(world, user=world.peer_elsewhere)
    client.force_login(world.peer)

    response = client.get(
        reverse("evaluation:objective_edit", args=[world.initiative.pk, theirs.pk])
    )

    assert response.status_code == 404


def test_evidence_download_for_another_peer_is_refused(client, world):
    theirs = objective(world, user=world.peer_elsewhere, upload=pdf_upload())
    client.force_login(world.peer)

    response = client.get(
        reverse("evaluation:objective_evidence", args=[world.initiative.pk, theirs.pk])
    )

    assert response.status_code == 404


def test_peer_adopts_an_initiative_wide_objective_once(client, world):
    shared = shared_objective(world)
    client.force_login(world.peer)
    url = reverse("evaluation:objective_adopt", args=[world.initiative.pk, shared.pk])

    client.post(url)
    client.post(url)

    copy = LearningObjective.objects.get(membership=membership_of(world, world.peer))
    assert (copy.adopted_from, copy.description) == (shared, shared.description)
    page = client.get(reverse("evaluation:objectives", args=[world.initiative.pk]))
    assert list(page.context["adoptable"]) == []


def test_facilitator_suggests_an_objective(client, world):
    client.force_login(world.facilitator)

    client.post(
        reverse("evaluation:shared_objectives", args=[world.initiative.pk]),
        {"category_choice": "subversion", "description": "Say no to a misfit package"},
    )

    assert LearningObjective.objects.initiative_wide().get().category == "subversion"


def test_facilitator_adds_a_category_only_once(client, world):
    client.force_login(world.facilitator)
    url = reverse("evaluation:categories", args=[world.initiative.pk])

    client.post(url, {"name": "Treasury IT"})
    response = client.post(url, {"name": "treasury it"})

    assert "already has this category" in response.content.decode()
    assert ObjectiveCategory.objects.count() == 1


def test_facilitator_filters_by_status_and_organisation(client, world):
    objective(world, description="Mine")
    done = objective(world, user=world.peer_elsewhere, description="Theirs")
    done.set_status("achieved", datetime.date(2026, 1, 5))
    client.force_login(world.facilitator)

    response = client.get(
        reverse("evaluation:learning", args=[world.initiative.pk]),
        {"status": "achieved", "organisation": world.elsewhere.pk},
    )

    assert [o.description for o in response.context["page"]] == ["Theirs"]


def test_facilitator_exports_objectives(client, world):
    objective(world, description="=cmd()")
    client.force_login(world.facilitator)

    csv = client.get(reverse("evaluation:objectives_csv", args=[world.initiative.pk]))
    xlsx = client.get(reverse("evaluation:objectives_xlsx", args=[world.initiative.pk]))

    assert "'=cmd()" in csv.content.decode()
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    assert sheet.cell(row=2, column=4).value == "'=cmd()"


def test_authoriser_sees_only_their_organisations_objectives(client, world):
    objective(world, description="Mine")
    objective(world, user=world.peer_elsewhere, description="Theirs")
    client.force_login(world.authoriser)

    response = client.get(reverse("evaluation:authorised_objectives", args=[world.initiative.pk]))

    assert [o.description for o in response.context["page"]] == ["Mine"]


@pytest.mark.parametrize("count", [1, 30])
def test_learning_page_queries_do_not_grow(client, world, count, django_assert_max_num_queries):
    for number in range(count):
        objective(world, description=f"Aim {number}", upload=pdf_upload() if number < 2 else None)
    client.force_login(world.facilitator)

    with django_assert_max_num_queries(22):
        response = client.get(reverse("evaluation:learning", args=[world.initiative.pk]))

    assert response.status_code == 200


@pytest.mark.parametrize("count", [1, 30])
def test_peer_pages_queries_do_not_grow(client, world, count, django_assert_max_num_queries):
    for number in range(count):
        objective(world, description=f"Aim {number}")
        shared_objective(world, description=f"Shared {number}")
    client.force_login(world.peer)

    with django_assert_max_num_queries(16):
        client.get(reverse("evaluation:objectives", args=[world.initiative.pk]))
    with django_assert_max_num_queries(16):
        client.get(reverse("evaluation:authorised_objectives", args=[world.initiative.pk]))


def test_next_step_asks_peers_at_stage_three_to_set_objectives(world):
    peer = membership_of(world, world.peer)
    before = [step.text for step in next_steps(peer)]
    in_stage_three(world.initiative)
    peer.refresh_from_db()

    asked = [step.text for step in next_steps(peer)]
    objective(world)
    peer.refresh_from_db()
    after = [step.text for step in next_steps(peer)]

    assert "Set your learning objectives." not in before
    assert "Set your learning objectives." in asked
    assert "Set your learning objectives." not in after


def test_gate_check_counts_peers_without_objective(world):
    objective(world)
    MembershipFactory(initiative=world.initiative, status="withdrawn")

    items = open_items(world.initiative, Stage.LEARNING_OUTCOMES)

    assert "1 peer has no learning objective yet." in items


def test_indicators_count_achieved_objectives_and_reflections(world):
    objective(world).set_status("achieved", datetime.date(2026, 2, 1))
    objective(world)

    measured = indicators(world.initiative, ["objectives_achieved", "reflections_written"])

    assert measured == {"objectives_achieved": 1, "reflections_written": 0}


def test_initiative_page_leads_peers_and_authorisers_to_their_learning_pages(client, world):
    in_stage_three(world.initiative)
    detail = reverse("initiatives:detail", args=[world.initiative.pk])
    expected = {
        world.peer: reverse("evaluation:objectives", args=[world.initiative.pk]),
        world.authoriser: reverse("evaluation:authorised_objectives", args=[world.initiative.pk]),
    }

    for person, link in expected.items():
        client.force_login(person)
        assert f'href="{link}"' in client.get(detail).text


def test_indicators_narrow_to_an_organisation_and_a_period(world):
    objective(world).set_status("achieved", datetime.date(2026, 2, 1))
    objective(world, user=world.peer_elsewhere).set_status("achieved", datetime.date(2026, 3, 5))
    march = Scope(world.initiative, start=datetime.date(2026, 3, 1), end=datetime.date(2026, 4, 1))
    home = Scope(world.initiative, organisation=world.home)

    assert indicators(march, ["objectives_achieved"]) == {"objectives_achieved": 1}
    assert indicators(home, ["objectives_achieved"]) == {"objectives_achieved": 1}
