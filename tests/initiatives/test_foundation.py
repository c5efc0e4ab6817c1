from datetime import UTC, datetime, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from initiatives.models import (
    AgendaItem,
    Attendance,
    ContractTemplate,
    EngagementOption,
    EngagementSignUp,
    Event,
    Membership,
    PeerContract,
    Role,
    Stage,
)
from initiatives.road_map import open_items
from initiatives.services import contracts, events
from peerlearn.models import OutboxEmail

from ..factories import MembershipFactory, OrganisationFactory


def peer_membership(world, user=None):
    return world.initiative.memberships.get(user=user or world.peer, role=Role.PEER)


def make_event(world, *, days_from_now=10, **fields):
    starts = timezone.now() + timedelta(days=days_from_now)
    values = {
        "initiative": world.initiative,
        "kind": Event.Kind.LARGE_GROUP,
        "title": "Kick-off workshop",
        "starts_at": starts,
        "ends_at": starts + timedelta(hours=6),
        "time_zone": "Europe/Chisinau",
        "venue": "Chisinau",
        **fields,
    }
    event = Event.objects.create(**values)
    event.invitees.set(world.initiative.memberships.filter(role=Role.PEER))
    return event


def event_form_data(world, **overrides):
    return {
        "kind": Event.Kind.LARGE_GROUP,
        "title": "Budget execution kick-off",
        "date": "2027-03-10",
        "start_time": "09:00",
        "end_time": "17:00",
        "time_zone": "Europe/Chisinau",
        "venue": "Hotel Nord, Chisinau",
        "online_link": "",
        "description": "Two days of exchange.",
        "invitees": [peer_membership(world).pk],
        **overrides,
    }


def in_foundation_stage(world):
    world.initiative.move_to(Stage.FOUNDATION)
    world.initiative.memberships.update(joined_at=timezone.now() - timedelta(days=8))


# Events


def test_create_event_stores_aware_times_in_utc_and_chosen_invitees(client, world):
    client.force_login(world.facilitator)

    response = client.post(
        reverse("initiatives:create_event", args=[world.initiative.pk]), event_form_data(world)
    )

    event = Event.objects.get(title="Budget execution kick-off")
    assert response.url == event.get_absolute_url()
    assert event.starts_at == datetime(2027, 3, 10, 7, 0, tzinfo=UTC)
    assert event.ends_at == datetime(2027, 3, 10, 15, 0, tzinfo=UTC)
    assert event.time_zone == "Europe/Chisinau"
    assert list(event.invitees.all()) == [peer_membership(world)]
    assert event.created_by == world.facilitator


def test_create_event_form_invites_every_current_peer_by_default(client, world):
    client.force_login(world.facilitator)

    response = client.get(reverse("initiatives:create_event", args=[world.initiative.pk]))

    assert response.context["form"].initial["invitees"] == list(
        world.initiative.memberships.filter(role=Role.PEER).order_by("user__name")
    )
    assert response.text.count('name="invitees"') == 2
    assert response.text.count("checked") == 2


def test_create_event_with_end_before_start_keeps_what_was_typed(client, world):
    client.force_login(world.facilitator)

    response = client.post(
        reverse("initiatives:create_event", args=[world.initiative.pk]),
        event_form_data(world, start_time="15:00", end_time="09:00"),
    )

    assert response.status_code == 200
    assert "The event must end after it starts." in response.text
    assert 'value="Budget execution kick-off"' in response.text
    assert 'value="Hotel Nord, Chisinau"' in response.text
    assert Event.objects.count() == 0


def test_create_event_with_unknown_time_zone_keeps_what_was_typed(client, world):
    client.force_login(world.facilitator)

    response = client.post(
        reverse("initiatives:create_event", args=[world.initiative.pk]),
        event_form_data(world, time_zone="Mars/Olympus_Mons"),
    )

    assert response.status_code == 200
    assert "“Mars/Olympus_Mons” is not a time zone we know" in response.text
    assert 'value="Mars/Olympus_Mons"' in response.text
    assert "Two days of exchange." in response.text
    assert Event.objects.count() == 0


def test_event_over_several_days_ends_on_its_last_day(client, world):
    client.force_login(world.facilitator)

    client.post(
        reverse("initiatives:create_event", args=[world.initiative.pk]),
        event_form_data(world, end_date="2027-03-12", start_time="14:00", end_time="12:00"),
    )

    event = Event.objects.get()
    assert event.ends_at == datetime(2027, 3, 12, 10, 0, tzinfo=UTC)
    page = client.get(event.get_absolute_url())
    assert "March 12, 2027, 12:00" in page.text


