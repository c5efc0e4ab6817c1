import datetime

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from contact import services
from contact.models import HelpRequest, InTouchMark, MatchNote, Nudge
from initiatives.models import Stage
from initiatives.road_map import open_items
from matching.models import Match, MatchMember, MatchRun
from peerlearn import outbox
from peerlearn.models import AuditEntry, OutboxEmail

from ..factories import MembershipFactory
from .factories import help_requested, in_stage_two, membership_of, nudged, pair

TODAY = timezone.localdate


def quiet_for(days):
    MatchRun.objects.update(published_at=timezone.now() - datetime.timedelta(days=days))


def quiet_pair(world, days=40):
    in_stage_two(world)
    match, peer, elsewhere = pair(world)
    quiet_for(days)
    return match, peer, elsewhere


def nudges_to(address):
    return list(OutboxEmail.objects.filter(kind="contact_nudge", to=address))


def path_of(link):
    return link.removeprefix("http://127.0.0.1:8000").replace("http://testserver", "")


def link_in(email, purpose):
    marker = {"log": "/log/", "in_touch": "/in-touch/", "help": "/help/"}[purpose]
    line = next(
        line
        for line in email.body.splitlines()
        if "/contacts/nudge/" in line and line.endswith(marker)
    )
    return "/" + line.split("/", 3)[3]


# The sweep


def test_sweep_nudges_every_member_of_a_quiet_match_once(world):
    match, _peer, _elsewhere = quiet_pair(world)

    made = services.nudge_quiet_matches()
    again = services.nudge_quiet_matches()

    assert (made, again) == (1, 0)
    assert Nudge.objects.get().match == match
    for person in (world.peer, world.peer_elsewhere):
        [email] = nudges_to(person.email)
        assert "How is your peer match going?" in email.subject
        assert email.body.count("/contacts/nudge/") == 3
        assert email.headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
        assert "/email/unsubscribe/" in email.headers["List-Unsubscribe"]
    assert AuditEntry.objects.filter(action="contact.nudge").count() == 1


def test_sweep_leaves_matches_with_a_recent_contact_alone(world):
    match, peer, elsewhere = quiet_pair(world)
    services.log_contact(
        initiative=world.initiative,
        by=world.peer,
        participants=[peer, elsewhere],
        confirmed=[peer],
        match=match,
        kind="call",
        happened_on=TODAY() - datetime.timedelta(days=3),
        note="Talked",
    )

    assert services.nudge_quiet_matches() == 0


def test_sweep_ignores_a_contact_everyone_declined(world):
    match, peer, elsewhere = quiet_pair(world)
    contact = services.log_contact(
        initiative=world.initiative,
        by=world.facilitator,
        participants=[peer, elsewhere],
        match=match,
        kind="call",
        happened_on=TODAY(),
        note="Never happened",
    )
    for participant in contact.participants.all():
        services.decline_contact(participant=participant, by=participant.membership.user)

    assert services.nudge_quiet_matches() == 1


def test_sweep_waits_for_stage_two(world):
    pair(world)
    quiet_for(40)

    assert services.nudge_quiet_matches() == 0


def test_sweep_leaves_an_initiative_that_has_ended_alone(world):
    quiet_pair(world)
    world.initiative.ends_on = TODAY() - datetime.timedelta(days=1)
    world.initiative.save(update_fields=["ends_on"])

    assert services.nudge_quiet_matches() == 0


def test_sweep_does_not_nudge_a_withdrawn_peer(world):
    _match, _peer, elsewhere = quiet_pair(world)
    elsewhere.status = elsewhere.Status.WITHDRAWN
    elsewhere.save(update_fields=["status"])

    services.nudge_quiet_matches()

    assert len(nudges_to(world.peer.email)) == 1
    assert nudges_to(world.peer_elsewhere.email) == []


def test_sweep_respects_the_quiet_period_of_the_initiative(world):
    quiet_pair(world, days=40)
    world.initiative.follow_up_every_days = 60
    world.initiative.save(update_fields=["follow_up_every_days"])

    assert services.nudge_quiet_matches() == 0


def test_sweep_skips_paused_and_unsubscribed_peers(client, world):
    quiet_pair(world)
    client.force_login(world.peer)
    client.post(reverse("contact:pause_nudges", args=[world.initiative.pk]), {"days": "30"})
    world.peer_elsewhere.set_unsubscribed(timezone.now())

    assert services.nudge_quiet_matches() == 1

    assert nudges_to(world.peer.email) == []
    assert nudges_to(world.peer_elsewhere.email) == []


