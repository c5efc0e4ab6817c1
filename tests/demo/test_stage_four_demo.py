import datetime

import pytest
from django.core.management import call_command
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from contact.models import Contact, ContactParticipant, MatchCheckIn, Post
from diffusion.models import ChangeStory, Community, HomeCommitment, ReportBack, SharingItem
from evaluation import queries as evaluation_queries
from evaluation.models import LearningObjective, ObjectiveCategory, Reflection
from initiatives import road_map
from initiatives.models import (
    Attendance,
    Event,
    Initiative,
    Invitation,
    Membership,
    PeerContract,
    Role,
    Stage,
    StageChange,
)
from matching.models import Match, MatchMember, MatchRun
from peerlearn.models import AuditEntry, OutboxEmail, User

SECOND = "Budget Transparency and Integrity Network 2025–2026"
PASSWORD = "peerlearn-demo"


@pytest.fixture
def second(db):
    call_command("load_demo")
    return Initiative.objects.get(title=SECOND)


def sign_in(client, name):
    client.post("/accounts/login/", {"login": f"{name}@demo.peerlearn.test", "password": PASSWORD})


def days_ago(moment):
    return (timezone.localdate() - timezone.localdate(moment)).days


def test_second_demo_initiative_reached_stage_four_over_eighteen_months(second):
    stages = list(second.stage_changes.order_by("changed_at").values_list("to_stage", flat=True))
    first_change = second.stage_changes.order_by("changed_at").first()

    assert second.stage == Stage.DIFFUSION
    assert stages == [Stage.FOUNDATION, Stage.SUSTAINED_CONTACT, Stage.LEARNING_OUTCOMES, 4]
    assert 500 < days_ago(first_change.changed_at) < 600
    assert days_ago(second.stage_changes.get(to_stage=Stage.DIFFUSION).changed_at) == 120
    peers = second.memberships.peers()
    assert peers.count() == 24
    assert peers.values("home_organisation").distinct().count() == 8
    assert peers.values("home_organisation__country").distinct().count() == 8
    authorisers = second.memberships.filter(role=Role.AUTHORISER, status="active")
    assert authorisers.values("authorised_organisations").distinct().count() == 8


def test_second_demo_shows_every_link_of_the_chain(second):
    invitations = Invitation.objects.filter(membership__initiative=second)
    run = second.match_runs.get()
    objectives = LearningObjective.objects.filter(initiative=second)
    reflections = Reflection.objects.filter(initiative=second)
    commitments = HomeCommitment.objects.filter(membership__initiative=second)
    report_backs = ReportBack.objects.filter(initiative=second)
    stories = ChangeStory.objects.filter(initiative=second)

    assert invitations.filter(accepted_at=None).count() == 3
    assert all(days_ago(i.created_at) > 500 for i in invitations)
    assert run.status == MatchRun.Status.PUBLISHED and days_ago(run.published_at) == 500
    assert run.matches.filter(status=Match.Status.ENDED).count() == 3
    assert Event.objects.get(initiative=second).attendance.filter(present=True).count() == 18
    contracts = PeerContract.objects.filter(membership__initiative=second)
    assert contracts.signed().count() == 18
    assert contracts.exclude(countersigned_at=None).count() == 16
    assert Contact.objects.filter(initiative=second).count() > 100
    assert Post.objects.filter(initiative=second).count() == 6
    assert set(objectives.values_list("status", flat=True)) == set(LearningObjective.Status)
    assert set(objectives.values_list("category", flat=True)) == set(LearningObjective.Category)
    wide = objectives.initiative_wide()
    assert wide.count() == 2
    assert objectives.filter(adopted_from__in=wide).count() == 14
    assert ObjectiveCategory.objects.filter(initiative=second).count() == 1
    assert reflections.filter(match=None, shared_with_facilitators=False).exists()
    assert reflections.filter(match=None, shared_with_facilitators=True).exists()
    assert reflections.exclude(match=None).exists()
    assert reflections.filter(share_with_authoriser=True).exists()
    assert commitments.count() == 18
    assert commitments.exclude(countersigned_at=None).count() == 14
    assert SharingItem.objects.filter(membership__initiative=second).count() == 21
    assert set(report_backs.values_list("format", flat=True)) == set(ReportBack.Format)
    assert all(r.colleagues_reached > 0 and r.audience_size > 0 for r in report_backs)
    assert stories.count() == 4
    assert stories.exclude(verified_on=None).count() == 2
    community = Community.objects.get(initiative=second)
    assert community.peers.count() == 3 and len(community.colleague_names) == 5


