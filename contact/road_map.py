"""Where stage 2 plugs into the road map: its tab, the peers' step and its gate check."""

from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from initiatives import road_map
from initiatives.models import Membership, Role, Stage
from initiatives.road_map import (
    Step,
    fixed_at,
    gate_check,
    match_link,
    next_step_provider,
    peer_figure,
    tab,
)

from . import personal_data, queries
from .models import ContactParticipant, MatchCheckIn


@gate_check(Stage.SUSTAINED_CONTACT)
def matches_in_touch(initiative):
    silent = queries.silent_matches(initiative).count()
    if silent:
        text = ngettext(
            "%(count)d published match has no contact logged yet.",
            "%(count)d published matches have no contact logged yet.",
            silent,
        ) % {"count": silent}
        yield fixed_at(text, "contact:momentum", initiative)


@next_step_provider
def log_a_contact(memberships):
    peers = [
        m
        for m in memberships
        if m.role == Role.PEER and m.initiative.stage >= Stage.SUSTAINED_CONTACT
    ]
    if not peers:
        return
    matched = queries.matched_peers(peers)
    for membership in peers:
        if membership.pk in matched:
            yield (
                membership,
                Step(
                    gettext("Log a contact with your match."),
                    reverse("contact:log", args=[membership.initiative_id]),
                ),
            )


tab("contacts", _("Contacts"), "contact:index", stage=Stage.SUSTAINED_CONTACT, order=30)

# --- library ---

tab("library", _("Library"), "contact:library", stage=Stage.SUSTAINED_CONTACT, order=35)


# --- check-ins ---


@next_step_provider
def rate_your_match(memberships):
    peers = [m for m in memberships if m.role == Role.PEER]
    if not peers:
        return
    waiting = {}
    for check_in in MatchCheckIn.objects.filter(
        membership__in=peers, sent_at__isnull=False, answered_at=None
    ):
        waiting.setdefault(check_in.membership_id, check_in)
    for membership in peers:
        check_in = waiting.get(membership.pk)
        if check_in:
            yield (
                membership,
                Step(
                    gettext("Rate your match."),
                    reverse("contact:check_in", args=[membership.initiative_id, check_in.pk]),
                ),
            )


# --- histories ---

match_link(_("History"), "contact:match_history")


# --- confirmations ---


@next_step_provider
def confirm_contacts(memberships):
    peers = [m for m in memberships if m.role == Role.PEER]
    if not peers:
        return
    waiting = queries.waiting_for_confirmation(peers)
    for membership in peers:
        pending = waiting.get(membership.pk)
        if pending:
            yield (
                membership,
                Step(
                    _confirmation_text(pending),
                    reverse("contact:mine", args=[membership.initiative_id]),
                ),
            )


def _confirmation_text(pending):
    if len(pending) > 1:
        return ngettext(
            "Confirm the %(count)d contacts logged with you.",
            "Confirm the %(count)d contacts logged with you.",
            len(pending),
        ) % {"count": len(pending)}
    contact = pending[0].contact
    date = formats.date_format(contact.happened_on)
    if contact.logged_by is None:
        return gettext("Confirm the contact logged with you on %(date)s.") % {"date": date}
    return gettext("Confirm the contact %(name)s logged on %(date)s.") % {
        "name": contact.logged_by.name or contact.logged_by.email,
        "date": date,
    }


# --- logistics requests ---


@gate_check(Stage.SUSTAINED_CONTACT)
def logistics_requests_answered(initiative):
    unresolved = queries.unresolved_requests(initiative).count()
    if unresolved:
        text = ngettext(
            "%(count)d logistics request is still open.",
            "%(count)d logistics requests are still open.",
            unresolved,
        ) % {"count": unresolved}
        yield fixed_at(text, "contact:logistics_index", initiative)


tab("logistics", _("Requests"), "contact:logistics_index", stage=Stage.SUSTAINED_CONTACT, order=31)


# --- momentum ---


@gate_check(Stage.SUSTAINED_CONTACT)
def matches_not_quiet(initiative):
    quiet = queries.quiet_matches(initiative, timezone.localdate()).count()
    if quiet:
        text = ngettext(
            "%(count)d published match has gone quiet.",
            "%(count)d published matches have gone quiet.",
            quiet,
        ) % {"count": quiet}
        yield fixed_at(text, "contact:momentum", initiative)
    open_help = queries.open_help_requests(initiative).count()
    if open_help:
        text = ngettext(
            "%(count)d request for help is still open.",
            "%(count)d requests for help are still open.",
            open_help,
        ) % {"count": open_help}
        yield fixed_at(text, "contact:momentum", initiative)


tab("momentum", _("Momentum"), "contact:momentum", stage=Stage.SUSTAINED_CONTACT, order=31)


# --- exchanges ---


@next_step_provider
def read_new_posts(memberships):
    peers = [m for m in memberships if m.role == Role.PEER and m.status == Membership.Status.ACTIVE]
    if not peers:
        return
    counts = queries.unread_counts(peers)
    for membership in peers:
        (in_conversation, match_id), on_board = counts[membership.pk]
        if in_conversation:
            yield (
                membership,
                Step(
                    ngettext(
                        "%(count)d new post in your match conversation.",
                        "%(count)d new posts in your match conversation.",
                        in_conversation,
                    )
                    % {"count": in_conversation},
                    reverse("contact:conversation", args=[membership.initiative_id, match_id]),
                ),
            )
        if on_board:
            yield (
                membership,
                Step(
                    ngettext(
                        "%(count)d new post on the board.",
                        "%(count)d new posts on the board.",
                        on_board,
                    )
                    % {"count": on_board},
                    reverse("contact:board", args=[membership.initiative_id]),
                ),
            )


