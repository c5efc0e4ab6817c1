"""The evaluation dashboard: indicators on known data, filters, the funnel and where the
chain breaks, exports, and what authorisers see."""

import datetime
from io import BytesIO

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from contact.models import Contact, ContactParticipant
from diffusion.models import Community, ReportBack
from evaluation import dashboard
from evaluation.models import LearningObjective
from initiatives.models import Attendance, Event, Membership, Role
from initiatives.road_map import Scope, indicators, registered_indicators
from matching.models import Match, MatchMember, MatchRun
from surveys.models import Response, Survey

from ..factories import MembershipFactory
from .factories import membership_of

JAN = datetime.date(2025, 1, 10)


def _at(day):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(12)))


def surveyed(membership, day=JAN):
    survey, _created = Survey.objects.get_or_create(
        initiative=membership.initiative,
        purpose=Survey.Purpose.PRE_EVENT,
        defaults={"title": "Before we meet"},
    )
    Response.objects.create(survey=survey, membership=membership, submitted_at=_at(day))


def matched(*memberships, day=JAN):
    run = MatchRun.objects.create(
        initiative=memberships[0].initiative,
        status=MatchRun.Status.PUBLISHED,
        published_at=_at(day),
    )
    match = Match.objects.create(run=run, number=1, status=Match.Status.PUBLISHED)
    MatchMember.objects.bulk_create(MatchMember(match=match, membership=m) for m in memberships)
    return match


def attended(membership, *, present=True, day=JAN):
    event, _created = Event.objects.get_or_create(
        initiative=membership.initiative,
        title=f"Kick-off {day}",
        defaults={"kind": "large_group", "starts_at": _at(day), "ends_at": _at(day)},
    )
    Attendance.objects.create(
        event=event, membership=membership, present=present, recorded_at=_at(day)
    )


def contact(membership, day, *, status="confirmed"):
    logged = Contact.objects.create(
        initiative=membership.initiative, happened_on=day, note="A call"
    )
    ContactParticipant.objects.create(contact=logged, membership=membership, status=status)
    return logged


def in_months(membership, *months, year=2025):
    for month in months:
        contact(membership, datetime.date(year, month, 5))


def achieved(membership, day=datetime.date(2025, 5, 1)):
    return LearningObjective.objects.create(
        initiative=membership.initiative,
        membership=membership,
        category="technical",
        description="Learn accrual accounting",
        status=LearningObjective.Status.ACHIEVED,
        status_changed_on=day,
    )


def reported_back(membership, day=datetime.date(2025, 6, 1), reached=12):
    return ReportBack.objects.create(
        initiative=membership.initiative,
        membership=membership,
        held_on=day,
        format=ReportBack.Format.PRESENTATION,
        title="What we learned",
        audience_size=reached + 3,
        colleagues_reached=reached,
    )


def chain_world(world):
    """Three peers: one goes the whole way, one stops after two months of contact, one
    was only invited. Returns (peer, peer_elsewhere, invited_only)."""
    peer = membership_of(world, world.peer)
    elsewhere = membership_of(world, world.peer_elsewhere)
    invited_only = MembershipFactory(
        initiative=world.initiative,
        home_organisation=world.elsewhere,
        status=Membership.Status.INVITED,
    )
    for membership in (peer, elsewhere):
        surveyed(membership)
        attended(membership)
    matched(peer, elsewhere)
    in_months(peer, 2, 3, 4)
    in_months(elsewhere, 2, 3)
    achieved(peer)
    reported_back(peer)
    reported_back(peer, datetime.date(2025, 7, 1), reached=8)
    return peer, elsewhere, invited_only


def funnel_values(scope):
    return [step.value for step in dashboard.funnel(scope)]


# --- indicators on known data ---


def test_indicators_of_an_empty_initiative_are_zero(world):
    world.initiative.memberships.filter(role=Role.PEER).delete()

    values = indicators(Scope(world.initiative))

    assert set(values) == {entry.name for entry in registered_indicators()}
    assert set(values.values()) == {0}


def test_empty_initiative_says_the_chain_has_not_started(world):
    world.initiative.memberships.filter(role=Role.PEER).delete()

    words = dashboard.where_it_breaks(dashboard.funnel(Scope(world.initiative)))

    assert words == ("No peer reached any step of the chain in this period, so it cannot break.")


