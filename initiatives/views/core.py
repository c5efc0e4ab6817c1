from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.core import signing
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from peerlearn import freshness
from peerlearn.models import Organisation

from .. import queries, services
from ..access import initiative_for
from ..forms import InitiativeForm, InvitationForm, StageMoveForm
from ..models import Initiative, Invitation, Membership, PeerContract, Role
from ..road_map import recent_next_steps_of, recent_summaries

# Enough to scan by eye; an initiative of thousands of peers is read page by page.
PEOPLE_PER_PAGE = 50


def home(request):
    if not request.user.is_authenticated:
        return render(request, "initiatives/welcome.html")
    user = request.user
    facilitated = (
        Initiative.objects.facilitated_by(user)
        .annotate(
            peer_count=Count(
                "memberships",
                filter=Q(memberships__role=Role.PEER)
                & ~Q(memberships__status=Membership.Status.WITHDRAWN),
            )
        )
        .order_by("-created_at")
    )
    memberships = list(
        Membership.objects.current()
        .filter(user=user, role=Role.PEER)
        .select_related("initiative")
        .order_by("-created_at")
    )
    authoriser_invites = Membership.objects.filter(
        user=user, role=Role.AUTHORISER, status=Membership.Status.INVITED
    ).select_related("initiative")
    to_countersign = (
        PeerContract.objects.authorised_by(user)
        .awaiting_countersignature()
        .select_related("membership__user", "membership__initiative")
        .order_by("signed_at")
    )
    steps = recent_next_steps_of(user, memberships)
    context = {
        "to_countersign": to_countersign,
        "facilitated": facilitated if user.is_facilitator else None,
        "peer_memberships": [(m, steps[m.pk]) for m in memberships],
        "authorised": list(queries.authorised_summary(user)),
        "authoriser_invites": authoriser_invites,
    }
    return render(request, "initiatives/home.html", context)


@login_required
def create_initiative(request):
    if not request.user.is_facilitator:
        raise PermissionDenied
    form = InitiativeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        initiative = services.create_initiative(by=request.user, **form.cleaned_data)
        messages.success(request, _("The initiative has been created."))
        return redirect(initiative)
    return render(request, "initiatives/initiative_form.html", {"form": form})


@login_required
def edit_initiative(request, pk):
    initiative, _roles = initiative_for(request.user, pk, Role.FACILITATOR)
    form = InitiativeForm(request.POST or None, instance=initiative)
    if request.method == "POST" and form.is_valid():
        changes = {field: form.cleaned_data[field] for field in form.changed_data}
        services.update_initiative(initiative=initiative, by=request.user, changes=changes)
        messages.success(request, _("Your changes have been saved."))
        return redirect(initiative)
    return render(
        request, "initiatives/initiative_form.html", {"form": form, "initiative": initiative}
    )


@login_required
def initiative_detail(request, pk):
    initiative, roles = initiative_for(request.user, pk)
    own_peer = (
        initiative.memberships.filter(user=request.user, role=Role.PEER).first()
        if Role.PEER in roles
        else None
    )
    authorised = None
    if Role.AUTHORISER in roles:
        people = (
            Membership.objects.authorised_by(request.user)
            .filter(initiative=initiative)
            .select_related("user", "home_organisation")
            .order_by("home_organisation__name", "user__name", "pk")
        )
        authorised = Paginator(people, PEOPLE_PER_PAGE).get_page(request.GET.get("page"))
    facilitators = initiative.memberships.filter(
        role=Role.FACILITATOR, status=Membership.Status.ACTIVE
    ).select_related("user")
    context = {
        "initiative": initiative,
        "is_facilitator": Role.FACILITATOR in roles,
        "own_peer": own_peer,
        "steps": recent_next_steps_of(request.user, [own_peer])[own_peer.pk] if own_peer else [],
        "authorised": authorised,
        "facilitators": facilitators,
        "road_map": recent_summaries(initiative) if Role.FACILITATOR in roles else None,
    }
    return render(request, "initiatives/initiative_detail.html", context)


@login_required
def road_map(request, pk):
    initiative, _roles = initiative_for(request.user, pk, Role.FACILITATOR)
    form = StageMoveForm(request.POST or None, current=initiative.stage)
    items = []
    if request.method == "POST" and form.is_valid():
        try:
            services.move_stage(
                initiative=initiative,
                to_stage=form.cleaned_data["stage"],
                by=request.user,
                acknowledged=form.cleaned_data["acknowledge"],
            )
        except services.OpenItemsNotAcknowledged as error:
            items = error.items
            form.add_error(
                "acknowledge",
                _("Some items are still open. Tick the box to move on anyway."),
            )
        else:
            messages.success(
                request,
                _("The initiative is now in the stage “%(stage)s”.")
                % {"stage": initiative.get_stage_display()},
            )
            return redirect("initiatives:road_map", pk=initiative.pk)
    changes = initiative.stage_changes.select_related("changed_by")[:20]
    context = {
        "initiative": initiative,
        "road_map": recent_summaries(initiative),
        "form": form,
        "items_to_acknowledge": items,
        "changes": changes,
    }
    return render(request, "initiatives/road_map.html", context)