def _sustained(initiative):
    """Peers with a confirmed contact in each of three consecutive calendar months."""
    months = {}
    confirmed = ContactParticipant.objects.filter(
        contact__initiative=initiative, status=ContactParticipant.Status.CONFIRMED
    ).values_list("membership_id", "contact__happened_on")
    for membership_id, happened_on in confirmed:
        months.setdefault(membership_id, set()).add(happened_on.year * 12 + happened_on.month)
    return {
        membership_id
        for membership_id, seen in months.items()
        if any(month + 1 in seen and month + 2 in seen for month in seen)
    }


def funnel(initiative):
    peers = initiative.memberships.peers()
    survey = initiative.surveys.pre_event().get()
    return [
        set(peers.values_list("pk", flat=True)),
        set(survey.responses.submitted().values_list("membership_id", flat=True)),
        set(
            MatchMember.objects.filter(
                match__run__initiative=initiative,
                match__status__in=[Match.Status.PUBLISHED, Match.Status.ENDED],
            ).values_list("membership_id", flat=True)
        ),
        set(
            Attendance.objects.filter(event__initiative=initiative, present=True).values_list(
                "membership_id", flat=True
            )
        ),
        _sustained(initiative),
        set(
            LearningObjective.objects.filter(initiative=initiative, status="achieved")
            .of_peers()
            .values_list("membership_id", flat=True)
        ),
        set(
            ReportBack.objects.filter(initiative=initiative).values_list("membership_id", flat=True)
        ),
    ]


def test_second_demo_funnel_narrows_at_every_step(second):
    steps = funnel(second)

    counts = [len(step) for step in steps]
    assert counts == [24, 20, 20, 18, 14, 12, 5]
    assert all(later <= earlier for earlier, later in zip(steps, steps[1:], strict=False))
    funnel_indicators = sorted(
        (entry for entry in road_map.registered_indicators() if entry.funnel is not None),
        key=lambda entry: entry.funnel,
    )
    registered = [entry.measure(road_map.Scope(second)) for entry in funnel_indicators]
    assert registered == sorted(registered, reverse=True)


def test_second_demo_chain_breaks_between_achieving_and_sharing_in_two_countries(second):
    by_country = {}
    for objective in LearningObjective.objects.filter(
        initiative=second, status="achieved"
    ).select_related("membership__home_organisation"):
        if objective.membership:
            country = objective.membership.home_organisation.country
            by_country.setdefault(country, [0, 0])[0] += 1
    for report_back in ReportBack.objects.filter(initiative=second).select_related(
        "membership__home_organisation"
    ):
        by_country.setdefault(report_back.membership.home_organisation.country, [0, 0])[1] += 1

    broken = sorted(country for country, (achieved, held) in by_country.items() if not held)
    assert broken == ["Morocco", "Ukraine"]
    assert min(by_country[country][0] for country in broken) >= 3
    assert HomeCommitment.objects.filter(
        membership__home_organisation__country="Ukraine", countersigned_at=None
    ).exists()


def test_demo_peer_opens_the_stage_three_and_four_pages(client, second):
    sign_in(client, "peer01")
    story = ChangeStory.objects.filter(initiative=second).first()
    names = [
        "evaluation:objectives",
        "evaluation:objective_new",
        "evaluation:reflections",
        "evaluation:reflection_new",
        "diffusion:mine",
        "diffusion:plan_add",
        "diffusion:report_back_add",
        "diffusion:stories",
        "diffusion:communities",
    ]

    pages = {name: client.get(reverse(name, args=[second.pk])) for name in names}
    story_page = client.get(reverse("diffusion:story", args=[second.pk, story.pk]))

    assert {name: page.status_code for name, page in pages.items()} == dict.fromkeys(names, 200)
    assert story_page.status_code == 200
    assert "Budget Transparency Circle" in pages["diffusion:communities"].text
    assert "Open budget data: what our neighbours taught us" in pages["diffusion:mine"].text


def test_demo_authoriser_opens_the_stage_three_and_four_pages(client, second):
    sign_in(client, "authoriser01")
    names = [
        "evaluation:authorised_objectives",
        "diffusion:index",
        "diffusion:commitments",
        "diffusion:stories",
        "diffusion:communities",
    ]

    pages = {name: client.get(reverse(name, args=[second.pk])) for name in names}

    assert {name: page.status_code for name, page in pages.items()} == dict.fromkeys(names, 200)
    assert "Countersign</button>" in pages["diffusion:commitments"].text
    authorised = Membership.objects.authorised_by(
        User.objects.get(email="authoriser01@demo.peerlearn.test")
    )
    assert authorised.filter(initiative=second).count() == 3


