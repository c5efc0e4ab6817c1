"""Writes of stage 2: contacts logged and their participants' answers."""

import datetime

from django.conf import settings
from django.core import signing
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from initiatives.models import Initiative, Membership, Stage
from matching.models import Match, MatchMember
from peerlearn import audit
from peerlearn.outbox import absolute_url, queue_templated_email
from peerlearn.subscriptions import optional_email_headers

from . import queries
from .models import (
    Contact,
    ContactParticipant,
    HelpRequest,
    InTouchMark,
    MatchNote,
    Nudge,
    NudgePause,
)

audit.describe(
    **{
        "contact.log": _("Logged a contact"),
        "contact.confirm": _("Confirmed a contact"),
        "contact.decline": _("Said a contact did not happen"),
    }
)


def log_contact(*, initiative, by, participants, confirmed=(), **fields):
    """Record a contact with `participants` (memberships).

    Those in `confirmed` (the logger's own membership, or everyone when a facilitator
    logs) are confirmed at once; the others are asked to confirm. Audited.
    """
    confirmed = set(confirmed)
    with transaction.atomic():
        contact = Contact.objects.create(initiative=initiative, logged_by=by, **fields)
        ContactParticipant.objects.bulk_create(
            ContactParticipant(
                contact=contact,
                membership=membership,
                status=ContactParticipant.Status.CONFIRMED
                if membership in confirmed
                else ContactParticipant.Status.PENDING,
            )
            for membership in participants
        )
        audit.log(
            actor=by,
            action="contact.log",
            target=contact,
            kind=contact.kind,
            participants=len(participants),
        )
    return contact


def confirm_contact(*, participant, by):
    """`participant` says the contact happened. Audited."""
    _answer(participant, by, ContactParticipant.Status.CONFIRMED, "contact.confirm")


def decline_contact(*, participant, by):
    """`participant` says the contact did not happen. Audited."""
    _answer(participant, by, ContactParticipant.Status.DECLINED, "contact.decline")


def _answer(participant, by, status, action):
    with transaction.atomic():
        participant.answer(status, timezone.now())
        audit.log(
            actor=by,
            action=action,
            target=participant.contact,
            initiative=participant.contact.initiative_id,
        )


# --- momentum ---

audit.describe(
    **{
        "contact.nudge": _("Nudged a quiet match"),
        "contact.alert": _("Told the facilitators about a quiet match"),
        "contact.in_touch": _("Said a match is in touch"),
        "contact.ask_help": _("Asked for help with a match"),
        "contact.resolve_help": _("Resolved a help request"),
        "contact.pause_nudges": _("Paused nudges"),
        "contact.resume_nudges": _("Resumed nudges"),
        "contact.note": _("Added a note on a match"),
    }
)

LINK_PURPOSES = ("log", "in_touch", "help")


class LinkExpired(Exception):
    pass


class LinkInvalid(Exception):
    pass


def nudge_link(*, nudge, membership, purpose):
    """The absolute, signed one-click link of `purpose` for `membership` in a nudge."""
    data = {"n": nudge.pk, "m": membership.pk, "a": nudge.match_id}
    token = signing.dumps(data, salt=f"contact.nudge.{purpose}")
    return absolute_url(reverse(f"contact:nudge_{purpose}", args=[token]))


def read_nudge_link(*, token, purpose):
    """The (nudge, membership) a link was made for. Raises LinkExpired or LinkInvalid."""
    max_age = datetime.timedelta(days=settings.NUDGE_LINK_MAX_AGE_DAYS)
    try:
        data = signing.loads(token, salt=f"contact.nudge.{purpose}", max_age=max_age)
    except signing.SignatureExpired as error:
        raise LinkExpired from error
    except signing.BadSignature as error:
        raise LinkInvalid from error
    member = (
        MatchMember.objects.filter(
            match_id=data.get("a"),
            membership_id=data.get("m"),
            match__status=Match.Status.PUBLISHED,
            match__nudges=data.get("n"),
        )
        .select_related("match__run__initiative", "membership__user")
        .first()
    )
    if member is None:
        raise LinkInvalid
    return Nudge.objects.get(pk=data["n"]), member.membership


def nudge_quiet_matches(*, now=None):
    """Nudge the members of every quiet match once per quiet spell; alert the
    facilitators when it is still quiet a quiet period after the nudge.

    Initiatives past their end date are left alone; withdrawn peers get nothing.
    Side effects: per nudge or alert, one Nudge row (its unique key is the claim),
    its emails (none to paused or unsubscribed peers) and an audit entry, in one
    transaction; a claim already taken (an earlier or concurrent sweep) sends
    nothing. Returns how many nudges and alerts were made.
    """
    today = timezone.localdate(now)
    made = 0
    initiatives = Initiative.objects.filter(stage__gte=Stage.SUSTAINED_CONTACT).exclude(
        ends_on__lt=today
    )
    for initiative in initiatives:
        made += _nudge_quiet_in(initiative, today)
    return made


def _nudge_quiet_in(initiative, today):
    quiet = list(queries.quiet_matches(initiative, today).select_related("run__initiative"))
    taken = queries.sweep_nudges(quiet)
    period = datetime.timedelta(days=initiative.follow_up_every_days)
    made = 0
    for match in quiet:
        spell = match.last_active_on
        nudge = taken.get((match.pk, Nudge.Kind.MEMBERS, spell))
        if nudge is None:
            made += _claim(match, Nudge.Kind.MEMBERS, spell, _tell_members) is not None
        elif (
            timezone.localdate(nudge.created_at) + period <= today
            and (match.pk, Nudge.Kind.FACILITATORS, spell) not in taken
        ):
            made += _claim(match, Nudge.Kind.FACILITATORS, spell, _tell_facilitators) is not None
    return made


