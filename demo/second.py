"""The second demo initiative, eighteen months old and in stage 4 (Diffusion): a budget
transparency and integrity network of 24 peers from 8 home organisations.

This module loads its people and stages 0 to 2 (scoping, invitations, the pre-event
survey, a published run, the foundational event, contracts, contacts, check-ins and
exchanges); demo.learning adds stage 3 and demo.diffusion stage 4. The story, told by
the data: 24 invited, 20 answered the survey and were matched, 18 came to the kick-off,
7 of 10 pairs kept in touch for a year, most of them achieved a learning objective, but
only some carried it home: in Ukraine and Morocco many objectives were achieved and no
report-back was held. Dates are set relative to today so the story reads right.
"""

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.utils import timezone

from contact import services as contact_services
from contact.models import Contact, MatchCheckIn
from initiatives.models import (
    AgendaItem,
    ContractTemplate,
    EngagementOption,
    EngagementSignUp,
    Event,
    Initiative,
    Invitation,
    Membership,
    PeerContract,
    Risk,
    Role,
    Scoping,
    Stage,
    StageChange,
)
from initiatives.models.scoping import Priority
from initiatives.services import move_stage
from initiatives.services.contracts import authorisers_of
from initiatives.services.events import record_attendance
from initiatives.services.scoping import scoping_for
from matching import services as matching_services
from matching.models import Match, MatchRun, PeerProfile
from peerlearn.models import AuditEntry, Organisation, OutboxEmail, TeamMembership
from surveys import services as surveys
from surveys.models import Response

from .contact import answer_check_in, day, group_log, happened, log, moment, post
from .scoping import AUTHORISER, FACILITATOR, PEER, member, person

TITLE = "Budget Transparency and Integrity Network 2025–2026"

# Days ago, oldest first.
STARTED = 560
SCOPED = 552
INVITED = 545
SURVEY_CLOSED = 506
PUBLISHED = 500
KICK_OFF = 493
CONTRACTS_SIGNED = 491
MOVED_TO_CONTACT = 489
MOVED_TO_LEARNING = 300
MOVED_TO_DIFFUSION = 120

Kind = Organisation.Kind
# (name, kind, country): the first, third, fifth and seventh are also in the first demo.
HOME_ORGANISATIONS = [
    ("Ministry of Finance", Kind.MINISTRY, "Moldova"),
    ("Corruption Prevention Commission", Kind.AGENCY, "Armenia"),
    ("State Audit Office", Kind.AUDIT_INSTITUTION, "Georgia"),
    ("Public Procurement Agency", Kind.AGENCY, "Ukraine"),
    ("Ministry of Finance and Economy", Kind.MINISTRY, "Albania"),
    ("Court of Accounts", Kind.AUDIT_INSTITUTION, "Morocco"),
    ("Ministry of Finance and Budget", Kind.MINISTRY, "Senegal"),
    ("Parliamentary Budget Office", Kind.OTHER, "Kenya"),
]
# Where the chain breaks: many objectives achieved, nothing carried home.
BREAK_COUNTRIES = ("Ukraine", "Morocco")

