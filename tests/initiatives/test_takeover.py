"""Facilitator rights come only from a team seat granted by the team, never from a name."""

from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook

from initiatives import services
from initiatives.models import Initiative, Invitation, Membership, Role
from matching.models import PeerImport
from peerlearn.models import Organisation, TeamMembership, User

from ..factories import OrganisationFactory, UserFactory


def people_page(client, person, initiative):
    client.force_login(person)
    return client.get(reverse("initiatives:people", args=[initiative.pk]))


def accept(client, invitation):
    client.logout()
    return client.post(reverse("initiatives:invitation", args=[invitation.token]))


def victim_name(world):
    return world.initiative.organisation.name.swapcase()


def test_invite_with_a_new_home_organisation_named_like_another_team_grants_nothing(client, world):
    client.force_login(world.other_facilitator)

    client.post(
        reverse("initiatives:invite", args=[world.other_initiative.pk]),
        {
            "email": "mole@example.org",
            "role": Role.PEER,
            "new_organisation": victim_name(world),
            "new_organisation_country": world.initiative.organisation.country,
        },
    )
    accept(client, Invitation.objects.get(membership__user__email="mole@example.org"))

    mole = User.objects.get(email="mole@example.org")
    membership = mole.memberships.get()
    assert membership.home_organisation != world.initiative.organisation
    assert membership.home_organisation.kind != Organisation.Kind.FACILITATING
    assert not mole.is_facilitator
    assert people_page(client, mole, world.initiative).status_code == 404


def sign_up_and_start_organisation(client, name):
    client.post(
        reverse("account_signup"),
        {
            "email": "newcomer@example.org",
            "password1": "a-long-pass-1",
            "password2": "a-long-pass-1",
        },
    )
    newcomer = User.objects.get(email="newcomer@example.org")
    client.force_login(newcomer)
    client.post(reverse("start_organisation"), {"name": name, "country": ""})
    return services.create_initiative(by=User.objects.get(pk=newcomer.pk), title="Mine")


def peer_list(name, extension):
    rows = [["email", "name", "organisation", "country"], ["mole@example.org", "Mole", name, ""]]
    if extension == "csv":
        return "\n".join(",".join(row) for row in rows).encode()
    workbook = Workbook()
    for row in rows:
        workbook.active.append(row)
    content = BytesIO()
    workbook.save(content)
    return content.getvalue()


@pytest.mark.parametrize("importer", ["other_facilitator", "fresh_sign_up"])
@pytest.mark.parametrize("extension", ["csv", "xlsx"])
def test_import_with_a_home_organisation_named_like_another_team_grants_nothing(
    client, world, importer, extension, django_capture_on_commit_callbacks
):
    if importer == "fresh_sign_up":
        initiative = sign_up_and_start_organisation(client, victim_name(world))
        importer_account = initiative.created_by
    else:
        initiative = world.other_initiative
        importer_account = world.other_facilitator
        client.force_login(importer_account)
    content = peer_list(victim_name(world), extension)

    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("matching:import_upload", args=[initiative.pk]),
            {"file": SimpleUploadedFile(f"peers.{extension}", content)},
        )
    prepared = PeerImport.objects.get(initiative=initiative)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("matching:import_confirm", args=[initiative.pk, prepared.pk]))
    accept(client, Invitation.objects.get(membership__user__email="mole@example.org"))

    mole = User.objects.get(email="mole@example.org")
    assert mole.memberships.get().home_organisation.kind != Organisation.Kind.FACILITATING
    assert not mole.is_facilitator
    assert people_page(client, mole, world.initiative).status_code == 404
    assert people_page(client, importer_account, world.initiative).status_code == 404
    assert TeamMembership.objects.filter(organisation=world.initiative.organisation).count() == 1


def test_starting_an_organisation_with_a_taken_name_makes_a_new_one_and_says_nothing(client, world):
    taken = [victim_name(world), world.home.name]
    newcomers = [UserFactory(), UserFactory()]

    responses = []
    for name, newcomer in zip(taken, newcomers, strict=True):
        client.force_login(newcomer)
        responses.append(
            client.post(reverse("start_organisation"), {"name": name, "country": "Moldova"})
        )

    assert [response.status_code for response in responses] == [302, 302]
    for newcomer in newcomers:
        newcomer = User.objects.get(pk=newcomer.pk)
        assert newcomer.facilitating_organisation not in (world.initiative.organisation, world.home)
        assert people_page(client, newcomer, world.initiative).status_code == 404


def test_an_invitation_changes_nothing_until_it_is_accepted(client, world):
    person = UserFactory(email="colleague@example.org", name="Real Name")
    invitation = services.invite(
        initiative=world.initiative,
        email="colleague@example.org",
        name="Typed Name",
        role=Role.FACILITATOR,
        by=world.facilitator,
    )

    before = people_page(client, person, world.initiative).status_code
    started = client.get(reverse("start_organisation")).status_code
    accept(client, invitation)
    client.force_login(person)
    client.post(reverse("initiatives:invitation", args=[invitation.token]))

    person.refresh_from_db()
    assert (before, started) == (404, 200)
    assert person.name == "Real Name"
    assert people_page(client, person, world.initiative).status_code == 200
    seat = TeamMembership.objects.get(user=person)
    assert (seat.organisation, seat.granted_by) == (
        world.initiative.organisation,
        world.facilitator,
    )


def test_a_facilitator_of_another_team_cannot_accept_a_facilitator_invitation(client, world):
    invitation = services.invite(
        initiative=world.initiative,
        email=world.other_facilitator.email,
        role=Role.FACILITATOR,
        by=world.facilitator,
    )
    client.force_login(world.other_facilitator)

    response = client.post(reverse("initiatives:invitation", args=[invitation.token]))

    assert response.status_code == 409
    assert "cannot be accepted" in response.text
    assert people_page(client, world.other_facilitator, world.initiative).status_code == 404


def test_a_facilitator_invitation_cannot_be_joined_without_its_link(client, world):
    invitation = services.invite(
        initiative=world.initiative,
        email="joining@example.org",
        role=Role.FACILITATOR,
        by=world.facilitator,
    )
    person = invitation.membership.user
    client.force_login(person)

    response = client.post(reverse("initiatives:join", args=[invitation.membership.pk]))

    assert response.status_code == 404
    assert Membership.objects.get(pk=invitation.membership.pk).status == "invited"
    assert not User.objects.get(pk=person.pk).is_facilitator


def test_invite_form_offers_only_home_organisations_this_team_has_used(client, world):
    used_elsewhere = OrganisationFactory(name="Tax Service of Chad", country="Chad")
    services.invite(
        initiative=world.other_initiative,
        email="chad@example.org",
        role=Role.PEER,
        by=world.other_facilitator,
        home_organisation=used_elsewhere,
    )
    client.force_login(world.facilitator)

    response = client.get(reverse("initiatives:invite", args=[world.initiative.pk]))

    offered = set(response.context["form"].fields["home_organisation"].queryset)
    assert offered == {world.home, world.elsewhere}
    assert "Tax Service of Chad" not in response.text
    assert world.other_initiative.organisation.name not in response.text


def test_the_site_admin_can_seat_a_facilitator(admin_client, world):
    person = UserFactory()

    admin_client.post(
        reverse("admin:peerlearn_teammembership_add"),
        {"user": person.pk, "organisation": world.initiative.organisation.pk},
    )

    assert TeamMembership.objects.get(user=person).organisation == world.initiative.organisation
    assert Initiative.objects.facilitated_by(User.objects.get(pk=person.pk)).count() == 1