def nudge_now(*, match, by):
    """A facilitator nudges a match's members at once, at most once a day.

    Side effects as for a sweep's nudge. Returns the Nudge, or None if one was
    already sent today.
    """
    return _claim(match, Nudge.Kind.NOW, timezone.localdate(), _tell_members, by=by)


def _claim(match, kind, spell, tell, by=None):
    try:
        with transaction.atomic():
            nudge = Nudge.objects.create(match=match, kind=kind, spell=spell, sent_by=by)
            tell(nudge)
            action = "contact.alert" if kind == Nudge.Kind.FACILITATORS else "contact.nudge"
            audit.log(
                actor=by,
                action=action,
                target=match,
                initiative=match.run.initiative_id,
                target_label=str(_("Match %(number)d") % {"number": match.number}),
                kind=kind,
            )
    except IntegrityError:  # claimed by an earlier or concurrent run
        return None
    return nudge


def _tell_members(nudge):
    match = nudge.match
    today = timezone.localdate()
    members = list(
        match.members.exclude(membership__status=Membership.Status.WITHDRAWN).select_related(
            "membership__user", "membership__initiative"
        )
    )
    paused = queries.paused_memberships([m.membership_id for m in members], today)
    for member in members:
        membership, person = member.membership, member.membership.user
        if membership.pk in paused or not person.wants_optional_email:
            continue
        links = {
            purpose: nudge_link(nudge=nudge, membership=membership, purpose=purpose)
            for purpose in LINK_PURPOSES
        }
        partners = [str(m.membership.user) for m in members if m.pk != member.pk]
        queue_templated_email(
            to=person.email,
            kind="contact_nudge",
            key=f"contact-nudge:{nudge.pk}:{membership.pk}",
            template="contact_nudge",
            context={
                "person": person,
                "initiative": membership.initiative,
                "partners": partners,
                "links": links,
                "contacts": absolute_url(reverse("contact:mine", args=[membership.initiative_id])),
            },
            headers=optional_email_headers(person),
        )


def _tell_facilitators(nudge):
    match = nudge.match
    initiative = match.run.initiative
    link = absolute_url(reverse("contact:momentum", args=[initiative.pk]) + "?state=quiet")
    names = [str(m.membership.user) for m in match.members.select_related("membership__user")]
    for facilitator in queries.facilitators_of(initiative):
        queue_templated_email(
            to=facilitator.user.email,
            kind="contact_quiet_alert",
            key=f"contact-quiet-alert:{nudge.pk}:{facilitator.pk}",
            template="contact_quiet_alert",
            context={
                "person": facilitator.user,
                "initiative": initiative,
                "number": match.number,
                "names": names,
                "since": nudge.spell,
                "link": link,
            },
        )


def mark_in_touch(*, nudge, membership):
    """A member says the match is in touch: the quiet clock starts again.

    Side effects: one InTouchMark and an audit entry. Returns False if this link
    was used already.
    """
    try:
        with transaction.atomic():
            InTouchMark.objects.create(match=nudge.match, membership=membership, nudge=nudge)
            audit.log(
                actor=membership.user,
                action="contact.in_touch",
                target=nudge.match,
                initiative=membership.initiative_id,
                target_label=str(membership.user),
            )
    except IntegrityError:
        return False
    return True


def ask_for_help(*, match, membership, text, nudge=None):
    """A member asks the facilitators for help with their match.

    Side effects: one HelpRequest and an audit entry; the facilitators see it on the
    momentum page. Returns it, or None if this nudge's link was used already.
    """
    try:
        with transaction.atomic():
            request = HelpRequest.objects.create(
                match=match, membership=membership, nudge=nudge, text=text
            )
            audit.log(
                actor=membership.user,
                action="contact.ask_help",
                target=request,
                initiative=membership.initiative_id,
                target_label=str(membership.user),
                match=match.number,
            )
    except IntegrityError:
        return None
    return request


def resolve_help(*, help_request, by, note):
    """A facilitator closes a help request with a note. Side effects: an audit entry."""
    with transaction.atomic():
        help_request.resolve(by=by, note=note, when=timezone.now())
        audit.log(
            actor=by,
            action="contact.resolve_help",
            target=help_request,
            initiative=help_request.membership.initiative_id,
            target_label=str(help_request.membership.user),
        )


def pause_nudges(*, membership, days):
    """No nudges to `membership` for `days` days from today. Side effects: an audit entry."""
    until = timezone.localdate() + datetime.timedelta(days=days)
    with transaction.atomic():
        NudgePause.objects.update_or_create(membership=membership, defaults={"until": until})
        audit.log(
            actor=membership.user,
            action="contact.pause_nudges",
            target=membership,
            until=until.isoformat(),
        )
    return until


def resume_nudges(*, membership):
    """Nudges again for `membership`. Side effects: an audit entry."""
    with transaction.atomic():
        NudgePause.objects.filter(membership=membership).delete()
        audit.log(actor=membership.user, action="contact.resume_nudges", target=membership)


def add_match_note(*, match, by, text):
    """A facilitator's note on a match. Side effects: an audit entry."""
    with transaction.atomic():
        note = MatchNote.objects.create(match=match, author=by, text=text)
        audit.log(
            actor=by,
            action="contact.note",
            target=match,
            initiative=match.run.initiative_id,
            target_label=str(_("Match %(number)d") % {"number": match.number}),
        )
    return note
