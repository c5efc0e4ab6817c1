"""The road map's registries: the one place where every stage app plugs in.

Apps above `initiatives` (surveys, matching, the stage apps) are never imported from
here; each registers, in its own `road_map.py` (imported by its AppConfig.ready), the
gate checks of a stage, the next steps it asks of peers and authorisers, the tabs it
adds to a facilitator's initiative navigation, and the indicators it measures.
"""

import datetime
import time
from collections import defaultdict
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.db.models import Count, Exists, IntegerChoices, OuterRef, TextChoices
from django.db.models.functions import TruncMonth
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language, gettext, ngettext
from django.utils.translation import gettext_lazy as _

from peerlearn.models import AuditEntry, OutboxEmail, TeamMembership

from . import queries
from .models import Attendance, Membership, PeerContract, Role, Stage
from .models.foundation import unsigned_peers
from .models.scoping import SECTIONS, Progress
from .queries import existing_scoping

PURPOSES = {
    Stage.SCOPING: _(
        "Decide whether peer learning fits: the reform area, the theory of change, "
        "the people you need and what they should gain."
    ),
    Stage.FOUNDATION: _(
        "Bring the right people together: invite peers and their authorisers, survey "
        "them, match them and hold the first event."
    ),
    Stage.SUSTAINED_CONTACT: _(
        "Keep pairs and groups in touch after the first event: exchanges, visits, joint "
        "work, and nudges when things go quiet."
    ),
    Stage.LEARNING_OUTCOMES: _(
        "Make learning happen and show it: objectives, reflections and self-assessments."
    ),
    Stage.DIFFUSION: _(
        "Carry lessons home: report-back sessions, local communities and coalitions "
        "that change organisations."
    ),
}

# Gate checks: what is still open in a stage. Leaving a stage with open items is
# allowed, but only with an acknowledgement that is recorded.

_checks = defaultdict(list)


@dataclass(frozen=True)
class StageSummary:
    stage: Stage
    purpose: str
    open_items: list
    is_current: bool
    is_done: bool


class OpenItem(str):
    """An open item: its text (a str, so it is stored and compared as one) and the page
    where it is dealt with."""

    url = ""

    def __new__(cls, text, url=""):
        item = super().__new__(cls, text)
        item.url = url
        return item


def fixed_at(text, url_name, initiative, *args):
    """`text` as an OpenItem linking to `url_name` of `initiative` (and `args`)."""
    return OpenItem(text, reverse(url_name, args=[initiative.pk, *args]))


def gate_check(stage):
    """Decorator: `check(initiative)` yields the open items of `stage`, as strings or as
    OpenItems (see fixed_at) that link to where each is dealt with."""

    def register(check):
        _checks[stage].append(check)
        return check

    return register


def open_items(initiative, stage):
    return [
        item if isinstance(item, OpenItem) else OpenItem(item)
        for check in _checks[stage]
        for item in check(initiative)
    ]


def items_to_acknowledge(initiative, to_stage):
    """Open items of every stage left behind by moving forward to `to_stage`."""
    return [
        item
        for stage in range(initiative.stage, to_stage)
        for item in open_items(initiative, Stage(stage))
    ]


def summaries(initiative):
    """Each stage with its purpose and what is still open in it."""
    return [
        StageSummary(
            stage=stage,
            purpose=PURPOSES[stage],
            open_items=open_items(initiative, stage),
            is_current=stage == initiative.stage,
            is_done=stage < initiative.stage,
        )
        for stage in Stage
    ]


# Next steps: what a peer or authoriser is asked to do next. A provider receives a
# list of memberships and yields (membership, Step) pairs, querying in bulk, so a page
# listing many memberships costs a fixed number of queries.

_step_providers = []


@dataclass(frozen=True)
class Step:
    text: str
    url: str = ""
    post: bool = False


def next_step_provider(provider):
    """Decorator: `provider(memberships)` yields (membership, Step) for those that have one."""
    _step_providers.append(provider)
    return provider


def next_steps_of(memberships):
    """Each membership's steps, by membership id, in the order providers registered."""
    memberships = list(memberships)
    steps = {membership.pk: [] for membership in memberships}
    for provider in _step_providers:
        for membership, step in provider(memberships):
            steps[membership.pk].append(step)
    return steps


