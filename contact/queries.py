"""Reads of stage 2: a peer's match partners and contacts, an initiative's contacts."""

import datetime
from collections import defaultdict

from django.contrib.postgres.search import SearchQuery, SearchVector
from django.db import connection
from django.db.models import (
    Case,
    Count,
    DateField,
    Exists,
    F,
    IntegerField,
    Max,
    OuterRef,
    Prefetch,
    Q,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import (
    Cast,
    Coalesce,
    ExtractMonth,
    ExtractYear,
    Greatest,
    TruncDate,
    TruncMonth,
)

from initiatives.models import Membership, Role
from matching.models import Match, MatchMember
from privacy.models import ConsentKind
from privacy.queries import consent_given

from .models import (
    Contact,
    ContactParticipant,
    ExchangeRead,
    HelpRequest,
    InTouchMark,
    LibraryDocument,
    LogisticsRequest,
    LogisticsUpdate,
    MatchCheckIn,
    MatchNote,
    Nudge,
    NudgePause,
    Post,
    PostDigest,
    PostEmails,
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


def partners_in(partners, match_id):
    """Those of `partners` who are members of the match `match_id` (none for a bad id)."""
    if not str(match_id or "").isdigit():
        return []
    members = set(
        MatchMember.objects.filter(match_id=match_id, membership__in=partners).values_list(
            "membership_id", flat=True
        )
    )
    return [partner for partner in partners if partner.pk in members]


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


# --- library ---

# Words beyond this many are ignored: each one is a condition on every document.
MAX_SEARCH_WORDS = 8


def _authors():
    return Prefetch(
        "authors",
        queryset=Membership.objects.select_related("user").order_by("user__name", "user__email"),
    )


def library_of(initiative, user, roles):
    """The documents of the initiative's library that `user`, holding `roles`, may read."""
    return (
        LibraryDocument.objects.filter(initiative=initiative)
        .readable_by(user, roles)
        .select_related("added_by")
        .prefetch_related(_authors())
    )


def library_search(documents, *, words="", kind="", reform_area="", language="", author=None):
    """`documents` narrowed to those with every word (in the title, description or an
    author's name) and the chosen kind, area, language and author; newest first."""
    full_text = connection.vendor == "postgresql"
    if full_text and words:
        # Full-text search also finds other forms of a word: "budgets", "budgeting".
        documents = documents.annotate(
            search_text=SearchVector("title", "description", config="english")
        )
    for word in words.split()[:MAX_SEARCH_WORDS]:
        documents = documents.filter(_has_word(word, full_text))
    if kind:
        documents = documents.filter(kind=kind)
    if reform_area:
        documents = documents.filter(reform_area=reform_area)
    if language:
        documents = documents.filter(language=language)
    if author is not None:
        documents = documents.filter(authors=author)
    return documents


def _has_word(word, full_text):
    by_author = Membership.objects.filter(
        consent_given(ConsentKind.NAME_IN_LIBRARY, "user"),
        authored_documents=OuterRef("pk"),
        user__name__icontains=word,
    )
    found = Q(title__icontains=word) | Q(description__icontains=word) | Q(Exists(by_author))
    if full_text:
        found |= Q(search_text=SearchQuery(word, config="english"))
    return found


def areas_of(documents):
    """The reform areas `documents` are filed under, sorted by key."""
    areas = documents.exclude(reform_area="").order_by("reform_area")
    return list(areas.values_list("reform_area", flat=True).distinct())


def library_authors(initiative, user, roles):
    """The peers a reader may filter the library by: the initiative's, or for an
    authoriser only the peers they authorise for."""
    peers = initiative.memberships.current().peers()
    if not roles & {Role.PEER, Role.FACILITATOR}:
        peers = peers.authorised_by(user)
    return peers.select_related("user").order_by("user__name", "user__email")


# --- check-ins ---


def flagged_check_ins(initiative):
    """Answers that say a match is in trouble, newest first: "not working" or a rating of 2
    or less."""
    return (
        MatchCheckIn.objects.filter(match__run__initiative=initiative, answered_at__isnull=False)
        .filter(Q(not_working=True) | Q(rating__lte=2))
        .select_related("membership__user", "match")
        .order_by("-answered_at", "-pk")
    )


def open_check_ins(membership):
    """The check-ins `membership` was asked and has not answered yet."""
    return MatchCheckIn.objects.filter(
        membership=membership, sent_at__isnull=False, answered_at__isnull=True
    )


# --- histories ---

STORY_STATUSES = [Match.Status.PUBLISHED, Match.Status.ENDED]


def story_matches(initiative):
    """The initiative's matches that have a story to tell: published or ended."""
    return Match.objects.filter(run__initiative=initiative, status__in=STORY_STATUSES)


def matches_with_history(membership):
    """`membership`'s published and ended matches, newest first."""
    return (
        Match.objects.filter(members__membership=membership, status__in=STORY_STATUSES)
        .select_related("run")
        .order_by("-run__published_at", "-pk")
    )


def match_members(match):
    return match.members.select_related(
        "membership__user", "membership__home_organisation"
    ).order_by("membership__user__name", "membership__user__email")


def timeline(contacts, check_ins):
    """Contacts and answered check-ins as one list, newest first: rows of
    (entry, pk, on, moment), `entry` being "contact" or "check_in". Paginate it, then
    read one page's rows with `timeline_entries`."""
    # Each part unordered: SQLite refuses ORDER BY inside a UNION.
    contact_rows = (
        contacts.order_by()
        .annotate(entry=Value("contact"), on=F("happened_on"), moment=F("created_at"))
        .values_list("entry", "pk", "on", "moment")
    )
    check_in_rows = (
        check_ins.filter(answered_at__isnull=False)
        .order_by()
        .annotate(
            entry=Value("check_in"),
            on=Cast(TruncDate("answered_at"), DateField()),
            moment=F("answered_at"),
        )
        .values_list("entry", "pk", "on", "moment")
    )
    return contact_rows.union(check_in_rows, all=True).order_by("-on", "-moment", "-pk")


def timeline_entries(rows):
    """The contacts and check-ins of timeline `rows`, in their order: [(entry, object)]."""
    rows = list(rows)
    wanted = {"contact": [], "check_in": []}
    for entry, pk, *_when in rows:
        wanted[entry].append(pk)
    found = {"contact": {}, "check_in": {}}
    if wanted["contact"]:
        found["contact"] = (
            Contact.objects.select_related("match", "host_organisation", "logged_by")
            .prefetch_related(_participants())
            .in_bulk(wanted["contact"])
        )
    if wanted["check_in"]:
        found["check_in"] = MatchCheckIn.objects.select_related(
            "membership__user", "match"
        ).in_bulk(wanted["check_in"])
    return [(entry, found[entry][pk]) for entry, pk, *_when in rows if pk in found[entry]]


def match_story(match, *, members_only_for=None):
    """The timeline of `match`: its contacts and check-in answers. A member sees only
    their own check-in answers (`members_only_for`); facilitators see all."""
    check_ins = MatchCheckIn.objects.filter(match=match)
    if members_only_for is not None:
        check_ins = check_ins.filter(membership=members_only_for)
    return timeline(Contact.objects.filter(match=match), check_ins)


def peer_story(membership):
    """The timeline of one peer across their matches: their contacts and check-in answers."""
    return timeline(
        Contact.objects.filter(participants__membership=membership),
        MatchCheckIn.objects.filter(membership=membership),
    )


# --- confirmations ---


def waiting_for_confirmation(memberships):
    """Each membership's contacts waiting for its confirmation, oldest first, by
    membership id: {membership_id: [ContactParticipant]} (one query)."""
    waiting = {}
    pending = (
        ContactParticipant.objects.filter(
            membership__in=memberships, status=ContactParticipant.Status.PENDING
        )
        .select_related("contact__logged_by")
        .order_by("contact__happened_on", "pk")
    )
    for participant in pending:
        waiting.setdefault(participant.membership_id, []).append(participant)
    return waiting


# --- logistics requests ---


def _updates():
    return Prefetch("updates", queryset=LogisticsUpdate.objects.select_related("by"))


def requests_in(initiative, *, status="", kind=""):
    """The initiative's logistics requests: open first, then in progress, done and
    declined; newest first within each; narrowed by status and kind."""
    order = Case(
        *(When(status=value, then=rank) for rank, value in enumerate(LogisticsRequest.Status)),
        output_field=IntegerField(),
    )
    found = LogisticsRequest.objects.filter(initiative=initiative)
    if status:
        found = found.filter(status=status)
    if kind:
        found = found.filter(kind=kind)
    return (
        found.select_related("membership__user", "membership__home_organisation", "match")
        .annotate(rank=order)
        .order_by("rank", "-created_at", "-pk")
    )


def requests_of(membership):
    """The peer's own logistics requests, newest first, with every status change."""
    return (
        LogisticsRequest.objects.filter(membership=membership)
        .select_related("match")
        .prefetch_related(_updates())
    )


def unresolved_requests(initiative):
    """Requests not done nor declined yet."""
    return LogisticsRequest.objects.filter(
        initiative=initiative, status__in=LogisticsRequest.UNRESOLVED
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


# --- exchanges ---


def threads_in(initiative, match):
    """The posts of a match's conversation (or the board when `match` is None), newest
    first, each with its replies oldest first and everyone's name."""
    replies = Post.objects.select_related("author").order_by("created_at", "pk")
    return (
        Post.objects.filter(initiative=initiative, match=match, parent=None)
        .select_related("author")
        .prefetch_related(Prefetch("replies", queryset=replies))
    )


def posts_visible_to(initiative, *, peer=None):
    """The initiative's posts a reader may open: all of them for a facilitator (`peer`
    None), else the board's and those of the peer's published matches."""
    posts = Post.objects.filter(initiative=initiative)
    if peer is None:
        return posts
    in_match = MatchMember.objects.filter(
        match=OuterRef("match"), membership=peer, match__status=Match.Status.PUBLISHED
    )
    return posts.filter(Q(match=None) | Exists(in_match))


def conversations_in(initiative):
    """The initiative's published matches with their post count and last post date,
    liveliest first, with their members' names."""
    members = MatchMember.objects.select_related("membership__user").order_by(
        "membership__user__name"
    )
    live = Q(posts__deleted_at=None)
    return (
        Match.objects.filter(run__initiative=initiative, status=Match.Status.PUBLISHED)
        .annotate(post_count=Count("posts", filter=live), last_post_at=Max("posts__created_at"))
        .prefetch_related(Prefetch("members", queryset=members))
        .order_by(F("last_post_at").desc(nulls_last=True), "number", "pk")
    )


def board_summary(initiative):
    return Post.objects.filter(initiative=initiative, match=None, deleted_at=None).aggregate(
        post_count=Count("pk"), last_post_at=Max("created_at")
    )


def readers_of(initiative, match):
    """Active memberships who receive news of a post in `match`'s conversation (or on the
    board): its peers (all peers for the board) and the facilitators still on the team,
    each with `post_emails`, their email choice."""
    peers = Q(role=Role.PEER)
    if match is not None:
        peers &= Q(match_memberships__match=match)
    return (
        _with_email_choice(Membership.objects.filter(_FACILITATORS | peers))
        .filter(initiative=initiative, status=Membership.Status.ACTIVE)
        .select_related("user")
    )


# A facilitator's membership counts while they are still on the organisation's team.
_FACILITATORS = Q(
    role=Role.FACILITATOR, user__team_membership__organisation=F("initiative__organisation")
)


def _with_email_choice(memberships):
    return memberships.annotate(
        post_emails=Coalesce("post_email_choice__choice", Value(PostEmails.DIGEST))
    )


def digest_readers(*, day, since):
    """Active memberships on the daily digest that have no digest for `day` yet, in
    initiatives with a post since `since`."""
    active_initiatives = Post.objects.filter(created_at__gte=since).values("initiative_id")
    digested = PostDigest.objects.filter(membership=OuterRef("pk"), day=day)
    return (
        _with_email_choice(Membership.objects.filter(_FACILITATORS | Q(role=Role.PEER)))
        .filter(
            initiative__in=active_initiatives,
            status=Membership.Status.ACTIVE,
            post_emails=PostEmails.DIGEST,
        )
        .exclude(Exists(digested))
        .select_related("user", "initiative")
    )


def last_digest_at(membership):
    return (
        PostDigest.objects.filter(membership=membership)
        .order_by("-created_at")
        .values_list("created_at", flat=True)
        .first()
    )


def new_posts_for(membership, *, since, until):
    """Posts by others that `membership` may read, created in (since, until], oldest first."""
    peer = membership if membership.role == Role.PEER else None
    return (
        posts_visible_to(membership.initiative, peer=peer)
        .filter(
            created_at__gt=since,
            created_at__lte=until,
            deleted_at=None,
            hidden_at=None,
        )
        .exclude(author=membership.user_id)
        .select_related("author", "match")
        .order_by("created_at", "pk")
    )


def _unread(posts, reader, match_field):
    """Posts newer than `reader`'s last visit to the place, by someone else, per reader."""
    last_read = ExchangeRead.objects.filter(
        user=OuterRef(f"{reader}__user"), initiative=OuterRef("initiative"), match=match_field
    ).values("read_at")[:1]
    return (
        posts.filter(deleted_at=None, hidden_at=None)
        .annotate(reader=F(reader), reader_user=F(f"{reader}__user"), last_read=Subquery(last_read))
        .filter(Q(last_read=None) | Q(created_at__gt=F("last_read")))
        .exclude(author=F("reader_user"))
        .values("reader", "match")
        .annotate(count=Count("pk", distinct=True))
        .values_list("reader", "match", "count")
    )


def unread_counts(peers):
    """For each of `peers` (memberships), by id: ((new posts in their match conversations,
    the conversation with the most of them), new posts on the board); two queries."""
    conversations = _unread(
        Post.objects.filter(
            match__members__membership__in=peers, match__status=Match.Status.PUBLISHED
        ),
        "match__members__membership",
        OuterRef("match"),
    )
    board = _unread(
        Post.objects.filter(match=None, initiative__memberships__in=peers),
        "initiative__memberships",
        None,
    )
    per_match = defaultdict(dict)
    for reader, match_id, count in conversations:
        per_match[reader][match_id] = count
    on_board = {reader: count for reader, _match, count in board}
    counts = {}
    for peer in peers:
        matches = per_match[peer.pk]
        busiest = max(matches, key=matches.get, default=None)
        counts[peer.pk] = ((sum(matches.values()), busiest), on_board.get(peer.pk, 0))
    return counts


# --- indicators ---


def _of_organisation(scope, memberships):
    """`memberships` (a Membership queryset) narrowed to the scope's organisation."""
    if scope.organisation is None:
        return memberships
    return memberships.filter(home_organisation=scope.organisation)


def _contacts(scope):
    """Contacts of the initiative; of the organisation's peers: those one of them took part in."""
    contacts = Contact.objects.filter(initiative=scope.initiative)
    if scope.organisation is not None:
        took_part = ContactParticipant.objects.filter(
            contact=OuterRef("pk"), membership__home_organisation=scope.organisation
        ).exclude(status=ContactParticipant.Status.DECLINED)
        contacts = contacts.filter(Exists(took_part))
    return contacts


def contacts_logged(scope):
    return scope.within(_contacts(scope), "happened_on").count()


def contacts_logged_per_month(scope):
    return scope.per_month(_contacts(scope), "happened_on")


def _answered_check_ins(scope):
    answered = MatchCheckIn.objects.filter(
        match__run__initiative=scope.initiative, answered_at__isnull=False
    )
    return scope.of_peers(answered)


def check_ins_answered(scope):
    return scope.within(_answered_check_ins(scope), "answered_at").count()


def check_ins_answered_per_month(scope):
    return scope.per_month(_answered_check_ins(scope), "answered_at")


SUSTAINED_MONTHS = 3


def peers_in_sustained_contact(scope):
    """Peers with a contact (not declined) in each of three consecutive calendar months
    within the period, in one query: each peer's months with a contact, numbered, and
    a run of three where a month's number is its second predecessor's plus two."""
    rows = ContactParticipant.objects.filter(
        contact__initiative=scope.initiative, membership__role=Role.PEER
    ).exclude(status=ContactParticipant.Status.DECLINED)
    rows = rows.exclude(membership__status=Membership.Status.WITHDRAWN)
    rows = scope.within(scope.of_peers(rows), "contact__happened_on")
    months = (
        # Whole numbers: PostgreSQL's EXTRACT gives decimals, slower to sort.
        rows.annotate(
            month=Cast(ExtractYear("contact__happened_on"), IntegerField()) * 12
            + Cast(ExtractMonth("contact__happened_on"), IntegerField())
        )
        .order_by()
        .values("membership_id", "month")
        .distinct()
    )
    sql, params = months.query.sql_with_params()
    back = SUSTAINED_MONTHS - 1
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT COUNT(DISTINCT membership_id) FROM ("
            " SELECT membership_id, month,"
            f" LAG(month, {back}) OVER (PARTITION BY membership_id ORDER BY month) AS earlier"
            f" FROM ({sql}) AS months) AS runs"
            f" WHERE month - earlier = {back}",
            params,
        )
        return cursor.fetchone()[0]


def _posts(scope):
    posts = Post.objects.filter(initiative=scope.initiative, deleted_at=None)
    if scope.organisation is not None:
        authors = _of_organisation(
            scope, Membership.objects.filter(initiative=scope.initiative, user=OuterRef("author"))
        )
        posts = posts.filter(Exists(authors))
    return posts


def exchange_posts(scope):
    return scope.within(_posts(scope), "created_at").count()


def exchange_posts_per_month(scope):
    return scope.per_month(_posts(scope), "created_at")


def _library_documents(scope):
    documents = LibraryDocument.objects.filter(initiative=scope.initiative)
    if scope.organisation is not None:
        authors = _of_organisation(
            scope, Membership.objects.filter(authored_documents=OuterRef("pk"))
        )
        documents = documents.filter(Exists(authors))
    return documents


def library_documents(scope):
    return scope.within(_library_documents(scope), "dated").count()


def library_documents_per_month(scope):
    return scope.per_month(_library_documents(scope), "dated")