def test_demo_facilitator_opens_every_tab_of_the_second_initiative(client, second):
    sign_in(client, "facilitator")
    urls = [url for _group, links in road_map.navigation(second, "") for _label, url, _on in links]

    statuses = {url: client.get(url).status_code for url in urls}

    assert len(urls) > 15
    assert statuses == dict.fromkeys(urls, 200)


def test_no_private_reflection_of_one_peer_is_readable_by_another(client, second):
    private = Reflection.objects.filter(
        initiative=second, match=None, shared_with_facilitators=False
    )
    peers = second.memberships.peers().filter(status=Membership.Status.ACTIVE)

    for membership in peers:
        readable = evaluation_queries.reflections_for_peer(membership)
        others = private.exclude(membership=membership)
        assert not readable.filter(pk__in=others).exists()
    sign_in(client, "peer01")
    page = client.get(reverse("evaluation:reflections", args=[second.pk]))
    shown = list(page.context["page"])
    peer01 = peers.get(user__email="peer01@demo.peerlearn.test")
    assert shown
    assert all(r.membership_id == peer01.pk or r.match_id is not None for r in shown)
    assert not any(
        r.membership_id != peer01.pk and r.match_id is None and not r.shared_with_facilitators
        for r in shown
    )


SCOPED = [
    (Membership, "initiative"),
    (Invitation, "membership__initiative"),
    (MatchRun, "initiative"),
    (Match, "run__initiative"),
    (Event, "initiative"),
    (Attendance, "event__initiative"),
    (PeerContract, "membership__initiative"),
    (Contact, "initiative"),
    (ContactParticipant, "contact__initiative"),
    (MatchCheckIn, "match__run__initiative"),
    (Post, "initiative"),
    (StageChange, "initiative"),
    (LearningObjective, "initiative"),
    (ObjectiveCategory, "initiative"),
    (Reflection, "initiative"),
    (HomeCommitment, "membership__initiative"),
    (SharingItem, "membership__initiative"),
    (ReportBack, "initiative"),
    (ChangeStory, "initiative"),
    (Community, "initiative"),
]


def _counts(initiative):
    return {
        model.__name__: model.objects.filter(**{path: initiative}).count() for model, path in SCOPED
    }


def test_load_demo_twice_keeps_one_of_everything_in_the_second_initiative(second):
    before = _counts(second)
    users = User.objects.count()
    audit = AuditEntry.objects.count()
    emails = OutboxEmail.objects.count()

    call_command("load_demo")

    assert Initiative.objects.filter(title=SECOND).count() == 1
    assert _counts(second) == before
    assert (User.objects.count(), AuditEntry.objects.count()) == (users, audit)
    assert OutboxEmail.objects.count() == emails


def test_second_demo_queues_no_email_and_leaves_the_sweeps_nothing_to_send(second):
    from contact import services as contact_services

    pending = OutboxEmail.objects.filter(status=OutboxEmail.Status.PENDING)
    second_peers = second.memberships.values_list("user__email", flat=True)
    only_second = set(second_peers) - set(
        Membership.objects.exclude(initiative=second).values_list("user__email", flat=True)
    )

    assert not pending.filter(to__in=only_second).exists()
    before = MatchCheckIn.objects.filter(match__run__initiative=second).count()
    contact_services.send_match_check_ins()
    contact_services.nudge_quiet_matches()
    assert MatchCheckIn.objects.filter(match__run__initiative=second).count() == before
    assert not OutboxEmail.objects.filter(
        Q(kind="contact_nudge") | Q(kind="match_check_in"), to__in=only_second
    ).exists()


def test_second_demo_dates_read_as_a_story(second):
    run = second.match_runs.get()
    kick_off = Event.objects.get(initiative=second)
    achieved = LearningObjective.objects.filter(initiative=second, status="achieved").of_peers()
    held = ReportBack.objects.filter(initiative=second).values_list("held_on", flat=True)
    today = timezone.localdate()

    assert run.published_at < kick_off.starts_at
    assert all(
        today - datetime.timedelta(days=300) <= o.status_changed_on <= today for o in achieved
    )
    assert all(today - datetime.timedelta(days=120) <= day <= today for day in held)
