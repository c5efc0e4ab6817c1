"""Reads of stage 2: a peer's match partners and contacts, an initiative's contacts."""

from django.contrib.postgres.search import SearchQuery, SearchVector
from django.db import connection
from django.db.models import Exists, OuterRef, Prefetch, Q

from initiatives.models import Membership, Role
from matching.models import Match, MatchMember

from .models import Contact, ContactParticipant, LibraryDocument


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
        authored_documents=OuterRef("pk"), user__name__icontains=word
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
