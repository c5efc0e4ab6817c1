"""Stage 2 pages: a peer logs and confirms contacts; facilitators see and log them all."""

from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from initiatives.access import initiative_for
from initiatives.models import Membership, Role
from matching.models import Match
from peerlearn.models import Organisation
from peerlearn.spreadsheets import csv_response, xlsx_response
from peerlearn.uploads import download

from . import queries, services
from .forms import (
    ContactFilterForm,
    EditPostForm,
    GroupContactForm,
    HidePostForm,
    PeerContactForm,
    PostEmailsForm,
    PostForm,
)
from .models import ContactParticipant, PostEmailChoice

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
    context["conversations"] = queries.published_matches_of(membership)
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
