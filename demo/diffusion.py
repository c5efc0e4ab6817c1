"""Stage 4 of the second demo initiative: home commitments countersigned by the
authorisers, sharing plans, report-back sessions, stories of change and a local community
of practice in Moldova.

The chain breaks where a dashboard should show it: in Ukraine and Morocco the peers
achieved their objectives, but no report-back was held. Ukraine's commitments wait for
the countersignature of a new director, Morocco's grant no time for sharing, and their
plans' dates have passed. Everything goes through the diffusion services; the dates they
set to "now" are then moved back to when each thing happened.
"""

from decimal import Decimal

from diffusion import services
from diffusion.models import ChangeStory, HomeCommitment, ReportBack, SharingItem
from initiatives.models import PeerContract, Stage
from initiatives.services.contracts import authorisers_of

from .contact import day, happened, moment
from .second import MOVED_TO_DIFFUSION, Cast, _country, move

COMMITMENTS_SET = MOVED_TO_DIFFUSION - 6
Format = ReportBack.Format


def load_diffusion(initiative, facilitator):
    """Move the second demo initiative into stage 4, four months ago, with what its peers
    carried home since. Once: nothing when it is in stage 4 already. Side effects: no
    email."""
    if initiative.stage >= Stage.DIFFUSION:
        return
    move(initiative, facilitator, Stage.DIFFUSION, MOVED_TO_DIFFUSION)
    cast = Cast(initiative)
    commitments(initiative, facilitator)
    items = plans(cast)
    report_backs(cast, items)
    stories(initiative, facilitator, cast)
    community(initiative, cast)


# --- home commitments ---


def commitments(initiative, facilitator):
    """A commitment for every peer with a contract, set by their authoriser from the
    contract's note and countersigned a few days later, except: Ukraine's, drafted by the
    facilitator for a new director who has not countersigned; Morocco's, countersigned but
    without time for sharing; one in Moldova, changed last week and waiting for the demo
    authoriser."""
    contracts = (
        PeerContract.objects.filter(membership__initiative=initiative, signed_at__isnull=False)
        .select_related("membership__user", "membership__home_organisation")
        .order_by("membership__user__email")
    )
    for number, contract in enumerate(contracts):
        membership = contract.membership
        authoriser = authorisers_of(membership).select_related("user").first().user
        country = _country(membership)
        ukraine = country == "Ukraine"
        fields = {
            "mandate": contract.mandate_note
            or "Bring back what works elsewhere and share it with your department.",
            "report_back_required": True,
            "hours_per_month": None if country == "Morocco" else Decimal(4 + number % 3 * 2),
        }
        with happened(COMMITMENTS_SET - number % 4, 10):
            commitment = services.set_commitment(
                membership=membership, by=facilitator if ukraine else authoriser, **fields
            )
        set_at = moment(COMMITMENTS_SET - number % 4, 10)
        HomeCommitment.objects.filter(pk=commitment.pk).update(updated_at=set_at)
        if ukraine:
            continue
        signed_ago = COMMITMENTS_SET - number % 4 - 3
        with happened(signed_ago, 16):
            services.countersign_commitment(commitment=commitment, by=authoriser)
        HomeCommitment.objects.filter(pk=commitment.pk).update(
            countersigned_at=moment(signed_ago, 16)
        )
    waiting = contracts.filter(membership__user__email="peer32@demo.peerlearn.test").first()
    if waiting is not None:
        membership = waiting.membership
        with happened(6, 9):
            commitment = services.set_commitment(
                membership=membership,
                by=authorisers_of(membership).first().user,
                mandate=membership.home_commitment.mandate
                + "\nPresent the audit follow-up register to the management board.",
                report_back_required=True,
                hours_per_month=Decimal(6),
            )
        HomeCommitment.objects.filter(pk=commitment.pk).update(updated_at=moment(6, 9))


# --- sharing plans and report-backs ---

# (what, with whom, how) in turn.
PLANS = [
    (
        "How my pair publishes the budget as open data",
        "The budget department (about 40 people)",
        "A presentation at the monthly staff meeting",
    ),
    (
        "The audit follow-up register and how to keep it up to date",
        "Heads of the audit teams",
        "Group learning: two afternoons working on our own register",
    ),
    (
        "Red-flag indicators for procurement data",
        "Analysts of the monitoring unit",
        "A written note and a workshop",
    ),
    (
        "What the budget committee reads, and what it skips",
        "The management board",
        "A ten-minute briefing",
    ),
]


def plans(cast):
    """Every peer who kept in touch has a plan: the sharers' first items became their
    report-backs; in Ukraine and Morocco the items' dates passed with nothing held."""
    items = {}
    breaking = {m.pk for m in cast.breaking}
    for index, membership in enumerate(cast.sustained):
        what, audience, means = PLANS[index % len(PLANS)]
        planned_ago = 70 - index * 3 if membership.pk in breaking else 60 - index * 4
        first = _plan(membership, what, audience, means, planned_ago, MOVED_TO_DIFFUSION - 10)
        items[membership.pk] = first
        if index % 2 == 0:
            what, audience, means = PLANS[(index + 1) % len(PLANS)]
            _plan(membership, what, audience, means, -30 - index * 5, 40)
    return items


def _plan(membership, what, audience, means, planned_ago, written_ago):
    with happened(written_ago, 13):
        item = services.add_sharing_item(
            membership=membership,
            by=membership.user,
            what=what,
            audience=audience,
            means=means,
            planned_for=day(planned_ago),
        )
    SharingItem.objects.filter(pk=item.pk).update(created_at=moment(written_ago, 13))
    return item


