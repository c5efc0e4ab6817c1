"""Demo data of the foundational engagement: a past kick-off, contracts, ways to keep going."""

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.utils import timezone

from initiatives.models import (
    AgendaItem,
    ContractTemplate,
    EngagementOption,
    EngagementSignUp,
    Event,
    Membership,
    PeerContract,
    Role,
)
from initiatives.services.contracts import authorisers_of
from initiatives.services.events import record_attendance

KICK_OFF_DAYS_AGO = 118
AGENDA = [
    (time(9, 0), "Welcome and why we are here", "Maria Facilitator", ""),
    (time(9, 30), "Getting to know each other: one reform, one obstacle", "Maria Facilitator", ""),
    (time(11, 0), "Arrears: what each of us has tried", "Ana Rusu", "arrears groups"),
    (time(14, 0), "Pairs meet for the first time", "", "all matched pairs"),
    (time(16, 0), "Agreeing how we stay in touch", "Maria Facilitator", ""),
]
OPTIONS = [
    (
        EngagementOption.Kind.PAIRED_FOLLOW_UP,
        "Monthly call with your pair",
        "Thirty minutes a month.",
    ),
    (EngagementOption.Kind.ONLINE_GROUP, "Arrears online group", "A shared thread and a call."),
    (EngagementOption.Kind.SITE_VISIT, "Visit to the Georgian treasury", "Two days in Tbilisi."),
    (
        EngagementOption.Kind.KNOWLEDGE_PRODUCT,
        "Short guide on commitment controls",
        "Written together by volunteers from four countries.",
    ),
]


def load_foundation(initiative, facilitator):
    peers = list(
        initiative.memberships.filter(role=Role.PEER).order_by("user__email").select_related("user")
    )
    active = [m for m in peers if m.status == Membership.Status.ACTIVE]
    kick_off = kick_off_event(initiative, facilitator, peers)
    if not kick_off.attendance.exists():
        # Three of the active peers could not come.
        record_attendance(event=kick_off, present=active[:-3], by=facilitator)
    upcoming_meeting(initiative, facilitator, peers)
    contracts(initiative, active)
    options(initiative, active)


def kick_off_event(initiative, facilitator, peers):
    zone = ZoneInfo("Europe/Chisinau")
    # A few days after the matches were published: pairs meet there for the first time.
    day = timezone.localdate() - timedelta(days=KICK_OFF_DAYS_AGO)
    event, created = Event.objects.get_or_create(
        initiative=initiative,
        title="Kick-off workshop in Chisinau",
        defaults={
            "kind": Event.Kind.LARGE_GROUP,
            "starts_at": datetime.combine(day, time(9, 0), tzinfo=zone),
            "ends_at": datetime.combine(day, time(17, 30), tzinfo=zone),
            "time_zone": "Europe/Chisinau",
            "venue": "Hotel Nord, Conference room 2, Chisinau",
            "description": "Two days to meet your peers, share the problems you face and plan.",
            "created_by": facilitator,
            "engagement_invitations_sent_at": timezone.now(),
        },
    )
    if created:
        event.invitees.set(peers)
    for starts_at, title, facilitated_by, groups in AGENDA:
        AgendaItem.objects.get_or_create(
            event=event,
            title=title,
            defaults={"starts_at": starts_at, "facilitated_by": facilitated_by, "groups": groups},
        )
    return event


def upcoming_meeting(initiative, facilitator, peers):
    day = timezone.localdate() + timedelta(days=21)
    zone = ZoneInfo("UTC")
    event, created = Event.objects.get_or_create(
        initiative=initiative,
        title="First online check-in",
        defaults={
            "kind": Event.Kind.ONLINE,
            "starts_at": datetime.combine(day, time(11, 0), tzinfo=zone),
            "ends_at": datetime.combine(day, time(12, 30), tzinfo=zone),
            "time_zone": "UTC",
            "online_link": "https://meet.example.org/budget-execution",
            "created_by": facilitator,
        },
    )
    if created:
        event.invitees.set(peers)


def contracts(initiative, active):
    template = ContractTemplate.for_initiative(initiative)
    signed_at = timezone.now() - timedelta(days=KICK_OFF_DAYS_AGO - 5)
    for number, membership in enumerate(active[:22]):
        contract, _created = PeerContract.objects.get_or_create(membership=membership)
        if not contract.signed_at:
            contract.sign(text="\n".join(template.lines), name=membership.user.name, when=signed_at)
        authoriser = authorisers_of(membership).first()
        if authoriser and number % 3 != 2 and not contract.countersigned_at:
            contract.countersign(
                by=authoriser.user,
                note="Please present what you learn to the budget department each quarter.",
                when=signed_at + timedelta(days=3),
            )


def options(initiative, active):
    made = [
        EngagementOption.objects.get_or_create(
            initiative=initiative, title=title, defaults={"kind": kind, "description": text}
        )[0]
        for kind, title, text in OPTIONS
    ]
    for number, membership in enumerate(active[:16]):
        EngagementSignUp.objects.get_or_create(
            option=made[number % len(made)], membership=membership
        )
