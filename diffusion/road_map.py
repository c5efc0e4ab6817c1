"""Where stage 4 plugs into the road map: its tabs, the peers' steps and its gate check."""

from django.urls import reverse
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from initiatives import road_map
from initiatives.models import Membership, Role, Stage
from initiatives.road_map import (
    ChainObjective,
    Dimension,
    Step,
    anonymiser,
    fixed_at,
    gate_check,
    indicator,
    initiative_anonymiser,
    next_step_provider,
    peer_figure,
    report_ask,
    report_section,
    tab,
)

from . import personal_data, queries
from .models import ChangeStory, HomeCommitment, ReportBack, SharingItem


def _peers_in_diffusion(memberships):
    return [
        m
        for m in memberships
        if m.role == Role.PEER
        and m.status == Membership.Status.ACTIVE
        and m.initiative.stage >= Stage.DIFFUSION
    ]


@next_step_provider
def plan_sharing(memberships):
    peers = _peers_in_diffusion(memberships)
    if not peers:
        return
    planned = set(
        SharingItem.objects.filter(membership__in=peers).values_list("membership_id", flat=True)
    )
    for membership in peers:
        if membership.pk not in planned:
            yield (
                membership,
                Step(
                    gettext("Plan how you will share what you learned."),
                    reverse("diffusion:plan_add", args=[membership.initiative_id]),
                ),
            )


tab("diffusion", _("Diffusion"), "diffusion:index", stage=Stage.DIFFUSION, order=50)
tab("report_backs", _("Report-backs"), "diffusion:report_backs", stage=Stage.DIFFUSION, order=51)
tab("stories", _("Stories of change"), "diffusion:stories", stage=Stage.DIFFUSION, order=52)


# --- home commitments ---


@next_step_provider
def record_report_back(memberships):
    peers = _peers_in_diffusion(memberships)
    if not peers:
        return
    missing = set(queries.missing_report_backs_among(peers).values_list("pk", flat=True))
    for membership in peers:
        if membership.pk in missing:
            yield (
                membership,
                Step(
                    gettext("Record your report-back."),
                    reverse("diffusion:report_back_add", args=[membership.initiative_id]),
                ),
            )


@gate_check(Stage.DIFFUSION)
def report_backs_held(initiative):
    missing = queries.missing_report_backs(initiative).count()
    if missing:
        text = ngettext(
            "%(count)d peer has a required report-back not yet held.",
            "%(count)d peers have a required report-back not yet held.",
            missing,
        ) % {"count": missing}
        yield fixed_at(text, "diffusion:report_backs", initiative)


tab("commitments", _("Home commitments"), "diffusion:commitments", stage=Stage.DIFFUSION, order=53)
tab("communities", _("Communities"), "diffusion:communities", stage=Stage.DIFFUSION, order=54)


# --- indicators ---


def _change(name, *, label, definition, dimension, source, measure, series=None, funnel=None):
    indicator(
        name,
        label=label,
        definition=definition,
        objective=ChainObjective.CHANGE,
        dimension=dimension,
        funnel=funnel,
        source=source,
        series=series,
    )(measure)


_change(
    "report_backs_held",
    label=_("Report-backs held"),
    definition=_("Sessions where peers told colleagues at home what they learned, in the period."),
    dimension=Dimension.DIFFUSION,
    source="diffusion:report_backs",
    measure=queries.report_backs_held,
    series=queries.report_backs_held_per_month,
)
_change(
    "peers_shared_back",
    label=_("Peers who shared back home"),
    definition=_("Peers who held at least one report-back in the period."),
    dimension=None,
    funnel=70,
    source="diffusion:report_backs",
    measure=queries.peers_shared_back,
)
_change(
    "colleagues_reached",
    label=_("Colleagues reached"),
    definition=_(
        "Colleagues the report-backs of the period reached, as the peers counted them "
        "(someone at two sessions counts twice)."
    ),
    dimension=Dimension.DIFFUSION,
    source="diffusion:report_backs",
    measure=queries.colleagues_reached,
    series=queries.colleagues_reached_per_month,
)
_change(
    "stories_of_change",
    label=_("Stories of change"),
    definition=_(
        "Stories of what changed in a home organisation written in the period (for one "
        "home organisation: those concerning its peers)."
    ),
    dimension=Dimension.APPLICATION,
    source="diffusion:stories",
    measure=queries.stories_of_change,
    series=queries.stories_of_change_per_month,
)
_change(
    "stories_verified",
    label=_("Verified stories of change"),
    definition=_("Stories of change someone else confirmed, by the day they were verified."),
    dimension=Dimension.APPLICATION,
    source="diffusion:stories",
    measure=queries.stories_verified,
    series=queries.stories_verified_per_month,
)
_change(
    "communities_founded",
    label=_("Local communities"),
    definition=_("Local communities of practice or coalitions founded in the period."),
    dimension=Dimension.DIFFUSION,
    source="diffusion:communities",
    measure=queries.communities_founded,
    series=queries.communities_founded_per_month,
)
_change(
    "community_members",
    label=_("Members of local communities"),
    definition=_(
        "Members of those communities: peers of the initiative plus colleagues named "
        "(someone in two communities counts twice)."
    ),
    dimension=Dimension.DIFFUSION,
    source="diffusion:communities",
    measure=queries.community_members,
)
_change(
    "commitments_countersigned",
    label=_("Home commitments countersigned"),
    definition=_(
        "Home organisations' commitments to let lessons travel home that an authoriser "
        "countersigned in the period."
    ),
    dimension=Dimension.DIFFUSION,
    source="diffusion:commitments",
    measure=queries.commitments_countersigned,
    series=queries.commitments_countersigned_per_month,
)


