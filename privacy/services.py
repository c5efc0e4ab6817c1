"""Writes of the personal-data app: notices, consents, archives and corrections."""

import datetime
import io
import json
import uuid
import zipfile
from datetime import timedelta
from pathlib import PurePath

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from initiatives import road_map
from initiatives.models import Initiative, Membership, Role
from initiatives.road_map import records_of
from peerlearn import audit, freshness, subscriptions
from peerlearn.anonymous import is_erased
from peerlearn.jobs import enqueue_on_commit
from peerlearn.outbox import absolute_url, queue_templated_email, queue_templated_emails

from . import queries
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

audit.describe(
    **{
        "privacy.notice_written": _("Wrote a new version of the privacy notice"),
        "privacy.notice_accepted": _("Accepted the privacy notice"),
        "privacy.consent": _("Changed a consent"),
        "privacy.correction_asked": _("Asked for a correction of personal data"),
        "privacy.correction_answered": _("Answered a request for correction"),
    }
)


def write_notice(*, organisation, text, material, by):
    """A new version of `organisation`'s notice. Side effects: one notice row, one audit
    entry; if `material`, everyone in its initiatives accepts it again on their next page."""
    with transaction.atomic():
        newest = PrivacyNotice.objects.filter(organisation=organisation).aggregate(
            newest=Max("version")
        )["newest"]
        notice = PrivacyNotice.objects.create(
            organisation=organisation,
            version=(newest or 0) + 1,
            text=text,
            material=material,
            written_by=by,
        )
        audit.log(actor=by, action="privacy.notice_written", target=notice, material=material)
        if material:
            transaction.on_commit(lambda: freshness.changed(freshness.NOTICES))
    return notice


def accept_notice(*, person, organisation, consents=()):
    """`person` accepts `organisation`'s current notice and gives the `consents` ticked.
    Side effects: one acceptance row, a consent row per kind given, one audit entry."""
    notice = queries.current_notice(organisation)
    with transaction.atomic():
        acceptance = NoticeAcceptance.objects.create(
            person=person, organisation=organisation, version=notice.version
        )
        for kind in consents:
            set_consent(person=person, kind=kind, given=True)
        audit.log(
            actor=person,
            action="privacy.notice_accepted",
            target=acceptance,
            target_label=str(organisation),
            version=notice.version,
        )
    return acceptance


def set_consent(*, person, kind, given):
    """Give or withdraw one consent, in effect from the next query on. Side effects: a
    consent row (history) if it changes; optional email also sets the unsubscribe
    choice every sender asks; one audit entry."""
    if queries.has_consent(person, kind) == given:
        return None
    with transaction.atomic():
        if kind == ConsentKind.OPTIONAL_EMAIL:
            if given:
                subscriptions.subscribe_again(user=person)
            else:
                subscriptions.unsubscribe(user=person)
        consent = Consent.objects.create(person=person, kind=kind, given=given)
        audit.log(actor=person, action="privacy.consent", target=consent, kind=kind, given=given)
    return consent


# --- the archive ---


def request_archive(*, person):
    """Ask for a new archive, unless one is being built. Side effects: one archive row;
    the build task enqueued on commit."""
    from .tasks import build_archive as build_task

    busy = queries.archives_of(person).filter(
        status__in=[DataArchive.Status.PENDING, DataArchive.Status.BUILDING]
    )
    if busy.exists():
        return busy.first()
    archive = DataArchive.objects.create(person=person)
    enqueue_on_commit(build_task, archive_id=archive.pk)
    return archive


def _records_as_json(person):
    groups = []
    files = []
    for entry, records in records_of(person):
        plain = []
        for record in records:
            names = []
            for field_file in record["files"]:
                names.append(f"files/{len(files) + 1}-{PurePath(field_file.name).name}")
                files.append((names[-1], field_file))
            plain.append({**record, "files": names})
        groups.append({"kind": entry.key, "label": str(entry.label), "records": plain})
    return groups, files