def test_sweep_alerts_facilitators_once_a_quiet_period_after_the_nudge(world):
    quiet_pair(world)
    services.nudge_quiet_matches()
    alerts = OutboxEmail.objects.filter(kind="contact_quiet_alert")
    assert alerts.count() == 0
    later = timezone.now() + datetime.timedelta(days=31)
    Nudge.objects.update(created_at=timezone.now() - datetime.timedelta(days=31))

    made = services.nudge_quiet_matches(now=later) + services.nudge_quiet_matches(now=later)

    assert made == 1
    [alert] = alerts
    assert alert.to == world.facilitator.email
    assert "Match 1 is still quiet" in alert.subject
    assert alert.headers == {}


# The links in a nudge


def test_in_touch_link_asks_first_then_records_once(client, world):
    quiet_pair(world)
    services.nudge_quiet_matches()
    url = link_in(nudges_to(world.peer.email)[0], "in_touch")

    asked = client.get(url)
    assert InTouchMark.objects.count() == 0
    done = client.post(url)
    again = client.post(url)

    assert "Yes, we are in touch" in asked.content.decode()
    assert "Thank you: noted." in done.content.decode()
    assert "Already recorded" in again.content.decode()
    assert InTouchMark.objects.get().membership == membership_of(world, world.peer)
    assert services.nudge_quiet_matches() == 0


def test_help_link_records_a_request_with_optional_text(client, world):
    quiet_pair(world)
    services.nudge_quiet_matches()
    url = link_in(nudges_to(world.peer.email)[0], "help")

    asked = client.get(url)
    client.post(url, {"text": "Our calendars never line up"})
    again = client.get(url)

    assert "Ask for help" in asked.content.decode()
    assert HelpRequest.objects.get().text == "Our calendars never line up"
    assert "Already recorded" in again.content.decode()
    client.force_login(world.facilitator)
    page = client.get(reverse("contact:momentum", args=[world.initiative.pk])).content.decode()
    assert "Our calendars never line up" in page
    assert "Help requested" in page


def test_log_link_sends_to_sign_in_then_the_form(client, world):
    match, _peer, _elsewhere = quiet_pair(world)
    services.nudge_quiet_matches()
    url = link_in(nudges_to(world.peer.email)[0], "log")
    form = reverse("contact:log", args=[world.initiative.pk]) + f"?kind=call&match={match.pk}"

    anonymous = client.get(url)
    client.force_login(world.peer)
    signed_in = client.get(url)

    assert anonymous.url.startswith(reverse("account_login"))
    assert "next=" in anonymous.url
    assert signed_in.url == form


def test_expired_link_says_so_and_offers_sign_in(client, world, settings):
    quiet_pair(world)
    services.nudge_quiet_matches()
    url = link_in(nudges_to(world.peer.email)[0], "in_touch")
    settings.NUDGE_LINK_MAX_AGE_DAYS = -1

    response = client.post(url)

    assert response.status_code == 410
    assert "This link has expired." in response.content.decode()
    assert reverse("account_login") in response.content.decode()
    assert InTouchMark.objects.count() == 0


def test_link_for_another_purpose_is_refused(client, world):
    nudge, membership = nudged(world)
    link = services.nudge_link(nudge=nudge, membership=membership, purpose="help")

    response = client.post(path_of(link).replace("/help/", "/in-touch/"))

    assert response.status_code == 410
    assert InTouchMark.objects.count() == 0


def test_link_of_an_ended_match_is_refused(client, world):
    nudge, membership = nudged(world)
    link = services.nudge_link(nudge=nudge, membership=membership, purpose="in_touch")
    Match.objects.update(status=Match.Status.ENDED)

    response = client.post(path_of(link))

    assert response.status_code == 410
    assert "the match has ended" in response.content.decode()


# Help requests and notes


def test_peer_asks_for_help_from_the_contacts_page(client, world):
    pair(world)
    client.force_login(world.peer)

    page = client.get(reverse("contact:mine", args=[world.initiative.pk])).content.decode()
    response = client.post(reverse("contact:ask_help", args=[world.initiative.pk]), {"text": ""})

    assert reverse("contact:ask_help", args=[world.initiative.pk]) in page
    assert response.status_code == 302
    assert HelpRequest.objects.get().membership == membership_of(world, world.peer)
    assert AuditEntry.objects.filter(action="contact.ask_help").count() == 1


