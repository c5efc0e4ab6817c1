"""Stage 2 pages: a peer logs and confirms contacts; facilitators see and log them all."""

import re
from dataclasses import dataclass

import pygal
from csp.decorators import csp_update
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from initiatives.access import initiative_for
from initiatives.models import Membership, Role
from matching.models import Match
from peerlearn import audit
from peerlearn.models import Organisation
from peerlearn.spreadsheets import csv_response, xlsx_response
from peerlearn.uploads import download
from privacy.models import ConsentKind
from privacy.queries import consenting

from . import queries, services
from .forms import (
    CheckInForm,
    ContactFilterForm,
    EditPostForm,
    GroupContactForm,
    HelpRequestForm,
    HidePostForm,
    LibraryDocumentForm,
    LibraryFilterForm,
    LogisticsFilterForm,
    LogisticsRequestForm,
    LogisticsStatusForm,
    MatchNoteForm,
    MomentumFilterForm,
    PauseNudgesForm,
    PeerContactForm,
    PostEmailsForm,
    PostForm,
    ResolveHelpForm,
)
from .models import ContactParticipant, HelpRequest, InTouchMark, MatchCheckIn, PostEmailChoice

CONTACTS_PER_PAGE = 50
FLAGGED_SHOWN = 5  # the newest; each match's history holds the rest


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
    context = {
        "initiative": initiative,
        "membership": membership,
        "contacts": contacts,
        "open_check_ins": queries.open_check_ins(membership),
        "matches": queries.matches_with_history(membership),
        "conversations": queries.published_matches_of(membership),
    }
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
        initial=PeerContactForm.initial_from(
            request.GET, queries.partners_in(partners, request.GET.get("match")) or partners
        ),
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
    context = {
        "initiative": initiative,
        "form": form,
        "page": page,
        "flagged": list(queries.flagged_check_ins(initiative)[:FLAGGED_SHOWN]),
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
@audit.records_access()
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
@audit.records_access()
def export_xlsx(request, pk):
    initiative = _facilitated(request, pk)
    _form, contacts = _filtered(request, initiative)
    return xlsx_response(
        filename=f"contacts-{initiative.pk}.xlsx",
        title=_("Contacts"),
        header=_export_header(),
        rows=_export_rows(contacts),
    )


# --- library ---

DOCUMENTS_PER_PAGE = 25


def _library_reader(request, pk):
    return initiative_for(request.user, pk, Role.PEER, Role.FACILITATOR, Role.AUTHORISER)


def _readable_document(request, pk, document_pk):
    initiative, roles = _library_reader(request, pk)
    documents = queries.library_of(initiative, request.user, roles)
    return initiative, roles, get_object_or_404(documents, pk=document_pk)


def _changeable_document(request, pk, document_pk):
    """The document if the visitor added it (as a peer) or facilitates the initiative."""
    initiative, roles = initiative_for(request.user, pk, Role.PEER, Role.FACILITATOR)
    document = get_object_or_404(
        queries.library_of(initiative, request.user, roles), pk=document_pk
    )
    if not document.may_be_changed_by(request.user, roles):
        raise PermissionDenied
    return initiative, document


def _library_people(initiative):
    return initiative.memberships.current().peers().by_name()


def _limits():
    return {"max_upload_bytes": settings.MAX_UPLOAD_BYTES}


@login_required
@require_GET
def library(request, pk):
    initiative, roles = _library_reader(request, pk)
    readable = queries.library_of(initiative, request.user, roles)
    authors = queries.library_authors(initiative, request.user, roles)
    named = consenting(authors.values_list("user_id", flat=True), ConsentKind.NAME_IN_LIBRARY)
    form = LibraryFilterForm(
        request.GET or None,
        initiative=initiative,
        authors=authors.filter(user_id__in=named),
        areas_in_use=queries.areas_of(readable),
    )
    documents = queries.library_search(readable, **form.filters())
    context = {
        "initiative": initiative,
        "form": form,
        "named": named,
        "page": Paginator(documents, DOCUMENTS_PER_PAGE).get_page(request.GET.get("page")),
        "is_facilitator": Role.FACILITATOR in roles,
        "may_add": bool(roles & {Role.PEER, Role.FACILITATOR}),
    }
    return render(request, "contact/library_list.html", context)


def _named_authors(document):
    """The ids of the document's authors who agreed to appear by name in the library."""
    ids = [author.user_id for author in document.authors.all()]
    return consenting(ids, ConsentKind.NAME_IN_LIBRARY)


@login_required
@require_GET
def library_document(request, pk, document_pk):
    initiative, roles, document = _readable_document(request, pk, document_pk)
    context = {
        "initiative": initiative,
        "document": document,
        "named": _named_authors(document),
        "may_change": document.may_be_changed_by(request.user, roles),
    }
    return render(request, "contact/library_document.html", context)


@login_required
@require_GET
def library_download(request, pk, document_pk):
    _initiative, _roles, document = _readable_document(request, pk, document_pk)
    if not document.file:
        raise Http404
    try:
        return download(
            document.file, filename=document.original_name, content_type=document.content_type
        )
    except FileNotFoundError as gone:
        raise Http404 from gone


@login_required
@require_http_methods(["GET", "POST"])
def library_add(request, pk):
    initiative, roles = initiative_for(request.user, pk, Role.PEER, Role.FACILITATOR)
    people = _library_people(initiative)
    initial = {}
    if Role.PEER in roles:
        initial["authors"] = list(people.filter(user=request.user))
    form = LibraryDocumentForm(
        request.POST or None,
        request.FILES or None,
        initiative=initiative,
        people=people,
        initial=initial,
    )
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        document = services.add_document(
            initiative=initiative,
            by=request.user,
            authors=list(data.pop("authors")),
            upload=data.pop("upload") or None,
            **data,
        )
        messages.success(request, _("“%(title)s” is in the library.") % {"title": document})
        return redirect("contact:library_document", pk=initiative.pk, document_pk=document.pk)
    context = {"initiative": initiative, "form": form, "document": None, **_limits()}
    return render(request, "contact/library_form.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def library_edit(request, pk, document_pk):
    initiative, document = _changeable_document(request, pk, document_pk)
    form = LibraryDocumentForm(
        request.POST or None,
        request.FILES or None,
        instance=document,
        initiative=initiative,
        people=_library_people(initiative),
    )
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        services.change_document(
            document=document,
            by=request.user,
            authors=list(data.pop("authors")),
            upload=data.pop("upload") or None,
            **data,
        )
        messages.success(request, _("The document is changed."))
        return redirect("contact:library_document", pk=initiative.pk, document_pk=document.pk)
    context = {"initiative": initiative, "form": form, "document": document, **_limits()}
    return render(request, "contact/library_form.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def library_delete(request, pk, document_pk):
    initiative, document = _changeable_document(request, pk, document_pk)
    if request.method == "POST":
        services.delete_document(document=document, by=request.user)
        messages.success(request, _("“%(title)s” is deleted.") % {"title": document})
        return redirect("contact:library", pk=initiative.pk)
    context = {"initiative": initiative, "document": document}
    return render(request, "contact/library_delete.html", context)


# --- check-ins ---


@login_required
@require_http_methods(["GET", "POST"])
def check_in(request, pk, check_in_pk):
    initiative, membership = _own_membership(request, pk)
    check_in = get_object_or_404(
        MatchCheckIn, membership=membership, pk=check_in_pk, sent_at__isnull=False
    )
    form = CheckInForm(request.POST or None, instance=check_in)
    if request.method == "POST" and form.is_valid():
        services.answer_check_in(check_in=check_in, **form.cleaned_data)
        messages.success(request, _("Thank you. Your facilitators will read your answer."))
        return redirect("matching:my_match", pk=initiative.pk)
    context = {"initiative": initiative, "check_in": check_in, "form": form}
    return render(request, "contact/checkin_answer.html", context)


# --- histories ---

STORY_PER_PAGE = 30


def _story_page(request, rows):
    page = Paginator(rows, STORY_PER_PAGE).get_page(request.GET.get("page"))
    return page, queries.timeline_entries(page.object_list)


@login_required
@require_GET
def match_history(request, pk, match_pk):
    initiative, roles = initiative_for(request.user, pk, Role.FACILITATOR, Role.PEER)
    match = get_object_or_404(queries.story_matches(initiative), pk=match_pk)
    viewer = None
    if Role.FACILITATOR not in roles:
        viewer = get_object_or_404(
            Membership.objects.current(),
            initiative=initiative,
            user=request.user,
            role=Role.PEER,
            match_memberships__match=match,
        )
    page, entries = _story_page(request, queries.match_story(match, members_only_for=viewer))
    context = {
        "initiative": initiative,
        "match": match,
        "members": queries.match_members(match),
        "page": page,
        "entries": entries,
        "is_facilitator": viewer is None,
    }
    return render(request, "contact/history_match.html", context)


@login_required
@require_GET
def peer_history(request, pk, membership_pk):
    initiative = _facilitated(request, pk)
    membership = get_object_or_404(
        initiative.memberships.peers().select_related("user", "home_organisation"),
        pk=membership_pk,
    )
    page, entries = _story_page(request, queries.peer_story(membership))
    context = {
        "initiative": initiative,
        "membership": membership,
        "matches": queries.matches_with_history(membership),
        "page": page,
        "entries": entries,
        "is_facilitator": True,
    }
    return render(request, "contact/history_peer.html", context)


# --- logistics requests ---

REQUESTS_PER_PAGE = 30


@login_required
@require_GET
def logistics_mine(request, pk):
    initiative, membership = _own_membership(request, pk)
    requests = queries.requests_of(membership)
    page = Paginator(requests, REQUESTS_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "contact/logistics_mine.html", {"initiative": initiative, "page": page})


@login_required
@require_http_methods(["GET", "POST"])
def logistics_new(request, pk):
    initiative, membership = _own_membership(request, pk)
    form = LogisticsRequestForm(
        request.POST or None, matches=queries.matches_with_history(membership)
    )
    if request.method == "POST" and form.is_valid():
        services.request_logistics(membership=membership, by=request.user, **form.cleaned_data)
        messages.success(request, _("Request sent. The facilitators will tell you what happens."))
        return redirect("contact:logistics_mine", pk=initiative.pk)
    return render(request, "contact/logistics_new.html", {"initiative": initiative, "form": form})


@login_required
@require_GET
def logistics_index(request, pk):
    initiative = _facilitated(request, pk)
    form = LogisticsFilterForm(request.GET or None)
    requests = queries.requests_in(initiative, **form.filters())
    page = Paginator(requests, REQUESTS_PER_PAGE).get_page(request.GET.get("page"))
    context = {"initiative": initiative, "form": form, "page": page}
    return render(request, "contact/logistics_index.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def logistics_request(request, pk, request_pk):
    initiative = _facilitated(request, pk)
    found = get_object_or_404(
        queries.requests_in(initiative).prefetch_related("updates__by"), pk=request_pk
    )
    form = LogisticsStatusForm(request.POST or None, current=found.status)
    if request.method == "POST" and form.is_valid():
        services.update_logistics_request(request=found, by=request.user, **form.cleaned_data)
        messages.success(request, _("Status changed; the peer has been told by email."))
        return redirect("contact:logistics_index", pk=initiative.pk)
    context = {"initiative": initiative, "logistics": found, "form": form}
    return render(request, "contact/logistics_request.html", context)


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
    target = reverse("contact:log", args=[nudge.match.run.initiative_id])
    target += f"?kind=call&match={nudge.match_id}"
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


# --- exchanges ---

POSTS_PER_PAGE = 25
CONVERSATIONS_PER_PAGE = 25


@dataclass(frozen=True)
class Place:
    """Where posts are read and written: a match's conversation, or the board (no match)."""

    initiative: object
    match: object
    facilitates: bool
    peer: object  # the reader's peer membership, None for a facilitator

    @property
    def url(self):
        return services.place_url(self.initiative.pk, self.match and self.match.pk)

    @property
    def new_post_url(self):
        if self.match is None:
            return reverse("contact:board_post", args=[self.initiative.pk])
        return reverse("contact:conversation_post", args=[self.initiative.pk, self.match.pk])


def _reader(request, pk):
    """The initiative and the visitor's peer membership (None for a facilitator):
    404 for strangers, 403 for authorisers."""
    initiative, roles = initiative_for(request.user, pk, Role.PEER, Role.FACILITATOR)
    if Role.FACILITATOR in roles:
        return initiative, None
    peer = get_object_or_404(
        Membership.objects.current(), initiative=initiative, user=request.user, role=Role.PEER
    )
    return initiative, peer


def _place(request, pk, match_pk=None):
    initiative, peer = _reader(request, pk)
    match = None
    if match_pk is not None:
        matches = Match.objects.filter(run__initiative=initiative, status=Match.Status.PUBLISHED)
        if peer is not None:
            matches = matches.filter(members__membership=peer)
        match = get_object_or_404(matches, pk=match_pk)
    return Place(initiative, match, peer is None, peer)


def _post_of(request, pk, post_pk):
    """A post the visitor may read, and its place; 404 when they may not."""
    initiative, peer = _reader(request, pk)
    posts = queries.posts_visible_to(initiative, peer=peer).select_related("match", "parent")
    post = get_object_or_404(posts, pk=post_pk)
    return post, Place(initiative, post.match, peer is None, peer)


def _own_post(request, pk, post_pk):
    post, place = _post_of(request, pk, post_pk)
    if post.author_id != request.user.pk or post.deleted_at:
        raise Http404
    return post, place


def _email_membership(request, initiative):
    return (
        Membership.objects.current()
        .filter(initiative=initiative, user=request.user, role__in=[Role.PEER, Role.FACILITATOR])
        .order_by("role")
        .first()
    )


def _place_page(request, place, form, status=200):
    threads = queries.threads_in(place.initiative, place.match)
    page = Paginator(threads, POSTS_PER_PAGE).get_page(request.GET.get("page"))
    context = {
        "initiative": place.initiative,
        "place": place,
        "form": form,
        "page": page,
        "people": place.match.members.select_related("membership__user") if place.match else [],
        "can_choose_emails": _email_membership(request, place.initiative) is not None,
    }
    return render(request, "contact/exchanges_place.html", context, status=status)


def _read(request, place):
    response = _place_page(request, place, PostForm())
    services.mark_read(user=request.user, initiative=place.initiative, match=place.match)
    return response


@login_required
@require_GET
def board(request, pk):
    return _read(request, _place(request, pk))


@login_required
@require_GET
def conversation(request, pk, match_pk):
    return _read(request, _place(request, pk, match_pk))


def _write(request, place):
    form = PostForm(request.POST, request.FILES)
    if not form.is_valid():
        return _place_page(request, place, form)
    services.create_post(
        initiative=place.initiative,
        match=place.match,
        by=request.user,
        body=form.cleaned_data["body"],
        attachment=form.cleaned_data["attachment"],
    )
    messages.success(request, _("Your message is posted."))
    return redirect(place.url)


@login_required
@require_POST
def board_post(request, pk):
    return _write(request, _place(request, pk))


@login_required
@require_POST
def conversation_post(request, pk, match_pk):
    return _write(request, _place(request, pk, match_pk))


@login_required
@require_http_methods(["GET", "POST"])
def reply(request, pk, post_pk):
    post, place = _post_of(request, pk, post_pk)
    if post.parent_id or post.deleted_at:
        raise Http404
    form = PostForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        services.create_post(
            initiative=place.initiative,
            match=place.match,
            by=request.user,
            body=form.cleaned_data["body"],
            attachment=form.cleaned_data["attachment"],
            parent=post,
        )
        messages.success(request, _("Your reply is posted."))
        return redirect(place.url)
    context = {"initiative": place.initiative, "place": place, "post": post, "form": form}
    return render(request, "contact/exchanges_reply.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def edit_post(request, pk, post_pk):
    post, place = _own_post(request, pk, post_pk)
    form = EditPostForm(request.POST or None, initial={"body": post.body})
    if request.method == "POST" and form.is_valid():
        services.edit_post(post=post, by=request.user, body=form.cleaned_data["body"])
        messages.success(request, _("Your message is changed."))
        return redirect(place.url)
    context = {"initiative": place.initiative, "place": place, "post": post, "form": form}
    return render(request, "contact/exchanges_edit.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def delete_post(request, pk, post_pk):
    post, place = _own_post(request, pk, post_pk)
    if request.method == "POST":
        services.delete_post(post=post, by=request.user)
        messages.success(request, _("Your message is deleted."))
        return redirect(place.url)
    context = {"initiative": place.initiative, "place": place, "post": post}
    return render(request, "contact/exchanges_delete.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def hide_post(request, pk, post_pk):
    post, place = _post_of(request, pk, post_pk)
    if not place.facilitates:
        raise PermissionDenied
    if post.deleted_at or post.hidden_at:
        raise Http404
    form = HidePostForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.hide_post(post=post, by=request.user, reason=form.cleaned_data["reason"])
        messages.success(request, _("The message is hidden from the members."))
        return redirect(place.url)
    context = {"initiative": place.initiative, "place": place, "post": post, "form": form}
    return render(request, "contact/exchanges_hide.html", context)


@login_required
@require_GET
def attachment(request, pk, post_pk):
    post, place = _post_of(request, pk, post_pk)
    may_see = not post.hidden_at or place.facilitates or post.author_id == request.user.pk
    if not post.attachment or not may_see:
        raise Http404
    return download(
        post.attachment, filename=post.attachment_name, content_type=post.attachment_type
    )


@login_required
@require_http_methods(["GET", "POST"])
def post_emails(request, pk):
    initiative, _peer = _reader(request, pk)
    membership = _email_membership(request, initiative)
    if membership is None:
        raise Http404
    choice = PostEmailChoice.objects.filter(membership=membership).first()
    form = PostEmailsForm(request.POST or None, instance=choice)
    back = request.POST.get("next") or request.GET.get("next", "")
    if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
        back = reverse("contact:board", args=[initiative.pk])
    if request.method == "POST" and form.is_valid():
        services.choose_post_emails(
            membership=membership, choice=form.cleaned_data["choice"], by=request.user
        )
        messages.success(request, _("Your choice is saved."))
        return redirect(back)
    context = {"initiative": initiative, "form": form, "back": back}
    return render(request, "contact/exchanges_emails.html", context)


@login_required
@require_GET
def exchanges(request, pk):
    initiative = _facilitated(request, pk)
    conversations = queries.conversations_in(initiative)
    page = Paginator(conversations, CONVERSATIONS_PER_PAGE).get_page(request.GET.get("page"))
    context = {
        "initiative": initiative,
        "board": queries.board_summary(initiative),
        "page": page,
    }
    return render(request, "contact/exchanges_index.html", context)