def test_event_form_offers_current_zone_names_and_the_last_zone_used(client, world):
    make_event(world, time_zone="Asia/Tbilisi")
    client.force_login(world.facilitator)

    page = client.get(reverse("initiatives:create_event", args=[world.initiative.pk]))

    assert '<option value="Europe/Chisinau">' in page.text
    assert '<option value="US/Eastern">' not in page.text
    assert 'value="Asia/Tbilisi"' in page.text


def test_create_event_without_venue_or_link_asks_for_one(client, world):
    client.force_login(world.facilitator)

    response = client.post(
        reverse("initiatives:create_event", args=[world.initiative.pk]),
        event_form_data(world, venue=""),
    )

    assert response.status_code == 200
    assert "Give a venue, an online link, or both." in response.text


def test_edit_event_shows_local_times_and_saves_changes(client, world):
    event = make_event(world)
    client.force_login(world.facilitator)
    url = reverse("initiatives:edit_event", args=[world.initiative.pk, event.pk])

    form_page = client.get(url)
    client.post(url, event_form_data(world, title="Renamed", time_zone="Asia/Tbilisi"))

    event.refresh_from_db()
    assert form_page.context["form"].initial["time_zone"] == "Europe/Chisinau"
    assert event.title == "Renamed"
    assert event.starts_at == datetime(2027, 3, 10, 5, 0, tzinfo=UTC)


def test_event_pages_refuse_the_wrong_method(client, world):
    event = make_event(world)
    client.force_login(world.facilitator)

    detail = client.post(event.get_absolute_url())
    events_list = client.post(reverse("initiatives:events", args=[world.initiative.pk]))

    assert detail.status_code == 405
    assert events_list.status_code == 405


def test_peer_sees_the_events_of_their_initiative(client, world):
    make_event(world, title="Arrears clinic")
    client.force_login(world.peer)

    response = client.get(reverse("initiatives:events", args=[world.initiative.pk]))

    assert "Arrears clinic" in response.text
    assert "Plan an event" not in response.text


# Agenda


def test_add_agenda_item_shows_it_on_the_event_page(client, world):
    event = make_event(world)
    client.force_login(world.facilitator)

    client.post(
        reverse("initiatives:add_agenda_item", args=[world.initiative.pk, event.pk]),
        {
            "starts_at": "09:30",
            "title": "Trust-building round",
            "facilitated_by": "Maria",
            "groups": "pairs 1-5",
        },
    )
    page = client.get(event.get_absolute_url())

    item = event.agenda_items.get()
    assert (item.title, item.facilitated_by, item.groups) == (
        "Trust-building round",
        "Maria",
        "pairs 1-5",
    )
    assert "Trust-building round" in page.text
    assert "09:30" in page.text


def test_add_agenda_item_without_title_keeps_what_was_typed(client, world):
    event = make_event(world)
    client.force_login(world.facilitator)

    response = client.post(
        reverse("initiatives:add_agenda_item", args=[world.initiative.pk, event.pk]),
        {"starts_at": "09:30", "title": "", "facilitated_by": "Maria"},
    )

    assert response.status_code == 200
    assert "This field is required." in response.text
    assert 'value="Maria"' in response.text
    assert AgendaItem.objects.count() == 0


def test_edit_and_remove_agenda_item(client, world):
    event = make_event(world)
    item = AgendaItem.objects.create(event=event, starts_at="10:00", title="Panel")
    client.force_login(world.facilitator)
    args = [world.initiative.pk, event.pk, item.pk]

    client.post(
        reverse("initiatives:edit_agenda_item", args=args),
        {"starts_at": "11:00", "title": "Panel on arrears"},
    )
    item.refresh_from_db()
    edited = (item.title, item.starts_at.strftime("%H:%M"))
    wrong_method = client.get(reverse("initiatives:remove_agenda_item", args=args))
    client.post(reverse("initiatives:remove_agenda_item", args=args))

    assert edited == ("Panel on arrears", "11:00")
    assert wrong_method.status_code == 405
    assert event.agenda_items.count() == 0


