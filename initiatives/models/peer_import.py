from django.conf import settings
from django.core.cache import cache
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from .initiative import Initiative


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
        Initiative, on_delete=models.CASCADE, related_name="peer_imports"
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
        return reverse("initiatives:import_preview", args=[self.initiative_id, self.pk])

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
