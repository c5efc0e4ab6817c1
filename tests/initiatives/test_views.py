from django.core import signing
from django.urls import reverse

from initiatives.models import Initiative, Membership, Role, Stage, StageChange
from initiatives.services import invite
from peerlearn.models import OutboxEmail, User

from ..factories import MembershipFactory, UserFactory


def test_create_initiative_by_facilitator(client, world):
    client.force_login(world.facilitator)

    response = client.post(
        reverse("initiatives:create"),
        {
            "title": "Procurement integrity network",
            "description": "Heads of procurement units.",
            "reform_areas": ["procurement", "anti_corruption"],
            "languages": ["en", "fr"],
            "starts_on": "2027-02-01",
            "follow_up_every_days": 30,
        },
    )

    initiative = Initiative.objects.get(title="Procurement integrity network")
    assert response.url == initiative.get_absolute_url()
    assert initiative.organisation == world.facilitator.facilitating_organisation
    assert initiative.reform_areas == ["procurement", "anti_corruption"]
    assert initiative.roles_of(world.facilitator) == {Role.FACILITATOR}


def test_create_initiative_with_bad_input_keeps_what_was_typed(client, world):
    client.force_login(world.facilitator)

    response = client.post(
        reverse("initiatives:create"),
        {
            "title": "Audit peers",
            "description": "Half-written description",
            "starts_on": "2027-05-01",
            "ends_on": "2027-01-01",
            "follow_up_every_days": 0,
        },
    )

    assert response.status_code == 200
    assert "The end date must be after the start date." in response.text
    assert "Choose between 1 and 365 days." in response.text
    assert 'value="Audit peers"' in response.text
    assert "Half-written description" in response.text
    assert not Initiative.objects.filter(title="Audit peers").exists()


def test_edit_initiative_saves_changes(client, world):
    client.force_login(world.facilitator)

    client.post(
        reverse("initiatives:edit", args=[world.initiative.pk]),
        {"title": "Renamed", "follow_up_every_days": 14},
    )

    world.initiative.refresh_from_db()
    assert (world.initiative.title, world.initiative.follow_up_every_days) == ("Renamed", 14)


def test_invite_peer_writes_invitation_and_email_together(client, world):
    client.force_login(world.facilitator)

    response = client.post(
        reverse("initiatives:invite", args=[world.initiative.pk]),
        {
            "email": "Nino.Beridze@MOF.example.ge",
            "name": "Nino Beridze",
            "role": "peer",
            "new_organisation": "Ministry of Finance",
            "new_organisation_country": "Georgia",
        },
    )

    assert response.status_code == 302
    user = User.objects.get(email="nino.beridze@mof.example.ge")
    membership = Membership.objects.get(user=user, initiative=world.initiative)
    assert membership.status == Membership.Status.INVITED
    assert str(membership.home_organisation) == "Ministry of Finance (Georgia)"
    email = OutboxEmail.objects.get(kind="invitation", to=user.email)
    assert world.initiative.title in email.subject
    assert membership.invitations.get().get_absolute_url() in email.body


def test_invitation_names_the_role_with_the_right_article(client, world):
    client.force_login(world.facilitator)

    client.post(
        reverse("initiatives:invite", args=[world.initiative.pk]),
        {
            "email": "boss@mof.example.ge",
            "name": "Levan",
            "role": "authoriser",
            "home_organisation": world.home.pk,
        },
    )

    email = OutboxEmail.objects.get(kind="invitation", to="boss@mof.example.ge")
    assert "as an authoriser." in email.body
    invitation = Membership.objects.get(user__email="boss@mof.example.ge").invitations.get()
    client.logout()
    page = client.get(invitation.get_absolute_url())
    assert "invites you to take part as an authoriser." in page.text


