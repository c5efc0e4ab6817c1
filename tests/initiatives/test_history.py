"""The audit trail of stages 0 and 1, and the history page that shows it."""

import csv
import io
from datetime import timedelta

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from django.utils import timezone

from initiatives import road_map, services
from initiatives.models import (
    AgendaItem,
    ContractTemplate,
    EngagementOption,
    EngagementSignUp,
    Event,
    Initiative,
    Membership,
    Risk,
    Role,
    Scoping,
    Stage,
)
from initiatives.models.scoping import LEARNING_GOALS, Priority
from initiatives.services import contracts
from peerlearn import audit
from peerlearn.models import AuditEntry

from ..factories import UserFactory

NEXT_WEEK = timezone.now() + timedelta(days=7)


def url(name, world, *args):
    return reverse(f"initiatives:{name}", args=[world.initiative.pk, *args])


def peer_membership(world):
    return world.initiative.memberships.get(user=world.peer, role=Role.PEER)


def an_event(world):
    event = Event.objects.create(
        initiative=world.initiative,
        kind=Event.Kind.LARGE_GROUP,
        title="Kick-off",
        starts_at=NEXT_WEEK,
        ends_at=NEXT_WEEK + timedelta(hours=6),
        venue="Chisinau",
    )
    event.invitees.add(peer_membership(world))
    return event


def an_option(world):
    return EngagementOption.objects.create(
        initiative=world.initiative, kind=EngagementOption.Kind.OTHER, title="Online group"
    )


def event_data(world, title="Kick-off"):
    return {
        "kind": Event.Kind.LARGE_GROUP,
        "title": title,
        "date": "2027-03-10",
        "start_time": "09:00",
        "end_time": "17:00",
        "time_zone": "Europe/Chisinau",
        "venue": "Chisinau",
        "invitees": [peer_membership(world).pk],
    }


def risk_data(world, description="Ministers change."):
    return {"stage": Stage.SCOPING, "description": description, "status": Risk.Status.OPEN}


# Each case does one thing through the site as a person would and returns
# (who did it, what it was done to); the test then expects one entry saying so.


SETTINGS = {
    "description": "",
    "reform_areas": ["pfm"],
    "follow_up_every_days": 30,
}


def create_initiative(client, world):
    client.post(reverse("initiatives:create"), {"title": "New", **SETTINGS})
    return world.facilitator, Initiative.objects.get(title="New")


def edit_initiative(client, world):
    client.post(url("edit", world), {"title": "Renamed", **SETTINGS})
    return world.facilitator, world.initiative


def invite(client, world):
    client.post(
        url("invite", world),
        {"email": "new@example.org", "role": Role.PEER, "home_organisation": world.home.pk},
    )
    return world.facilitator, Membership.objects.get(user__email="new@example.org")


def accept_invitation(client, world):
    invitation = services.invite(
        initiative=world.initiative, email="new@example.org", role=Role.PEER, by=world.facilitator
    )
    client.logout()
    client.post(reverse("initiatives:invitation", args=[invitation.token]))
    return invitation.membership.user, invitation.membership


def join(client, world):
    membership = peer_membership(world)
    Membership.objects.filter(pk=membership.pk).update(status=Membership.Status.INVITED)
    client.force_login(world.peer)
    client.post(reverse("initiatives:join", args=[membership.pk]))
    return world.peer, membership


def withdraw(client, world):
    membership = peer_membership(world)
    client.post(url("withdraw", world, membership.pk))
    return world.facilitator, membership


def move_stage(client, world):
    client.post(url("road_map", world), {"stage": Stage.FOUNDATION, "acknowledge": "on"})
    return world.facilitator, world.initiative


def answer_scoping(client, world):
    client.post(url("scoping_section", world, "why-peers"), {"why_peers": "Trust."})
    return world.facilitator, Scoping.objects.get()


def choose_learning_goals(client, world):
    goals = dict.fromkeys((key for key, _name in LEARNING_GOALS), Priority.NOT_CHOSEN)
    client.post(url("learning_goals", world), {**goals, "support": Priority.HIGH})
    return world.facilitator, Scoping.objects.get()


def add_risk(client, world):
    client.post(url("add_risk", world), risk_data(world))
    return world.facilitator, Risk.objects.get(description="Ministers change.")


def edit_risk(client, world):
    risk = Risk.objects.create(initiative=world.initiative, description="Drift")
    client.post(url("edit_risk", world, risk.pk), risk_data(world, "Peers drift away."))
    return world.facilitator, risk


def close_risk(client, world):
    risk = Risk.objects.create(initiative=world.initiative, description="Drift")
    client.post(url("close_risk", world, risk.pk))
    return world.facilitator, risk


def create_event(client, world):
    client.post(url("create_event", world), event_data(world))
    return world.facilitator, Event.objects.get()


def edit_event(client, world):
    event = an_event(world)
    client.post(url("edit_event", world, event.pk), event_data(world, "Renamed"))
    return world.facilitator, event