ACTIVE, NEVER_ACCEPTED, NO_SURVEY = "active", "never accepted", "no survey"
# (email, name, home organisation index, languages, what they did); peer01 is the demo peer.
PEERS = [
    (PEER, "Ana Rusu", 0, ["en", "ru", "ro"], ACTIVE),
    ("peer31@demo.peerlearn.test", "Vasile Ciobanu", 0, ["ro", "ru", "en"], ACTIVE),
    ("peer32@demo.peerlearn.test", "Elena Munteanu", 0, ["ro", "en"], ACTIVE),
    ("peer33@demo.peerlearn.test", "Anahit Hakobyan", 1, ["hy", "ru", "en"], ACTIVE),
    ("peer34@demo.peerlearn.test", "Tigran Petrosyan", 1, ["hy", "ru", "en"], ACTIVE),
    ("peer35@demo.peerlearn.test", "Mariam Grigoryan", 1, ["hy", "en"], NEVER_ACCEPTED),
    ("peer36@demo.peerlearn.test", "Tamar Kapanadze", 2, ["ka", "en", "ru"], ACTIVE),
    ("peer37@demo.peerlearn.test", "Davit Lomidze", 2, ["ka", "en"], ACTIVE),
    ("peer38@demo.peerlearn.test", "Nino Gelashvili", 2, ["ka", "en", "ru"], ACTIVE),
    ("peer39@demo.peerlearn.test", "Oksana Melnyk", 3, ["uk", "en", "ru"], ACTIVE),
    ("peer40@demo.peerlearn.test", "Andriy Bondarenko", 3, ["uk", "en"], ACTIVE),
    ("peer41@demo.peerlearn.test", "Kateryna Tkachenko", 3, ["uk", "en", "ru"], ACTIVE),
    ("peer42@demo.peerlearn.test", "Erion Shehu", 4, ["sq", "en"], ACTIVE),
    ("peer43@demo.peerlearn.test", "Blerta Krasniqi", 4, ["sq", "en", "it"], ACTIVE),
    ("peer44@demo.peerlearn.test", "Gentian Dervishi", 4, ["sq", "en"], NEVER_ACCEPTED),
    ("peer45@demo.peerlearn.test", "Khadija El Amrani", 5, ["ar", "fr", "en"], ACTIVE),
    ("peer46@demo.peerlearn.test", "Hicham Bennani", 5, ["ar", "fr", "en"], ACTIVE),
    ("peer47@demo.peerlearn.test", "Samira Ouazzani", 5, ["fr", "ar", "en"], ACTIVE),
    ("peer48@demo.peerlearn.test", "Mamadou Ndiaye", 6, ["fr", "en"], ACTIVE),
    ("peer49@demo.peerlearn.test", "Aminata Sow", 6, ["fr", "en"], NO_SURVEY),
    ("peer50@demo.peerlearn.test", "Cheikh Fall", 6, ["fr", "en"], ACTIVE),
    ("peer51@demo.peerlearn.test", "Wanjiru Kamau", 7, ["en", "sw"], ACTIVE),
    ("peer52@demo.peerlearn.test", "Otieno Odhiambo", 7, ["en", "sw"], ACTIVE),
    ("peer53@demo.peerlearn.test", "Faith Chebet", 7, ["en", "sw"], NEVER_ACCEPTED),
]
# One authoriser per home organisation, in HOME_ORGANISATIONS' order; authoriser01 is
# the demo authoriser (Moldova's Ministry of Finance in both initiatives).
AUTHORISERS = [
    (AUTHORISER, "Director, Ministry of Finance (Moldova)"),
    ("authoriser09@demo.peerlearn.test", "Chair, Corruption Prevention Commission (Armenia)"),
    ("authoriser10@demo.peerlearn.test", "Auditor General, State Audit Office (Georgia)"),
    ("authoriser11@demo.peerlearn.test", "Director, Public Procurement Agency (Ukraine)"),
    ("authoriser12@demo.peerlearn.test", "Secretary General, Ministry of Finance (Albania)"),
    ("authoriser13@demo.peerlearn.test", "First President, Court of Accounts (Morocco)"),
    ("authoriser14@demo.peerlearn.test", "Director of Budget, Ministry of Finance (Senegal)"),
    ("authoriser15@demo.peerlearn.test", "Director, Parliamentary Budget Office (Kenya)"),
]


def load_second_initiative(facilitator):
    """The second demo initiative with its people, and stages 0 to 2 once; the initiative.

    Nothing is made twice: people and memberships are found again, and stages 0 to 2 are
    loaded only while the initiative has not reached stage 2 (everything of load_demo
    runs in one transaction, so a half-loaded initiative never stays behind).
    """
    initiative = initiative_of(facilitator)
    people(initiative, facilitator)
    if initiative.stage >= Stage.SUSTAINED_CONTACT:
        return initiative
    scope(initiative, facilitator)
    move(initiative, facilitator, Stage.FOUNDATION, SCOPED)
    invitations(initiative, facilitator)
    survey(initiative)
    run = publish_matches(initiative, facilitator)
    event = kick_off(initiative, facilitator, run)
    contracts(initiative, event)
    options(initiative, event)
    move(initiative, facilitator, Stage.SUSTAINED_CONTACT, MOVED_TO_CONTACT)
    pairs = Pairs(run)
    contacts(initiative, facilitator, pairs)
    check_ins(run, pairs)
    end_matches(pairs, facilitator)
    exchanges(initiative, facilitator, pairs)
    return initiative


def initiative_of(facilitator):
    secretariat = TeamMembership.objects.get(user=facilitator).organisation
    initiative, created = Initiative.objects.get_or_create(
        organisation=secretariat,
        title=TITLE,
        defaults={
            "description": (
                "Budget, audit, procurement and anti-corruption officials from eight "
                "countries learn from each other how to open budget and procurement data, "
                "follow up audit findings and protect the people who report wrongdoing."
            ),
            "reform_areas": ["anti_corruption", "pfm", "procurement", "audit"],
            "languages": ["en", "fr", "ru"],
            "starts_on": day(STARTED),
            "ends_on": day(-170),
            "stage": Stage.SCOPING,
            "created_by": facilitator,
        },
    )
    if created:
        Initiative.objects.filter(pk=initiative.pk).update(created_at=moment(STARTED + 5))
    member(initiative, facilitator, Role.FACILITATOR)
    return initiative