def test_invite_same_address_in_other_case_links_the_same_account(world):
    first = invite(
        initiative=world.initiative,
        email="Ana@Example.org",
        role=Role.PEER,
        by=world.facilitator,
        home_organisation=world.home,
    )

    second = invite(
        initiative=world.initiative,
        email="ana@example.ORG",
        role=Role.PEER,
        by=world.facilitator,
        home_organisation=world.home,
    )

    assert User.objects.filter(email__iexact="ana@example.org").count() == 1
    assert first.membership == second.membership
    assert OutboxEmail.objects.filter(kind="invitation").count() == 2


def test_invite_with_bad_email_shows_error_and_keeps_input(client, world):
    client.force_login(world.facilitator)

    response = client.post(
        reverse("initiatives:invite", args=[world.initiative.pk]),
        {"email": "not-an-address", "name": "Levan Kapanadze", "role": "peer"},
    )

    assert response.status_code == 200
    assert "Enter a valid email address." in response.text
    assert "Choose the person&#x27;s home organisation, or name a new one." in response.text
    assert 'value="Levan Kapanadze"' in response.text
    assert 'value="not-an-address"' in response.text


def test_invite_facilitator_of_another_organisation_is_refused(client, world):
    client.force_login(world.facilitator)

    response = client.post(
        reverse("initiatives:invite", args=[world.initiative.pk]),
        {"email": world.other_facilitator.email, "role": "facilitator"},
    )

    assert "This person already belongs to another organisation." in response.text


def test_accepting_invitation_as_new_person_signs_in_and_activates(client, world):
    invitation = invite(
        initiative=world.initiative,
        email="new.peer@example.org",
        role=Role.PEER,
        by=world.facilitator,
        home_organisation=world.home,
    )

    response = client.post(invitation.get_absolute_url())

    assert response.url == world.initiative.get_absolute_url()
    invitation.refresh_from_db()
    assert invitation.accepted_at is not None
    assert invitation.membership.status == Membership.Status.ACTIVE
    page = client.get(response.url)
    assert page.status_code == 200
    assert world.initiative.title in page.text


def test_accepting_invitation_for_existing_account_asks_to_sign_in(client, world):
    existing = UserFactory(email="known@example.org")
    existing.last_login = existing.date_joined
    existing.save()
    invitation = invite(
        initiative=world.initiative,
        email="KNOWN@example.org",
        role=Role.PEER,
        by=world.facilitator,
        home_organisation=world.home,
    )

    response = client.post(invitation.get_absolute_url())

    assert response.url.startswith(reverse("account_login"))
    invitation.refresh_from_db()
    assert invitation.accepted_at is None
    client.force_login(existing)
    client.post(invitation.get_absolute_url())
    invitation.refresh_from_db()
    assert invitation.membership.user == existing
    assert invitation.membership.status == Membership.Status.ACTIVE


def test_invitation_for_someone_else_is_not_accepted(client, world):
    invitation = invite(
        initiative=world.initiative,
        email="someone@example.org",
        role=Role.PEER,
        by=world.facilitator,
        home_organisation=world.home,
    )
    client.force_login(world.stranger)

    response = client.post(invitation.get_absolute_url())

    assert "this invitation is for someone@example.org" in response.text
    invitation.refresh_from_db()
    assert invitation.accepted_at is None


def test_used_invitation_link_shows_clear_page(client, world):
    invitation = invite(
        initiative=world.initiative,
        email="twice@example.org",
        role=Role.PEER,
        by=world.facilitator,
        home_organisation=world.home,
    )
    client.post(invitation.get_absolute_url())
    client.logout()

    response = client.get(invitation.get_absolute_url())

    assert response.status_code == 410
    assert "already been accepted" in response.text


def test_forged_invitation_link_shows_clear_page(client, world):
    invitation = invite(
        initiative=world.initiative,
        email="forged@example.org",
        role=Role.PEER,
        by=world.facilitator,
        home_organisation=world.home,
    )
    forged = signing.dumps(invitation.pk, salt="another-salt")

    response = client.get(reverse("initiatives:invitation", args=[forged]))

    assert response.status_code == 404
    assert "This invitation link is not valid" in response.text