def test_funnel_counts_distinct_peers_at_each_step(world):
    chain_world(world)

    steps = funnel_values(Scope(world.initiative))

    # invited, surveyed, matched, attended, sustained, achieved, shared back home
    assert steps == [3, 2, 2, 2, 1, 1, 1]


def test_every_funnel_step_has_a_definition_and_an_objective():
    steps = dashboard.funnel_indicators()

    assert [step.name for step in steps] == [
        "peers_invited",
        "peers_surveyed",
        "peers_matched",
        "peers_attended",
        "peers_in_sustained_contact",
        "peers_achieved",
        "peers_shared_back",
    ]
    assert all(step.definition and step.objective for step in steps)


def test_where_the_chain_breaks_names_the_largest_relative_drop(world):
    chain_world(world)

    words = dashboard.where_it_breaks(dashboard.funnel(Scope(world.initiative)))

    assert words == (
        "The chain breaks most between “Peers who attended an event” and “Peers in "
        "sustained contact”: of 2 peers, 1 went on (50%); 50% were lost at this step."
    )


def test_break_is_found_when_nobody_was_invited_in_the_period(world):
    chain_world(world)  # the peers were invited today, after 2025
    year = Scope(world.initiative, start=datetime.date(2025, 1, 1), end=datetime.date(2026, 1, 1))

    drop = dashboard.largest_drop(dashboard.funnel(year))

    assert (drop.upper.indicator.name, drop.lower.indicator.name) == (
        "peers_attended",
        "peers_in_sustained_contact",
    )


def test_chain_that_loses_no_peer_holds(world):
    peer = membership_of(world, world.peer)
    world.initiative.memberships.filter(role=Role.PEER).exclude(pk=peer.pk).delete()

    words = dashboard.where_it_breaks(dashboard.funnel(Scope(world.initiative))[:1])

    assert words == "The chain holds: no step loses peers in this period."


def test_report_backs_and_colleagues_reached_add_up(world):
    chain_world(world)

    values = indicators(Scope(world.initiative), {"report_backs_held", "colleagues_reached"})

    assert values == {"report_backs_held": 2, "colleagues_reached": 20}


def test_sustained_contact_needs_three_consecutive_months(world):
    peer = membership_of(world, world.peer)
    elsewhere = membership_of(world, world.peer_elsewhere)
    in_months(peer, 1, 2, 4, 5)  # never three in a row
    in_months(elsewhere, 11, 12)
    in_months(elsewhere, 1, year=2026)  # across the new year

    values = indicators(Scope(world.initiative), {"peers_in_sustained_contact"})

    assert values == {"peers_in_sustained_contact": 1}


def test_declined_contact_does_not_sustain_contact(world):
    peer = membership_of(world, world.peer)
    in_months(peer, 1, 2)
    contact(peer, datetime.date(2025, 3, 5), status=ContactParticipant.Status.DECLINED)

    values = indicators(Scope(world.initiative), {"peers_in_sustained_contact"})

    assert values == {"peers_in_sustained_contact": 0}


def test_missing_join_date_counts_only_without_a_period(world):
    # The world's peers are active without the day they joined.
    whole = indicators(Scope(world.initiative), {"peers_accepted"})
    period = indicators(
        Scope(world.initiative, start=datetime.date(2025, 1, 1), end=datetime.date(2026, 1, 1)),
        {"peers_accepted"},
    )

    assert (whole, period) == ({"peers_accepted": 2}, {"peers_accepted": 0})


def test_match_without_publication_date_counts_only_without_a_period(world):
    match = matched(membership_of(world, world.peer), membership_of(world, world.peer_elsewhere))
    MatchRun.objects.filter(pk=match.run_id).update(published_at=None)
    year = Scope(world.initiative, start=datetime.date(2025, 1, 1), end=datetime.date(2026, 1, 1))

    whole = indicators(Scope(world.initiative), {"peers_matched"})
    period = indicators(year, {"peers_matched"})

    assert (whole, period) == ({"peers_matched": 2}, {"peers_matched": 0})


def test_withdrawn_peer_leaves_the_funnel(world):
    chain_world(world)
    Membership.objects.filter(user=world.peer, role=Role.PEER).update(
        status=Membership.Status.WITHDRAWN
    )

    steps = funnel_values(Scope(world.initiative))

    assert steps == [2, 1, 1, 1, 0, 0, 0]