def organisations():
    return [
        Organisation.objects.home_organisations().get_or_create(
            name=name, country=country, defaults={"kind": kind}
        )[0]
        for name, kind, country in HOME_ORGANISATIONS
    ]


def people(initiative, facilitator):
    """Every peer and authoriser, invited (memberships of those who answered become
    active when their invitation is accepted, below)."""
    homes = organisations()
    for email, name, index, _languages, _did in PEERS:
        member(initiative, person(email, name), Role.PEER, homes[index], Membership.Status.INVITED)
    for (email, name), home in zip(AUTHORISERS, homes, strict=True):
        authoriser = person(email, name)
        membership = member(
            initiative, authoriser, Role.AUTHORISER, home, Membership.Status.INVITED
        )
        membership.authorised_organisations.add(home)


def move(initiative, facilitator, stage, days_ago):
    with happened(days_ago, 9):
        change = move_stage(
            initiative=initiative, to_stage=stage, by=facilitator, acknowledged=True
        )
    StageChange.objects.filter(pk=change.pk).update(changed_at=moment(days_ago, 9))


SCOPING_ANSWERS = {
    "focal_area": (
        "Anti-corruption within public financial management: open budget and procurement "
        "data, follow-up of audit findings, protection of those who report wrongdoing."
    ),
    "existing_networks": (
        "The first budget execution community of practice, and a regional network of "
        "supreme audit institutions that meets once a year."
    ),
    "goals": (
        "Budget and procurement data are published in open formats\n"
        "Audit findings are followed up and the follow-up is published\n"
        "Officials who report wrongdoing are protected"
    ),
    "means": (
        "Pairs of officials working on the same reform in two countries\n"
        "A study visit to an audit office that publishes its follow-up\n"
        "Report-back sessions at home, run by the peers themselves"
    ),
    "assumptions": (
        "Seeing a neighbour publish data makes it easier to argue for it at home\n"
        "Heads of institutions give peers time to share what they learned"
    ),
    "knowledge_gaps": (
        "How to publish procurement data people use; how to get ministries to act on "
        "audit findings; how to run a whistle-blower channel that is trusted."
    ),
    "other_approaches": (
        "Technical assistance wrote the laws; what is missing is the practice of "
        "applying them, which consultants cannot supply."
    ),
    "why_peers": (
        "Learning from officials who opened data under similar politics, and support "
        "for those pushing transparency against resistance."
    ),
    "peer_profile": (
        "Officials of finance ministries, audit offices, procurement and anti-corruption "
        "agencies, three per institution, working in English or French."
    ),
    "attracting_peers": "Invitations through heads of institutions; a pre-event survey.",
    "who_learns_what": (
        "Institutions that publish little learn from those that publish a lot; audit "
        "offices learn follow-up from Georgia's."
    ),
    "impact_on_reform": (
        "Each peer agrees a home commitment with their authoriser and reports back to "
        "colleagues; local communities keep the practice going."
    ),
    "success_measures": (
        "Self-assessments, report-backs held and colleagues reached, and stories of "
        "change verified by someone at home."
    ),
    "engagement_length": "Eighteen months, then a year of diffusion at home.",
    "activities": "A kick-off in Tbilisi, monthly pair calls, a study visit, webinars.",
    "political_challenges": (
        "Publishing audit follow-up embarrasses ministries; two institutions changed "
        "leadership after elections."
    ),
    "logistical_challenges": "Three working languages and time zones from Dakar to Nairobi.",
}


def scope(initiative, facilitator):
    Scoping.objects.get_or_create(
        initiative=initiative,
        defaults={
            **SCOPING_ANSWERS,
            "learning_goals": {
                "experiential_knowledge": Priority.HIGH,
                "support": Priority.HIGH,
                "peer_pressure": Priority.MEDIUM,
            },
        },
    )
    scoping_for(initiative)
    initiative.risks.filter(stage__lte=Stage.SUSTAINED_CONTACT).update(
        status=Risk.Status.MITIGATED, owner=facilitator
    )


# --- invitations and the pre-event survey ---