def test_expired_invitation_link_shows_clear_page(client, world, settings):
    invitation = invite(
        initiative=world.initiative,
        email="late@example.org",
        role=Role.PEER,
        by=world.facilitator,
        home_organisation=world.home,
    )
    settings.INVITATION_MAX_AGE_DAYS = -1

    response = client.get(invitation.get_absolute_url())

    assert response.status_code == 410
    assert "This invitation has expired" in response.text


def test_invitation_rejects_other_methods(client, world):
    invitation = invite(
        initiative=world.initiative,
        email="put@example.org",
        role=Role.PEER,
        by=world.facilitator,
        home_organisation=world.home,
    )

    response = client.put(invitation.get_absolute_url())

    assert response.status_code == 405


def test_withdraw_asks_to_confirm_and_changes_nothing_yet(client, world):
    client.force_login(world.facilitator)
    membership = world.initiative.memberships.get(user=world.peer)

    response = client.get(
        reverse("initiatives:withdraw", args=[world.initiative.pk, membership.pk])
    )

    page = response.content.decode()
    membership.refresh_from_db()
    assert response.status_code == 200
    assert f"Withdraw {world.peer}?" in page
    assert "You can invite them again later." in page
    assert membership.status == Membership.Status.ACTIVE


def test_people_page_links_to_the_withdraw_confirmation(client, world):
    client.force_login(world.facilitator)
    membership = world.initiative.memberships.get(user=world.peer)

    page = client.get(reverse("initiatives:people", args=[world.initiative.pk])).content.decode()

    confirm = reverse("initiatives:withdraw", args=[world.initiative.pk, membership.pk])
    assert f'href="{confirm}"' in page
    assert f'action="{confirm}"' not in page


def test_withdraw_refuses_other_methods(client, world):
    client.force_login(world.facilitator)
    membership = world.initiative.memberships.get(user=world.peer)

    response = client.put(
        reverse("initiatives:withdraw", args=[world.initiative.pk, membership.pk])
    )

    membership.refresh_from_db()
    assert response.status_code == 405
    assert membership.status == Membership.Status.ACTIVE


def test_withdrawn_peer_no_longer_sees_initiative(client, world):
    client.force_login(world.facilitator)
    membership = world.initiative.memberships.get(user=world.peer)
    client.post(reverse("initiatives:withdraw", args=[world.initiative.pk, membership.pk]))
    client.force_login(world.peer)

    response = client.get(world.initiative.get_absolute_url())

    assert response.status_code == 404


def test_moving_on_with_open_items_needs_acknowledgement(client, world):
    client.force_login(world.facilitator)
    world.initiative.starts_on = None
    world.initiative.save()
    url = reverse("initiatives:road_map", args=[world.initiative.pk])

    refused = client.post(url, {"stage": Stage.FOUNDATION})
    accepted = client.post(url, {"stage": Stage.FOUNDATION, "acknowledge": "on"})

    assert "No start date has been set." in refused.text
    assert "Tick the box to move on anyway." in refused.text
    assert accepted.status_code == 302
    world.initiative.refresh_from_db()
    assert world.initiative.stage == Stage.FOUNDATION
    change = StageChange.objects.get()
    assert change.changed_by == world.facilitator
    assert change.acknowledged_items[0] == "No start date has been set."


def test_moving_back_needs_no_acknowledgement(client, world):
    client.force_login(world.facilitator)
    world.initiative.move_to(Stage.SUSTAINED_CONTACT)

    client.post(reverse("initiatives:road_map", args=[world.initiative.pk]), {"stage": 0})

    world.initiative.refresh_from_db()
    assert world.initiative.stage == Stage.SCOPING


def test_road_map_refuses_a_move_to_the_current_stage(client, world):
    client.force_login(world.facilitator)
    url = reverse("initiatives:road_map", args=[world.initiative.pk])

    response = client.post(url, {"stage": Stage.SCOPING, "acknowledge": "on"})

    assert "The initiative is already in this stage." in response.text
    assert StageChange.objects.count() == 0


