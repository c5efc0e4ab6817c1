"""Reads of stage 2: a peer's match partners and contacts, an initiative's contacts."""

import datetime

from django.db.models import (
    Case,
    Count,
    Exists,
    OuterRef,
    Prefetch,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce, Greatest, TruncDate, TruncMonth

from initiatives.models import Membership, Role
from matching.models import Match, MatchMember

from .models import (
    Contact,
    ContactParticipant,
    HelpRequest,
    InTouchMark,
    MatchNote,
    Nudge,
    NudgePause,
)


def published_matches_of(membership):
    return Match.objects.filter(members__membership=membership, status=Match.Status.PUBLISHED)


def partners_of(membership):
    """The memberships sharing a published match with `membership`, by name."""
    return (
        Membership.objects.current()
        .filter(match_memberships__match__in=published_matches_of(membership))
        .exclude(pk=membership.pk)
        .select_related("user")
        .distinct()
        .order_by("user__name", "user__email")
    )


def match_of(membership, partners):
    """The published match of `membership` shared with the most of `partners`."""
    matches = published_matches_of(membership).prefetch_related("members")
    return max(
        matches,
        key=lambda match: sum(
            m.membership_id in {p.pk for p in partners} for m in match.members.all()
        ),
        default=None,
    )


def _participants():
    return Prefetch(
        "participants",
        queryset=ContactParticipant.objects.select_related(
            "membership__user", "membership__home_organisation"
        ),
    )


def contacts_of(membership):
    """The contacts `membership` took part in, newest first, with everyone's status."""
    return (
        Contact.objects.filter(participants__membership=membership)
        .select_related("match", "host_organisation", "logged_by")
        .prefetch_related(_participants())
    )


def contacts_in(
    initiative, *, kind="", organisation=None, match_number=None, since=None, until=None
):
    """The initiative's contacts, newest first, narrowed by the facilitator's filters."""
    contacts = Contact.objects.filter(initiative=initiative)
    if kind:
        contacts = contacts.filter(kind=kind)
    if organisation is not None:
        took_part = ContactParticipant.objects.filter(
            contact=OuterRef("pk"), membership__home_organisation=organisation
        )
        contacts = contacts.filter(Exists(took_part))
    if match_number is not None:
        contacts = contacts.filter(match__number=match_number)
    if since is not None:
        contacts = contacts.filter(happened_on__gte=since)
    if until is not None:
        contacts = contacts.filter(happened_on__lte=until)
    return contacts.select_related("match", "host_organisation", "logged_by").prefetch_related(
        _participants()
    )


def silent_matches(initiative):
    """Published matches of the initiative with no contact logged yet."""
    return Match.objects.filter(
        run__initiative=initiative, status=Match.Status.PUBLISHED, contacts__isnull=True
    )


def matched_peers(memberships):
    """Ids of `memberships` that are in a published match."""
    return set(
        MatchMember.objects.filter(
            membership__in=memberships, match__status=Match.Status.PUBLISHED
        ).values_list("membership_id", flat=True)
    )


# --- momentum ---

HELP, QUIET, ALIVE = "help", "quiet", "alive"
STATES = [HELP, QUIET, ALIVE]  # in the order the momentum page shows them
RECENT_DAYS = 90


def _counted_contacts():
    """The contacts of the outer match that not everyone declined."""
    not_declined = ContactParticipant.objects.filter(contact=OuterRef("pk")).exclude(
        status=ContactParticipant.Status.DECLINED
    )
    return Contact.objects.filter(Exists(not_declined), match=OuterRef("pk"))


def quiet_before(initiative, today):
    """Matches whose last activity is older than this day are quiet."""
    return today - datetime.timedelta(days=initiative.follow_up_every_days)


def live_matches(initiative, today):
    """The initiative's published matches, each with `last_active_on` (last counted
    contact, "in touch" mark or publishing day), `recent_contacts` (last 90 days),
    `rank` (an index into STATES: help, quiet, alive); help-requested and quiet ones
    first, quietest first."""
    published_on = TruncDate("run__published_at")
    last_contact = _counted_contacts().order_by("-happened_on").values("happened_on")[:1]
    last_in_touch = (
        InTouchMark.objects.filter(match=OuterRef("pk"))
        .order_by("-created_at")
        .values(day=TruncDate("created_at"))[:1]
    )
    recent = (
        _counted_contacts()
        .filter(happened_on__gte=today - datetime.timedelta(days=RECENT_DAYS))
        .order_by()
        .values("match")
        .annotate(count=Count("pk"))
        .values("count")
    )
    open_help = HelpRequest.objects.filter(match=OuterRef("pk"), status=HelpRequest.Status.OPEN)
    matches = Match.objects.filter(run__initiative=initiative, status=Match.Status.PUBLISHED)
    matches = matches.annotate(
        last_active_on=Greatest(
            Coalesce(Subquery(last_contact), published_on),
            Coalesce(Subquery(last_in_touch), published_on),
        ),
        recent_contacts=Coalesce(Subquery(recent), 0),
        help_open=Exists(open_help),
    )
    # One CASE, not a state and a rank: PostgreSQL would run the subqueries again for each.
    rank = Case(
        When(help_open=True, then=Value(0)),
        When(last_active_on__lt=quiet_before(initiative, today), then=Value(1)),
        default=Value(2),
    )
    return matches.annotate(rank=rank).order_by("rank", "last_active_on", "number")


def in_state(matches, state):
    """`matches` (from live_matches) in `state` only."""
    return matches.filter(rank=STATES.index(state))


def state_of(match):
    return STATES[match.rank]


def momentum_page_rows(matches):
    """`matches` with what the momentum page shows of each, in a fixed number of queries."""
    open_help = HelpRequest.objects.filter(status=HelpRequest.Status.OPEN).select_related(
        "membership__user"
    )
    return matches.prefetch_related(
        Prefetch("members", queryset=MatchMember.objects.select_related("membership__user")),
        Prefetch("help_requests", queryset=open_help, to_attr="open_help_requests"),
        Prefetch("notes", queryset=MatchNote.objects.select_related("author")),
    )


def quiet_matches(initiative, today):
    return live_matches(initiative, today).filter(
        last_active_on__lt=quiet_before(initiative, today)
    )


def open_help_requests(initiative):
    return HelpRequest.objects.filter(
        match__run__initiative=initiative,
        match__status=Match.Status.PUBLISHED,
        status=HelpRequest.Status.OPEN,
    )


def sweep_nudges(matches):
    """{(match id, kind, spell): nudge} of the sweep's nudges for `matches`."""
    nudges = Nudge.objects.filter(
        match__in=matches, kind__in=[Nudge.Kind.MEMBERS, Nudge.Kind.FACILITATORS]
    )
    return {(n.match_id, n.kind, n.spell): n for n in nudges}


def paused_memberships(memberships, today):
    return set(
        NudgePause.objects.filter(membership__in=memberships, until__gte=today).values_list(
            "membership_id", flat=True
        )
    )


def pause_of(membership, today):
    return NudgePause.objects.filter(membership=membership, until__gte=today).first()


def contacts_per_month(initiative, today, months=12):
    """[(first day of month, contacts)] for the last `months` months, oldest first."""
    first = _month_start(today, months - 1)
    counts = dict(
        Contact.objects.filter(initiative=initiative, happened_on__gte=first)
        .annotate(month=TruncMonth("happened_on"))
        .order_by()
        .values_list("month")
        .annotate(count=Count("pk"))
    )
    starts = [_month_start(today, back) for back in range(months - 1, -1, -1)]
    return [(start, counts.get(start, 0)) for start in starts]


def _month_start(today, back):
    index = today.year * 12 + today.month - 1 - back
    return datetime.date(index // 12, index % 12 + 1, 1)


def facilitators_of(initiative):
    return initiative.memberships.current().filter(role=Role.FACILITATOR).select_related("user")
