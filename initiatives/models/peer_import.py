from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .initiative import Initiative


class PeerImport(models.Model):
    """An uploaded list of peers, parsed and checked, waiting for the facilitator to confirm.

    The checked rows live here (not in the browser) so the confirmation imports
    exactly what the preview showed.
    """

    initiative = models.ForeignKey(
        Initiative, on_delete=models.CASCADE, related_name="peer_imports"
    )
    filename = models.CharField(_("file"), max_length=200)
    rows = models.JSONField(default=list)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    imported_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.filename} → {self.initiative}"

    def mark_imported(self, when):
        self.imported_at = when
        self.save(update_fields=["imported_at"])
