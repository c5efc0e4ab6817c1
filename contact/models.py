"""Stage 2: the contacts peers keep after the first event."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from initiatives.models import Initiative, Membership
from matching.models import Match
from peerlearn.models import Organisation


class Contact(models.Model):
    """A call, visit or piece of joint work that peers of an initiative took part in."""

    class Kind(models.TextChoices):
        CALL = "call", _("Paired call or meeting")
        ONLINE = "online", _("Online exchange")
        SITE_VISIT = "site_visit", _("Site visit")
        JOINT_ACTIVITY = "joint_activity", _("Joint activity")
        PUBLICATION = "publication", _("Community publication")
        KNOWLEDGE_PRODUCT = "knowledge_product", _("Peer-produced knowledge product")
        TRAINING = "training", _("Training")

    initiative = models.ForeignKey(Initiative, on_delete=models.CASCADE, related_name="contacts")
    kind = models.CharField(_("kind"), max_length=30, choices=Kind, default=Kind.CALL)
    happened_on = models.DateField(_("date"))
    note = models.CharField(_("note"), max_length=500)
    helped_with = models.CharField(_("what it helped with"), max_length=500, blank=True)
    match = models.ForeignKey(
        Match, on_delete=models.SET_NULL, null=True, blank=True, related_name="contacts"
    )
    host_organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("host organisation"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    outcome = models.CharField(_("product or outcome"), max_length=300, blank=True)
    logged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-happened_on", "-pk"]
        # The momentum page's last contact and recent contacts per match.
        indexes = [models.Index(fields=["match", "happened_on"], name="contact_match_day")]

    def __str__(self):
        return f"{self.get_kind_display()}, {self.happened_on}"


class ContactParticipant(models.Model):
    class Status(models.TextChoices):
        CONFIRMED = "confirmed", _("Confirmed")
        PENDING = "pending", _("Waiting for confirmation")
        DECLINED = "declined", _("Did not happen")

    contact = models.ForeignKey(Contact, on_delete=models.CASCADE, related_name="participants")
    membership = models.ForeignKey(
        Membership, on_delete=models.CASCADE, related_name="contact_participations"
    )
    status = models.CharField(max_length=20, choices=Status, default=Status.PENDING)
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["membership__user__name", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["contact", "membership"], name="one_row_per_participant"
            )
        ]

    def __str__(self):
        return f"{self.membership.user} in {self.contact}"

    def answer(self, status, when):
        self.status = status
        self.answered_at = when
        self.save(update_fields=["status", "answered_at"])


# --- momentum ---


class Nudge(models.Model):
    """A reminder about a quiet match: claimed by its unique key before its email is queued.

    `spell` is the day the match's quiet spell began (its last activity) for the
    sweep's nudge to members and alert to facilitators, so each is sent once per
    spell; for a facilitator's "nudge now" it is the day it was sent (one a day).
    """

    class Kind(models.TextChoices):
        MEMBERS = "members", _("Nudge to the match")
        FACILITATORS = "facilitators", _("Alert to facilitators")
        NOW = "now", _("Nudge sent by a facilitator")

    match = models.ForeignKey(Match, on_delete=models.CASCADE, related_name="nudges")
    kind = models.CharField(max_length=20, choices=Kind)
    spell = models.DateField()
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["match", "kind", "spell"], name="one_nudge_per_spell")
        ]

    def __str__(self):
        return f"{self.get_kind_display()}, match {self.match_id}, {self.spell}"


class InTouchMark(models.Model):
    """A member says the match is in touch without logging it: it counts as activity."""

    match = models.ForeignKey(Match, on_delete=models.CASCADE, related_name="in_touch_marks")
    membership = models.ForeignKey(Membership, on_delete=models.CASCADE, related_name="+")
    nudge = models.ForeignKey(Nudge, on_delete=models.CASCADE, related_name="in_touch_marks")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["nudge", "membership"], name="one_in_touch_per_nudge")
        ]
        indexes = [models.Index(fields=["match", "created_at"])]

    def __str__(self):
        return f"{self.membership} in touch, {self.created_at:%Y-%m-%d}"


class HelpRequest(models.Model):
    """A member of a match asks the facilitators for help."""

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        RESOLVED = "resolved", _("Resolved")

    match = models.ForeignKey(Match, on_delete=models.CASCADE, related_name="help_requests")
    membership = models.ForeignKey(Membership, on_delete=models.CASCADE, related_name="+")
    nudge = models.ForeignKey(
        Nudge, on_delete=models.SET_NULL, null=True, blank=True, related_name="help_requests"
    )
    text = models.TextField(_("what would help"), blank=True, max_length=2000)
    status = models.CharField(max_length=10, choices=Status, default=Status.OPEN)
    created_at = models.DateTimeField(auto_now_add=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    resolved_at = models.DateTimeField(null=True, blank=True)
    note = models.CharField(_("what was done"), max_length=1000, blank=True)

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["nudge", "membership"], name="one_help_request_per_nudge"
            )
        ]

    def __str__(self):
        return f"Help for match {self.match_id}"

    def resolve(self, *, by, note, when):
        self.status = self.Status.RESOLVED
        self.resolved_by = by
        self.note = note
        self.resolved_at = when
        self.save(update_fields=["status", "resolved_by", "note", "resolved_at"])


class NudgePause(models.Model):
    """A peer asked for no nudges in one initiative until `until`."""

    membership = models.OneToOneField(Membership, on_delete=models.CASCADE, related_name="+")
    until = models.DateField()

    def __str__(self):
        return f"{self.membership} until {self.until}"


class MatchNote(models.Model):
    """A facilitator's note on a match, shown on the momentum page."""

    match = models.ForeignKey(Match, on_delete=models.CASCADE, related_name="notes")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    text = models.CharField(_("note"), max_length=1000)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return self.text[:50]
