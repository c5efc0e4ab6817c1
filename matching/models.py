from django.conf import settings
from django.core.cache import cache
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from initiatives.models import Membership
from matching.reasons import reason_sentence
from surveys import profile


def _column(field):
    """The PeerProfile column that stores one declared profile field."""
    label = _(field.label)  # marked for translation in surveys.profile
    if field.kind == profile.CODES:
        return models.JSONField(label, default=list, blank=True)
    if field.kind == profile.NUMBER:
        return models.PositiveSmallIntegerField(label, null=True, blank=True)
    if field.kind == profile.LINE:
        return models.CharField(label, max_length=field.max_length, blank=True)
    return models.TextField(label, blank=True)


def _profile_columns():
    """An abstract model with one column per field of surveys.profile.PROFILE_FIELDS."""
    attrs = {field.name: _column(field) for field in profile.PROFILE_FIELDS}
    attrs["__module__"] = __name__
    attrs["Meta"] = type("Meta", (), {"abstract": True})
    return type("ProfileColumns", (models.Model,), attrs)


class PeerProfile(_profile_columns()):
    """What matching knows about one peer in one initiative.

    Filled from the pre-event survey (and pre-filled by a bulk import, which the
    peer then confirms or edits in the survey); its columns are the declared
    profile fields.
    """

    membership = models.OneToOneField(Membership, on_delete=models.CASCADE, related_name="profile")
    survey_completed_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self):
        return f"Profile of {self.membership.user}"


# --- Peer import -----------------------------------------------------------


class PeerImport(models.Model):
    """An uploaded list of peers: checked in the background, confirmed, imported in the background.

    The uploaded file waits here (in the database every process already shares,
    not on a disk the worker may not see) until it is checked, then it is
    dropped; the checked rows stay so the import brings in exactly what the
    preview showed.
    """

    class Status(models.TextChoices):
        CHECKING = "checking", _("Checking the list")
        READY = "ready", _("Checked, waiting for your confirmation")
        IMPORTING = "importing", _("Importing")
        IMPORTED = "imported", _("Imported")
        FAILED = "failed", _("Could not be read")

    initiative = models.ForeignKey(
        "initiatives.Initiative", on_delete=models.CASCADE, related_name="peer_imports"
    )
    filename = models.CharField(_("file"), max_length=200)
    content = models.BinaryField(default=b"", blank=True)
    status = models.CharField(max_length=20, choices=Status, default=Status.CHECKING)
    progress = models.PositiveSmallIntegerField(default=0)
    error = models.TextField(blank=True)
    notes = models.JSONField(default=list, blank=True)
    rows = models.JSONField(default=list)
    invited_count = models.PositiveIntegerField(default=0)
    updated_count = models.PositiveIntegerField(default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    imported_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.filename} → {self.initiative}"

    def get_absolute_url(self):
        return reverse("matching:import_preview", args=[self.initiative_id, self.pk])

    @property
    def is_working(self):
        return self.status in (self.Status.CHECKING, self.Status.IMPORTING)

    @property
    def progress_key(self):
        return f"peer-import-progress:{self.pk}"

    def progress_now(self):
        """An import runs in one transaction, so its progress is kept in the cache meanwhile."""
        if self.status == self.Status.IMPORTING:
            return cache.get(self.progress_key, self.progress)
        return self.progress

    def report_progress(self, percent):
        cache.set(self.progress_key, percent, timeout=3600)

    def set_progress(self, percent):
        self.progress = percent
        self.save(update_fields=["progress"])

    def mark_checked(self, *, rows, notes):
        """Ready for confirmation, unless another run of the check got there first."""
        return self._move(
            self.Status.CHECKING,
            status=self.Status.READY,
            rows=rows,
            notes=notes,
            content=b"",
            progress=100,
        )

    def fail_check(self, error):
        return self._move(self.Status.CHECKING, status=self.Status.FAILED, error=error, content=b"")

    def start_import(self):
        return self._move(self.Status.READY, status=self.Status.IMPORTING, progress=0, error="")

    def claim_import(self):
        """Inside the import's transaction: a retried or repeated job finds nothing to claim."""
        return self._move(self.Status.IMPORTING, status=self.Status.IMPORTED)

    def import_failed(self, error):
        """Back to ready, with the reason: nothing was saved, so the facilitator may try again."""
        return self._move(self.Status.IMPORTING, status=self.Status.READY, error=error)

    def mark_imported(self, when, *, invited, updated):
        self.status = self.Status.IMPORTED
        self.imported_at = when
        self.invited_count = invited
        self.updated_count = updated
        self.progress = 100
        self.save(
            update_fields=["status", "imported_at", "invited_count", "updated_count", "progress"]
        )

    def _move(self, from_status, **changes):
        moved = type(self).objects.filter(pk=self.pk, status=from_status).update(**changes)
        if moved:
            for name, value in changes.items():
                setattr(self, name, value)
        return bool(moved)