def next_steps(membership):
    return next_steps_of([membership])[membership.pk]


# Tabs of a facilitator's initiative navigation, grouped by the stage they serve
# (None: the initiative as a whole).

_tabs = []


@dataclass(frozen=True)
class Tab:
    key: str
    label: str
    url_name: str
    stage: Stage | None
    order: int


def tab(key, label, url_name, *, stage=None, order=50):
    """Add a tab; its URL takes the initiative's pk as its only argument."""
    _tabs.append(Tab(key, label, url_name, stage, order))


def navigation(initiative, current):
    """The tabs in groups: [(group label, [(label, url, is current)])], stage by stage."""
    groups = defaultdict(list)
    for entry in sorted(_tabs, key=lambda t: t.order):
        url = reverse(entry.url_name, args=[initiative.pk])
        groups[entry.stage].append((entry.label, url, entry.key == current))
    ordered = [(_("Initiative"), groups.pop(None, []))]
    ordered += [(Stage(stage).label, groups[stage]) for stage in Stage if stage in groups]
    return [(label, links) for label, links in ordered if links]


# Indicators: measures the evaluation dashboard and the reports to authorisers read, by
# name. Each stage app registers its own; a measure takes a Scope and returns a number.


class ChainObjective(IntegerChoices):
    """The four objectives of a peer learning initiative, as a chain of results."""

    ENGAGEMENT = 1, _("Foundational engagement established")
    CONTACT = 2, _("Sustained individual contacts")
    LEARNING = 3, _("Practical peer learning")
    CHANGE = 4, _("Change at scale")


class Dimension(TextChoices):
    """The six dimensions along which peer learning succeeds or fails."""

    INTERACTION = "interaction", _("Facilitating interaction")
    GENERATING = "generating", _("Generating knowledge")
    SHARING = "sharing", _("Sharing knowledge")
    REFLECTION = "reflection", _("Reflection")
    APPLICATION = "application", _("Application of lessons")
    DIFFUSION = "diffusion", _("Diffusion into organisations")


@dataclass(frozen=True)
class Scope:
    """What a measure counts: one initiative, optionally the peers of one home
    organisation, optionally within a period of days [start, end)."""

    initiative: object
    organisation: object = None
    start: datetime.date | None = None
    end: datetime.date | None = None

    def peers(self):
        """The initiative's current peers, of the organisation when one is set."""
        peers = self.initiative.memberships.peers().current()
        if self.organisation is not None:
            peers = peers.filter(home_organisation=self.organisation)
        return peers

    def of_peers(self, queryset, membership_path="membership"):
        """`queryset` narrowed to rows of the scope's organisation's peers."""
        if self.organisation is None:
            return queryset
        return queryset.filter(**{f"{membership_path}__home_organisation": self.organisation})

    def within(self, queryset, field):
        """`queryset` narrowed to rows whose date or datetime `field` falls in the period."""
        if self.start is not None:
            queryset = queryset.filter(**{f"{field}__gte": _midnight(self.start)})
        if self.end is not None:
            queryset = queryset.filter(**{f"{field}__lt": _midnight(self.end)})
        return queryset

    def count_peers(self, queryset, membership_path="membership"):
        """How many distinct current peers (of the organisation) `queryset`'s rows concern,
        in one query."""
        rows = self.of_peers(queryset, membership_path).filter(
            **{f"{membership_path}__role": Role.PEER}
        )
        rows = rows.exclude(**{f"{membership_path}__status": Membership.Status.WITHDRAWN})
        return rows.aggregate(peers=Count(membership_path, distinct=True))["peers"]

    def per_month(self, queryset, field, value=None):
        """{first day of month: value} of `queryset` within the period, by its date or
        datetime `field`, in one query; `value` an aggregate (a count of rows by default)."""
        rows = (
            self.within(queryset, field)
            .annotate(month=TruncMonth(field))
            .order_by()
            .values_list("month")
            .annotate(value=value or Count("pk"))
        )
        return {_as_date(month): number or 0 for month, number in rows}