def invitations(initiative, facilitator):
    """An invitation for everyone, accepted within two weeks, except by three peers.

    The Invitation rows are written directly: their emails went out a year and a half
    ago, so none is queued now."""
    did = {email: what for email, _name, _index, _languages, what in PEERS}
    memberships = initiative.memberships.exclude(role=Role.FACILITATOR).select_related("user")
    for number, membership in enumerate(memberships.order_by("user__email")):
        invitation = Invitation.objects.create(membership=membership, invited_by=facilitator)
        Invitation.objects.filter(pk=invitation.pk).update(created_at=moment(INVITED, 11))
        Membership.objects.filter(pk=membership.pk).update(created_at=moment(INVITED, 11))
        if did.get(membership.user.email) == NEVER_ACCEPTED:
            continue
        accepted = moment(INVITED - 1 - number % 12, 15)
        invitation.mark_accepted(accepted)
        membership.activate(accepted)


# (challenges, tags, position, task, years, background, can offer, wants to learn), in
# PEERS' order of those who answered.
ANSWERS = [
    (
        "Our budget is published as scanned PDFs; nobody outside the ministry can use it.",
        ["pfm", "anti_corruption"],
        "Head of budget transparency unit",
        "Open budget portal",
        14,
        "Economist",
        "A citizens' budget we publish every year",
        "Publishing budget data in open formats",
    ),
    (
        "Ministries do not answer the audit office's recommendations, so findings repeat.",
        ["audit", "pfm"],
        "Head of public internal financial control",
        "Follow-up of audit findings",
        11,
        "Auditor",
        "A register of recommendations and answers",
        "Getting ministries to act on findings",
    ),
    (
        "Procurement plans are not linked to the budget, so contracts exceed allocations.",
        ["procurement", "pfm"],
        "Budget analyst, procurement",
        "Linking procurement plans and budget",
        6,
        "Economist",
        "Budget checks before tenders",
        "Open contracting data",
    ),
    (
        "Asset declarations are filed on paper and never checked.",
        ["anti_corruption"],
        "Head of asset declarations",
        "Electronic asset declarations",
        9,
        "Lawyer",
        "Risk rules for checking declarations",
        "Verifying declarations with other registers",
    ),
    (
        "Officials who report wrongdoing are moved or dismissed; nobody reports any more.",
        ["anti_corruption", "civil_service"],
        "Integrity officer",
        "Whistle-blower protection",
        7,
        "Lawyer",
        "Our new law on whistle-blowers",
        "Running a reporting channel people trust",
    ),
    (
        "We publish audit reports, but not whether their recommendations were followed.",
        ["audit"],
        "Head of audit follow-up",
        "Publishing the follow-up of findings",
        16,
        "Auditor",
        "A follow-up tracker parliament reads",
        "Presenting findings to parliament",
    ),
    (
        "Parliament's committees receive audit reports too late to use them in the budget.",
        ["audit", "democratic"],
        "Senior auditor, financial audit",
        "Timely audit of the annual accounts",
        10,
        "Accountant",
        "Audit planning calendar",
        "Working with parliament's budget committee",
    ),
    (
        "Our performance audits are long and nobody acts on them.",
        ["audit", "performance"],
        "Performance auditor",
        "Shorter performance audits",
        5,
        "Public administration",
        "Two-page audit summaries",
        "Audits that lead to change",
    ),
    (
        "Tender data is open but nobody uses it to spot red flags.",
        ["procurement", "anti_corruption"],
        "Head of procurement monitoring",
        "Red flags in open procurement data",
        8,
        "Data analyst",
        "Our open procurement data set",
        "Red-flag indicators that auditors use",
    ),
    (
        "Single-source contracts grow every year and nobody explains why.",
        ["procurement"],
        "Procurement policy officer",
        "Limiting single-source contracts",
        12,
        "Lawyer",
        "Rules for justified single-source contracts",
        "How others cut single-source procurement",
    ),
    (
        "Complaints about tenders take months; companies stop bidding.",
        ["procurement", "governance"],
        "Head of complaints review",
        "Faster complaints review",
        6,
        "Lawyer",
        "A complaints register",
        "Deciding complaints within 30 days",
    ),
    (
        "Budget documents are published too late for citizens to comment.",
        ["pfm", "civil_society"],
        "Head of budget communication",
        "Budget calendar with public hearings",
        9,
        "Journalist",
        "Plain-language budget guides",
        "Public hearings on the draft budget",
    ),
    (
        "Transfers to municipalities are not reported, so nobody can follow the money.",
        ["pfm", "municipal"],
        "Fiscal decentralisation officer",
        "Reporting transfers to municipalities",
        4,
        "Economist",
        "A formula for transfers",
        "Publishing transfers per municipality",
    ),
    (
        "Our jurisdictional control finds irregularities, but sanctions are rare.",
        ["audit", "justice"],
        "Magistrate, jurisdictional control",
        "Sanctions for irregular spending",
        18,
        "Magistrate",
        "Case law on irregular spending",
        "Following findings through to sanctions",
    ),
    (
        "Audit reports are read by few people; the press picks up the wrong figures.",
        ["audit", "civil_society"],
        "Head of communication",
        "Publishing audit reports for citizens",
        7,
        "Communications",
        "Press briefings on audit reports",
        "Audit summaries citizens read",
    ),
    (
        "Regional courts audit local governments with different methods.",
        ["audit", "municipal"],
        "Head of methods",
        "One audit method for local governments",
        13,
        "Auditor",
        "A local government audit manual",
        "Quality control across regional courts",
    ),
    (
        "Off-budget accounts hide spending from parliament and the public.",
        ["pfm", "anti_corruption"],
        "Head of public accounts",
        "Closing off-budget accounts",
        15,
        "Accountant",
        "An inventory of off-budget accounts",
        "Bringing accounts into the budget",
    ),
    (
        "The budget's performance reports say nothing about results that matter.",
        ["pfm", "performance"],
        "Programme budgeting officer",
        "Programme budgeting",
        6,
        "Economist",
        "Indicator sheets per programme",
        "Performance reports people use",
    ),
    (
        "Parliament gets the budget too late and has no staff to analyse it.",
        ["pfm", "democratic"],
        "Senior fiscal analyst",
        "Budget analysis for parliament",
        8,
        "Economist",
        "Ten-page budget briefs for MPs",
        "Costing MPs' amendments",
    ),
    (
        "County governments' spending is not reported to parliament.",
        ["pfm", "municipal"],
        "Fiscal analyst, counties",
        "Reporting county spending",
        5,
        "Statistician",
        "County budget data set",
        "Open data on county budgets",
    ),
]
AVAILABILITY = ["Tuesday afternoons", "Mornings before 11:00", "Thursday mornings"]
TIME_ZONES = ["UTC+2", "UTC+4", "UTC+0", "UTC+3", "UTC+1"]