def build_archive(*, archive):
    """Write the ZIP (data.json and the person's files, at most ARCHIVE_MAX_BYTES of
    files; those past the limit are listed as left out). Side effects: the file in
    private storage, the row marked ready with its expiry, an email with the link."""
    archive.status = DataArchive.Status.BUILDING
    archive.save(update_fields=["status"])
    groups, files = _records_as_json(archive.person)
    _progress(archive, 30)
    buffer = io.BytesIO()
    left_out = []
    written = 0
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zipped:
        for number, (name, field_file) in enumerate(files, start=1):
            size = _size(field_file)
            if size is None or written + size > settings.PRIVACY_ARCHIVE_MAX_BYTES:
                left_out.append(name)
                continue
            with field_file.open("rb") as stored:
                zipped.writestr(name, stored.read())
            written += size
            _progress(archive, 30 + 60 * number // len(files))
        data = {
            "person": archive.person.email,
            "built_at": timezone.now().isoformat(),
            "records": groups,
            "files_left_out": left_out,
        }
        zipped.writestr("data.json", json.dumps(data, ensure_ascii=False, indent=2))
    path = default_storage.save(
        f"privacy/archives/{uuid.uuid4().hex}/peerlearn-data.zip", ContentFile(buffer.getvalue())
    )
    with transaction.atomic():
        archive.path = path
        archive.size = len(buffer.getvalue())
        archive.status = DataArchive.Status.READY
        archive.progress = 100
        archive.ready_at = timezone.now()
        archive.expires_at = archive.ready_at + timedelta(days=settings.PRIVACY_ARCHIVE_DAYS)
        archive.save()
        queue_templated_email(
            to=archive.person.email,
            kind="privacy_archive",
            key=f"privacy_archive:{archive.pk}",
            template="privacy_archive",
            context={
                "url": absolute_url(reverse("privacy:archive_download", args=[archive.pk])),
                "expires_at": archive.expires_at,
                "person": archive.person,
            },
        )
    return archive


def _size(field_file):
    try:
        return field_file.size
    except OSError:
        return None


def _progress(archive, percent):
    DataArchive.objects.filter(pk=archive.pk).update(progress=min(percent, 99))


def delete_expired_archives():
    """Delete archives past their expiry, file and row; returns how many."""
    return delete_archives(DataArchive.objects.filter(expires_at__lte=timezone.now()))


def delete_archives(archives):
    """Delete the archives, file and row; returns how many."""
    count = 0
    for archive in archives:
        if archive.path:
            default_storage.delete(archive.path)
        archive.delete()
        count += 1
    return count


# --- corrections ---


def ask_correction(*, membership, details):
    """Ask the initiative's facilitators to correct something. Side effects: one request,
    one audit entry, an email to each facilitator."""
    with transaction.atomic():
        request = CorrectionRequest.objects.create(
            initiative=membership.initiative, membership=membership, details=details
        )
        audit.log(actor=membership.user, action="privacy.correction_asked", target=request)
        facilitators = Membership.objects.filter(
            initiative=membership.initiative, role=Role.FACILITATOR
        ).select_related("user")
        url = absolute_url(reverse("privacy:corrections", args=[membership.initiative_id]))
        queue_templated_emails(
            kind="privacy_correction_asked",
            template="privacy_correction_asked",
            messages=[
                (
                    facilitator.user.email,
                    f"privacy_correction_asked:{request.pk}:{facilitator.user_id}",
                    {"request": request, "url": url, "initiative": membership.initiative},
                )
                for facilitator in facilitators
            ],
        )
    return request


def answer_correction(*, request, status, reply, by):
    """Close a request as done or declined with a reply. Side effects: the request
    updated, one audit entry, an email to the person who asked."""
    with transaction.atomic():
        request.close(status=status, reply=reply, by=by, when=timezone.now())
        audit.log(actor=by, action="privacy.correction_answered", target=request, status=status)
        queue_templated_email(
            to=request.membership.user.email,
            kind="privacy_correction_answered",
            key=f"privacy_correction_answered:{request.pk}",
            template="privacy_correction_answered",
            context={
                "request": request,
                "url": absolute_url(reverse("privacy:your_data")),
                "initiative": request.initiative,
            },
        )
    return request


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