def _midnight(day):
    """The period's bound as the start of its day here: a datetime field compares with it
    in the site's time zone, a date field with its date."""
    if isinstance(day, datetime.datetime):
        return day
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def _as_date(month):
    return month.date() if isinstance(month, datetime.datetime) else month


@dataclass(frozen=True)
class Indicator:
    name: str
    label: str
    definition: str
    measure: object
    objective: ChainObjective | None = None
    dimension: Dimension | None = None
    funnel: int | None = None
    source: str | None = None
    series: object = None


_indicators = {}


def indicator(
    name,
    *,
    label,
    definition,
    objective=None,
    dimension=None,
    funnel=None,
    source=None,
    series=None,
):
    """Decorator: `measure(scope)` returns a number for `name`.

    `label` and `definition` are shown beside the figure; `objective` places it in the
    chain, `dimension` among the six success dimensions, and `funnel` (an order) makes
    it a step of the peers' funnel (a count of peers). `source` names the URL (taking the
    initiative's pk) of the page holding the figure's data; `series(scope)` returns
    {first day of month: number} in one query, for trends (only for figures that add up
    across months)."""

    def register(measure):
        _indicators[name] = Indicator(
            name, label, definition, measure, objective, dimension, funnel, source, series
        )
        return measure

    return register


def registered_indicators():
    return list(_indicators.values())


def indicators(scope, names=None):
    """{name: value} of every registered indicator (or those in `names`) for `scope`."""
    if not isinstance(scope, Scope):
        scope = Scope(scope)
    return {
        name: entry.measure(scope)
        for name, entry in _indicators.items()
        if names is None or name in names
    }


def series_of(scope, names=None):
    """{name: {first day of month: value}} of the indicators (or those in `names`) that
    have a series, for `scope` (give it a start and an end: a series is per month)."""
    return {
        name: entry.series(scope)
        for name, entry in _indicators.items()
        if entry.series is not None and (names is None or name in names)
    }


# What the initiatives app itself registers: stages 0 and 1 as the core sees them.


@gate_check(Stage.SCOPING)
def initiative_described(initiative):
    if not initiative.description.strip():
        yield fixed_at(
            gettext("The initiative has no description yet."), "initiatives:edit", initiative
        )
    if not initiative.reform_areas:
        yield fixed_at(gettext("No reform area has been chosen."), "initiatives:edit", initiative)
    if not initiative.starts_on:
        yield fixed_at(gettext("No start date has been set."), "initiatives:edit", initiative)


@gate_check(Stage.FOUNDATION)
def people_on_board(initiative):
    memberships = initiative.memberships.current()
    peers = memberships.peers()
    if not peers.exists():
        yield fixed_at(gettext("No peer has been invited."), "initiatives:invite", initiative)
        return
    waiting = peers.filter(status=Membership.Status.INVITED).count()
    if waiting:
        text = ngettext(
            "%(count)d invited peer has not accepted yet.",
            "%(count)d invited peers have not accepted yet.",
            waiting,
        ) % {"count": waiting}
        yield fixed_at(text, "initiatives:people", initiative)
    uncovered = (
        peers.exclude(home_organisation=None)
        .exclude(home_organisation__in=memberships.authorised_organisation_ids())
        .values("home_organisation")
        .distinct()
        .count()
    )
    if uncovered:
        text = ngettext(
            "%(count)d home organisation has no authoriser.",
            "%(count)d home organisations have no authoriser.",
            uncovered,
        ) % {"count": uncovered}
        yield fixed_at(text, "initiatives:invite", initiative)


@gate_check(Stage.FOUNDATION)
def event_held(initiative):
    events = initiative.events.all()
    if not events.exists():
        yield fixed_at(
            gettext("No foundational event has been planned yet."),
            "initiatives:create_event",
            initiative,
        )
        return
    recorded = Attendance.objects.filter(event=OuterRef("pk"))
    unrecorded = events.filter(ends_at__lte=timezone.now()).exclude(Exists(recorded))
    for event in unrecorded:
        text = gettext("Attendance has not been recorded for “%(event)s”.") % {"event": event.title}
        yield fixed_at(text, "initiatives:attendance", initiative, event.pk)