# (format, title, audience size, colleagues reached, names) in turn; peer01 has two.
REPORT_BACKS = [
    (
        Format.PRESENTATION,
        "Open budget data: what our neighbours taught us",
        42,
        38,
        "Ion Popescu\nMaria Lungu\nSergiu Rotaru",
        "How Kenya and Albania publish budget data, what it costs, and a plan to publish "
        "our monthly execution report as open data from next month.",
    ),
    (
        Format.GROUP_LEARNING,
        "Two afternoons on checking asset declarations by risk",
        12,
        12,
        "",
        "The analysts tried the risk rules a peer's agency uses on last year's declarations.",
    ),
    (
        Format.WRITTEN_NOTE,
        "Note to the board: a register of audit answers",
        7,
        25,
        "",
        "A four-page note, sent to every head of department, proposing to publish each "
        "recommendation with the ministry's answer.",
    ),
    (
        Format.PRESENTATION,
        "Citizens' budget: lessons from the network",
        30,
        26,
        "",
        "What makes a citizens' budget readable, with examples from three countries.",
    ),
    (
        Format.GROUP_LEARNING,
        "Working session: publishing transfers to municipalities",
        9,
        9,
        "",
        "The fiscal decentralisation team drafted the table of transfers to publish.",
    ),
]
SECOND_FOR_PEER01 = (
    Format.COMMUNITY_MEETING,
    "Budget Transparency Circle: first meeting",
    14,
    11,
    "Ion Popescu\nDoina Cebotari\nVictor Ursu",
    "The circle agreed to review each monthly data release before it goes out.",
)


def report_backs(cast, items):
    for index, membership in enumerate(cast.sharers):
        held_ago = max(60 - index * 4 - 2, 3)
        _report_back(membership, REPORT_BACKS[index], held_ago, items[membership.pk])
    _report_back(cast.peer01, SECOND_FOR_PEER01, 12, None)


def _report_back(membership, details, held_ago, item):
    report_format, title, audience, reached, names, summary = details
    with happened(held_ago - 1, 17):
        made = services.record_report_back(
            membership=membership,
            by=membership.user,
            held_on=day(held_ago),
            format=report_format,
            title=title,
            summary=summary,
            audience_size=audience,
            colleagues_reached=reached,
            colleague_names=names,
            plan_item=item,
        )
    ReportBack.objects.filter(pk=made.pk).update(created_at=moment(held_ago - 1, 17))


# --- stories of change and a local community ---

STORIES = [
    (
        "The budget is published as open data every month",
        "The Ministry publishes the monthly execution report as a data file, not only a "
        "scanned PDF; the budget department now answers journalists with a link.",
        "Requests for information fell by half, and two newspapers now chart the data "
        "themselves. Nobody had to change a law: a peer showed it could be done.",
        ChangeStory.Domain.PROCESSES,
        ("Head of Budget Department", "Deputy Director, Ministry of Finance"),
    ),
    (
        "Ministries now answer audit recommendations within 60 days",
        "The audit office publishes every recommendation with the ministry's answer and a "
        "deadline; the management board reviews the late ones each month.",
        "Before, findings repeated year after year. The register makes silence visible.",
        ChangeStory.Domain.POLICY,
        ("Tamar Beridze", "Head of Quality Control, State Audit Office"),
    ),
    (
        "Our analysts started a coalition with civil society on asset declarations",
        "The Commission meets two NGOs every quarter to agree which declarations to check.",
        "The checks are now chosen by risk, not by who complained loudest.",
        ChangeStory.Domain.RELATIONSHIPS,
        None,
    ),
    (
        "The citizens' budget reached schools",
        "Teachers in three regions use our citizens' budget in civics classes.",
        "It is the first time the Ministry's publications are read outside Tirana.",
        ChangeStory.Domain.CULTURE,
        None,
    ),
]


def stories(initiative, facilitator, cast):
    """Four stories from organisations that reported back; two verified at home."""
    by_country = {}
    for membership in cast.sharers:
        by_country.setdefault(_country(membership), []).append(membership)
    countries = ["Moldova", "Georgia", "Armenia", "Albania"]
    for number, (title, changed, why, domain, verifier) in enumerate(STORIES):
        peers = by_country.get(countries[number]) or [cast.sharers[number % len(cast.sharers)]]
        writer = facilitator if number == 1 else peers[0].user
        written_ago = 40 - number * 8
        with happened(written_ago, 14):
            story = services.write_story(
                initiative=initiative,
                by=writer,
                peers=peers,
                title=title,
                what_changed=changed,
                why_it_matters=why,
                domain=domain,
            )
        ChangeStory.objects.filter(pk=story.pk).update(written_at=moment(written_ago, 14))
        if verifier is not None:
            name, role = verifier
            with happened(written_ago - 5, 10):
                services.verify_story(
                    story=story, by=facilitator, name=name, role=role, on=day(written_ago - 6)
                )


def community(initiative, cast):
    """Moldova's peers and colleagues from three departments keep meeting."""
    peers = initiative.memberships.peers().current().select_related("user", "home_organisation")
    moldova = [m for m in peers if _is_moldovan(m)]
    founder = cast.peer01
    with happened(75, 12):
        services.add_community(
            initiative=initiative,
            by=founder.user,
            peers=sorted(moldova, key=lambda m: m.user.email),
            name="Budget Transparency Circle",
            home_organisation=founder.home_organisation,
            description=(
                "Officials of the budget, treasury and IT departments who publish budget "
                "data, meeting every month to review what goes out and how it is used."
            ),
            colleagues="Ion Popescu\nMaria Lungu\nDoina Cebotari\nVictor Ursu\nSergiu Rotaru",
            founded_on=day(75),
        )


def _is_moldovan(membership):
    return membership.home_organisation is not None and _country(membership) == "Moldova"