def test_agenda_item_of_another_event_is_not_found(client, world):
    event = make_event(world)
    other = make_event(world, title="Other")
    item = AgendaItem.objects.create(event=other, starts_at="10:00", title="Panel")
    client.force_login(world.facilitator)

    response = client.get(
        reverse("initiatives:edit_agenda_item", args=[world.initiative.pk, event.pk, item.pk])
    )

    assert response.status_code == 404


# Calendar file


def test_calendar_file_has_utc_start_and_escaped_text(client, world):
    event = make_event(
        world,
        title="Arrears, commitments; reports",
        venue="Hotel Nord, Room 2; Chisinau",
        description="Bring your data\nand a colleague",
    )
    event.starts_at = datetime(2027, 3, 10, 7, 0, tzinfo=UTC)
    event.ends_at = datetime(2027, 3, 10, 15, 0, tzinfo=UTC)
    event.save()
    AgendaItem.objects.create(event=event, starts_at="09:00", title="Welcome")
    client.force_login(world.peer)

    response = client.get(
        reverse("initiatives:event_calendar", args=[world.initiative.pk, event.pk])
    )

    text = response.content.decode()
    lines = text.split("\r\n")
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert 'filename="arrears-commitments-reports.ics"' in response["Content-Disposition"]
    assert text.startswith("BEGIN:VCALENDAR\r\n")
    assert text.endswith("END:VCALENDAR\r\n")
    assert "DTSTART:20270310T070000Z" in lines
    assert "DTEND:20270310T150000Z" in lines
    assert "SUMMARY:Arrears\\, commitments\\; reports" in lines
    assert "LOCATION:Hotel Nord\\, Room 2\\; Chisinau" in lines
    assert "DESCRIPTION:Bring your data\\nand a colleague\\n09:00 Welcome" in lines
    assert "\n" not in text.replace("\r\n", "")
    assert max(len(line.encode()) for line in lines) <= 75


def test_calendar_file_folds_long_lines():
    from initiatives.ics import fold

    folded = fold("DESCRIPTION:" + "é" * 100)

    chunks = folded.split("\r\n ")
    assert "".join(chunks) == "DESCRIPTION:" + "é" * 100
    assert max(len(chunk.encode()) for chunk in chunks) <= 75


# Attendance


def test_attendance_saves_everyone_in_one_post(client, world):
    event = make_event(world, days_from_now=-2)
    client.force_login(world.facilitator)
    url = reverse("initiatives:attendance", args=[world.initiative.pk, event.pk])

    response = client.post(url, {"present": [peer_membership(world).pk]})

    recorded = dict(event.attendance.values_list("membership__user__email", "present"))
    assert response.url == event.get_absolute_url()
    assert recorded == {world.peer.email: True, world.peer_elsewhere.email: False}


def test_attendance_second_post_overwrites_the_first(client, world):
    event = make_event(world, days_from_now=-2)
    client.force_login(world.facilitator)
    url = reverse("initiatives:attendance", args=[world.initiative.pk, event.pk])
    client.post(url, {"present": [peer_membership(world).pk]})

    client.post(url, {})
    page = client.get(url)

    assert Attendance.objects.count() == 2
    assert Attendance.objects.filter(present=True).count() == 0
    assert "checked" not in page.text


def test_attendance_with_someone_not_invited_is_refused(client, world):
    event = make_event(world, days_from_now=-2)
    outsider = world.peer_other_initiative.memberships.get()
    client.force_login(world.facilitator)

    response = client.post(
        reverse("initiatives:attendance", args=[world.initiative.pk, event.pk]),
        {"present": [outsider.pk]},
    )

    assert response.status_code == 200
    assert "Select a valid choice" in response.text
    assert Attendance.objects.count() == 0


# Peer contracts


def test_peer_signs_contract_with_the_current_commitments(client, world):
    template = ContractTemplate.for_initiative(world.initiative)
    client.force_login(world.peer)

    response = client.post(
        reverse("initiatives:contract", args=[world.initiative.pk]),
        {"commit": "on", "full_name": "  Ana   Rusu "},
    )

    contract = PeerContract.objects.get(membership=peer_membership(world))
    assert response.url == reverse("initiatives:contract", args=[world.initiative.pk])
    assert contract.signed_name == "Ana Rusu"
    assert contract.signed_text == "\n".join(template.lines)
    assert len(contract.signed_lines) == 4
    assert contract.status == PeerContract.Status.SIGNED