@gate_check(Stage.FOUNDATION)
def contracts_signed(initiative):
    if not initiative.memberships.peers().current().exists():
        return
    unsigned = unsigned_peers(initiative).count()
    if unsigned:
        text = ngettext(
            "%(count)d peer contract has not been signed.",
            "%(count)d peer contracts have not been signed.",
            unsigned,
        ) % {"count": unsigned}
        yield fixed_at(text, "initiatives:contracts", initiative)
    waiting = (
        PeerContract.objects.awaiting_countersignature()
        .filter(membership__initiative=initiative)
        .exclude(membership__status=Membership.Status.WITHDRAWN)
        .count()
    )
    if waiting:
        text = ngettext(
            "%(count)d contract is waiting for the home organisation's countersignature.",
            "%(count)d contracts are waiting for the home organisation's countersignature.",
            waiting,
        ) % {"count": waiting}
        yield fixed_at(text, "initiatives:contracts", initiative)


@gate_check(Stage.FOUNDATION)
def engagement_offered(initiative):
    if not initiative.engagement_options.exists():
        yield fixed_at(
            gettext("No options for continued engagement are offered to peers yet."),
            "initiatives:engagement",
            initiative,
        )


@gate_check(Stage.SCOPING)
def scoping_answered(initiative):
    scoping = existing_scoping(initiative)
    for section in SECTIONS:
        progress = scoping.progress(section)
        if progress == Progress.UNANSWERED:
            text = gettext("%(section)s is not answered yet.") % {"section": section.title}
        elif progress == Progress.PARTLY:
            text = gettext("%(section)s is only partly answered.") % {"section": section.title}
        else:
            continue
        yield fixed_at(text, "initiatives:scoping_section", initiative, section.slug)
    if not scoping.chosen_learning_goals():
        yield fixed_at(
            gettext("No learning goal has been chosen."), "initiatives:learning_goals", initiative
        )


def _register_risk_check(stage):
    @gate_check(stage)
    def risks_open(initiative):
        count = initiative.risks.open().filter(stage=stage).count()
        if not count:
            return
        if stage == Stage.SCOPING:
            message = ngettext(
                "%(count)d scoping risk is still open.",
                "%(count)d scoping risks are still open.",
                count,
            )
        else:
            message = ngettext(
                "%(count)d risk of this stage is still open.",
                "%(count)d risks of this stage are still open.",
                count,
            )
        yield fixed_at(message % {"count": count}, "initiatives:risks", initiative)

    return risks_open


for _stage in Stage:
    _register_risk_check(_stage)


@next_step_provider
def confirm_participation(memberships):
    for membership in memberships:
        if membership.status == Membership.Status.INVITED:
            yield (
                membership,
                Step(
                    gettext("Confirm that you take part in %(initiative)s.")
                    % {"initiative": membership.initiative},
                    reverse("initiatives:join", args=[membership.pk]),
                    post=True,
                ),
            )


@next_step_provider
def sign_contract(memberships):
    peers = [
        m
        for m in memberships
        if m.status == Membership.Status.ACTIVE
        and m.role == Role.PEER
        and m.initiative.stage >= Stage.FOUNDATION
    ]
    if not peers:
        return
    signed = set(
        PeerContract.objects.filter(membership__in=peers, signed_at__isnull=False).values_list(
            "membership_id", flat=True
        )
    )
    for membership in peers:
        if membership.pk not in signed:
            yield (
                membership,
                Step(
                    gettext("Sign your peer contract."),
                    reverse("initiatives:contract", args=[membership.initiative_id]),
                ),
            )


tab("overview", _("Overview"), "initiatives:detail", order=0)
tab("road_map", _("Road map"), "initiatives:road_map", order=1)
tab("history", _("History"), "initiatives:history", order=8)
tab("edit", _("Settings"), "initiatives:edit", order=9)
tab("scoping", _("Scoping"), "initiatives:scoping", stage=Stage.SCOPING, order=10)
tab("risks", _("Risks"), "initiatives:risks", stage=Stage.SCOPING, order=11)
tab("people", _("People"), "initiatives:people", stage=Stage.FOUNDATION, order=20)
tab("events", _("Events"), "initiatives:events", stage=Stage.FOUNDATION, order=25)
tab("contracts", _("Contracts"), "initiatives:contracts", stage=Stage.FOUNDATION, order=26)


