"""Stage 2 pages: a peer logs and confirms contacts; facilitators see and log them all."""

import re

import pygal
from csp.decorators import csp_update
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from initiatives.access import initiative_for
from initiatives.models import Membership, Role
from matching.models import Match
from peerlearn.models import Organisation
from peerlearn.spreadsheets import csv_response, xlsx_response

from . import queries, services
from .forms import (
    ContactFilterForm,
    GroupContactForm,
    HelpRequestForm,
    MatchNoteForm,
    MomentumFilterForm,
    PauseNudgesForm,
    PeerContactForm,
    ResolveHelpForm,
)
from .models import ContactParticipant, HelpRequest, InTouchMark

CONTACTS_PER_PAGE = 50


def _own_membership(request, pk):
    initiative, _roles = initiative_for(request.user, pk, Role.PEER)
    membership = get_object_or_404(
        Membership.objects.current(), initiative=initiative, user=request.user, role=Role.PEER
    )
    return initiative, membership


def _facilitated(request, pk):
    initiative, _roles = initiative_for(request.user, pk, Role.FACILITATOR)
    return initiative


def _home_organisations(initiative):
    return (
        Organisation.objects.filter(memberships__initiative=initiative, memberships__role=Role.PEER)
        .distinct()
        .order_by("name")
    )