def test_sign_contract_without_name_shows_an_error(client, world):
    client.force_login(world.peer)

    response = client.post(
        reverse("initiatives:contract", args=[world.initiative.pk]), {"commit": "on"}
    )

    assert response.status_code == 200
    assert "Type your full name to sign." in response.text
    assert PeerContract.objects.signed().count() == 0


def test_sign_contract_without_ticking_keeps_the_name(client, world):
    client.force_login(world.peer)

    response = client.post(
        reverse("initiatives:contract", args=[world.initiative.pk]), {"full_name": "Ana Rusu"}
    )

    assert "Tick the box to show that you commit." in response.text
    assert 'value="Ana Rusu"' in response.text
    assert PeerContract.objects.signed().count() == 0


def test_signing_tells_the_peers_authoriser_once(client, world):
    client.force_login(world.peer)
    url = reverse("initiatives:contract", args=[world.initiative.pk])

    client.post(url, {"commit": "on", "full_name": "Ana Rusu"})
    client.post(url, {"commit": "on", "full_name": "Someone Else"})

    emails = OutboxEmail.objects.filter(kind="contract_signed")
    assert list(emails.values_list("to", flat=True)) == [world.authoriser.email]
    assert PeerContract.objects.get().signed_name == "Ana Rusu"


def test_signed_text_stays_when_the_facilitator_changes_the_commitments(client, world):
    contracts.sign_contract(membership=peer_membership(world), name="Ana Rusu")
    client.force_login(world.facilitator)

    client.post(
        reverse("initiatives:contract_template", args=[world.initiative.pk]),
        {"commitments": "Meet every month\n\n  Share one lesson a quarter  "},
    )

    assert ContractTemplate.objects.get().lines == [
        "Meet every month",
        "Share one lesson a quarter",
    ]
    assert len(PeerContract.objects.get().signed_lines) == 4


def test_contract_template_cannot_be_emptied(client, world):
    client.force_login(world.facilitator)

    response = client.post(
        reverse("initiatives:contract_template", args=[world.initiative.pk]),
        {"commitments": "   \n  "},
    )

    assert response.status_code == 200
    assert "Write at least one commitment." in response.text


def test_authoriser_countersigns_with_a_note(client, world):
    contract = contracts.sign_contract(membership=peer_membership(world), name="Ana Rusu")
    client.force_login(world.authoriser)

    response = client.post(
        reverse("initiatives:countersign", args=[world.initiative.pk, contract.pk]),
        {"note": "Report back to the budget department every quarter."},
    )

    contract.refresh_from_db()
    assert response.url == reverse(
        "initiatives:contracts_to_countersign", args=[world.initiative.pk]
    )
    assert contract.countersigned_by == world.authoriser
    assert contract.mandate_note == "Report back to the budget department every quarter."
    assert contract.status == PeerContract.Status.COUNTERSIGNED


def test_authoriser_of_another_organisation_cannot_countersign(client, world):
    contract = contracts.sign_contract(membership=peer_membership(world), name="Ana Rusu")
    client.force_login(world.other_authoriser)

    response = client.post(
        reverse("initiatives:countersign", args=[world.initiative.pk, contract.pk]), {"note": ""}
    )

    contract.refresh_from_db()
    assert response.status_code == 404
    assert contract.countersigned_at is None


def test_peer_cannot_countersign_their_own_contract(client, world):
    contract = contracts.sign_contract(membership=peer_membership(world), name="Ana Rusu")
    client.force_login(world.peer)

    response = client.post(
        reverse("initiatives:countersign", args=[world.initiative.pk, contract.pk]), {"note": ""}
    )

    assert response.status_code == 403


def test_unsigned_contract_cannot_be_countersigned(client, world):
    contract = contracts.contract_of(peer_membership(world))
    client.force_login(world.authoriser)

    response = client.get(
        reverse("initiatives:countersign", args=[world.initiative.pk, contract.pk])
    )

    assert response.status_code == 404