# Links beside each published match on matching's pages, added by the apps above
# matching (stage 2's match history, say), so matching never names their URLs.

_match_links = []


@dataclass(frozen=True)
class MatchLink:
    label: str
    url_name: str


def match_link(label, url_name):
    """Add a link beside each published match; its URL takes the initiative's and match's pk."""
    _match_links.append(MatchLink(label, url_name))


def match_links(initiative_pk, match_pk):
    """The links of one match, in the order they were added: [(label, url)]."""
    return [
        (link.label, reverse(link.url_name, args=[initiative_pk, match_pk]))
        for link in _match_links
    ]


# --- indicators ---

indicator(
    "peers_invited",
    label=_("Peers invited"),
    definition=_("Peers invited to the initiative in the period (those who withdrew left out)."),
    objective=ChainObjective.ENGAGEMENT,
    funnel=10,
    source="initiatives:people",
    series=queries.peers_invited_per_month,
)(queries.peers_invited)
indicator(
    "peers_accepted",
    label=_("Peers who accepted"),
    definition=_("Invited peers who confirmed that they take part, by the day they joined."),
    objective=ChainObjective.ENGAGEMENT,
    source="initiatives:people",
    series=queries.peers_accepted_per_month,
)(queries.peers_accepted)
indicator(
    "peers_attended",
    label=_("Peers who attended an event"),
    definition=_(
        "Peers recorded as present at an event of the initiative (the foundational event "
        "or a later one) that started in the period; each peer counts once."
    ),
    objective=ChainObjective.ENGAGEMENT,
    dimension=Dimension.INTERACTION,
    funnel=40,
    source="initiatives:events",
)(queries.peers_attended)
indicator(
    "contracts_signed",
    label=_("Peer contracts signed"),
    definition=_("Peers who signed their peer contract in the period."),
    objective=ChainObjective.ENGAGEMENT,
    source="initiatives:contracts",
    series=queries.contracts_signed_per_month,
)(queries.contracts_signed)


# --- reports to authorisers ---
# What the progress reports to a home organisation's authorisers show beyond the
# indicators: each app above adds figures per peer, sections of items and things the
# organisation is asked to do. Every provider takes a Scope (with an organisation) and
# queries in bulk, so a report costs the same number of queries whatever its size.
# Whatever a provider returns is frozen into the report as it was, so it must hold
# plain text and numbers only, and never a peer of another organisation.


@dataclass(frozen=True)
class PeerFigure:
    key: str
    label: str
    measure: object
    order: int


@dataclass(frozen=True)
class ReportSection:
    key: str
    title: str
    provider: object
    order: int


_peer_figures = []
_report_sections = []
_report_asks = []


def peer_figure(key, *, label, order=50):
    """Decorator: `measure(scope)` returns {membership id: number} for the scope's peers."""

    def register(measure):
        _peer_figures.append(PeerFigure(key, label, measure, order))
        return measure

    return register


def report_section(key, *, title, order=50):
    """Decorator: `provider(scope)` returns a list of {"title", "text", "meta"} (plain text)."""

    def register(provider):
        _report_sections.append(ReportSection(key, title, provider, order))
        return provider

    return register


def report_ask(provider):
    """Decorator: `provider(scope)` yields what the organisation is asked to do, as text."""
    _report_asks.append(provider)
    return provider


def peer_figures():
    return sorted(_peer_figures, key=lambda entry: entry.order)


def report_sections():
    return sorted(_report_sections, key=lambda entry: entry.order)


def report_asks(scope):
    return [str(ask) for provider in _report_asks for ask in provider(scope)]


@peer_figure("events_attended", label=_("Events attended"), order=10)
def events_attended(scope):
    attended = Attendance.objects.filter(
        present=True, membership__in=scope.peers(), event__initiative=scope.initiative
    )
    attended = scope.within(attended, "event__starts_at")
    counts = defaultdict(int)
    for membership_id in attended.values_list("membership_id", flat=True):
        counts[membership_id] += 1
    return dict(counts)