def survey(initiative):
    """The pre-event survey, answered by 20 of the 21 who accepted."""
    questionnaire = surveys.survey_for(initiative=initiative)
    questionnaire.closes_at = moment(SURVEY_CLOSED, 23)
    # Opened to the peers right after the invitations (no email: it is the past).
    questionnaire.opened_at = moment(INVITED - 1, 9)
    questionnaire.save(update_fields=["closes_at", "opened_at"])
    questions = list(questionnaire.questions.all())
    by_email = {email: (languages, did) for email, _n, _i, languages, did in PEERS}
    peers = initiative.memberships.peers().filter(status=Membership.Status.ACTIVE)
    answering = [m for m in peers.select_related("user") if by_email[m.user.email][1] == ACTIVE]
    answering.sort(key=lambda m: [email for email, *_rest in PEERS].index(m.user.email))
    for index, membership in enumerate(answering):
        challenges, tags, position, task, years, background, offer, learn = ANSWERS[index]
        by_field = {
            "challenges": challenges,
            "challenge_tags": tags,
            "position": position,
            "task": task,
            "years_of_service": years,
            "background": background,
            "languages": by_email[membership.user.email][0],
            "can_offer": offer,
            "wants_to_learn": learn,
            "availability": AVAILABILITY[index % len(AVAILABILITY)],
            "time_zone": TIME_ZONES[index % len(TIME_ZONES)],
        }
        answers = {
            str(q.pk): by_field[q.profile_field] for q in questions if q.profile_field in by_field
        }
        with happened(SURVEY_CLOSED + 28 - index, 16):
            surveys.submit_survey(
                survey=questionnaire, membership=membership, answers=answers, questions=questions
            )
        submitted = moment(SURVEY_CLOSED + 28 - index, 16)
        Response.objects.filter(survey=questionnaire, membership=membership).update(
            submitted_at=submitted, updated_at=submitted
        )
        PeerProfile.objects.filter(membership=membership).update(survey_completed_at=submitted)