def test_facilitator_list_shows_each_status(client, world):
    third = MembershipFactory(initiative=world.initiative, home_organisation=world.home)
    contracts.sign_contract(membership=peer_membership(world, world.peer_elsewhere), name="B")
    signed = contracts.sign_contract(membership=third, name="C")
    contracts.countersign_contract(contract=signed, by=world.authoriser)
    client.force_login(world.facilitator)

    response = client.get(reverse("initiatives:contracts", args=[world.initiative.pk]))

    statuses = {
        membership.user: contract.status if contract else PeerContract.Status.NOT_SIGNED
        for membership, contract in response.context["rows"]
    }
    assert statuses == {
        world.peer: PeerContract.Status.NOT_SIGNED,
        world.peer_elsewhere: PeerContract.Status.SIGNED,
        third.user: PeerContract.Status.COUNTERSIGNED,
    }
    assert "Signed by the peer" in response.text
    assert "Countersigned" in response.text


def test_authoriser_home_lists_contracts_to_countersign(client, world):
    contracts.sign_contract(membership=peer_membership(world), name="Ana Rusu")
    contracts.sign_contract(membership=peer_membership(world, world.peer_elsewhere), name="B")
    client.force_login(world.authoriser)

    response = client.get(reverse("home"))

    assert [c.membership.user for c in response.context["to_countersign"]] == [world.peer]
    assert "Peer contracts awaiting your countersignature" in response.text


def test_peer_is_asked_to_sign_until_they_do(client, world):
    in_foundation_stage(world)
    client.force_login(world.peer)

    before = client.get(reverse("home"))
    contracts.sign_contract(membership=peer_membership(world), name="Ana Rusu")
    after = client.get(reverse("home"))

    assert "Sign your peer contract." in before.text
    assert "Sign your peer contract." not in after.text


# Reminders


def test_reminders_go_once_per_step_when_the_sweep_runs_twice(world):
    in_foundation_stage(world)
    contracts.sign_contract(membership=peer_membership(world, world.peer_elsewhere), name="B")
    now = timezone.now()

    first = [contracts.send_contract_reminders(now=now) for _run in range(2)]
    too_soon = contracts.send_contract_reminders(now=now + timedelta(days=6))
    later = [
        contracts.send_contract_reminders(now=now + timedelta(days=days))
        for days in (7, 7, 14, 14, 21, 28)
    ]

    keys = sorted(
        OutboxEmail.objects.filter(kind="contract_reminder").values_list("key", flat=True)
    )
    membership = peer_membership(world)
    assert first == [1, 0]
    assert too_soon == 0
    assert later == [1, 0, 1, 0, 0, 0]
    assert keys == [f"contract-reminder:{membership.pk}:{step}" for step in (1, 2, 3)]
    assert PeerContract.objects.get(membership=membership).reminders_sent == 3


def test_reminders_wait_a_week_after_joining_and_skip_scoping(world):
    world.initiative.memberships.update(joined_at=timezone.now() - timedelta(days=8))

    in_scoping = contracts.send_contract_reminders()
    world.initiative.move_to(Stage.FOUNDATION)
    world.initiative.memberships.update(joined_at=timezone.now() - timedelta(days=2))
    just_joined = contracts.send_contract_reminders()

    assert (in_scoping, just_joined) == (0, 0)


def test_reminder_task_runs_the_sweep(world):
    from initiatives.tasks import send_contract_reminders

    in_foundation_stage(world)

    result = send_contract_reminders.delay().get()

    assert result == 2


# Continued engagement


def ended_event_with_attendance(world):
    event = make_event(world, days_from_now=-3)
    events.record_attendance(event=event, present=[peer_membership(world)], by=world.facilitator)
    return event


def test_engagement_invitations_go_once_to_attendees(world):
    event = ended_event_with_attendance(world)
    EngagementOption.objects.create(
        initiative=world.initiative, kind=EngagementOption.Kind.PAIRED_FOLLOW_UP, title="Pairs"
    )

    runs = [events.send_engagement_invitations() for _run in range(2)]

    emails = OutboxEmail.objects.filter(kind="engagement_invitation")
    assert runs == [1, 0]
    assert list(emails.values_list("to", "key")) == [
        (world.peer.email, f"engagement-invitation:{event.pk}:{peer_membership(world).pk}")
    ]
    assert "/engagement/" in emails.get().body


def test_engagement_invitations_wait_for_options_and_for_the_end(world):
    ended_event_with_attendance(world)
    upcoming = make_event(world, days_from_now=3)
    events.record_attendance(event=upcoming, present=[peer_membership(world)], by=None)

    without_options = events.send_engagement_invitations()
    EngagementOption.objects.create(
        initiative=world.initiative, kind=EngagementOption.Kind.ONLINE_GROUP, title="Online"
    )
    with_options = events.send_engagement_invitations()

    assert (without_options, with_options) == (0, 1)


