"""Reads of the personal-data app: notices due, consents held, a person's records."""

from collections import defaultdict
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.db.models import BooleanField, Exists, F, Max, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _

from initiatives.models import Initiative, Membership
from initiatives.road_map import records_of
from peerlearn import freshness
from peerlearn.models import Organisation, User

from .models import (
    Consent,
    ConsentKind,
    CorrectionRequest,
    DataArchive,
    ErasureConfirmation,
    ErasureRequest,
    NoticeAcceptance,
    PrivacyNotice,
)

# What holds while a person has never said: nothing leaves the contract without a yes;
# optional email follows the unsubscribe choice every sender already asks.
DEFAULTS = {
    ConsentKind.ANSWERS_TO_MATCHES: False,
    ConsentKind.REFLECTIONS_TO_AUTHORISER: False,
    ConsentKind.NAME_IN_LIBRARY: False,
}


def default_notice_text(organisation):
    return _(
        "%(organisation)s facilitates the peer learning initiatives you take part in and "
        "is responsible for the personal data PeerLearn holds about you in them.\n\n"
        "What we hold: your name, email address, position and home organisation; your "
        "answers to surveys; your contacts, posts, reflections, learning objectives and "
        "the documents you add; the emails we send you.\n\n"
        "Why: to run the initiative you joined (inviting you, matching you with peers, "
        "keeping you in touch and measuring what you learn), which is the task your "
        "organisation agreed to. Anything beyond that (showing your survey answers to the "
        "peers you are matched with, letting your authoriser read your reflections, "
        "showing your name in the knowledge library, optional email) happens only with "
        "your consent, which you give or withdraw at any time on the page “Your data”.\n\n"
        "Who sees it: the facilitators of the initiative; the peers you are matched with "
        "see your name, position and organisation; your authoriser sees figures about "
        "your participation.\n\n"
        "Your rights: on “Your data” you see everything we hold about you, download it, "
        "correct it or ask a facilitator to correct it. Write to the facilitators of "
        "%(organisation)s with any question or complaint; you may also complain to your "
        "data-protection authority."
    ) % {"organisation": organisation.name}


@dataclass(frozen=True)
class Notice:
    organisation: Organisation
    version: int
    text: str
    written_at: object = None


def current_notice(organisation):
    """The organisation's newest notice, or its default text as version 0."""
    stored = PrivacyNotice.objects.filter(organisation=organisation).first()
    if stored is None:
        return Notice(organisation, 0, default_notice_text(organisation))
    return Notice(organisation, stored.version, stored.text, stored.written_at)


def organisations_of(person):
    """The facilitating organisations of the initiatives this person is in."""
    initiatives = Initiative.objects.filter(
        memberships__user=person, memberships__status__in=_taking_part()
    )
    return Organisation.objects.filter(Exists(initiatives.filter(organisation=OuterRef("pk"))))


def _taking_part():
    return [Membership.Status.INVITED, Membership.Status.ACTIVE]


def notices_to_accept(person):
    """The organisations whose notice `person` has still to accept: never accepted, or
    accepted before the newest material change. One query."""
    material = (
        PrivacyNotice.objects.filter(organisation=OuterRef("pk"), material=True)
        .values("organisation")
        .annotate(newest=Max("version"))
        .values("newest")
    )
    accepted = NoticeAcceptance.objects.filter(
        person=person, organisation=OuterRef("pk"), version__gte=OuterRef("required")
    )
    return (
        organisations_of(person)
        .annotate(required=Coalesce(Subquery(material), 0))
        .filter(~Exists(accepted))
        .order_by("name", "pk")
    )


def notices_all_accepted(person):
    """Whether `person` has no notice left to accept. Known to be so, it is kept for
    ROAD_MAP_CACHE_SECONDS unless the person sends a form or a material notice is
    written (peerlearn.freshness): every page asks."""
    seconds = settings.ROAD_MAP_CACHE_SECONDS
    if not seconds:
        return not notices_to_accept(person).exists()
    key = f"notices-accepted:{person.pk}:"
    key += freshness.stamp([freshness.person(person.pk), freshness.NOTICES])
    if cache.get(key):
        return True
    accepted = not notices_to_accept(person).exists()
    if accepted:
        cache.set(key, True, seconds)
    return accepted


def acceptances_of(person):
    return NoticeAcceptance.objects.filter(person=person).select_related("organisation")