# --- reports to authorisers ---


def _name(membership):
    return membership.user.name or membership.user.email


@peer_figure("colleagues_reached", label=_("Colleagues reached"), order=60)
def colleagues_reached(scope):
    held = scope.within(ReportBack.objects.filter(membership__in=scope.peers()), "held_on")
    reached = {}
    for membership_id, count in held.values_list("membership_id", "colleagues_reached"):
        reached[membership_id] = reached.get(membership_id, 0) + count
    return reached


@report_section("report_backs", title=_("Report-backs held and colleagues reached"), order=40)
def report_backs_held_in_period(scope):
    held = scope.within(
        ReportBack.objects.filter(membership__in=scope.peers()).select_related("membership__user"),
        "held_on",
    )
    return [
        {
            "title": report_back.title,
            "text": ngettext(
                "%(peer)s, %(format)s: %(count)d colleague reached.",
                "%(peer)s, %(format)s: %(count)d colleagues reached.",
                report_back.colleagues_reached,
            )
            % {
                "peer": _name(report_back.membership),
                "format": report_back.get_format_display(),
                "count": report_back.colleagues_reached,
            },
            "meta": report_back.held_on.isoformat(),
        }
        for report_back in held.order_by("held_on", "pk")
    ]


@report_section("stories", title=_("Stories of change"), order=50)
def stories_of_change(scope):
    stories = scope.within(ChangeStory.objects.concerning(scope.peers()), "written_at")
    return [
        {
            "title": story.title,
            "text": f"{story.what_changed}\n{story.why_it_matters}",
            "meta": story.get_domain_display(),
        }
        for story in stories.order_by("written_at", "pk")
    ]


@report_ask
def grant_time_for_report_backs(scope):
    missing = queries.missing_report_backs(scope.initiative).filter(
        pk__in=scope.peers().values("pk")
    )
    for membership in missing.select_related("user"):
        yield gettext("Grant %(peer)s time for the report-back your organisation requires.") % {
            "peer": _name(membership)
        }


@report_ask
def countersign_commitments(scope):
    waiting = HomeCommitment.objects.filter(
        membership__in=scope.peers(), countersigned_at__isnull=True
    ).select_related("membership__user")
    for commitment in waiting:
        yield gettext("Countersign the home commitment of %(peer)s.") % {
            "peer": _name(commitment.membership)
        }


# --- personal data: records ---


@road_map.personal_records("diffusion", label=_("Your sharing at home"), order=50)
def diffusion_records(person):
    return (
        road_map.records_from(
            SharingItem.objects.filter(membership__user=person).select_related("membership"),
            title=lambda row: row.what,
            fields=["what", "audience", "means", "planned_for", "status"],
            initiative="membership.initiative_id",
        )
        + road_map.records_from(
            ReportBack.objects.filter(membership__user=person),
            title=lambda row: row.title,
            fields=["held_on", "format", "title", "summary", "audience_size", "colleague_names"],
        )
        + road_map.records_from(
            ChangeStory.objects.filter(written_by=person),
            title=lambda row: row.title,
            fields=["title", "what_changed", "why_it_matters", "written_at"],
        )
        + road_map.records_from(
            HomeCommitment.objects.filter(membership__user=person).select_related("membership"),
            title=lambda row: gettext("Commitment of your home organisation"),
            fields=["mandate", "report_back_required", "hours_per_month", "countersigned_at"],
            initiative="membership.initiative_id",
        )
    )


# --- personal data: erasure ---
anonymiser("diffusion", order=70)(personal_data.forget_person)
initiative_anonymiser("diffusion", order=70)(personal_data.anonymise_initiative)