tab("exchanges", _("Exchanges"), "contact:exchanges", stage=Stage.SUSTAINED_CONTACT, order=31)


# --- indicators ---

road_map.indicator(
    "contacts_logged",
    label=_("Contacts logged"),
    definition=_(
        "Calls, visits and joint work logged in the period (for one home organisation: "
        "those one of its peers took part in)."
    ),
    objective=road_map.ChainObjective.CONTACT,
    dimension=road_map.Dimension.INTERACTION,
    source="contact:index",
    series=queries.contacts_logged_per_month,
)(queries.contacts_logged)
road_map.indicator(
    "check_ins_answered",
    label=_("Check-ins answered"),
    definition=_("Answers peers gave to “how is your match going?” in the period."),
    objective=road_map.ChainObjective.CONTACT,
    dimension=road_map.Dimension.REFLECTION,
    source="contact:momentum",
    series=queries.check_ins_answered_per_month,
)(queries.check_ins_answered)
road_map.indicator(
    "peers_in_sustained_contact",
    label=_("Peers in sustained contact"),
    definition=_(
        "Peers who took part in at least one contact in each of three consecutive calendar "
        "months within the period (a contact they declined does not count)."
    ),
    objective=road_map.ChainObjective.CONTACT,
    dimension=road_map.Dimension.INTERACTION,
    funnel=50,
    source="contact:momentum",
)(queries.peers_in_sustained_contact)
road_map.indicator(
    "exchange_posts",
    label=_("Posts in the exchanges"),
    definition=_(
        "Messages posted on the board and in match conversations in the period (deleted "
        "ones left out)."
    ),
    objective=road_map.ChainObjective.CONTACT,
    dimension=road_map.Dimension.SHARING,
    source="contact:exchanges",
    series=queries.exchange_posts_per_month,
)(queries.exchange_posts)
road_map.indicator(
    "library_documents",
    label=_("Library documents"),
    definition=_(
        "Knowledge products added to the library, by their date (for one home "
        "organisation: those its peers wrote)."
    ),
    objective=road_map.ChainObjective.CONTACT,
    dimension=road_map.Dimension.GENERATING,
    source="contact:library",
    series=queries.library_documents_per_month,
)(queries.library_documents)


# --- reports to authorisers ---


def _count_by_membership(rows):
    counts = {}
    for membership_id in rows.values_list("membership_id", flat=True):
        counts[membership_id] = counts.get(membership_id, 0) + 1
    return counts


@peer_figure("contacts", label=_("Contacts with peers"), order=20)
def contacts_of_peers(scope):
    taken_part = ContactParticipant.objects.filter(
        membership__in=scope.peers(), contact__initiative=scope.initiative
    ).exclude(status=ContactParticipant.Status.DECLINED)
    return _count_by_membership(scope.within(taken_part, "contact__happened_on"))


@peer_figure("check_ins", label=_("Match check-ins answered"), order=30)
def check_ins_answered(scope):
    answered = MatchCheckIn.objects.filter(membership__in=scope.peers(), answered_at__isnull=False)
    return _count_by_membership(scope.within(answered, "answered_at"))


# --- personal data: records ---


@road_map.personal_records("contact", label=_("Your contacts, posts and documents"), order=30)
def contact_records(person):
    from .models import (
        Contact,
        HelpRequest,
        LibraryDocument,
        LogisticsRequest,
        MatchNote,
        NudgePause,
        Post,
        PostEmailChoice,
    )

    def of_match(row):
        return row.match.run.initiative_id

    return (
        road_map.records_from(
            Contact.objects.filter(participants__membership__user=person).distinct(),
            title=lambda row: row.get_kind_display(),
            fields=["kind", "happened_on", "note", "helped_with", "outcome", "created_at"],
        )
        + road_map.records_from(
            MatchCheckIn.objects.filter(
                membership__user=person, answered_at__isnull=False
            ).select_related("match__run"),
            title=lambda row: gettext("Check-in"),
            fields=["rating", "not_working", "comment", "answered_at"],
            initiative="match.run.initiative_id",
        )
        + road_map.records_from(
            Post.objects.filter(author=person, deleted_at=None),
            title=lambda row: gettext("Post"),
            fields=["body", "created_at", "edited_at"],
            files=["attachment"],
        )
        + road_map.records_from(
            LibraryDocument.objects.filter(added_by=person),
            title=lambda row: row.title,
            fields=["title", "description", "kind", "dated", "url", "added_at"],
            files=["file"],
        )
        + road_map.records_from(
            LogisticsRequest.objects.filter(membership__user=person),
            title=lambda row: row.get_kind_display(),
            fields=["kind", "details", "needed_on", "status", "created_at"],
        )
        + road_map.records_from(
            HelpRequest.objects.filter(membership__user=person).select_related("match__run"),
            title=lambda row: gettext("Request for help"),
            fields=["text", "status", "created_at"],
            initiative="match.run.initiative_id",
        )
        + road_map.records_from(
            NudgePause.objects.filter(membership__user=person).select_related("membership"),
            title=lambda row: gettext("Reminders paused"),
            fields=["until"],
            initiative="membership.initiative_id",
        )
        + road_map.records_from(
            PostEmailChoice.objects.filter(membership__user=person).select_related("membership"),
            title=lambda row: gettext("Emails about posts"),
            fields=["choice"],
            initiative="membership.initiative_id",
        )
        + road_map.records_from(
            MatchNote.objects.filter(author=person).select_related("match__run"),
            title=lambda row: gettext("Note on a match"),
            fields=["text", "created_at"],
            initiative="match.run.initiative_id",
        )
    )


# --- personal data: erasure ---
road_map.anonymiser("contact", order=50)(personal_data.forget_person)
road_map.initiative_anonymiser("contact", order=50)(personal_data.anonymise_initiative)
