"""Privacy notices, consents, requests about a person's own data, erasure."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from initiatives.models import Initiative


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
