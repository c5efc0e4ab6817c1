"""Writes of the personal-data app: erasure requests and closing initiatives."""

import datetime

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from initiatives import road_map
from initiatives.models import Initiative, Membership, Role
from peerlearn import audit
from peerlearn.anonymous import is_erased
from peerlearn.jobs import enqueue_on_commit
from peerlearn.outbox import absolute_url, queue_templated_email, queue_templated_emails

from .models import ErasureConfirmation, ErasureRequest

FINAL_EMAIL_KIND = "erasure_done"

audit.describe(
    **{
        "privacy.erasure_asked": _("Asked to be erased"),
        "privacy.erasure_confirmed": _("Confirmed an erasure"),
        "privacy.erased": _("Erased a person"),
        "privacy.close_initiative": _("Closed the initiative"),
        "privacy.anonymise_initiative": _("Anonymised the initiative's personal data"),
    }
)


def request_erasure(*, person):
    """Ask for `person` to be erased; a request already made is returned instead.

    Side effects: an ErasureRequest with one confirmation to ask per initiative the
    person is in; an audit entry in each; an email to those initiatives' facilitators.
    With no initiative to ask, the request is confirmed at once (see confirm).
    """
    with transaction.atomic():
        existing = ErasureRequest.objects.filter(person=person).first()
        if existing is not None:
            return existing
        confirm_by = timezone.localdate() + datetime.timedelta(days=settings.ERASURE_CONFIRM_DAYS)
        request = ErasureRequest.objects.create(person=person, confirm_by=confirm_by)
        initiatives = list(Initiative.objects.filter(memberships__user=person).distinct())
        ErasureConfirmation.objects.bulk_create(
            ErasureConfirmation(request=request, initiative=initiative)
            for initiative in initiatives
        )
        for initiative in initiatives:
            audit.log(
                actor=person, action="privacy.erasure_asked", target=request, initiative=initiative
            )
        _tell_facilitators(request, initiatives)
        if not initiatives:
            _confirmed(request, keep_files=False)
    return request


def _tell_facilitators(request, initiatives):
    messages = [
        (
            membership.user.email,
            f"erasure_asked:{request.pk}:{membership.user_id}",
            {
                "request": request,
                "initiative": membership.initiative,
                "link": absolute_url(
                    reverse("privacy:initiative", args=[membership.initiative_id])
                ),
            },
        )
        for membership in Membership.objects.filter(
            initiative__in=initiatives, role=Role.FACILITATOR
        )
        .exclude(user=request.person)
        .select_related("user", "initiative")
    ]
    queue_templated_emails(kind="erasure_asked", template="erasure_asked", messages=messages)


def confirm(*, confirmation, by, keep_files):
    """`by`, a facilitator of the confirmation's initiative, confirms the erasure there.

    Side effects: the confirmation saved with the choice for files; an audit entry; once
    every initiative has confirmed, the request is confirmed and the erasure task is
    enqueued on commit. Returns True when the erasure starts.
    """
    with transaction.atomic():
        request = ErasureRequest.objects.select_for_update().get(pk=confirmation.request_id)
        if request.status != ErasureRequest.Status.WAITING:
            return False
        confirmation.confirmed_by = by
        confirmation.confirmed_at = timezone.now()
        confirmation.keep_files = keep_files
        confirmation.save(update_fields=["confirmed_by", "confirmed_at", "keep_files"])
        audit.log(
            actor=by,
            action="privacy.erasure_confirmed",
            target=request,
            initiative=confirmation.initiative,
            keep_files=keep_files,
        )
        waiting = request.confirmations.filter(confirmed_at__isnull=True)
        if waiting.exists():
            return False
        keep = not request.confirmations.filter(keep_files=False).exists()
        _confirmed(request, keep_files=keep)
    return True


def confirm_as_admin(*, request, by, keep_files):
    """The site admin confirms for every initiative at once.

    Side effects: the request confirmed; the erasure task enqueued on commit.
    Returns False if it was not waiting."""
    with transaction.atomic():
        request = ErasureRequest.objects.select_for_update().get(pk=request.pk)
        if request.status != ErasureRequest.Status.WAITING:
            return False
        audit.log(
            actor=by, action="privacy.erasure_confirmed", target=request, keep_files=keep_files
        )
        _confirmed(request, keep_files=keep_files)
    return True


def _confirmed(request, *, keep_files):
    from .tasks import erase_person

    request.status = ErasureRequest.Status.CONFIRMED
    request.confirmed_at = timezone.now()
    request.keep_files = keep_files
    request.save(update_fields=["status", "confirmed_at", "keep_files"])
    enqueue_on_commit(erase_person, request_id=request.pk)


def erase(*, request_id):
    """Erase the person of a confirmed request; nothing happens a second time.

    Side effects: every app's anonymiser run on the person (their account becomes an
    anonymous, inactive one; see initiatives.road_map.anonymise); the request marked
    erased; a final email queued to the address they had, blanked once sent.
    Returns True if this call erased them.
    """
    with transaction.atomic():
        request = (
            ErasureRequest.objects.select_for_update()
            .select_related("person")
            .filter(pk=request_id, status=ErasureRequest.Status.CONFIRMED)
            .first()
        )
        if request is None:
            return False
        person = request.person
        address, language = person.email, person.language
        if not is_erased(person):
            road_map.anonymise(person, keep_files=request.keep_files)
        request.status = ErasureRequest.Status.ERASED
        request.erased_at = timezone.now()
        request.save(update_fields=["status", "erased_at"])
        audit.log(actor=None, action="privacy.erased", target=request)
        _final_email(request, address, language)
    return True


def _final_email(request, address, language):
    from peerlearn.outbox import in_language

    with in_language(language):
        queue_templated_email(
            to=address,
            kind=FINAL_EMAIL_KIND,
            key=f"{FINAL_EMAIL_KIND}:{request.pk}",
            template="erasure_done",
            context={"request": request},
        )


# --- closing an initiative ---


def close_initiative(*, initiative, by, retention_months):
    """Close `initiative` (or change its retention while its data is not anonymised yet).

    Side effects: closed_at (kept if already closed) and retention_months saved; an
    audit entry. The daily sweep anonymises its personal data once the period is over.
    """
    with transaction.atomic():
        initiative.closed_at = initiative.closed_at or timezone.now()
        initiative.retention_months = retention_months
        initiative.save(update_fields=["closed_at", "retention_months"])
        audit.log(
            actor=by,
            action="privacy.close_initiative",
            target=initiative,
            initiative=initiative,
            retention_months=retention_months,
        )


def anonymise_due_initiatives(*, now=None):
    """Anonymise the personal data of every closed initiative whose retention is over.

    Each initiative is claimed with a conditional update, so two sweeps never both
    anonymise one, and a failed one is retried by the next sweep (its claim rolls back).
    Side effects: every app's initiative anonymiser run; an audit entry each.
    Returns how many were anonymised.
    """
    now = now or timezone.now()
    closed = Initiative.objects.filter(
        closed_at__isnull=False,
        retention_months__isnull=False,
        personal_data_anonymised_at__isnull=True,
    )
    done = 0
    for initiative in closed:
        if initiative.anonymise_on > now:
            continue
        with transaction.atomic():
            claimed = Initiative.objects.filter(
                pk=initiative.pk, personal_data_anonymised_at__isnull=True
            ).update(personal_data_anonymised_at=now)
            if not claimed:
                continue
            road_map.anonymise_initiative(initiative)
            audit.log(
                actor=None,
                action="privacy.anonymise_initiative",
                target=initiative,
                initiative=initiative,
            )
        done += 1
    return done