def publish_matches(initiative, facilitator):
    """Pairs across organisations, published 500 days ago. Their emails went out then:
    the outbox rows are marked sent at that time."""
    run = MatchRun.objects.create(initiative=initiative, created_by=facilitator)
    matching_services.run_matching(run=run)
    last_email = OutboxEmail.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    with happened(PUBLISHED, 10):
        matching_services.publish_matches(run=run, by=facilitator)
    published = moment(PUBLISHED, 10)
    MatchRun.objects.filter(pk=run.pk).update(created_at=published, published_at=published)
    AuditEntry.objects.filter(action="run.finish", target_id=str(run.pk)).update(at=published)
    OutboxEmail.objects.filter(pk__gt=last_email, kind="match_published").update(
        status=OutboxEmail.Status.SENT, created_at=published, sent_at=published
    )
    run.refresh_from_db()
    return run


# --- the foundational event, contracts and ways to keep going ---


def kick_off(initiative, facilitator, run):
    """A kick-off in Tbilisi for every peer who accepted; two matched peers and the one
    who never answered the survey could not come."""
    zone = ZoneInfo("Asia/Tbilisi")
    starts = day(KICK_OFF)
    event = Event.objects.create(
        initiative=initiative,
        title="Kick-off workshop in Tbilisi",
        kind=Event.Kind.LARGE_GROUP,
        starts_at=datetime.combine(starts, time(9, 0), tzinfo=zone),
        ends_at=datetime.combine(starts + timedelta(days=1), time(17, 0), tzinfo=zone),
        time_zone="Asia/Tbilisi",
        venue="State Audit Office, conference hall, Tbilisi",
        description="Two days to meet your pair, name one reform each and agree how to work.",
        created_by=facilitator,
        engagement_invitations_sent_at=moment(KICK_OFF - 2, 9),
    )
    Event.objects.filter(pk=event.pk).update(created_at=moment(SURVEY_CLOSED, 12))
    active = initiative.memberships.peers().filter(status=Membership.Status.ACTIVE)
    event.invitees.set(active)
    for starts_at, title in [
        (time(9, 0), "Welcome: why transparency needs peers"),
        (time(10, 0), "Pairs meet: one reform each"),
        (time(14, 0), "How Georgia's audit office publishes its follow-up"),
        (time(16, 0), "Agreeing how we stay in touch"),
    ]:
        AgendaItem.objects.create(event=event, title=title, starts_at=starts_at)
    absent = set(absentees(run))
    present = [m for m in active if m.pk not in absent and _matched(run, m)]
    with happened(KICK_OFF - 1, 18):
        record_attendance(event=event, present=present, by=facilitator)
    event.attendance.update(recorded_at=moment(KICK_OFF - 1, 18))
    return event


def _matched(run, membership):
    return run.matches.filter(members__membership=membership).exists()


def absentees(run):
    """One member of each of the first two matches that later go quiet."""
    quiet = Pairs(run).quiet
    return [members[-1].pk for _match, members in quiet[:2]]


def contracts(initiative, event):
    """Everyone who came signed; authorisers countersigned all but two, a week later."""
    template = ContractTemplate.for_initiative(initiative)
    came = event.attendance.filter(present=True).select_related("membership__user")
    signed_at = moment(CONTRACTS_SIGNED, 12)
    for number, row in enumerate(came.order_by("membership__user__email")):
        membership = row.membership
        contract, _created = PeerContract.objects.get_or_create(membership=membership)
        contract.sign(text="\n".join(template.lines), name=membership.user.name, when=signed_at)
        authoriser = authorisers_of(membership).first()
        if authoriser and number not in (5, 11):
            contract.countersign(
                by=authoriser.user,
                note=MANDATES[number % len(MANDATES)],
                when=signed_at + timedelta(days=4 + number % 5),
            )


MANDATES = [
    "Bring back how others publish budget data, and present it to the budget department.",
    "Learn how audit findings are followed up elsewhere and propose a register for us.",
    "Share what works in open procurement data with the procurement policy team.",
    "Report to the management board twice a year on what you learn.",
]


def options(initiative, event):
    made = [
        EngagementOption.objects.create(initiative=initiative, kind=kind, title=title)
        for kind, title in [
            (EngagementOption.Kind.PAIRED_FOLLOW_UP, "Monthly call with your pair"),
            (EngagementOption.Kind.ONLINE_GROUP, "Open data online group"),
            (EngagementOption.Kind.SITE_VISIT, "Study visit to the State Audit Office"),
        ]
    ]
    came = event.attendance.filter(present=True).order_by("membership__user__email")
    for number, row in enumerate(came):
        EngagementSignUp.objects.create(option=made[number % len(made)], membership=row.membership)


# --- stage 2: contacts, check-ins, ended matches, exchanges ---