def test_road_map_lists_foundation_items(client, world):
    world.initiative.move_to(Stage.FOUNDATION)
    MembershipFactory(initiative=world.initiative, status=Membership.Status.INVITED)
    client.force_login(world.facilitator)

    response = client.get(reverse("initiatives:road_map", args=[world.initiative.pk]))

    assert "1 invited peer has not accepted yet." in response.text
    assert "1 home organisation has no authoriser." in response.text
    people = reverse("initiatives:people", args=[world.initiative.pk])
    assert f'<a href="{people}">1 invited peer has not accepted yet.</a>' in response.text


def test_home_shows_each_role(client, world):
    MembershipFactory(
        initiative=world.initiative,
        user=world.facilitator,
        role=Role.PEER,
        home_organisation=world.home,
    )
    client.force_login(world.facilitator)

    response = client.get(reverse("home"))

    assert "Initiatives of" in response.text
    assert "Your initiatives as a peer" in response.text


def test_authoriser_sees_only_their_organisations_peers(client, world):
    client.force_login(world.authoriser)

    home = client.get(reverse("home"))
    detail = client.get(world.initiative.get_absolute_url())

    assert world.home.name in home.text
    assert world.elsewhere.name not in home.text
    assert world.peer.name in detail.text
    assert world.peer_elsewhere.name not in detail.text


def test_authoriser_reads_their_peers_fifty_at_a_time(client, world):
    for _number in range(50):
        MembershipFactory(initiative=world.initiative, home_organisation=world.home)
    client.force_login(world.authoriser)

    home = client.get(reverse("home"))
    first = client.get(world.initiative.get_absolute_url())
    second = client.get(world.initiative.get_absolute_url() + "?page=2")

    assert "<td>51</td>" in home.text
    assert "Page 1 of 2" in first.text
    assert first.text.count(f"<td>{world.home}</td>") == 50
    assert second.text.count(f"<td>{world.home}</td>") == 1


def test_invited_peer_confirms_from_home(client, world):
    membership = world.initiative.memberships.get(user=world.peer)
    membership.status = Membership.Status.INVITED
    membership.save()
    client.force_login(world.peer)

    page = client.get(reverse("home"))
    client.post(reverse("initiatives:join", args=[membership.pk]))

    assert "Confirm that you take part in" in page.text
    membership.refresh_from_db()
    assert membership.status == Membership.Status.ACTIVE


def test_mailbox_shows_sent_emails_when_enabled(client, world, settings):
    settings.SHOW_MAILBOX = True
    invite(
        initiative=world.initiative,
        email="demo@example.org",
        role=Role.PEER,
        by=world.facilitator,
        home_organisation=world.home,
    )

    response = client.get(reverse("mailbox"))

    assert response.status_code == 200
    assert "demo@example.org" in response.text


def test_start_organisation_makes_a_facilitator(client, world):
    client.force_login(world.stranger)

    response = client.post(reverse("start_organisation"), {"name": "Audit Network", "country": ""})

    assert response.url == reverse("initiatives:create")
    world.stranger.refresh_from_db()
    assert world.stranger.is_facilitator


def test_initiative_tabs_are_grouped_by_the_stage_they_serve(client, world):
    client.force_login(world.facilitator)

    response = client.get(reverse("initiatives:people", args=[world.initiative.pk]))

    groups = [
        (str(label), [str(text) for text, _url, _current in links])
        for label, links in response.context["groups"]
    ]
    assert groups[0] == (
        "Initiative",
        ["Overview", "Road map", "Evaluation", "Personal data", "History", "Settings"],
    )
    assert groups[1] == ("Scoping", ["Scoping", "Risks"])
    assert groups[2][0] == "Foundational engagement"
    assert groups[2][1][0] == "People"
    assert (
        'aria-current="page" href="{}"'.format(
            reverse("initiatives:people", args=[world.initiative.pk])
        )
        in response.text
    )