@report_section("coming_next", title=_("Coming next"), order=90)
def coming_events(scope):
    upcoming = scope.initiative.events.filter(starts_at__gte=timezone.now()).order_by("starts_at")
    return [
        {
            "title": event.title,
            "text": event.get_kind_display(),
            "meta": timezone.localtime(event.starts_at).date().isoformat(),
        }
        for event in upcoming[:5]
    ]


# --- road map cache ---


def _version_key(initiative_pk):
    return f"road-map-version:{initiative_pk}"


def recent_summaries(initiative):
    """summaries(initiative) as computed at most ROAD_MAP_CACHE_SECONDS ago: each open item
    counts over the whole initiative, too slow for every opening of its page. Any change
    made through the site's forms forgets it (forget_summaries); the road map page itself
    always computes afresh."""
    return recently_computed(
        initiative.pk,
        f"road-map:{initiative.stage}:{get_language()}",
        lambda: summaries(initiative),
        seconds=settings.ROAD_MAP_CACHE_SECONDS,
    )


def recently_computed(initiative_pk, key, compute, *, seconds):
    """compute() as computed at most `seconds` ago (0: always afresh) under `key` for the
    initiative; any form sent on the initiative's pages forgets it (forget_summaries).
    `key` names everything the result depends on besides the initiative's rows."""
    if not seconds:
        return compute()
    version = cache.get(_version_key(initiative_pk), 0)
    versioned = f"{key}:{initiative_pk}:{version}"
    found = cache.get(versioned)
    if found is None:
        found = compute()
        cache.set(versioned, found, seconds)
    return found


def forget_summaries(initiative_pk):
    cache.set(_version_key(initiative_pk), time.time_ns(), None)


# --- what invitations say ---

_invitation_contexts = []


def invitation_context(provider):
    """Decorator: `provider(initiative)` returns more context for the invitation email
    (an app above adds what a newcomer should know, such as an open survey)."""
    _invitation_contexts.append(provider)
    return provider


def invitation_extras(initiative):
    extras = {}
    for provider in _invitation_contexts:
        extras.update(provider(initiative))
    return extras


# --- personal data: records ---
# What PeerLearn holds about a person, for the page "Your data" and the archive. A
# provider receives the person and returns plain records, queried in bulk:
# {"initiative_id": id or None, "title": str, "fields": {label: plain value},
#  "files": [FieldFile, ...]}.

_record_providers = []


@dataclass(frozen=True)
class RecordProvider:
    key: str
    label: str
    provider: object
    order: int


def personal_records(key, *, label, order=50):
    """Decorator: `provider(person)` returns the person's records of one kind."""

    def register(provider):
        _record_providers.append(RecordProvider(key, label, provider, order))
        return provider

    return register


def records_of(person):
    """[(RecordProvider, records)] of every provider, in order."""
    return [
        (entry, entry.provider(person))
        for entry in sorted(_record_providers, key=lambda entry: entry.order)
    ]


def _plain(value):
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, list | tuple):
        return [_plain(item) for item in value]
    if isinstance(value, dict):
        return {str(key): _plain(item) for key, item in value.items()}
    if isinstance(value, datetime.datetime | datetime.date):
        return value.isoformat()
    return str(value)


# Labels of the fields that records show and whose model gives no verbose name.
FIELD_LABELS = {
    "accepted_at": _("Accepted"),
    "added_at": _("Added"),
    "answered_at": _("Answered"),
    "body": _("Text"),
    "countersigned_at": _("Countersigned"),
    "created_at": _("Created"),
    "edited_at": _("Edited"),
    "handled_at": _("Handled"),
    "joined_at": _("Joined"),
    "kind": _("Kind"),
    "means": _("Means"),
    "recorded_at": _("Recorded"),
    "score": _("Score"),
    "sent_at": _("Sent"),
    "shared_with_facilitators": _("Shared with facilitators"),
    "signed_at": _("Signed"),
    "signed_text": _("Text signed"),
    "status": _("Status"),
    "until": _("Until"),
    "user": _("Person"),
    "written_at": _("Written"),
}