def test_facilitator_resolves_a_help_request_with_a_note(client, world):
    help_request = help_requested(world)
    client.force_login(world.facilitator)
    url = reverse("contact:resolve_help", args=[world.initiative.pk, help_request.pk])

    empty = client.post(url, {"note": ""})
    done = client.post(url, {"note": "Called them both"})

    assert "Say briefly what was done." in empty.content.decode()
    assert done.status_code == 302
    help_request.refresh_from_db()
    assert (help_request.status, help_request.note) == ("resolved", "Called them both")
    assert help_request.resolved_by == world.facilitator
    assert AuditEntry.objects.get(action="contact.resolve_help").actor == world.facilitator
    assert client.get(url).status_code == 404


def test_facilitator_notes_a_match(client, world):
    match = pair(world)[0]
    client.force_login(world.facilitator)
    url = reverse("contact:match_note", args=[world.initiative.pk, match.pk])

    empty = client.post(url, {"text": ""})
    client.post(url, {"text": "Both on leave in August"})
    page = client.get(reverse("contact:momentum", args=[world.initiative.pk])).content.decode()

    assert "Write the note first." in empty.content.decode()
    assert MatchNote.objects.get().author == world.facilitator
    assert "Both on leave in August" in page
    assert AuditEntry.objects.filter(action="contact.note").count() == 1


def test_nudge_now_sends_once_a_day(client, world):
    match = pair(world)[0]
    client.force_login(world.facilitator)
    url = reverse("contact:nudge_now", args=[world.initiative.pk, match.pk])

    client.post(url)
    client.post(url)

    assert Nudge.objects.get().kind == Nudge.Kind.NOW
    assert len(nudges_to(world.peer.email)) == 1
    assert AuditEntry.objects.get(action="contact.nudge").actor == world.facilitator


def test_nudge_now_by_get_is_refused(client, world):
    match = pair(world)[0]
    client.force_login(world.facilitator)

    response = client.get(reverse("contact:nudge_now", args=[world.initiative.pk, match.pk]))

    assert response.status_code == 405


def test_peer_pauses_and_resumes_reminders(client, world):
    pair(world)
    client.force_login(world.peer)
    mine = reverse("contact:mine", args=[world.initiative.pk])

    client.post(reverse("contact:pause_nudges", args=[world.initiative.pk]), {"days": "91"})
    paused = client.get(mine).content.decode()
    client.post(reverse("contact:resume_nudges", args=[world.initiative.pk]))
    resumed = client.get(mine).content.decode()

    assert "Reminders about a quiet match are paused until" in paused
    assert "Pause reminders" in resumed


def test_pause_with_a_made_up_period_says_so(client, world):
    pair(world)
    client.force_login(world.peer)

    response = client.post(
        reverse("contact:pause_nudges", args=[world.initiative.pk]), {"days": "5"}, follow=True
    )

    assert "Choose how long to pause reminders for." in response.content.decode()


# The momentum page


def test_momentum_puts_help_then_quiet_first_and_filters(client, world):
    in_stage_two(world)
    alive = pair(world)[0]
    run = alive.run
    quiet = Match.objects.create(run=run, number=2, status=Match.Status.PUBLISHED)
    helped = Match.objects.create(run=run, number=3, status=Match.Status.PUBLISHED)
    for match in (quiet, helped):
        MatchMember.objects.create(
            match=match, membership=MembershipFactory(initiative=world.initiative)
        )
    quiet_for(40)
    services.mark_in_touch(
        nudge=Nudge.objects.create(match=alive, kind="now", spell=TODAY()),
        membership=membership_of(world, world.peer),
    )
    services.ask_for_help(match=helped, membership=helped.members.get().membership, text="")
    client.force_login(world.facilitator)
    url = reverse("contact:momentum", args=[world.initiative.pk])

    everything = client.get(url).context["page"].object_list
    only_quiet = client.get(url, {"state": "quiet"}).context["page"].object_list

    assert [(m.number, m.state) for m in everything] == [(3, "help"), (2, "quiet"), (1, "alive")]
    assert [m.number for m in only_quiet] == [2]
    assert [m.quiet_days for m in everything] == [40, 40, 0]


def test_momentum_counts_contacts_of_the_last_90_days_and_per_month(client, world):
    match, peer, elsewhere = pair(world)
    for days_ago in (1, 2, 100):
        services.log_contact(
            initiative=world.initiative,
            by=world.facilitator,
            participants=[peer, elsewhere],
            match=match,
            kind="call",
            happened_on=TODAY() - datetime.timedelta(days=days_ago),
            note="Call",
        )
    client.force_login(world.facilitator)

    response = client.get(reverse("contact:momentum", args=[world.initiative.pk]))

    assert response.context["page"].object_list[0].recent_contacts == 2
    months = response.context["months"]
    assert len(months) == 12
    assert sum(count for _month, count in months) == 3
    assert months[-1][0] == TODAY().replace(day=1)