class Pairs:
    """The published matches as (match, [members by email]): peer01's first, then the
    others that kept in touch, then three that went quiet (ended as discontinued)."""

    QUIET = 3

    def __init__(self, run):
        matches = run.matches.order_by("number").prefetch_related(
            "members__membership__user", "members__membership__home_organisation"
        )
        found = [
            (match, sorted((m.membership for m in match.members.all()), key=_email))
            for match in matches
        ]
        self.peer01 = next(pair for pair in found if PEER in {_email(m) for m in pair[1]})
        others = [pair for pair in found if pair is not self.peer01]
        # Quiet: those with the fewest peers of the organisations where the chain breaks
        # later, so the break shows between "achieved" and "shared back home".
        others.sort(key=lambda pair: (_breaks(pair), pair[0].number))
        self.quiet = others[: self.QUIET]
        self.sustained = [self.peer01, *sorted(others[self.QUIET :], key=_number)]

    def all(self):
        return [*self.sustained, *self.quiet]


def _email(membership):
    return membership.user.email


def _number(pair):
    return pair[0].number


def _breaks(pair):
    return sum(m.home_organisation.country in BREAK_COUNTRIES for m in pair[1])


CallKind = Contact.Kind
# Notes of sustained pairs' contacts, in turn (kind, note, what it helped with).
SUSTAINED_NOTES = [
    (CallKind.CALL, "First call after the kick-off: our reforms and what blocks them.", ""),
    (CallKind.ONLINE, "Swapped the data sets we publish and commented on each other's.", ""),
    (
        CallKind.CALL,
        "Went through the draft publication plan for next quarter.",
        "publication plan",
    ),
    (CallKind.CALL, "Monthly call: what the minister said about publishing.", ""),
    (CallKind.ONLINE, "Exchanged the templates of our audit follow-up registers.", "templates"),
    (CallKind.JOINT_ACTIVITY, "Drafted a joint note on red flags in procurement data.", ""),
    (CallKind.CALL, "Monthly call: who at home resists, and how to bring them on board.", ""),
    (CallKind.CALL, "Rehearsed the presentation for my management board.", "a report-back"),
]
QUIET_STORIES = [
    [(476, "First call: we found our reforms have little in common.")],
    [
        (474, "First call about asset declarations."),
        (441, "Short exchange of laws; no time for more this quarter."),
    ],
    [
        (480, "First call: complaints review in both agencies."),
        (430, "Brief call; both busy with the budget season."),
    ],
]


def contacts(initiative, facilitator, pairs):
    for index, (match, members) in enumerate(pairs.sustained):
        # Every three to four weeks (never a calendar month without one) from the week
        # after the kick-off until the last fortnight.
        schedule, days_ago = [], 4 + 2 * index
        while days_ago < KICK_OFF - 7:
            schedule.append(days_ago)
            days_ago += 24 + (len(schedule) + index) % 5
        for number, days_ago in enumerate(reversed(schedule)):
            kind, note, helped_with = SUSTAINED_NOTES[(number + index) % len(SUSTAINED_NOTES)]
            logger = members[number % len(members)]
            log(initiative, match, members, logger, days_ago, kind, note, helped_with)
    for (match, members), story in zip(pairs.quiet, QUIET_STORIES, strict=True):
        for number, (days_ago, note) in enumerate(story):
            log(initiative, match, members, members[number % 2], days_ago, CallKind.CALL, note, "")
    # Group contacts only for the peers who kept in touch: the quiet ones stay quiet.
    kept = sorted((m for _match, members in pairs.sustained for m in members), key=_email)
    group_log(
        initiative,
        facilitator,
        kept,
        days_ago=430,
        kind=CallKind.TRAINING,
        note="Webinar: publishing budget data in open formats, with Moldova and Kenya.",
        outcome="Slides and a checklist for open budget data.",
    )
    georgia = Organisation.objects.home_organisations().get(
        name="State Audit Office", country="Georgia"
    )
    visitors = [m for m in kept if m.home_organisation_id != georgia.pk][:8]
    group_log(
        initiative,
        facilitator,
        visitors,
        days_ago=350,
        kind=CallKind.SITE_VISIT,
        note="Two days at the State Audit Office: how it tracks and publishes follow-up.",
        host_organisation=georgia,
        outcome="A model register of audit recommendations and answers.",
    )