def test_community_members_count_peers_and_named_colleagues(world):
    community = Community.objects.create(
        initiative=world.initiative,
        name="Arrears circle",
        home_organisation=world.home,
        colleagues="Ana\n\n  Ion  \n",
        founded_on=JAN,
    )
    community.peers.add(membership_of(world, world.peer))

    values = indicators(Scope(world.initiative), {"communities_founded", "community_members"})

    assert values == {"communities_founded": 1, "community_members": 3}


# --- filters ---


def test_organisation_filter_counts_only_its_peers(world):
    chain_world(world)

    home = funnel_values(Scope(world.initiative, world.home))
    elsewhere = funnel_values(Scope(world.initiative, world.elsewhere))

    assert home == [1, 1, 1, 1, 1, 1, 1]
    assert elsewhere == [2, 1, 1, 1, 0, 0, 0]


def test_period_filter_counts_what_happened_within_it(world):
    chain_world(world)
    spring = Scope(world.initiative, start=datetime.date(2025, 3, 1), end=datetime.date(2025, 7, 1))

    values = indicators(
        spring,
        {"contacts_logged", "peers_in_sustained_contact", "report_backs_held", "peers_surveyed"},
    )

    assert values == {
        "contacts_logged": 3,  # March and April of one peer, March of the other
        "peers_in_sustained_contact": 0,  # February falls outside
        "report_backs_held": 1,
        "peers_surveyed": 0,
    }


def test_trend_sums_months_of_the_period(world):
    chain_world(world)
    scope = Scope(world.initiative, start=datetime.date(2025, 1, 1), end=datetime.date(2025, 7, 1))

    trend = dashboard.trends(scope, ["interaction"])["interaction"]

    assert [period.start.month for period in trend.periods] == [1, 2, 3, 4, 5, 6]
    assert [(entry.name, values) for entry, values in trend.lines] == [
        ("contacts_logged", [0, 2, 2, 1, 0, 0])
    ]


def test_long_period_trend_is_per_quarter(world):
    chain_world(world)
    scope = Scope(world.initiative, start=datetime.date(2024, 1, 1), end=datetime.date(2026, 1, 1))

    trend = dashboard.trends(scope, ["interaction"])["interaction"]

    assert [period.label for period in trend.periods][-4:] == [
        "Q1 2025",
        "Q2 2025",
        "Q3 2025",
        "Q4 2025",
    ]
    assert trend.lines[0][1][-4:] == [4, 1, 0, 0]


# --- the page ---


def dashboard_url(world, **query):
    url = reverse("evaluation:dashboard", args=[world.initiative.pk])
    return url + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def test_dashboard_shows_the_chain_the_break_and_the_funnel(client, world):
    chain_world(world)
    client.force_login(world.facilitator)

    response = client.get(dashboard_url(world))

    content = response.content.decode()
    assert response.status_code == 200
    assert "Sustained individual contacts" in content
    assert "Peers in sustained contact" in content
    assert "The chain breaks most between" in content
    assert reverse("diffusion:report_backs", args=[world.initiative.pk]) in content
    assert reverse("evaluation:funnel_chart", args=[world.initiative.pk]) in content


def test_dashboard_refuses_a_period_ending_before_it_starts(client, world):
    client.force_login(world.facilitator)

    response = client.get(dashboard_url(world, since="2025-05-01", until="2025-04-01"))

    assert response.status_code == 200
    assert "The end of the period cannot be before its start." in response.content.decode()
    assert response.context["board"].scope == Scope(world.initiative)


def test_dashboard_refuses_an_organisation_without_peers_here(client, world):
    client.force_login(world.facilitator)

    response = client.get(dashboard_url(world, organisation=world.initiative.organisation.pk))

    assert response.status_code == 200
    assert response.context["form"].errors["organisation"]
    assert response.context["board"].scope == Scope(world.initiative)


def test_dashboard_filters_reach_the_figures(client, world):
    chain_world(world)
    client.force_login(world.facilitator)

    response = client.get(
        dashboard_url(world, organisation=world.home.pk, since="2025-03-01", until="2025-06-30")
    )

    board = response.context["board"]
    assert board.scope == Scope(
        world.initiative, world.home, datetime.date(2025, 3, 1), datetime.date(2025, 7, 1)
    )
    assert [step.value for step in board.funnel] == [0, 0, 0, 0, 0, 1, 1]