# --- Match runs and matches -------------------------------------------------


def default_weights():
    """Shared challenges weigh most, then position, then task (the guide's order)."""
    return {
        "challenges": 50,
        "challenge_tags": 15,
        "position": 15,
        "task": 10,
        "years_of_service": 5,
        "background": 5,
    }


class MatchRun(models.Model):
    """One attempt at matching an initiative's peers, with the settings it used."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Waiting to start")
        RUNNING = "running", _("Running")
        PROPOSED = "proposed", _("Proposed")
        PUBLISHED = "published", _("Published")
        FAILED = "failed", _("Failed")

    initiative = models.ForeignKey(
        "initiatives.Initiative", on_delete=models.CASCADE, related_name="match_runs"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    group_size = models.PositiveSmallIntegerField(
        _("people per match"),
        default=2,
        validators=[MinValueValidator(2), MaxValueValidator(6)],
    )
    allow_same_organisation = models.BooleanField(
        _("allow peers of the same home organisation together"), default=False
    )
    require_shared_language = models.BooleanField(_("require a shared language"), default=True)
    matches_per_peer = models.PositiveSmallIntegerField(
        _("published matches a peer may be in"),
        default=1,
        validators=[MinValueValidator(1), MaxValueValidator(3)],
    )
    weights = models.JSONField(_("weights"), default=default_weights)
    status = models.CharField(max_length=20, choices=Status, default=Status.QUEUED)
    progress = models.PositiveSmallIntegerField(default=0)
    total_score = models.FloatField(null=True, blank=True)
    upper_bound = models.FloatField(null=True, blank=True)
    gap = models.FloatField(null=True, blank=True)
    unmatched = models.JSONField(default=list, blank=True)
    error = models.TextField(blank=True)
    published_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"Match run {self.pk} of {self.initiative}"

    def get_absolute_url(self):
        return reverse("matching:run", args=[self.initiative_id, self.pk])

    @property
    def is_working(self):
        return self.status in (self.Status.QUEUED, self.Status.RUNNING)

    @property
    def gap_percent(self):
        return None if self.gap is None else round(self.gap * 100, 1)

    @property
    def smallest_match(self):
        """Fewest people a match of this run may have, as the engine makes them.

        Pairs (a three for an odd peer out), or groups of ``group_size - 1`` to ``+ 1``.
        """
        return max(2, self.group_size - 1)

    def set_progress(self, progress):
        self.progress = progress
        self.save(update_fields=["progress"])

    def fail(self, error):
        self.status = self.Status.FAILED
        self.error = str(error)[:2000]
        self.save(update_fields=["status", "error"])


class MatchQuerySet(models.QuerySet):
    def open_to(self, member):
        """Matches `member` may be moved to: others of their run, not locked."""
        return self.filter(run_id=member.match.run_id, locked=False).exclude(pk=member.match_id)

    def with_member_named(self, text):
        """Matches with someone whose name or email contains `text`."""
        return self.filter(
            models.Exists(MatchMember.objects.filter(match=models.OuterRef("pk")).named(text))
        )


class Match(models.Model):
    """A pair or small group of peers proposed by a run, then published and ended."""

    class Status(models.TextChoices):
        PROPOSED = "proposed", _("Proposed")
        PUBLISHED = "published", _("Published")
        ENDED = "ended", _("Ended")

    class EndKind(models.TextChoices):
        COMPLETED = "completed", _("Completed")
        DISCONTINUED = "discontinued", _("Discontinued")

    run = models.ForeignKey(MatchRun, on_delete=models.CASCADE, related_name="matches")
    # Given once, best score first, when the run makes its matches; edits keep it, so
    # "match 3" means the same group on every page and in every export.
    number = models.PositiveIntegerField(_("number"))
    score = models.FloatField(default=0)
    # Kinds and shared words (engine.reason_items), said in the reader's language when shown;
    # older runs hold English sentences.
    reasons = models.JSONField(default=list, blank=True)
    locked = models.BooleanField(default=False)
    status = models.CharField(max_length=20, choices=Status, default=Status.PROPOSED)
    end_kind = models.CharField(_("how it ended"), max_length=20, choices=EndKind, blank=True)
    end_reason = models.TextField(_("why"), blank=True)
    ended_at = models.DateTimeField(null=True, blank=True)

    objects = MatchQuerySet.as_manager()

    class Meta:
        ordering = ["number", "pk"]
        verbose_name_plural = "matches"
        constraints = [
            models.UniqueConstraint(fields=["run", "number"], name="one_number_per_match")
        ]

    def __str__(self):
        return f"Match {self.number} of run {self.run_id}"

    @property
    def reason_sentences(self):
        """The reasons as sentences in the active language."""
        return [reason_sentence(reason) for reason in self.reasons]

    def set_locked(self, locked):
        self.locked = locked
        self.save(update_fields=["locked"])

    def end(self, *, kind, reason, when):
        self.status = self.Status.ENDED
        self.end_kind = kind
        self.end_reason = reason
        self.ended_at = when
        self.save(update_fields=["status", "end_kind", "end_reason", "ended_at"])


class MatchMemberQuerySet(models.QuerySet):
    def swappable_with(self, member):
        """People `member` may change places with: in another match of the run, not locked."""
        return self.filter(match__run_id=member.match.run_id, match__locked=False).exclude(
            match_id=member.match_id
        )

    def named(self, text):
        """People whose name or email contains `text`."""
        return self.filter(
            models.Q(membership__user__name__icontains=text)
            | models.Q(membership__user__email__icontains=text)
        )


class MatchMember(models.Model):
    match = models.ForeignKey(Match, on_delete=models.CASCADE, related_name="members")
    membership = models.ForeignKey(
        Membership, on_delete=models.CASCADE, related_name="match_memberships"
    )

    objects = MatchMemberQuerySet.as_manager()

    class Meta:
        ordering = ["membership__user__name", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["match", "membership"], name="one_seat_per_match")
        ]

    def __str__(self):
        return f"{self.membership} in {self.match}"


class KeptApart(models.Model):
    """Two peers a facilitator never wants in one match (a manager and their staff, say)."""

    initiative = models.ForeignKey(
        "initiatives.Initiative", on_delete=models.CASCADE, related_name="kept_apart"
    )
    first = models.ForeignKey(Membership, on_delete=models.CASCADE, related_name="+")
    second = models.ForeignKey(Membership, on_delete=models.CASCADE, related_name="+")
    reason = models.CharField(_("why (only facilitators see this)"), max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name_plural = "peers kept apart"
        constraints = [
            models.UniqueConstraint(
                fields=["initiative", "first", "second"], name="kept_apart_once"
            ),
            models.CheckConstraint(
                condition=models.Q(first__lt=models.F("second")), name="kept_apart_in_order"
            ),
        ]

    def __str__(self):
        return f"{self.first_id} apart from {self.second_id}"