def plain_fields(instance, names):
    """{verbose name: plain value} of these fields of a model instance (choices by label)."""
    fields = {}
    for name in names:
        field = instance._meta.get_field(name)
        value = getattr(instance, name)
        if field.choices and value not in (None, ""):
            value = getattr(instance, f"get_{name}_display")()
        label = field.verbose_name
        if label == name.replace("_", " ") and name in FIELD_LABELS:
            label = FIELD_LABELS[name]
        fields[str(label)] = _plain(value)
    return fields


def records_from(rows, *, title, fields, initiative="initiative_id", files=()):
    """Plain records of model rows: `title(row)` names each, `fields` and `files` are
    field names, `initiative` the path to the row's initiative id."""
    records = []
    for row in rows:
        initiative_id = row
        for step in initiative.split("."):
            initiative_id = getattr(initiative_id, step)
        records.append(
            {
                "initiative_id": initiative_id,
                "title": str(title(row)),
                "fields": plain_fields(row, fields),
                "files": [getattr(row, name) for name in files if getattr(row, name)],
            }
        )
    return records


@personal_records("account", label=_("Your account"), order=1)
def account_records(person):
    fields = plain_fields(person, ["email", "name", "language", "date_joined", "last_login"])
    fields[gettext("Optional email")] = (
        gettext("Wanted") if person.wants_optional_email else gettext("Unsubscribed")
    )
    records = [{"initiative_id": None, "title": gettext("Account"), "fields": fields, "files": []}]
    for team in TeamMembership.objects.filter(user=person).select_related("organisation"):
        records.append(
            {
                "initiative_id": None,
                "title": gettext("Facilitating organisation"),
                "fields": {
                    gettext("Organisation"): team.organisation.name,
                    gettext("Since"): _plain(team.granted_at),
                },
                "files": [],
            }
        )
    return records


@personal_records("memberships", label=_("Your part in initiatives"), order=2)
def membership_records(person):
    memberships = Membership.objects.filter(user=person).select_related(
        "initiative", "home_organisation"
    )
    return [
        {
            "initiative_id": membership.initiative_id,
            "title": membership.initiative.title,
            "fields": plain_fields(
                membership, ["role", "status", "home_organisation", "created_at", "joined_at"]
            ),
            "files": [],
        }
        for membership in memberships
    ]


@personal_records("emails", label=_("Emails sent to you"), order=90)
def email_records(person):
    emails = OutboxEmail.objects.filter(to=person.email).only(
        "subject", "kind", "status", "created_at", "sent_at"
    )
    return [
        {
            "initiative_id": None,
            "title": email.subject,
            "fields": plain_fields(email, ["kind", "status", "created_at", "sent_at"]),
            "files": [],
        }
        for email in emails
    ]


@personal_records("audit", label=_("Changes you made"), order=95)
def audit_records(person):
    return [
        {
            "initiative_id": entry.initiative_id,
            "title": entry.target_label or entry.action,
            "fields": {
                gettext("When"): _plain(entry.at),
                gettext("Action"): entry.action,
            },
            "files": [],
        }
        for entry in AuditEntry.objects.filter(actor=person)
    ]


@personal_records("events", label=_("Events and your part in them"), order=3)
def foundation_records(person):
    from .models import EngagementSignUp, Invitation, Risk

    return (
        records_from(
            Invitation.objects.filter(membership__user=person).select_related(
                "membership__initiative"
            ),
            title=lambda row: gettext("Invitation"),
            fields=["created_at", "accepted_at"],
            initiative="membership.initiative_id",
        )
        + records_from(
            Attendance.objects.filter(membership__user=person).select_related("event"),
            title=lambda row: row.event.title,
            fields=["present", "recorded_at"],
            initiative="event.initiative_id",
        )
        + records_from(
            PeerContract.objects.filter(membership__user=person).select_related("membership"),
            title=lambda row: gettext("Peer contract"),
            fields=["signed_name", "signed_text", "signed_at", "countersigned_at", "mandate_note"],
            initiative="membership.initiative_id",
        )
        + records_from(
            EngagementSignUp.objects.filter(membership__user=person).select_related("option"),
            title=lambda row: row.option.title,
            fields=["created_at"],
            initiative="option.initiative_id",
        )
        + records_from(
            Risk.objects.filter(owner=person),
            title=lambda row: gettext("Risk you own"),
            fields=["description", "mitigation", "status", "created_at"],
        )
    )