def notice_versions(organisation):
    return PrivacyNotice.objects.filter(organisation=organisation).select_related("written_by")


# --- consents ---


def _newest(kind, ids):
    """(person id, given) of each person's newest say on `kind`; a subquery rather than
    DISTINCT ON, which SQLite (the embedded default) lacks."""
    return (
        User.objects.filter(pk__in=ids)
        .annotate(given=consent_given(kind, "pk"))
        .exclude(given=None)
        .values_list("pk", "given")
    )


def consenting(people_or_ids, kind):
    """The ids of those among `people_or_ids` who consent to `kind` now. One query."""
    ids = {getattr(p, "pk", p) for p in people_or_ids}
    if not ids:
        return set()
    if kind == ConsentKind.OPTIONAL_EMAIL:
        return set(
            User.objects.filter(pk__in=ids, unsubscribed_at=None).values_list("pk", flat=True)
        )
    said = dict(_newest(kind, ids))
    return {pk for pk in ids if said.get(pk, DEFAULTS[kind])}


def consent_given(kind, person_path):
    """A condition for filters: the person at `person_path` (an outer reference) has given
    `kind` (one of the kinds not given by default) and not withdrawn it since."""
    newest = Consent.objects.filter(person=OuterRef(person_path), kind=kind).order_by(
        "-changed_at", "-pk"
    )
    return Subquery(newest.values("given")[:1], output_field=BooleanField())


def has_consent(person, kind):
    return person.pk in consenting([person.pk], kind)


def consents_of(person):
    """[(kind, given, changed_at or None)] for every kind, in a fixed order. Two queries."""
    said = {
        kind: (given, changed_at)
        for kind, given, changed_at in Consent.objects.filter(person=person)
        .order_by("kind", "-changed_at", "-pk")
        .distinct("kind")
        .values_list("kind", "given", "changed_at")
    }
    email = person.unsubscribed_at is None
    rows = []
    for kind in ConsentKind:
        default = email if kind == ConsentKind.OPTIONAL_EMAIL else DEFAULTS[kind]
        given, changed_at = said.get(kind, (default, None))
        if kind == ConsentKind.OPTIONAL_EMAIL:
            given = email
        rows.append((kind, given, changed_at))
    return rows


def consent_history(person):
    return Consent.objects.filter(person=person)


# --- archives and corrections ---


def archives_of(person):
    return DataArchive.objects.filter(person=person)


def corrections_of(person):
    return CorrectionRequest.objects.filter(membership__user=person).select_related("initiative")


def corrections_of_initiative(initiative):
    return CorrectionRequest.objects.filter(initiative=initiative).select_related(
        "membership__user", "handled_by"
    )


def memberships_of(person):
    return (
        Membership.objects.filter(user=person)
        .select_related("initiative")
        .order_by("initiative__title", "pk")
    )


def open_corrections(initiative):
    return CorrectionRequest.objects.filter(initiative=initiative).open()


def open_request_of(person):
    return ErasureRequest.objects.open().filter(person=person).first()


def latest_request_of(person):
    return ErasureRequest.objects.filter(person=person).order_by("-asked_at").first()


def initiatives_to_confirm(person):
    """The initiatives whose facilitators would confirm `person`'s erasure."""
    return Initiative.objects.filter(memberships__user=person).distinct().order_by("title")


def confirmations_of(initiative):
    """The initiative's erasure requests, the waiting ones first (oldest deadline first)."""
    return (
        ErasureConfirmation.objects.filter(initiative=initiative)
        .select_related("request__person", "confirmed_by")
        .order_by(F("confirmed_at").asc(nulls_first=True), "request__confirm_by", "pk")
    )


def records_by_initiative(person):
    """[(initiative title, [(label, records)])]: what is held, per initiative."""
    groups = defaultdict(lambda: defaultdict(list))
    for entry, records in records_of(person):
        for record in records:
            groups[record["initiative_id"]][entry.label].append(record)
    titles = dict(Initiative.objects.filter(pk__in=groups).values_list("pk", "title"))
    ordered = [(_("Your account"), groups.pop(None))] if None in groups else []
    ordered += sorted(
        ((titles.get(pk, _("An initiative")), held) for pk, held in groups.items()),
        key=lambda pair: pair[0],
    )
    return [(title, list(held.items())) for title, held in ordered]