def check_ins(run, pairs):
    """Every check-in due so far exists (the sweep finds nothing to send); most members
    answered the first ones, fewer the later ones; a quiet match said "not working"."""
    now = timezone.now()
    due = contact_services.check_in_number_due(run.published_at, now)
    for index, (match, members) in enumerate(pairs.all()):
        quiet = (match, members) in pairs.quiet
        last = 2 if quiet else due
        for number in range(1, last + 1):
            sent = (
                run.published_at
                + contact_services.FIRST_CHECK_IN_AFTER
                + contact_services.CHECK_IN_EVERY * (number - 1)
            )
            for position, membership in enumerate(members):
                check_in = MatchCheckIn.objects.create(
                    match=match, membership=membership, number=number, due_at=sent, sent_at=sent
                )
                answered_ago = (now - sent).days - 3
                if quiet and number == 2 and position == 0:
                    answer_check_in(
                        check_in,
                        2,
                        True,
                        "We have not spoken for months; our reforms turned out too different.",
                        days_ago=answered_ago,
                    )
                elif not quiet and (number <= 3 or (number + position + index) % 3 == 0):
                    rating = 5 if (number + index) % 3 else 4
                    answer_check_in(check_in, rating, False, "", days_ago=answered_ago)


def end_matches(pairs, facilitator):
    """The quiet matches were ended as discontinued, after months without contact."""
    for days_ago, (match, _members) in zip((400, 360, 330), pairs.quiet, strict=True):
        with happened(days_ago, 11):
            matching_services.end_match(
                match=match,
                kind=Match.EndKind.DISCONTINUED,
                reason="No contact for months; both peers agreed to stop.",
                by=facilitator,
            )
        Match.objects.filter(pk=match.pk).update(ended_at=moment(days_ago, 11))


def exchanges(initiative, facilitator, pairs):
    match, (peer01, partner, *_others) = pairs.peer01
    first = post(
        initiative,
        match,
        peer01,
        420,
        "Our citizens' budget for this year: a four-page summary, with a data file behind "
        "every chart. What would you change before we print it?",
    )
    post(
        initiative,
        match,
        partner,
        419,
        "Put the table of transfers to municipalities first: that is what people ask about.",
        parent=first,
    )
    post(
        initiative,
        match,
        partner,
        150,
        "Our board approved publishing the audit follow-up register. Thank you for the model.",
    )
    board = post(
        initiative,
        None,
        pairs.sustained[1][1][0],
        260,
        "Does anyone publish procurement red flags themselves, or leave that to journalists?",
    )
    post(
        initiative,
        None,
        pairs.sustained[2][1][1],
        258,
        "We publish five red-flag indicators every month; the note is on our site.",
        parent=board,
    )
    post(
        initiative,
        None,
        initiative.memberships.get(user__email=FACILITATOR, role=Role.FACILITATOR),
        118,
        "Stage 4 starts: please agree your home commitment and plan your report-back.",
    )


class Cast:
    """Who plays which part in stages 3 and 4, read from the published run: the peers who
    kept in touch (peer01 first), those of them who achieved an objective (every one in
    Ukraine and Morocco, six elsewhere), those who then reported back home (five, none in
    Ukraine or Morocco), and the members of the matches that went quiet."""

    ACHIEVERS_ELSEWHERE = 6
    SHARERS = 5

    def __init__(self, initiative):
        run = initiative.match_runs.get(status=MatchRun.Status.PUBLISHED)
        self.pairs = Pairs(run)
        members = [m for _match, group in self.pairs.sustained for m in group]
        self.sustained = sorted(members, key=lambda m: (_email(m) != PEER, _email(m)))
        self.breaking = [m for m in self.sustained if _country(m) in BREAK_COUNTRIES]
        # Elsewhere, the parts go round the organisations: first peer01, then the first
        # peer of each other organisation, then the second ones...
        seen = {}
        for membership in self.sustained:
            seen.setdefault(_country(membership), []).append(membership)
        elsewhere = sorted(
            (m for m in self.sustained if _country(m) not in BREAK_COUNTRIES),
            key=lambda m: (_email(m) != PEER, seen[_country(m)].index(m), _email(m)),
        )
        self.achievers = elsewhere[: self.ACHIEVERS_ELSEWHERE] + self.breaking
        self.still_learning = elsewhere[self.ACHIEVERS_ELSEWHERE :]
        self.sharers = elsewhere[: self.SHARERS]
        self.quiet = sorted((m for _match, group in self.pairs.quiet for m in group), key=_email)
        self.match_of = {m.pk: match for match, group in self.pairs.all() for m in group}

    @property
    def peer01(self):
        return self.sustained[0]


def _country(membership):
    return membership.home_organisation.country