def test_peer_signs_up_and_withdraws(client, world):
    option = EngagementOption.objects.create(
        initiative=world.initiative, kind=EngagementOption.Kind.SITE_VISIT, title="Visit to Tbilisi"
    )
    client.force_login(world.peer)
    args = [world.initiative.pk, option.pk]

    client.post(reverse("initiatives:sign_up", args=args))
    client.post(reverse("initiatives:sign_up", args=args))
    signed_up = EngagementSignUp.objects.filter(option=option).count()
    page = client.get(reverse("initiatives:engagement", args=[world.initiative.pk]))
    client.post(reverse("initiatives:withdraw_sign_up", args=args))

    assert signed_up == 1
    assert "You are signed up" in page.text
    assert EngagementSignUp.objects.count() == 0


def test_sign_up_refuses_get(client, world):
    option = EngagementOption.objects.create(
        initiative=world.initiative, kind=EngagementOption.Kind.OTHER, title="Newsletter"
    )
    client.force_login(world.peer)

    response = client.get(reverse("initiatives:sign_up", args=[world.initiative.pk, option.pk]))

    assert response.status_code == 405


def test_facilitator_sees_sign_ups_per_option(client, world):
    pairs = EngagementOption.objects.create(
        initiative=world.initiative, kind=EngagementOption.Kind.PAIRED_FOLLOW_UP, title="Pairs"
    )
    EngagementSignUp.objects.create(option=pairs, membership=peer_membership(world))
    client.force_login(world.facilitator)

    response = client.get(reverse("initiatives:engagement", args=[world.initiative.pk]))

    option = response.context["options"].get()
    assert [s.membership.user for s in option.sign_ups.all()] == [world.peer]
    assert "1 peer signed up" in response.text
    assert world.peer.name in response.text


def test_add_engagement_option_and_invalid_input(client, world):
    client.force_login(world.facilitator)
    url = reverse("initiatives:add_engagement_option", args=[world.initiative.pk])

    invalid = client.post(url, {"kind": "", "title": "", "description": "Half an idea"})
    client.post(
        url, {"kind": "knowledge_product", "title": "Guide on arrears", "description": "Write"}
    )

    assert invalid.status_code == 200
    assert "Half an idea" in invalid.text
    assert list(EngagementOption.objects.values_list("title", flat=True)) == ["Guide on arrears"]


# Stage gate


def test_gate_lists_what_the_foundation_still_lacks(world):
    items = open_items(world.initiative, Stage.FOUNDATION)

    assert "No foundational event has been planned yet." in items
    assert "2 peer contracts have not been signed." in items
    assert "No options for continued engagement are offered to peers yet." in items


def test_gate_names_events_without_attendance_and_contracts_to_countersign(world):
    make_event(world, days_from_now=-1, title="Opening workshop")
    contracts.sign_contract(membership=peer_membership(world), name="Ana Rusu")

    items = open_items(world.initiative, Stage.FOUNDATION)

    assert "Attendance has not been recorded for “Opening workshop”." in items
    assert "1 peer contract has not been signed." in items
    assert "1 contract is waiting for the home organisation's countersignature." in items
    assert "No foundational event has been planned yet." not in items


def test_gate_is_quiet_when_everything_is_done(world):
    event = ended_event_with_attendance(world)
    EngagementOption.objects.create(
        initiative=world.initiative, kind=EngagementOption.Kind.OTHER, title="Newsletter"
    )
    for membership in world.initiative.memberships.filter(role=Role.PEER):
        contracts.countersign_contract(
            contract=contracts.sign_contract(membership=membership, name="X"), by=world.authoriser
        )

    items = [item for item in open_items(world.initiative, Stage.FOUNDATION) if event.title in item]
    contract_items = [
        item for item in open_items(world.initiative, Stage.FOUNDATION) if "contract" in item
    ]

    assert items == []
    assert contract_items == []


# Query counts