def test_momentum_chart_is_an_svg_without_script(client, world):
    client.force_login(world.facilitator)

    response = client.get(reverse("contact:momentum_chart", args=[world.initiative.pk]))

    assert response["Content-Type"] == "image/svg+xml"
    svg = response.content.decode()
    assert "<svg" in svg
    assert "<script" not in svg
    assert "Contacts per month" in svg


def test_momentum_page_shows_the_chart_with_a_text_alternative(client, world):
    client.force_login(world.facilitator)

    page = client.get(reverse("contact:momentum", args=[world.initiative.pk])).content.decode()

    assert 'role="img"' in page
    assert "the table gives the same figures" in page
    assert "style=" not in page.split("<main", 1)[-1]


def _matches(world, count):
    run = MatchRun.objects.create(
        initiative=world.initiative, status=MatchRun.Status.PUBLISHED, published_at=timezone.now()
    )
    for number in range(1, count + 1):
        match = Match.objects.create(run=run, number=number, status=Match.Status.PUBLISHED)
        members = [MembershipFactory(initiative=world.initiative) for _ in range(2)]
        MatchMember.objects.bulk_create(MatchMember(match=match, membership=m) for m in members)
        services.add_match_note(match=match, by=world.facilitator, text=f"Note {number}")
        services.ask_for_help(match=match, membership=members[0], text="Help")


@pytest.mark.parametrize("count", [1, 30])
def test_momentum_queries_do_not_grow(client, world, django_assert_num_queries, count):
    _matches(world, count)
    client.force_login(world.facilitator)

    with django_assert_num_queries(9):
        response = client.get(reverse("contact:momentum", args=[world.initiative.pk]))

    assert len(response.context["page"].object_list) == count
    assert response.content.decode().count("Note by") == count


# The gate


def test_gate_lists_quiet_matches_and_open_help_requests(world):
    quiet_pair(world)
    help_requested_match = Match.objects.get()
    services.ask_for_help(
        match=help_requested_match, membership=membership_of(world, world.peer), text=""
    )

    items = open_items(world.initiative, Stage.SUSTAINED_CONTACT)

    assert "1 published match has gone quiet." in items
    assert "1 request for help is still open." in items
    assert "1 published match has no contact logged yet." in items


# Optional email


def test_unsubscribe_link_asks_then_unsubscribes_without_sign_in(client, world):
    from peerlearn.subscriptions import unsubscribe_url

    url = path_of(unsubscribe_url(world.peer))

    asked = client.get(url)
    world.peer.refresh_from_db()
    assert world.peer.wants_optional_email
    done = client.post(url)

    assert "Unsubscribe" in asked.content.decode()
    assert "will no longer receive optional email" in done.content.decode()
    world.peer.refresh_from_db()
    assert not world.peer.wants_optional_email
    assert AuditEntry.objects.get(action="email.unsubscribe").actor == world.peer


def test_tampered_unsubscribe_link_is_refused(client, world):
    response = client.post(reverse("unsubscribe", args=["not-a-real-token"]))

    assert response.status_code == 404
    world.peer.refresh_from_db()
    assert world.peer.wants_optional_email


def test_signed_in_person_subscribes_again(client, world):
    world.peer.set_unsubscribed(timezone.now())
    client.force_login(world.peer)

    before = client.get(reverse("email_preferences")).content.decode()
    client.post(reverse("email_subscribe"))

    assert "Subscribe again" in before
    world.peer.refresh_from_db()
    assert world.peer.wants_optional_email


def test_outbox_sends_the_extra_headers(world):
    email = outbox.queue_email(
        to="peer@example.org",
        kind="test",
        key="headers",
        subject="Hi",
        body="Hello",
        headers={"List-Unsubscribe": "<https://example.org/u>"},
    )

    outbox.deliver(email)

    assert mail.outbox[0].extra_headers["List-Unsubscribe"] == "<https://example.org/u>"
    assert mail.outbox[0].extra_headers["Message-ID"] == email.message_id


def test_essential_email_has_no_unsubscribe_header(world):
    email = outbox.queue_email(to="a@example.org", kind="test", key="plain", subject="S", body="B")

    assert email.headers == {}
