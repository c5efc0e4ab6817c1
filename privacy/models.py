"""Privacy notices, consents, requests about a person's own data."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from initiatives.models import Initiative, Membership


class PrivacyNotice(models.Model):
    """One version of a facilitating organisation's privacy notice.

    Version 0 is the default text (never stored); a stored version replaces it. People
    accept again only when a version marked material follows the one they accepted.
    """

    organisation = models.ForeignKey(
        "peerlearn.Organisation", on_delete=models.CASCADE, related_name="privacy_notices"
    )
    version = models.PositiveIntegerField()
    text = models.TextField(_("text of the notice"), max_length=20000)
    material = models.BooleanField(
        _("This change is material: everyone accepts the notice again"), default=False
    )
    written_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    written_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["organisation", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "version"], name="one_notice_per_version"
            )
        ]

    def __str__(self):
        return f"{self.organisation} v{self.version}"


class NoticeAcceptance(models.Model):
    """A person accepted version `version` of an organisation's notice, at `accepted_at`."""

    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notice_acceptances"
    )
    organisation = models.ForeignKey(
        "peerlearn.Organisation", on_delete=models.CASCADE, related_name="+"
    )
    version = models.PositiveIntegerField()
    accepted_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-accepted_at", "-pk"]
        indexes = [models.Index(fields=["person", "organisation", "version"])]

    def __str__(self):
        return f"{self.person} accepted {self.organisation} v{self.version}"


class ConsentKind(models.TextChoices):
    ANSWERS_TO_MATCHES = (
        "answers_to_matches",
        _("Show my survey answers to the peers I am matched with"),
    )
    REFLECTIONS_TO_AUTHORISER = (
        "reflections_to_authoriser",
        _("Let my authoriser read the reflections I mark for them, in reports too"),
    )
    NAME_IN_LIBRARY = "name_in_library", _("Show my name on documents in the knowledge library")
    OPTIONAL_EMAIL = (
        "optional_email",
        _("Send me optional email: nudges, digests and reminders that are not about a deadline"),
    )


class Consent(models.Model):
    """One change of one consent: the newest row per person and kind is what holds now;
    older rows are its history."""

    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="consents"
    )
    kind = models.CharField(max_length=40, choices=ConsentKind)
    given = models.BooleanField()
    changed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-changed_at", "-pk"]
        indexes = [models.Index(fields=["person", "kind", "-changed_at", "-id"])]

    def __str__(self):
        return f"{self.person} {self.kind} {'given' if self.given else 'withdrawn'}"


class DataArchive(models.Model):
    """A download of everything PeerLearn holds about a person, built by a worker."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting to be built")
        BUILDING = "building", _("Being built")
        READY = "ready", _("Ready to download")
        FAILED = "failed", _("Failed")

    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="data_archives"
    )
    status = models.CharField(max_length=10, choices=Status, default=Status.PENDING)
    progress = models.PositiveSmallIntegerField(default=0)
    path = models.CharField(max_length=300, blank=True)
    size = models.PositiveBigIntegerField(default=0)
    error = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    ready_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"Archive of {self.person} ({self.status})"

    @property
    def is_expired(self):
        return self.expires_at is not None and self.expires_at <= timezone.now()

    @property
    def is_downloadable(self):
        return self.status == self.Status.READY and not self.is_expired and bool(self.path)


class CorrectionRequestQuerySet(models.QuerySet):
    def open(self):
        return self.filter(status=CorrectionRequest.Status.OPEN)


class CorrectionRequest(models.Model):
    """A person asks an initiative's facilitators to correct what they cannot edit."""

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        DONE = "done", _("Corrected")
        DECLINED = "declined", _("Declined")

    initiative = models.ForeignKey(
        Initiative, on_delete=models.CASCADE, related_name="correction_requests"
    )
    membership = models.ForeignKey(
        Membership, on_delete=models.CASCADE, related_name="correction_requests"
    )
    details = models.TextField(_("what is wrong and what it should say"), max_length=2000)
    status = models.CharField(max_length=10, choices=Status, default=Status.OPEN)
    reply = models.TextField(_("reply"), max_length=2000, blank=True)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    handled_at = models.DateTimeField(null=True, blank=True)

    objects = CorrectionRequestQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"{self.get_status_display()}: {self.details[:40]}"

    def close(self, *, status, reply, by, when):
        self.status = status
        self.reply = reply
        self.handled_by = by
        self.handled_at = when
        self.save(update_fields=["status", "reply", "handled_by", "handled_at"])


class ErasureRequestQuerySet(models.QuerySet):
    def open(self):
        return self.filter(status=ErasureRequest.Status.WAITING)

    def concerning(self, initiative):
        return self.filter(confirmations__initiative=initiative).distinct()


class ErasureRequest(models.Model):
    """A person's request to be erased. A facilitator of each initiative they are in
    confirms it (one ErasureConfirmation each), or the site admin confirms it all at
    once; then a task erases them. The row stays, pointing at the anonymous account."""

    class Status(models.TextChoices):
        WAITING = "waiting", _("Waiting for confirmation")
        CONFIRMED = "confirmed", _("Confirmed, being erased")
        ERASED = "erased", _("Erased")

    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="erasure_requests"
    )
    asked_at = models.DateTimeField(default=timezone.now)
    confirm_by = models.DateField(_("to be confirmed by"))
    status = models.CharField(max_length=20, choices=Status, default=Status.WAITING)
    keep_files = models.BooleanField(default=False)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    erased_at = models.DateTimeField(null=True, blank=True)

    objects = ErasureRequestQuerySet.as_manager()

    class Meta:
        ordering = ["confirm_by", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["person"], condition=models.Q(status="waiting"), name="one_open_erasure"
            )
        ]

    def __str__(self):
        # Never the person's name: audit entries keep this label.
        return _("Erasure request %(number)s") % {"number": self.pk}

    @property
    def is_overdue(self):
        return self.status == self.Status.WAITING and self.confirm_by < timezone.localdate()


class ErasureConfirmation(models.Model):
    """One initiative's facilitator's confirmation of an erasure request, and their choice
    for the files the person authored there."""

    request = models.ForeignKey(
        ErasureRequest, on_delete=models.CASCADE, related_name="confirmations"
    )
    initiative = models.ForeignKey(Initiative, on_delete=models.CASCADE, related_name="+")
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    confirmed_at = models.DateTimeField(null=True, blank=True)
    keep_files = models.BooleanField(
        _("keep the files they authored, anonymised"),
        default=False,
        help_text=_("Otherwise their uploaded files and library documents are deleted."),
    )

    class Meta:
        ordering = ["initiative__title"]
        constraints = [
            models.UniqueConstraint(fields=["request", "initiative"], name="one_confirmation")
        ]

    def __str__(self):
        return f"{self.request} · {self.initiative}"
