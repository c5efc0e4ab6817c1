import pytest
from django.urls import reverse
from django.utils import timezone

from diffusion.models import HomeCommitment
from initiatives.models import PeerContract, Stage
from initiatives.road_map import open_items
from peerlearn.models import AuditEntry
from tests.factories import MembershipFactory

from .factories import commitment, in_stage_four, membership_of, report_back


def _data(**changes):
    return {
        "mandate": "Share the arrears checklist with the budget department.",
        "report_back_required": "on",
        "hours_per_month": "6",
        **changes,
    }


def _url(world, name="diffusion:commitment", user=None):
    return reverse(name, args=[world.initiative.pk, membership_of(world, user or world.peer).pk])


def test_facilitator_sets_a_commitment(client, world):
    client.force_login(world.facilitator)

    response = client.post(_url(world), _data())

    assert response.status_code == 302
    saved = HomeCommitment.objects.get()
    assert saved.report_back_required is True
    assert str(saved.hours_per_month) == "6.0"
    assert saved.set_by == world.facilitator
    assert not saved.is_countersigned
    assert AuditEntry.objects.get(action="diffusion.commitment").actor == world.facilitator


def test_mandate_starts_from_the_peer_contract(client, world):
    PeerContract.objects.create(
        membership=membership_of(world, world.peer), mandate_note="Lead the arrears reform."
    )
    client.force_login(world.authoriser)

    response = client.get(_url(world))

    assert response.context["form"].initial["mandate"] == "Lead the arrears reform."


def test_negative_hours_are_refused_with_the_mandate_kept(client, world):
    client.force_login(world.facilitator)

    response = client.post(_url(world), _data(hours_per_month="-2"))

    assert response.status_code == 200
    assert response.context["form"].errors["hours_per_month"]
    assert "Share the arrears checklist" in response.content.decode()
    assert HomeCommitment.objects.count() == 0


def test_authoriser_countersigns_their_peers_commitment(client, world):
    commitment(world)
    client.force_login(world.authoriser)

    response = client.post(_url(world, "diffusion:commitment_countersign"))

    assert response.status_code == 302
    saved = HomeCommitment.objects.get()
    assert saved.countersigned_by == world.authoriser
    assert saved.countersigned_at.date() == timezone.localdate()
    assert AuditEntry.objects.filter(action="diffusion.countersign").count() == 1


def test_other_authoriser_cannot_countersign(client, world):
    commitment(world)
    client.force_login(world.other_authoriser)

    response = client.post(_url(world, "diffusion:commitment_countersign"))

    assert response.status_code == 404
    assert not HomeCommitment.objects.get().is_countersigned


def test_countersigning_refuses_get(client, world):
    commitment(world)
    client.force_login(world.authoriser)

    response = client.get(_url(world, "diffusion:commitment_countersign"))

    assert response.status_code == 405


def test_changing_a_countersigned_commitment_asks_for_a_new_countersignature(client, world):
    saved = commitment(world)
    saved.countersign(by=world.authoriser, when=timezone.now())
    client.force_login(world.facilitator)

    client.post(_url(world), _data(hours_per_month="2"))

    saved.refresh_from_db()
    assert str(saved.hours_per_month) == "2.0"
    assert not saved.is_countersigned


def test_saving_the_same_commitment_keeps_the_countersignature(client, world):
    saved = commitment(world)
    saved.countersign(by=world.authoriser, when=timezone.now())
    client.force_login(world.facilitator)

    client.post(
        _url(world),
        _data(mandate=saved.mandate, hours_per_month="4"),
    )

    saved.refresh_from_db()
    assert saved.is_countersigned


def test_authoriser_sees_only_their_organisations_peers(client, world):
    commitment(world)
    commitment(world, user=world.peer_elsewhere)
    client.force_login(world.authoriser)

    response = client.get(reverse("diffusion:commitments", args=[world.initiative.pk]))

    assert [peer.user for peer in response.context["page"].object_list] == [world.peer]
    assert "Countersign" in response.content.decode()


def test_authoriser_reaches_the_commitments_from_the_initiative_in_stage_four(client, world):
    in_stage_four(world)
    client.force_login(world.authoriser)

    page = client.get(reverse("initiatives:detail", args=[world.initiative.pk])).content.decode()

    assert reverse("diffusion:commitments", args=[world.initiative.pk]) in page


def test_peer_with_a_required_report_back_is_asked_for_it_until_held(client, world):
    in_stage_four(world)
    commitment(world)
    client.force_login(world.peer)

    before = client.get(reverse("home")).content.decode()
    report_back(world)
    after = client.get(reverse("home")).content.decode()

    assert "Record your report-back." in before
    assert "Record your report-back." not in after


def test_gate_lists_peers_whose_required_report_back_is_missing(world):
    commitment(world)
    commitment(world, user=world.peer_elsewhere)
    commitment(world, user=MembershipFactory(initiative=world.initiative).user, required=False)
    report_back(world, user=world.peer_elsewhere)

    items = open_items(world.initiative, Stage.DIFFUSION)

    assert items == ["1 peer has a required report-back not yet held."]


@pytest.mark.parametrize("count", [1, 30])
def test_commitments_list_queries_do_not_grow(client, world, django_assert_max_num_queries, count):
    for _number in range(count):
        peer = MembershipFactory(initiative=world.initiative, home_organisation=world.home)
        saved = commitment(world, user=peer.user)
        saved.countersign(by=world.authoriser, when=timezone.now())
    client.force_login(world.authoriser)

    with django_assert_max_num_queries(12):
        response = client.get(reverse("diffusion:commitments", args=[world.initiative.pk]))

    assert response.content.decode().count("Bring back the treasury") == count


def test_peer_reads_their_commitment(client, world):
    commitment(world)
    client.force_login(world.peer)

    page = client.get(reverse("diffusion:mine", args=[world.initiative.pk])).content.decode()

    assert "Bring back the treasury&#x27;s arrears checklist." in page
    assert "A report-back is required." in page
    assert "Not countersigned yet." in page
