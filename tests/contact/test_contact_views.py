import csv
import datetime
import io

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone

from contact import services
from contact.models import Contact, ContactParticipant
from contact.road_map import log_a_contact
from initiatives.models import Stage
from initiatives.road_map import next_steps, open_items
from peerlearn.models import AuditEntry

from ..factories import MembershipFactory
from .factories import in_stage_two, logged_by_partner, membership_of, pair

TODAY = timezone.localdate


def _log(client, world, **changes):
    _match, _peer, elsewhere = pair(world)
    client.force_login(world.peer)
    data = {
        "kind": "call",
        "happened_on": TODAY().isoformat(),
        "participants": [elsewhere.pk],
        "note": "Compared our payroll audits",
        "helped_with": "Arrears plan",
        **changes,
    }
    return client.post(reverse("contact:log", args=[world.initiative.pk]), data), elsewhere


def test_log_contact_asks_the_partner_to_confirm(client, world):
    response, elsewhere = _log(client, world)

    assert response.status_code == 302
    contact = Contact.objects.get()
    statuses = {p.membership.user: p.status for p in contact.participants.all()}
    assert statuses == {world.peer: "confirmed", world.peer_elsewhere: "pending"}
    assert contact.match.number == 1
    assert contact.helped_with == "Arrears plan"
    assert AuditEntry.objects.get(action="contact.log").actor == world.peer
    client.force_login(world.peer_elsewhere)
    page = client.get(reverse("contact:mine", args=[world.initiative.pk])).content.decode()
    assert "Compared our payroll audits" in page
    assert "It did not happen" in page


def test_log_contact_in_the_future_keeps_what_was_typed(client, world):
    tomorrow = TODAY() + datetime.timedelta(days=1)

    response, _elsewhere = _log(client, world, happened_on=tomorrow.isoformat())

    assert response.status_code == 200
    page = response.content.decode()
    assert "The date cannot be in the future." in page
    assert "Compared our payroll audits" in page
    assert Contact.objects.count() == 0


def test_log_contact_without_anyone_says_so(client, world):
    response, _elsewhere = _log(client, world, participants=[])

    assert response.status_code == 200
    page = response.content.decode()
    assert "Choose at least one person who took part." in page
    assert "Arrears plan" in page
    assert Contact.objects.count() == 0


def test_log_contact_form_prefilled_from_a_link(client, world):
    _match, _peer, elsewhere = pair(world)
    client.force_login(world.peer)

    response = client.get(
        reverse("contact:log", args=[world.initiative.pk]),
        {"kind": "site_visit", "date": "2026-01-05"},
    )

    form = response.context["form"]
    assert form.initial["kind"] == "site_visit"
    assert form.initial["happened_on"] == datetime.date(2026, 1, 5)
    assert form.initial["participants"] == [elsewhere]
    assert f'value="{elsewhere.pk}"' in response.content.decode()
    assert 'value="site_visit" selected' in response.content.decode()


def test_log_contact_before_the_match_is_published_goes_back(client, world):
    client.force_login(world.peer)

    response = client.get(reverse("contact:log", args=[world.initiative.pk]))

    assert response.url == reverse("matching:my_match", args=[world.initiative.pk])


def test_only_match_partners_can_be_chosen(client, world):
    stranger_peer = MembershipFactory(initiative=world.initiative)

    response, _elsewhere = _log(client, world, participants=[stranger_peer.pk])

    assert response.status_code == 200
    assert Contact.objects.count() == 0


def test_confirm_contact(client, world):
    contact = logged_by_partner(world)
    participant = contact.participants.get(membership__user=world.peer)
    client.force_login(world.peer)

    response = client.post(reverse("contact:confirm", args=[world.initiative.pk, participant.pk]))

    participant.refresh_from_db()
    assert response.status_code == 302
    assert participant.status == ContactParticipant.Status.CONFIRMED
    assert AuditEntry.objects.filter(action="contact.confirm", actor=world.peer).count() == 1


def test_decline_contact(client, world):
    contact = logged_by_partner(world)
    participant = contact.participants.get(membership__user=world.peer)
    client.force_login(world.peer)

    client.post(reverse("contact:decline", args=[world.initiative.pk, participant.pk]))

    participant.refresh_from_db()
    assert participant.status == ContactParticipant.Status.DECLINED
    assert AuditEntry.objects.filter(action="contact.decline", actor=world.peer).count() == 1


def test_confirming_someone_elses_participation_is_not_found(client, world):
    contact = logged_by_partner(world)
    theirs = contact.participants.get(membership__user=world.peer_elsewhere)
    client.force_login(world.peer)

    response = client.post(reverse("contact:confirm", args=[world.initiative.pk, theirs.pk]))

    assert response.status_code == 404


