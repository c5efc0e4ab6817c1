"""Reads of stage 2: a peer's match partners and contacts, an initiative's contacts."""

from collections import defaultdict

from django.db.models import Count, Exists, F, Max, OuterRef, Prefetch, Q, Subquery, Value
from django.db.models.functions import Coalesce

from initiatives.models import Membership, Role
from matching.models import Match, MatchMember

from .models import Contact, ContactParticipant, ExchangeRead, Post, PostDigest, PostEmails


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