@pytest.mark.parametrize("peers", [1, 40])
def test_dashboard_queries_do_not_grow_with_peers(
    client, world, peers, django_assert_max_num_queries
):
    chain_world(world)
    more = MembershipFactory.create_batch(peers, initiative=world.initiative)
    for membership in more:
        surveyed(membership)
        in_months(membership, 1, 2, 3)
        reported_back(membership)
    client.force_login(world.facilitator)

    with django_assert_max_num_queries(45):
        response = client.get(dashboard_url(world))

    assert response.status_code == 200


def test_funnel_chart_is_an_svg_image(client, world):
    chain_world(world)
    client.force_login(world.facilitator)

    response = client.get(reverse("evaluation:funnel_chart", args=[world.initiative.pk]))

    assert response["Content-Type"] == "image/svg+xml"
    assert b"<script" not in response.content
    assert "Peers in sustained contact" in response.content.decode()


def test_a_chart_asked_again_unchanged_is_not_sent_again(client, world):
    chain_world(world)
    client.force_login(world.facilitator)
    url = reverse("evaluation:funnel_chart", args=[world.initiative.pk])

    first = client.get(url)
    again = client.get(url, headers={"if-none-match": first["ETag"]})

    assert first.status_code == 200 and "max-age=60" in first["Cache-Control"]
    assert again.status_code == 304 and again.content == b""


def test_trend_chart_of_an_unknown_dimension_is_not_found(client, world):
    client.force_login(world.facilitator)

    response = client.get(
        reverse("evaluation:trend_chart", args=[world.initiative.pk, "happiness"])
    )

    assert response.status_code == 404


# --- exports ---


def csv_rows(response):
    return [line.split(",") for line in response.content.decode("utf-8-sig").splitlines()]


def test_csv_export_holds_every_figure_shown(client, world):
    chain_world(world)
    client.force_login(world.facilitator)

    response = client.get(reverse("evaluation:dashboard_csv", args=[world.initiative.pk]))

    rows = csv_rows(response)
    assert rows[0] == ["section", "group", "figure", "period", "value"]
    chain = [row for row in rows if row[0] == "Chain"]
    funnel = [row for row in rows if row[0] == "Funnel"]
    assert len(chain) == len(registered_indicators())
    assert [row[4] for row in funnel] == ["3", "2", "2", "2", "1", "1", "1"]
    assert any(row[0] == "Trend" for row in rows)


def test_xlsx_export_respects_the_filters(client, world):
    chain_world(world)
    client.force_login(world.facilitator)

    response = client.get(
        reverse("evaluation:dashboard_xlsx", args=[world.initiative.pk]),
        {"organisation": world.elsewhere.pk},
    )

    sheet = load_workbook(BytesIO(response.content)).active
    funnel = [row[4] for row in sheet.iter_rows(values_only=True) if row[0] == "Funnel"]
    assert funnel == [2, 1, 1, 1, 0, 0, 0]


# --- authorisers ---


def test_authoriser_sees_only_their_own_organisation(client, world):
    chain_world(world)
    client.force_login(world.authoriser)

    response = client.get(dashboard_url(world))

    board = response.context["board"]
    assert board.scope.organisation == world.home
    assert [step.value for step in board.funnel] == [1, 1, 1, 1, 1, 1, 1]
    assert list(response.context["form"].fields["organisation"].queryset) == [world.home]
    assert reverse("diffusion:report_backs", args=[world.initiative.pk]) not in (
        response.content.decode()
    )


def test_authoriser_finds_the_dashboard_on_the_initiative_page(client, world):
    client.force_login(world.authoriser)

    response = client.get(reverse("initiatives:detail", args=[world.initiative.pk]))

    assert reverse("evaluation:dashboard", args=[world.initiative.pk]) in response.text


def test_authoriser_asking_for_another_organisation_is_not_found(client, world):
    client.force_login(world.authoriser)

    for name in ("evaluation:dashboard", "evaluation:dashboard_csv", "evaluation:funnel_chart"):
        response = client.get(
            reverse(name, args=[world.initiative.pk]), {"organisation": world.elsewhere.pk}
        )

        assert response.status_code == 404


def test_peer_may_not_open_the_dashboard(client, world):
    client.force_login(world.peer)

    response = client.get(dashboard_url(world))

    assert response.status_code == 403