def test_confirm_by_get_is_refused(client, world):
    contact = logged_by_partner(world)
    participant = contact.participants.get(membership__user=world.peer)
    client.force_login(world.peer)

    response = client.get(reverse("contact:confirm", args=[world.initiative.pk, participant.pk]))

    assert response.status_code == 405


def test_contacts_list_refuses_post(client, world):
    client.force_login(world.facilitator)

    response = client.post(reverse("contact:index", args=[world.initiative.pk]))

    assert response.status_code == 405


def test_peer_never_sees_another_matchs_contacts(client, world):
    others = [MembershipFactory(initiative=world.initiative) for _ in range(2)]
    services.log_contact(
        initiative=world.initiative,
        by=others[0].user,
        participants=others,
        confirmed=[others[0]],
        kind="call",
        happened_on=TODAY(),
        note="A private talk",
    )
    logged_by_partner(world)
    client.force_login(world.peer)

    page = client.get(reverse("contact:mine", args=[world.initiative.pk])).content.decode()

    assert "We talked about arrears" in page
    assert "A private talk" not in page


def test_facilitator_logs_a_site_visit_for_many_peers(client, world):
    peer = membership_of(world, world.peer)
    elsewhere = membership_of(world, world.peer_elsewhere)
    client.force_login(world.facilitator)

    response = client.post(
        reverse("contact:log_group", args=[world.initiative.pk]),
        {
            "kind": "site_visit",
            "happened_on": TODAY().isoformat(),
            "participants": [peer.pk, elsewhere.pk],
            "host_organisation": peer.home_organisation_id,
            "note": "Visit of the treasury's payroll unit",
        },
    )

    assert response.status_code == 302
    contact = Contact.objects.get()
    assert contact.host_organisation == peer.home_organisation
    assert set(contact.participants.values_list("status", flat=True)) == {"confirmed"}
    assert contact.participants.count() == 2
    assert [str(m) for m in get_messages(response.wsgi_request)] == ["Contact logged for 2 peers."]


def test_facilitator_group_log_in_the_future_keeps_what_was_typed(client, world):
    client.force_login(world.facilitator)

    response = client.post(
        reverse("contact:log_group", args=[world.initiative.pk]),
        {
            "kind": "joint_activity",
            "happened_on": (TODAY() + datetime.timedelta(days=3)).isoformat(),
            "participants": [membership_of(world, world.peer).pk],
            "outcome": "A joint guidance note",
            "note": "Drafting day",
        },
    )

    assert response.status_code == 200
    page = response.content.decode()
    assert "The date cannot be in the future." in page
    assert "A joint guidance note" in page


def _facilitator_list(client, world, **filters):
    client.force_login(world.facilitator)
    response = client.get(reverse("contact:index", args=[world.initiative.pk]), filters)
    return [contact.note for contact in response.context["page"].object_list]


def _two_contacts(world):
    logged_by_partner(world, note="Old call", days_ago=40)
    peer = membership_of(world, world.peer)
    services.log_contact(
        initiative=world.initiative,
        by=world.facilitator,
        participants=[peer],
        confirmed=[peer],
        kind="training",
        happened_on=TODAY(),
        note="Training day",
    )
    return peer


def test_contacts_filtered_by_kind(client, world):
    _two_contacts(world)

    assert _facilitator_list(client, world, kind="training") == ["Training day"]


def test_contacts_filtered_by_home_organisation(client, world):
    _two_contacts(world)
    elsewhere = membership_of(world, world.peer_elsewhere)

    notes = _facilitator_list(client, world, organisation=elsewhere.home_organisation_id)

    assert notes == ["Old call"]


def test_contacts_filtered_by_match_and_period(client, world):
    _two_contacts(world)
    recent = (TODAY() - datetime.timedelta(days=7)).isoformat()

    assert _facilitator_list(client, world, match_number=1) == ["Old call"]
    assert _facilitator_list(client, world, since=recent) == ["Training day"]
    assert _facilitator_list(client, world, until=recent) == ["Old call"]


def test_contacts_bad_filter_says_why_and_lists_all(client, world):
    _two_contacts(world)
    client.force_login(world.facilitator)

    response = client.get(reverse("contact:index", args=[world.initiative.pk]), {"since": "soon"})

    assert response.status_code == 200
    assert "Enter a valid date." in response.content.decode()
    assert len(response.context["page"].object_list) == 2