def add_peers_with_everything(world, count):
    event = world.initiative.events.first()
    option = world.initiative.engagement_options.first()
    for number in range(count):
        organisation = OrganisationFactory()
        membership = MembershipFactory(initiative=world.initiative, home_organisation=organisation)
        home_peer = MembershipFactory(initiative=world.initiative, home_organisation=world.home)
        MembershipFactory(
            initiative=world.initiative,
            home_organisation=organisation,
            role=Role.AUTHORISER,
        )
        event.invitees.add(membership, home_peer)
        contract = contracts.sign_contract(membership=home_peer, name=f"Peer {number}")
        if number % 2:
            contracts.countersign_contract(contract=contract, by=world.authoriser)
        contracts.sign_contract(membership=membership, name=f"Other {number}")
        EngagementSignUp.objects.create(option=option, membership=membership)
        make_event(world, title=f"Follow-up {number}")
    events.record_attendance(
        event=event, present=event.invitees.all()[: count // 2], by=world.facilitator
    )


def page_url(world, name):
    event = world.initiative.events.order_by("pk").first()
    if name in ("attendance", "event"):
        return reverse(f"initiatives:{name}", args=[world.initiative.pk, event.pk])
    return reverse(f"initiatives:{name}", args=[world.initiative.pk])


PAGES = {
    "events": "facilitator",
    "attendance": "facilitator",
    "event": "facilitator",
    "contracts": "facilitator",
    "contracts_to_countersign": "authoriser",
    "engagement": "facilitator",
}


@pytest.mark.parametrize("page", PAGES)
def test_queries_do_not_grow_with_rows(client, world, django_assert_max_num_queries, page):
    make_event(world, days_from_now=-1)
    ContractTemplate.for_initiative(world.initiative)
    EngagementOption.objects.create(
        initiative=world.initiative, kind=EngagementOption.Kind.OTHER, title="Newsletter"
    )
    client.force_login(getattr(world, PAGES[page]))

    with django_assert_max_num_queries(25) as few:
        first = client.get(page_url(world, page))
    add_peers_with_everything(world, 12)
    with django_assert_max_num_queries(25) as many:
        second = client.get(page_url(world, page))

    assert (first.status_code, second.status_code) == (200, 200)
    assert len(many) == len(few)


def test_withdrawn_peer_has_no_contract_page(client, world):
    membership = peer_membership(world)
    membership.status = Membership.Status.WITHDRAWN
    membership.save()
    client.force_login(world.peer)

    response = client.get(reverse("initiatives:contract", args=[world.initiative.pk]))

    assert response.status_code == 404


def test_load_demo_twice_gives_one_foundation(db):
    from django.core.management import call_command

    call_command("load_demo")
    call_command("load_demo")

    kick_off = Event.objects.get(title="Kick-off workshop in Chisinau")
    initiative = kick_off.initiative  # the first demo initiative; the second has its own
    contracts = PeerContract.objects.filter(membership__initiative=initiative)
    assert initiative.events.count() == 2
    assert kick_off.agenda_items.count() == 5
    assert kick_off.attendance.filter(present=True).count() == 24
    assert kick_off.has_ended
    assert contracts.signed().count() == 22
    assert 0 < contracts.exclude(countersigned_at=None).count() < 22
    assert initiative.engagement_options.count() == 4
    assert EngagementSignUp.objects.filter(option__initiative=initiative).count() == 16
    assert events.send_engagement_invitations() == 0


def test_engagement_invitation_task_skips_withdrawn_attendees(world):
    from initiatives.tasks import send_engagement_invitations

    ended_event_with_attendance(world)
    EngagementOption.objects.create(
        initiative=world.initiative, kind=EngagementOption.Kind.OTHER, title="Newsletter"
    )
    peer_membership(world).withdraw()

    result = send_engagement_invitations.delay().get()

    assert result == 0


def test_contract_page_refuses_other_methods(client, world):
    client.force_login(world.peer)

    response = client.put(reverse("initiatives:contract", args=[world.initiative.pk]))

    assert response.status_code == 405


def test_edit_engagement_option_saves_changes(client, world):
    option = EngagementOption.objects.create(
        initiative=world.initiative, kind=EngagementOption.Kind.OTHER, title="Newsletter"
    )
    client.force_login(world.facilitator)

    response = client.post(
        reverse("initiatives:edit_engagement_option", args=[world.initiative.pk, option.pk]),
        {"kind": "online_group", "title": "Online group on arrears", "description": ""},
    )

    option.refresh_from_db()
    assert response.url == reverse("initiatives:engagement", args=[world.initiative.pk])
    assert (option.kind, option.title) == ("online_group", "Online group on arrears")