# --- personal data: erasure ---
# Each app says how it forgets a person (on an erasure request) and how it anonymises a
# closed initiative once its retention period is over. The privacy app calls them in
# `order`; each runs inside the caller's transaction and must be safe to run twice.


@dataclass(frozen=True)
class Anonymiser:
    key: str
    function: object
    order: int


_anonymisers = {}
_initiative_anonymisers = {}


def anonymiser(key, *, order=50):
    """Decorator: `function(person, *, keep_files)` removes or anonymises what one app
    holds about `person` (a User); `keep_files` keeps the files they authored, with
    nothing in them naming the person, instead of deleting them."""

    def register(function):
        _anonymisers[key] = Anonymiser(key, function, order)
        return function

    return register


def initiative_anonymiser(key, *, order=50):
    """Decorator: `function(initiative)` anonymises the personal data one app holds in a
    closed initiative, keeping the rows that aggregate figures count."""

    def register(function):
        _initiative_anonymisers[key] = Anonymiser(key, function, order)
        return function

    return register


def anonymise(person, *, keep_files):
    """Run every app's anonymiser on `person`, in order (the account itself last)."""
    for entry in sorted(_anonymisers.values(), key=lambda entry: entry.order):
        entry.function(person, keep_files=keep_files)


def anonymise_initiative(initiative):
    for entry in sorted(_initiative_anonymisers.values(), key=lambda entry: entry.order):
        entry.function(initiative)


@anonymiser("initiatives", order=20)
def forget_in_initiatives(person, *, keep_files):
    from peerlearn.anonymous import scrub_app, traces

    scrub_app("initiatives", traces(person))


@anonymiser("account", order=90)
def forget_account(person, *, keep_files):
    """The account stays as an anonymous, inactive one, so what others still need (posts,
    contacts, matches) keeps pointing at someone: "a former peer"."""
    from allauth.account.models import EmailAddress

    from peerlearn.anonymous import erased_address, former_peer, scrub_app, traces
    from peerlearn.models import AuditEntry, OutboxEmail, TeamMembership, User

    terms = traces(person)
    OutboxEmail.objects.filter(to__iexact=person.email).delete()
    AuditEntry.objects.filter(actor=person).update(actor=None)
    TeamMembership.objects.filter(user=person).delete()
    EmailAddress.objects.filter(user=person).delete()
    person.groups.clear()
    person.user_permissions.clear()
    for label in ("peerlearn", "account", "admin"):
        scrub_app(label, terms, skip=(User,))
    person.name = former_peer()
    person.email = erased_address(person.pk)
    person.language = ""
    person.is_active = person.is_staff = person.is_superuser = False
    person.last_login = None
    person.unsubscribed_at = person.unsubscribed_at or timezone.now()
    person.set_unusable_password()
    person.save()


@initiative_anonymiser("initiatives", order=90)
def anonymise_initiative_people(initiative):
    """Each person's membership moves to an anonymous account of its own, so counts stay
    and nobody in the initiative can be named; their signed contracts lose the name."""
    from peerlearn.anonymous import erased_address, former_peer
    from peerlearn.models import AuditEntry, User

    PeerContract.objects.filter(membership__initiative=initiative).update(
        signed_name="", signed_text="", mandate_note=""
    )
    for membership in initiative.memberships.exclude(user__email__endswith="erased.invalid"):
        stand_in = User.objects.create(
            email=f"pending-{membership.pk}@erased.invalid", name=former_peer(), is_active=False
        )
        stand_in.email = erased_address(stand_in.pk)
        stand_in.set_unusable_password()
        stand_in.save()
        membership.user = stand_in
        membership.save(update_fields=["user"])
    AuditEntry.objects.of_initiative(initiative).update(actor=None, target_label="", data={})