def add_agenda_item(client, world):
    event = an_event(world)
    client.post(url("add_agenda_item", world, event.pk), {"starts_at": "09:00", "title": "Hi"})
    return world.facilitator, AgendaItem.objects.get()


def edit_agenda_item(client, world):
    item = AgendaItem.objects.create(event=an_event(world), starts_at="09:00", title="Hi")
    client.post(
        url("edit_agenda_item", world, item.event_id, item.pk),
        {"starts_at": "10:00", "title": "Welcome"},
    )
    return world.facilitator, item


def remove_agenda_item(client, world):
    item = AgendaItem.objects.create(event=an_event(world), starts_at="09:00", title="Hi")
    client.post(url("remove_agenda_item", world, item.event_id, item.pk))
    return world.facilitator, item


def record_attendance(client, world):
    event = an_event(world)
    client.post(url("attendance", world, event.pk), {"present": [peer_membership(world).pk]})
    return world.facilitator, event


def change_commitments(client, world):
    client.post(url("contract_template", world), {"commitments": "Meet monthly"})
    return world.facilitator, ContractTemplate.objects.get()


def sign_contract(client, world):
    client.force_login(world.peer)
    client.post(url("contract", world), {"commit": "on", "full_name": "Ana Rusu"})
    return world.peer, peer_membership(world).peer_contract


def countersign(client, world):
    contract = contracts.sign_contract(membership=peer_membership(world), name="Ana Rusu")
    client.force_login(world.authoriser)
    client.post(url("countersign", world, contract.pk), {"note": "Report back."})
    return world.authoriser, contract


def add_engagement_option(client, world):
    client.post(
        url("add_engagement_option", world),
        {"kind": EngagementOption.Kind.OTHER, "title": "Online group"},
    )
    return world.facilitator, EngagementOption.objects.get()


def edit_engagement_option(client, world):
    option = an_option(world)
    client.post(
        url("edit_engagement_option", world, option.pk),
        {"kind": EngagementOption.Kind.OTHER, "title": "Monthly call"},
    )
    return world.facilitator, option


def sign_up(client, world):
    option = an_option(world)
    client.force_login(world.peer)
    client.post(url("sign_up", world, option.pk))
    return world.peer, option


def withdraw_sign_up(client, world):
    option = an_option(world)
    EngagementSignUp.objects.create(option=option, membership=peer_membership(world))
    client.force_login(world.peer)
    client.post(url("withdraw_sign_up", world, option.pk))
    return world.peer, option


CASES = {
    "initiative.create": create_initiative,
    "initiative.edit": edit_initiative,
    "people.invite": invite,
    "people.accept": accept_invitation,
    "people.join": join,
    "people.withdraw": withdraw,
    "stage.move": move_stage,
    "scoping.answer": answer_scoping,
    "scoping.learning_goals": choose_learning_goals,
    "risk.add": add_risk,
    "risk.edit": edit_risk,
    "risk.close": close_risk,
    "event.create": create_event,
    "event.edit": edit_event,
    "agenda.add": add_agenda_item,
    "agenda.edit": edit_agenda_item,
    "agenda.remove": remove_agenda_item,
    "attendance.record": record_attendance,
    "contract.text": change_commitments,
    "contract.sign": sign_contract,
    "contract.countersign": countersign,
    "engagement.add": add_engagement_option,
    "engagement.edit": edit_engagement_option,
    "engagement.sign_up": sign_up,
    "engagement.withdraw": withdraw_sign_up,
}


@pytest.mark.parametrize("action", CASES)
def test_each_change_leaves_one_entry_naming_who_what_and_where(client, world, action):
    client.force_login(world.facilitator)

    actor, target = CASES[action](client, world)

    entry = AuditEntry.objects.get(action=action)
    initiative = target if isinstance(target, Initiative) else world.initiative
    assert (entry.actor, entry.target_type, entry.target_id, entry.initiative_id) == (
        actor,
        ContentType.objects.get_for_model(target),
        str(target.pk),
        initiative.pk,
    )
    assert audit.label(action) != action  # described, so the history names it


def test_facilitator_joining_the_team_shows_in_the_initiatives_history(client, world):
    invitation = services.invite(
        initiative=world.initiative,
        email="colleague@example.org",
        role=Role.FACILITATOR,
        by=world.facilitator,
    )

    services.accept_invitation(invitation=invitation, user=invitation.membership.user)

    entry = AuditEntry.objects.get(action="team.join")
    assert (entry.actor, entry.initiative_id) == (invitation.membership.user, world.initiative.pk)


def test_edit_initiative_names_the_changed_settings_and_nothing_when_unchanged(client, world):
    client.force_login(world.facilitator)
    data = {"title": "Renamed", **SETTINGS}

    client.post(url("edit", world), data)
    client.post(url("edit", world), data)

    assert list(AuditEntry.objects.values_list("data", flat=True)) == [
        {"changed": ["description", "title"]}
    ]