def test_csv_export_follows_the_filters(client, world):
    _two_contacts(world)
    client.force_login(world.facilitator)

    response = client.get(
        reverse("contact:export_csv", args=[world.initiative.pk]), {"kind": "call"}
    )

    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][:4] == ["date", "kind", "match", "participants"]
    assert len(rows) == 2
    assert rows[1][1] == "Paired call or meeting"
    assert rows[1][2] == "1"
    assert "(Waiting for confirmation)" in rows[1][3]
    assert rows[1][4] == "Old call"


def test_xlsx_export_downloads(client, world):
    _two_contacts(world)
    client.force_login(world.facilitator)

    response = client.get(reverse("contact:export_xlsx", args=[world.initiative.pk]))

    assert response["Content-Type"].startswith("application/vnd.openxmlformats")


def _many(world, count):
    peers = [MembershipFactory(initiative=world.initiative) for _ in range(2)]
    peer = membership_of(world, world.peer)
    for number in range(count):
        services.log_contact(
            initiative=world.initiative,
            by=world.facilitator,
            participants=[peer, *peers],
            confirmed=[peer],
            kind="training",
            happened_on=TODAY(),
            note=f"Session {number}",
            host_organisation=peer.home_organisation,
        )


@pytest.mark.parametrize("count", [1, 30])
def test_facilitator_list_queries_do_not_grow(client, world, django_assert_max_num_queries, count):
    _many(world, count)
    client.force_login(world.facilitator)

    with django_assert_max_num_queries(14):
        response = client.get(reverse("contact:index", args=[world.initiative.pk]))

    assert len(response.context["page"].object_list) == count


@pytest.mark.parametrize("count", [1, 30])
def test_peer_list_queries_do_not_grow(client, world, django_assert_max_num_queries, count):
    _many(world, count)
    client.force_login(world.peer)

    with django_assert_max_num_queries(12):
        response = client.get(reverse("contact:mine", args=[world.initiative.pk]))

    assert response.content.decode().count("Session ") == count


def test_peer_in_stage_two_is_asked_to_log_a_contact(world):
    pair(world)
    in_stage_two(world)

    steps = next_steps(membership_of(world, world.peer))

    assert [step.url for step in steps if "contacts" in step.url] == [
        reverse("contact:log", args=[world.initiative.pk])
    ]


def test_peer_before_stage_two_is_not_asked_to_log_a_contact(world):
    pair(world)

    steps = next_steps(membership_of(world, world.peer))

    assert [step for step in steps if "contacts" in step.url] == []


def test_gate_lists_matches_without_contact(world):
    match, _peer, _elsewhere = pair(world)

    assert open_items(world.initiative, Stage.SUSTAINED_CONTACT) == [
        "1 published match has no contact logged yet."
    ]
    logged_by_partner(world, match=match)
    assert open_items(world.initiative, Stage.SUSTAINED_CONTACT) == []


@pytest.mark.parametrize("count", [1, 20])
def test_log_a_contact_step_costs_one_query(world, django_assert_max_num_queries, count):
    in_stage_two(world)
    pair(world)
    extra = [MembershipFactory(initiative=world.initiative) for _ in range(count - 1)]
    memberships = list(
        world.initiative.memberships.filter(
            pk__in=[membership_of(world, world.peer).pk, *(m.pk for m in extra)]
        ).select_related("initiative")
    )

    with django_assert_max_num_queries(1):
        steps = list(log_a_contact(memberships))

    assert [membership.user for membership, _step in steps] == [world.peer]


def test_contacts_tab_shows_in_the_initiative_navigation(client, world):
    client.force_login(world.facilitator)

    page = client.get(reverse("initiatives:detail", args=[world.initiative.pk])).content.decode()

    assert reverse("contact:index", args=[world.initiative.pk]) in page


def test_peer_home_page_links_to_the_contact_form(client, world):
    pair(world)
    in_stage_two(world)
    client.force_login(world.peer)

    page = client.get(reverse("home")).content.decode()

    assert "Log a contact with your match." in page
    assert reverse("contact:log", args=[world.initiative.pk]) in page


def test_facilitator_list_pages_keep_the_filters(client, world):
    _many(world, 51)
    client.force_login(world.facilitator)

    response = client.get(
        reverse("contact:index", args=[world.initiative.pk]), {"kind": "training"}
    )

    assert len(response.context["page"].object_list) == 50
    assert "?kind=training&amp;page=2" in response.content.decode()


def test_next_page_and_downloads_keep_the_filters(client, world):
    _many(world, 51)
    client.force_login(world.facilitator)

    page = client.get(reverse("contact:index", args=[world.initiative.pk]), {"kind": "training"})

    assert 'href="?kind=training&amp;page=2"' in page.text
    assert f'href="{reverse("contact:export_csv", args=[world.initiative.pk])}?kind=training"' in (
        page.text
    )