@login_required
def people(request, pk):
    initiative, _roles = initiative_for(request.user, pk, Role.FACILITATOR)
    memberships = initiative.memberships.select_related("user", "home_organisation").order_by(
        "role", "home_organisation__name", "user__email", "pk"
    )
    authorised_ids = SimpleLazyObject(initiative.memberships.authorised_organisation_ids)
    number = request.GET.get("page")
    # The lists are kept a minute as rendered (ROAD_MAP_CACHE_SECONDS, forgotten by any
    # form sent on the initiative's pages); lazy, they cost no query when kept.
    context = {
        "initiative": initiative,
        "page": SimpleLazyObject(lambda: Paginator(memberships, PEOPLE_PER_PAGE).get_page(number)),
        "authorised_ids": authorised_ids,
        "home_organisations": SimpleLazyObject(
            lambda: _home_organisations(initiative, authorised_ids)
        ),
        "form": InvitationForm(initiative=initiative),
        "kept_for": settings.ROAD_MAP_CACHE_SECONDS,
        "kept_stamp": freshness.stamp([freshness.initiative(initiative.pk)]),
    }
    return render(request, "initiatives/people.html", context)


def _home_organisations(initiative, authorised_ids):
    """Each peer's home organisation once, with whether someone authorises for it."""
    peers = initiative.memberships.filter(role=Role.PEER).exclude(
        status=Membership.Status.WITHDRAWN
    )
    organisations = Organisation.objects.filter(pk__in=peers.values("home_organisation"))
    return [
        (organisation, organisation.pk in authorised_ids)
        for organisation in organisations.order_by("name", "country")
    ]


def _invite_initial(request):
    """A link such as ?organisation=<pk> opens the form ready to invite that authoriser."""
    organisation = request.GET.get("organisation", "")
    if not organisation.isdigit():
        return {}
    return {"home_organisation": int(organisation), "role": Role.AUTHORISER}


@login_required
def invite(request, pk):
    initiative, _roles = initiative_for(request.user, pk, Role.FACILITATOR)
    form = InvitationForm(
        request.POST or None, initiative=initiative, initial=_invite_initial(request)
    )
    if request.method == "POST" and form.is_valid():
        services.invite(
            initiative=initiative,
            email=form.cleaned_data["email"],
            name=form.cleaned_data["name"],
            role=form.cleaned_data["role"],
            home_organisation=form.home_organisation_to_use(),
            by=request.user,
        )
        messages.success(
            request,
            _("An invitation has been sent to %(email)s.") % {"email": form.cleaned_data["email"]},
        )
        return redirect("initiatives:people", pk=initiative.pk)
    return render(request, "initiatives/invite.html", {"initiative": initiative, "form": form})


@login_required
@require_http_methods(["GET", "POST"])
def withdraw_member(request, pk, membership_pk):
    """GET asks to confirm; POST withdraws."""
    initiative, _roles = initiative_for(request.user, pk, Role.FACILITATOR)
    membership = get_object_or_404(initiative.memberships.select_related("user"), pk=membership_pk)
    if request.method == "POST":
        services.withdraw(membership=membership, by=request.user)
        messages.success(request, _("%(person)s has been withdrawn.") % {"person": membership.user})
        return redirect("initiatives:people", pk=initiative.pk)
    context = {"initiative": initiative, "membership": membership}
    return render(request, "initiatives/withdraw.html", context)


@login_required
@require_POST
def join(request, membership_pk):
    membership = get_object_or_404(
        # A facilitator joins a team only through their invitation link (accept_invitation).
        Membership.objects.filter(user=request.user, status=Membership.Status.INVITED).exclude(
            role=Role.FACILITATOR
        ),
        pk=membership_pk,
    )
    services.join(membership=membership)
    messages.success(
        request, _("Welcome to %(initiative)s.") % {"initiative": membership.initiative}
    )
    return redirect(membership.initiative)


def _read_in_invitation_language(request, invitation):
    """The invitation page is in the language the invitation was written in, unless this
    browser chose one with the language switch or the person has one stored."""
    chosen = settings.LANGUAGE_COOKIE_NAME in request.COOKIES
    known = request.user.is_authenticated and request.user.language
    if invitation.language and not chosen and not known:
        translation.activate(invitation.language)
        request.LANGUAGE_CODE = invitation.language


def invitation(request, token):
    """Show an invitation and accept it.

    A link is proof of the address it was sent to, so a person who has never
    signed in is signed in on accepting; anyone else signs in first.
    """
    try:
        invitation = Invitation.from_token(token)
    except signing.SignatureExpired:
        return render(
            request, "initiatives/invitation_invalid.html", {"reason": "expired"}, status=410
        )
    except (signing.BadSignature, Invitation.DoesNotExist):
        return render(
            request, "initiatives/invitation_invalid.html", {"reason": "invalid"}, status=404
        )
    membership = invitation.membership
    invited = membership.user
    _read_in_invitation_language(request, invitation)
    context = {
        "invitation": invitation,
        "membership": membership,
        "initiative": membership.initiative,
    }
    if invitation.accepted_at or membership.status == Membership.Status.WITHDRAWN:
        context["reason"] = "withdrawn" if not invitation.accepted_at else "used"
        return render(request, "initiatives/invitation_invalid.html", context, status=410)
    signed_in_as_other = request.user.is_authenticated and request.user.pk != invited.pk
    if request.method == "GET" or signed_in_as_other:
        context["signed_in_as_other"] = signed_in_as_other
        return render(request, "initiatives/invitation.html", context)
    if request.method != "POST":
        return HttpResponseNotAllowed(["GET", "POST"])
    if not request.user.is_authenticated:
        if invited.last_login is not None:
            messages.info(request, _("Please sign in to accept the invitation."))
            return redirect(f"{reverse('account_login')}?next={request.path}")
        login(request, invited, backend="peerlearn.backends.ModelBackend")
    invited.remember_language(request.LANGUAGE_CODE)
    try:
        services.accept_invitation(invitation=invitation, user=invited)
    except services.OnAnotherTeam:
        context["reason"] = "team"
        return render(request, "initiatives/invitation_invalid.html", context, status=409)
    messages.success(
        request, _("Welcome to %(initiative)s.") % {"initiative": membership.initiative}
    )
    return redirect(membership.initiative)