def test_moving_stage_is_shown_as_from_and_to(client, world):
    services.move_stage(
        initiative=world.initiative,
        to_stage=Stage.FOUNDATION,
        by=world.facilitator,
        acknowledged=True,
    )

    entry = AuditEntry.objects.get()
    assert entry.target_label == "Scoping → Foundational engagement"
    assert entry.data["open_items"] > 0


# The history page


def history(client, world, **filters):
    client.force_login(world.facilitator)
    return client.get(url("history", world), filters)


def shown(response):
    """(change, concerning, details) of each row of the history page."""
    return [
        (str(label), entry.target_label, details)
        for entry, label, details in response.context["rows"]
    ]


def test_history_lists_changes_newest_first_with_who_and_what(client, world):
    open_items = len(road_map.items_to_acknowledge(world.initiative, Stage.FOUNDATION))
    services.move_stage(
        initiative=world.initiative,
        to_stage=Stage.FOUNDATION,
        by=world.facilitator,
        acknowledged=True,
    )
    services.withdraw(membership=peer_membership(world), by=world.facilitator)

    response = history(client, world)

    assert shown(response) == [
        ("Withdrew someone", str(world.peer), "role: peer"),
        (
            "Moved the initiative to another stage",
            "Scoping → Foundational engagement",
            f"open items: {open_items}",
        ),
    ]
    assert f"<td>{world.facilitator}</td>" in response.text


def test_history_filters_by_person_and_by_change(client, world):
    membership = peer_membership(world)
    services.withdraw(membership=membership, by=world.facilitator)
    services.join(membership=membership)
    services.move_stage(
        initiative=world.initiative,
        to_stage=Stage.FOUNDATION,
        by=world.facilitator,
        acknowledged=True,
    )

    by_peer = history(client, world, person=world.peer.pk)
    withdrawals = history(client, world, action="people.withdraw")

    assert [row[0] for row in shown(by_peer)] == ["Joined the initiative"]
    assert [row[0] for row in shown(withdrawals)] == ["Withdrew someone"]


def test_history_offers_only_people_who_acted_here(client, world):
    services.withdraw(membership=peer_membership(world), by=world.facilitator)
    audit.log(
        actor=world.other_facilitator, action="people.withdraw", initiative=world.other_initiative
    )

    response = history(client, world)

    assert list(response.context["form"].fields["person"].queryset) == [world.facilitator]


def test_history_with_an_unknown_person_says_so_and_keeps_the_change(client, world):
    services.withdraw(membership=peer_membership(world), by=world.facilitator)

    response = history(client, world, person=UserFactory().pk, action="people.withdraw")

    assert response.status_code == 200
    assert "Select a valid choice" in response.text
    assert '<option value="people.withdraw" selected>' in response.text
    assert [row[0] for row in shown(response)] == ["Withdrew someone"]


def test_history_pages_keep_the_filter(client, world):
    membership = peer_membership(world)
    for _number in range(51):
        audit.log(actor=world.facilitator, action="people.withdraw", target=membership)

    first = history(client, world, action="people.withdraw")
    second = history(client, world, action="people.withdraw", page=2)

    assert len(first.context["rows"]) == 50
    assert "action=people.withdraw&amp;page=2" in first.text
    assert len(second.context["rows"]) == 1


def test_history_refuses_post(client, world):
    client.force_login(world.facilitator)

    responses = [client.post(url(name, world)) for name in ("history", "history_csv")]

    assert [response.status_code for response in responses] == [405, 405]


@pytest.mark.parametrize("entries", [1, 30])
def test_history_queries_do_not_grow_with_entries(
    client, world, entries, django_assert_max_num_queries
):
    client.force_login(world.facilitator)
    for number in range(entries):
        actor = UserFactory()
        audit.log(actor=actor, action="risk.add", initiative=world.initiative, n=number)

    with django_assert_max_num_queries(8):
        response = client.get(url("history", world), {"action": "risk.add"})

    assert len(response.context["rows"]) == entries


def read_csv(response):
    text = response.content.decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text)))


def test_history_csv_has_the_filtered_entries_with_formulas_disarmed(client, world):
    UserFactory.reset_sequence()
    world.facilitator.name = "=HYPERLINK(1)"
    world.facilitator.save()
    membership = peer_membership(world)
    services.withdraw(membership=membership, by=world.facilitator)
    services.join(membership=membership)
    client.force_login(world.facilitator)

    response = client.get(url("history_csv", world), {"action": "people.withdraw"})

    rows = read_csv(response)
    assert response["Content-Type"].startswith("text/csv")
    assert rows[0] == ["when", "who", "email", "action", "change", "concerning", "details"]
    assert [row[1:6] for row in rows[1:]] == [
        [
            "'=HYPERLINK(1)",
            world.facilitator.email,
            "people.withdraw",
            "Withdrew someone",
            str(world.peer),
        ]
    ]
    assert rows[1][6] == '{"role": "peer"}'


def test_history_tab_is_in_the_facilitators_navigation(client, world):
    client.force_login(world.facilitator)

    response = client.get(url("road_map", world))

    assert f'href="{url("history", world)}"' in response.text
