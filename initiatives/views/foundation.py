"""Foundational engagement: events and attendance, peer contracts, continued engagement."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count, Prefetch, Q
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from .. import ics
from ..access import initiative_for
from ..forms.foundation import (
    AgendaItemForm,
    AttendanceForm,
    ContractTemplateForm,
    CountersignForm,
    EngagementOptionForm,
    EventForm,
    SignContractForm,
)
from ..models import (
    ContractTemplate,
    EngagementSignUp,
    Membership,
    PeerContract,
    Role,
)
from ..queries import contract_or_none
from ..services import contracts, events

GET_POST = require_http_methods(["GET", "POST"])


def posted(request):
    """The submitted data, even when it is empty (a list with every box unticked)."""
    return request.POST if request.method == "POST" else None


def own_peer_membership(initiative, user):
    return get_object_or_404(
        initiative.memberships.peers()
        .current()
        .select_related("user", "home_organisation", "peer_contract__countersigned_by"),
        user=user,
    )


# Events


@login_required
@require_GET
def event_list(request, pk):
    initiative, roles = initiative_for(request.user, pk)
    event_rows = initiative.events.annotate(
        invited=Count("invitees", distinct=True),
        present=Count("attendance", filter=Q(attendance__present=True), distinct=True),
    )
    context = {
        "initiative": initiative,
        "events": event_rows,
        "is_facilitator": Role.FACILITATOR in roles,
    }
    return render(request, "initiatives/foundation/event_list.html", context)


@login_required
@GET_POST
def create_event(request, pk):
    initiative, _roles = initiative_for(request.user, pk, Role.FACILITATOR)
    form = EventForm(posted(request), initiative=initiative)
    if request.method == "POST" and form.is_valid():
        event = events.save_event(form=form, by=request.user)
        messages.success(request, _("The event has been planned. Add its agenda below."))
        return redirect(event)
    context = {"initiative": initiative, "form": form}
    return render(request, "initiatives/foundation/event_form.html", context)


@login_required
@GET_POST
def edit_event(request, pk, event_pk):
    initiative, _roles = initiative_for(request.user, pk, Role.FACILITATOR)
    event = get_object_or_404(initiative.events, pk=event_pk)
    form = EventForm(posted(request), instance=event, initiative=initiative)
    if request.method == "POST" and form.is_valid():
        events.save_event(form=form, by=request.user)
        messages.success(request, _("Your changes have been saved."))
        return redirect(event)
    context = {"initiative": initiative, "form": form, "event": event}
    return render(request, "initiatives/foundation/event_form.html", context)


@login_required
@require_GET
def event_detail(request, pk, event_pk):
    initiative, roles = initiative_for(request.user, pk)
    event = get_object_or_404(initiative.events, pk=event_pk)
    is_facilitator = Role.FACILITATOR in roles
    context = {
        "initiative": initiative,
        "event": event,
        "agenda": event.agenda_items.all(),
        "is_facilitator": is_facilitator,
        "agenda_form": AgendaItemForm() if is_facilitator else None,
        "invitees": event.invitees.select_related("user", "home_organisation")
        if is_facilitator
        else None,
    }
    return render(request, "initiatives/foundation/event_detail.html", context)


@login_required
@require_GET
def event_calendar(request, pk, event_pk):
    initiative, _roles = initiative_for(request.user, pk)
    event = get_object_or_404(initiative.events, pk=event_pk)
    response = HttpResponse(ics.event_calendar(event), content_type="text/calendar; charset=utf-8")
    filename = slugify(event.title) or "event"
    response["Content-Disposition"] = f'attachment; filename="{filename}.ics"'
    return response


@login_required
@GET_POST
def add_agenda_item(request, pk, event_pk):
    initiative, _roles = initiative_for(request.user, pk, Role.FACILITATOR)
    event = get_object_or_404(initiative.events, pk=event_pk)
    form = AgendaItemForm(posted(request))
    if request.method == "POST" and form.is_valid():
        events.save_agenda_item(form=form, event=event, by=request.user)
        messages.success(request, _("The agenda item has been added."))
        return redirect(event)
    context = {"initiative": initiative, "event": event, "form": form}
    return render(request, "initiatives/foundation/agenda_item_form.html", context)


@login_required
@GET_POST
def edit_agenda_item(request, pk, event_pk, item_pk):
    initiative, _roles = initiative_for(request.user, pk, Role.FACILITATOR)
    event = get_object_or_404(initiative.events, pk=event_pk)
    item = get_object_or_404(event.agenda_items, pk=item_pk)
    form = AgendaItemForm(posted(request), instance=item)
    if request.method == "POST" and form.is_valid():
        events.save_agenda_item(form=form, event=event, by=request.user)
        messages.success(request, _("The agenda item has been saved."))
        return redirect(event)
    context = {"initiative": initiative, "event": event, "form": form, "item": item}
    return render(request, "initiatives/foundation/agenda_item_form.html", context)


@login_required
@require_POST
def remove_agenda_item(request, pk, event_pk, item_pk):
    initiative, _roles = initiative_for(request.user, pk, Role.FACILITATOR)
    event = get_object_or_404(initiative.events, pk=event_pk)
    item = get_object_or_404(event.agenda_items, pk=item_pk)
    events.remove_agenda_item(item=item, by=request.user)
    messages.success(
        request, _("“%(item)s” has been removed from the agenda.") % {"item": item.title}
    )
    return redirect(event)


@login_required
@GET_POST
def attendance(request, pk, event_pk):
    initiative, _roles = initiative_for(request.user, pk, Role.FACILITATOR)
    event = get_object_or_404(initiative.events, pk=event_pk)
    invitees = event.invitees.select_related("user", "home_organisation").order_by(
        "user__name", "user__email"
    )
    present = list(event.attendance.filter(present=True).values_list("membership_id", flat=True))
    form = AttendanceForm(posted(request), event=event, invitees=invitees, present=present)
    if request.method == "POST" and form.is_valid():
        events.record_attendance(event=event, present=form.cleaned_data["present"], by=request.user)
        messages.success(request, _("Attendance has been saved."))
        return redirect(event)
    context = {
        "initiative": initiative,
        "event": event,
        "form": form,
        "recorded": event.attendance.exists(),
    }
    return render(request, "initiatives/foundation/attendance.html", context)


# Peer contracts


@login_required
@require_GET
def contract_list(request, pk):
    initiative, _roles = initiative_for(request.user, pk, Role.FACILITATOR)
    peers = (
        initiative.memberships.peers()
        .current()
        .select_related("user", "home_organisation", "peer_contract__countersigned_by")
        .order_by("home_organisation__name", "user__name", "user__email")
    )
    rows = [(membership, contract_or_none(membership)) for membership in peers]
    context = {
        "initiative": initiative,
        "rows": rows,
        "template": ContractTemplate.for_initiative(initiative),
    }
    return render(request, "initiatives/foundation/contract_list.html", context)


@login_required
@GET_POST
def contract_template(request, pk):
    initiative, _roles = initiative_for(request.user, pk, Role.FACILITATOR)
    template = ContractTemplate.for_initiative(initiative)
    form = ContractTemplateForm(posted(request), instance=template)
    if request.method == "POST" and form.is_valid():
        contracts.save_commitments(template=template, by=request.user, **form.fields_to_save())
        messages.success(request, _("The peer contract has been saved."))
        return redirect("initiatives:contracts", pk=initiative.pk)
    context = {"initiative": initiative, "form": form}
    return render(request, "initiatives/foundation/contract_template.html", context)


@login_required
@GET_POST
def contract(request, pk):
    initiative, _roles = initiative_for(request.user, pk, Role.PEER)
    membership = own_peer_membership(initiative, request.user)
    peer_contract = contract_or_none(membership)
    form = SignContractForm(posted(request))
    already_signed = peer_contract is not None and peer_contract.signed_at is not None
    if request.method == "POST" and not already_signed and form.is_valid():
        contracts.sign_contract(membership=membership, name=form.cleaned_data["full_name"])
        messages.success(request, _("Thank you: your peer contract is signed."))
        return redirect("initiatives:contract", pk=initiative.pk)
    context = {
        "initiative": initiative,
        "contract": peer_contract,
        "lines": ContractTemplate.for_initiative(initiative).lines_in(),
        "form": form,
    }
    return render(request, "initiatives/foundation/contract.html", context)


@login_required
@require_GET
def contracts_to_countersign(request, pk):
    initiative, _roles = initiative_for(request.user, pk, Role.AUTHORISER)
    peers = (
        Membership.objects.authorised_by(request.user)
        .filter(initiative=initiative)
        .select_related("user", "home_organisation", "peer_contract")
        .order_by("home_organisation__name", "user__name")
    )
    rows = [(membership, contract_or_none(membership)) for membership in peers]
    context = {"initiative": initiative, "rows": rows}
    return render(request, "initiatives/foundation/contracts_to_countersign.html", context)


@login_required
@GET_POST
def countersign(request, pk, contract_pk):
    initiative, _roles = initiative_for(request.user, pk, Role.AUTHORISER)
    peer_contract = get_object_or_404(
        PeerContract.objects.authorised_by(request.user)
        .signed()
        .filter(membership__initiative=initiative)
        .select_related("membership__user", "membership__home_organisation", "countersigned_by"),
        pk=contract_pk,
    )
    form = CountersignForm(posted(request), initial={"note": peer_contract.mandate_note})
    if request.method == "POST" and form.is_valid():
        contracts.countersign_contract(
            contract=peer_contract, by=request.user, note=form.cleaned_data["note"]
        )
        messages.success(
            request,
            _("You have countersigned the contract of %(peer)s.")
            % {"peer": peer_contract.membership.user},
        )
        return redirect("initiatives:contracts_to_countersign", pk=initiative.pk)
    context = {"initiative": initiative, "contract": peer_contract, "form": form}
    return render(request, "initiatives/foundation/countersign.html", context)


# Continued engagement


@login_required
@require_GET
def engagement(request, pk):
    initiative, roles = initiative_for(request.user, pk)
    is_facilitator = Role.FACILITATOR in roles
    options = initiative.engagement_options.annotate(sign_up_count=Count("sign_ups"))
    if is_facilitator:
        options = options.prefetch_related(
            Prefetch(
                "sign_ups",
                queryset=EngagementSignUp.objects.select_related(
                    "membership__user", "membership__home_organisation"
                ).order_by("membership__user__name"),
            )
        )
    membership = (
        initiative.memberships.current().filter(user=request.user, role=Role.PEER).first()
        if Role.PEER in roles
        else None
    )
    chosen = (
        set(membership.engagement_sign_ups.values_list("option_id", flat=True))
        if membership
        else set()
    )
    context = {
        "initiative": initiative,
        "options": options,
        "is_facilitator": is_facilitator,
        "membership": membership,
        "chosen": chosen,
    }
    return render(request, "initiatives/foundation/engagement.html", context)


@login_required
@GET_POST
def add_engagement_option(request, pk):
    initiative, _roles = initiative_for(request.user, pk, Role.FACILITATOR)
    form = EngagementOptionForm(posted(request))
    if request.method == "POST" and form.is_valid():
        events.save_engagement_option(form=form, initiative=initiative, by=request.user)
        messages.success(request, _("The option has been added."))
        return redirect("initiatives:engagement", pk=initiative.pk)
    context = {"initiative": initiative, "form": form}
    return render(request, "initiatives/foundation/engagement_option_form.html", context)


@login_required
@GET_POST
def edit_engagement_option(request, pk, option_pk):
    initiative, _roles = initiative_for(request.user, pk, Role.FACILITATOR)
    option = get_object_or_404(initiative.engagement_options, pk=option_pk)
    form = EngagementOptionForm(posted(request), instance=option)
    if request.method == "POST" and form.is_valid():
        events.save_engagement_option(form=form, initiative=initiative, by=request.user)
        messages.success(request, _("Your changes have been saved."))
        return redirect("initiatives:engagement", pk=initiative.pk)
    context = {"initiative": initiative, "form": form, "option": option}
    return render(request, "initiatives/foundation/engagement_option_form.html", context)


@login_required
@require_POST
def sign_up(request, pk, option_pk):
    initiative, _roles = initiative_for(request.user, pk, Role.PEER)
    membership = own_peer_membership(initiative, request.user)
    option = get_object_or_404(initiative.engagement_options, pk=option_pk)
    events.sign_up(option=option, membership=membership)
    messages.success(request, _("You have signed up for “%(option)s”.") % {"option": option})
    return redirect("initiatives:engagement", pk=initiative.pk)


@login_required
@require_POST
def withdraw_sign_up(request, pk, option_pk):
    initiative, _roles = initiative_for(request.user, pk, Role.PEER)
    membership = own_peer_membership(initiative, request.user)
    option = get_object_or_404(initiative.engagement_options, pk=option_pk)
    events.withdraw_sign_up(option=option, membership=membership)
    messages.success(
        request, _("You are no longer signed up for “%(option)s”.") % {"option": option}
    )
    return redirect("initiatives:engagement", pk=initiative.pk)