@login_required
@require_GET
def my_contacts(request, pk):
    initiative, membership = _own_membership(request, pk)
    contacts = queries.contacts_of(membership)
    context = {"initiative": initiative, "membership": membership, "contacts": contacts}
    return render(request, "contact/my_contacts.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def log_contact(request, pk):
    initiative, membership = _own_membership(request, pk)
    partners = list(queries.partners_of(membership))
    if not partners:
        messages.info(request, _("You can log a contact once your match has been published."))
        return redirect("matching:my_match", pk=initiative.pk)
    people = queries.partners_of(membership)
    form = PeerContactForm(
        request.POST or None,
        people=people,
        initial=PeerContactForm.initial_from(request.GET, partners),
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        chosen = list(data.pop("participants"))
        services.log_contact(
            initiative=initiative,
            by=request.user,
            participants=[membership, *chosen],
            confirmed=[membership],
            match=queries.match_of(membership, chosen),
            **data,
        )
        messages.success(request, _("Contact logged. The others are asked to confirm it."))
        return redirect("contact:mine", pk=initiative.pk)
    return render(request, "contact/log.html", {"initiative": initiative, "form": form})


def _own_participation(request, pk, participant_pk):
    initiative, membership = _own_membership(request, pk)
    participant = get_object_or_404(
        ContactParticipant.objects.select_related("contact"),
        pk=participant_pk,
        membership=membership,
    )
    return initiative, participant


@login_required
@require_POST
def confirm(request, pk, participant_pk):
    initiative, participant = _own_participation(request, pk, participant_pk)
    services.confirm_contact(participant=participant, by=request.user)
    messages.success(request, _("Thank you: the contact is confirmed."))
    return redirect("contact:mine", pk=initiative.pk)


@login_required
@require_POST
def decline(request, pk, participant_pk):
    initiative, participant = _own_participation(request, pk, participant_pk)
    services.decline_contact(participant=participant, by=request.user)
    messages.success(request, _("Noted: the contact did not happen."))
    return redirect("contact:mine", pk=initiative.pk)


def _filtered(request, initiative):
    form = ContactFilterForm(request.GET or None, organisations=_home_organisations(initiative))
    return form, queries.contacts_in(initiative, **form.filters())


@login_required
@require_GET
def index(request, pk):
    initiative = _facilitated(request, pk)
    form, contacts = _filtered(request, initiative)
    page = Paginator(contacts, CONTACTS_PER_PAGE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "initiative": initiative,
        "form": form,
        "page": page,
        "query": query.urlencode(),
    }
    return render(request, "contact/index.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def log_group(request, pk):
    initiative = _facilitated(request, pk)
    people = initiative.memberships.current().peers().select_related("user").by_name()
    form = GroupContactForm(
        request.POST or None, people=people, organisations=_home_organisations(initiative)
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        participants = list(data.pop("participants"))
        services.log_contact(
            initiative=initiative,
            by=request.user,
            participants=participants,
            confirmed=participants,
            **data,
        )
        count = len(participants)
        messages.success(
            request,
            ngettext(
                "Contact logged for %(count)d peer.", "Contact logged for %(count)d peers.", count
            )
            % {"count": count},
        )
        return redirect("contact:index", pk=initiative.pk)
    return render(request, "contact/log_group.html", {"initiative": initiative, "form": form})


def _export_header():
    return [
        _("date"),
        _("kind"),
        _("match"),
        _("participants"),
        _("note"),
        _("what it helped with"),
        _("host organisation"),
        _("product or outcome"),
    ]


def _export_rows(contacts):
    for contact in contacts:
        yield [
            contact.happened_on.isoformat(),
            contact.get_kind_display(),
            contact.match.number if contact.match else "",
            "; ".join(
                f"{p.membership.user.name or p.membership.user.email} ({p.get_status_display()})"
                for p in contact.participants.all()
            ),
            contact.note,
            contact.helped_with,
            str(contact.host_organisation or ""),
            contact.outcome,
        ]


@login_required
@require_GET
def export_csv(request, pk):
    initiative = _facilitated(request, pk)
    _form, contacts = _filtered(request, initiative)
    return csv_response(
        filename=f"contacts-{initiative.pk}.csv",
        header=_export_header(),
        rows=_export_rows(contacts),
    )


@login_required
@require_GET
def export_xlsx(request, pk):
    initiative = _facilitated(request, pk)
    _form, contacts = _filtered(request, initiative)
    return xlsx_response(
        filename=f"contacts-{initiative.pk}.xlsx",
        title=_("Contacts"),
        header=_export_header(),
        rows=_export_rows(contacts),
    )


# --- momentum ---

MATCHES_PER_PAGE = 50


@login_required
@require_GET
def momentum(request, pk):
    initiative = _facilitated(request, pk)
    today = timezone.localdate()
    form = MomentumFilterForm(request.GET or None)
    matches = queries.live_matches(initiative, today)
    if form.chosen_state():
        matches = queries.in_state(matches, form.chosen_state())
    page = Paginator(queries.momentum_page_rows(matches), MATCHES_PER_PAGE).get_page(
        request.GET.get("page")
    )
    for match in page.object_list:
        match.quiet_days = (today - match.last_active_on).days
        match.state = queries.state_of(match)
    context = {
        "initiative": initiative,
        "form": form,
        "page": page,
        "query": f"state={form.chosen_state()}" if form.chosen_state() else "",
        "months": queries.contacts_per_month(initiative, today),
        "quiet_days": initiative.follow_up_every_days,
    }
    return render(request, "contact/momentum.html", context)


# The chart is an image: its styles stay inside it, and pygal's script is dropped.
@csp_update({"style-src": ["'unsafe-inline'"]})
@login_required
@require_GET
def momentum_chart(request, pk):
    initiative = _facilitated(request, pk)
    months = queries.contacts_per_month(initiative, timezone.localdate())
    chart = pygal.Bar(show_legend=False, width=720, height=320, js=[], style=pygal.style.LightStyle)
    chart.title = _("Contacts per month")
    chart.x_labels = [date_format(month, "YEAR_MONTH_FORMAT") for month, _count in months]
    chart.add(_("Contacts"), [count for _month, count in months])
    svg = re.sub(r"<script.*?</script>", "", chart.render(is_unicode=True), flags=re.S)
    return HttpResponse(svg, content_type="image/svg+xml")


@login_required
@require_POST
def nudge_now(request, pk, match_pk):
    initiative = _facilitated(request, pk)
    match = get_object_or_404(_live_matches(initiative), pk=match_pk)
    if services.nudge_now(match=match, by=request.user):
        messages.success(
            request,
            _("The members of match %(number)d have been nudged.") % {"number": match.number},
        )
    else:
        messages.info(
            request, _("Match %(number)d was already nudged today.") % {"number": match.number}
        )
    return redirect("contact:momentum", pk=initiative.pk)


def _live_matches(initiative):
    return Match.objects.filter(run__initiative=initiative, status=Match.Status.PUBLISHED)


@login_required
@require_http_methods(["GET", "POST"])
def match_note(request, pk, match_pk):
    initiative = _facilitated(request, pk)
    match = get_object_or_404(_live_matches(initiative), pk=match_pk)
    form = MatchNoteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.add_match_note(match=match, by=request.user, text=form.cleaned_data["text"])
        messages.success(request, _("Note added."))
        return redirect("contact:momentum", pk=initiative.pk)
    context = {"initiative": initiative, "match": match, "form": form}
    return render(request, "contact/momentum_note.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def resolve_help(request, pk, help_pk):
    initiative = _facilitated(request, pk)
    help_request = get_object_or_404(
        queries.open_help_requests(initiative).select_related("match", "membership__user"),
        pk=help_pk,
    )
    form = ResolveHelpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.resolve_help(help_request=help_request, by=request.user, **form.cleaned_data)
        messages.success(request, _("Help request resolved."))
        return redirect("contact:momentum", pk=initiative.pk)
    context = {"initiative": initiative, "help_request": help_request, "form": form}
    return render(request, "contact/momentum_resolve.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def ask_help(request, pk):
    initiative, membership = _own_membership(request, pk)
    match = queries.match_of(membership, list(queries.partners_of(membership)))
    if match is None:
        messages.info(request, _("You can ask for help with your match once it is published."))
        return redirect("contact:mine", pk=initiative.pk)
    form = HelpRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.ask_for_help(match=match, membership=membership, **form.cleaned_data)
        messages.success(request, _("Your facilitators have been asked for help."))
        return redirect("contact:mine", pk=initiative.pk)
    context = {"initiative": initiative, "form": form}
    return render(request, "contact/momentum_help.html", context)


@login_required
@require_POST
def pause_nudges(request, pk):
    initiative, membership = _own_membership(request, pk)
    form = PauseNudgesForm(request.POST)
    if form.is_valid():
        until = services.pause_nudges(membership=membership, **form.cleaned_data)
        messages.success(
            request,
            _("No reminders about quiet matches until %(date)s.")
            % {"date": date_format(until, "DATE_FORMAT")},
        )
    else:
        messages.error(request, _("Choose how long to pause reminders for."))
    return redirect("contact:mine", pk=initiative.pk)


@login_required
@require_POST
def resume_nudges(request, pk):
    initiative, membership = _own_membership(request, pk)
    services.resume_nudges(membership=membership)
    messages.success(request, _("Reminders about quiet matches are on again."))
    return redirect("contact:mine", pk=initiative.pk)


def _nudge_link(request, token, purpose):
    """(nudge, membership) of a valid link, or the page saying why it no longer works."""
    try:
        return services.read_nudge_link(token=token, purpose=purpose), None
    except services.LinkExpired:
        reason = _("This link has expired.")
    except services.LinkInvalid:
        reason = _("This link is not valid, or the match has ended.")
    return None, render(
        request, "contact/momentum_link_expired.html", {"reason": reason}, status=410
    )


@require_GET
def nudge_log(request, log_token):
    found, refusal = _nudge_link(request, log_token, "log")
    if refusal:
        return refusal
    nudge, _membership = found
    target = reverse("contact:log", args=[nudge.match.run.initiative_id]) + "?kind=call"
    if not request.user.is_authenticated:
        return redirect_to_login(target)
    return redirect(target)


@require_http_methods(["GET", "POST"])
def nudge_in_touch(request, in_touch_token):
    found, refusal = _nudge_link(request, in_touch_token, "in_touch")
    if refusal:
        return refusal
    nudge, membership = found
    used = InTouchMark.objects.filter(nudge=nudge, membership=membership).exists()
    if request.method == "POST" and not used:
        services.mark_in_touch(nudge=nudge, membership=membership)
        return render(request, "contact/momentum_in_touch.html", {"done": True, "nudge": nudge})
    context = {"used": used, "nudge": nudge, "partners": _partners(nudge, membership)}
    return render(request, "contact/momentum_in_touch.html", context)


@require_http_methods(["GET", "POST"])
def nudge_help(request, help_token):
    found, refusal = _nudge_link(request, help_token, "help")
    if refusal:
        return refusal
    nudge, membership = found
    initiative = nudge.match.run.initiative
    if HelpRequest.objects.filter(nudge=nudge, membership=membership).exists():
        return render(request, "contact/momentum_help.html", {"used": True})
    form = HelpRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.ask_for_help(
            match=nudge.match, membership=membership, nudge=nudge, **form.cleaned_data
        )
        return render(request, "contact/momentum_help.html", {"done": True})
    return render(request, "contact/momentum_help.html", {"form": form, "initiative": initiative})


def _partners(nudge, membership):
    members = nudge.match.members.exclude(membership=membership).select_related("membership__user")
    return [str(member.membership.user) for member in members]
