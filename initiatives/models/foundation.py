"""Foundational engagement: the first event, peer contracts and what comes after."""

from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import models
from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from peerlearn.content_languages import every_language, lines_in_language, translations_field

from .initiative import Initiative, Membership

DEFAULT_COMMITMENTS = [
    _("I will take part in the meetings of this initiative, in person or online."),
    _("I will stay in touch with my peers and answer them within a reasonable time."),
    _("I will try out what I learn in my own organisation and tell my peers how it went."),
    _("I will pass on what I learn to colleagues at home, so it does not stay with me alone."),
]

DEFAULT_TEXT = format_lazy("\n".join("{}" for _line in DEFAULT_COMMITMENTS), *DEFAULT_COMMITMENTS)


class Event(models.Model):
    class Kind(models.TextChoices):
        LARGE_GROUP = "large_group", _("Large group meeting")
        SMALL_GROUP = "small_group", _("Small group meeting")
        TRAINING = "training", _("Training session")
        SITE_VISIT = "site_visit", _("Site visit")
        ONLINE = "online", _("Online meeting")
        JOINT_ACTIVITY = "joint_activity", _("Joint activity")

    initiative = models.ForeignKey(Initiative, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(_("kind of event"), max_length=20, choices=Kind)
    title = models.CharField(_("title"), max_length=200)
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    time_zone = models.CharField(_("time zone"), max_length=64, default="UTC")
    venue = models.CharField(_("venue"), max_length=300, blank=True)
    online_link = models.URLField(_("online link"), blank=True)
    description = models.TextField(_("description"), blank=True)
    invitees = models.ManyToManyField(
        Membership, verbose_name=_("invited peers"), blank=True, related_name="invited_events"
    )
    engagement_invitations_sent_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["starts_at"]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("initiatives:event", args=[self.initiative_id, self.pk])

    @property
    def zone(self):
        return ZoneInfo(self.time_zone)

    @property
    def local_start(self):
        return self.starts_at.astimezone(self.zone)

    @property
    def local_end(self):
        return self.ends_at.astimezone(self.zone)

    @property
    def is_multi_day(self):
        return self.local_start.date() != self.local_end.date()

    @property
    def has_ended(self):
        return self.ends_at <= timezone.now()

    def mark_engagement_invitations_sent(self, when):
        """Claim the event for the invitation sweep; False if another run already did."""
        claimed = (
            type(self)
            .objects.filter(pk=self.pk, engagement_invitations_sent_at=None)
            .update(engagement_invitations_sent_at=when)
        )
        self.engagement_invitations_sent_at = when
        return claimed == 1


class AgendaItem(models.Model):
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="agenda_items")
    starts_at = models.TimeField(_("time"))
    title = models.CharField(_("title"), max_length=200)
    facilitated_by = models.CharField(_("facilitated by"), max_length=200, blank=True)
    groups = models.CharField(
        _("matched groups taking part"),
        max_length=300,
        blank=True,
        help_text=_("For example “pairs 1–5” or “all groups on arrears”."),
    )

    class Meta:
        ordering = ["starts_at", "pk"]

    def __str__(self):
        return f"{self.starts_at:%H:%M} {self.title}"


class Attendance(models.Model):
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="attendance")
    membership = models.ForeignKey(Membership, on_delete=models.CASCADE, related_name="attendance")
    present = models.BooleanField(_("present"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    recorded_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["event", "membership"], name="one_attendance_per_event")
        ]

    def __str__(self):
        return f"{self.membership} at {self.event}"


class ContractTemplate(models.Model):
    """The commitments peers of one initiative sign, one per line."""

    initiative = models.OneToOneField(
        Initiative, on_delete=models.CASCADE, related_name="contract_template"
    )
    commitments = models.TextField(_("commitments"))
    translations = translations_field()
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self):
        return f"Peer contract of {self.initiative}"

    @classmethod
    def for_initiative(cls, initiative):
        template, _created = cls.objects.get_or_create(
            initiative=initiative,
            defaults={
                "commitments": str(DEFAULT_TEXT),
                "translations": every_language(commitments=DEFAULT_TEXT),
            },
        )
        return template

    def lines_in(self, language=None):
        """The commitments as a peer reading `language` sees them (the active one by default)."""
        return [shown for _original, shown in lines_in_language(self, "commitments", language)]

    @property
    def lines(self):
        return [line.strip() for line in self.commitments.splitlines() if line.strip()]


class PeerContractQuerySet(models.QuerySet):
    def signed(self):
        return self.exclude(signed_at=None)

    def awaiting_countersignature(self):
        return self.signed().filter(countersigned_at=None)

    def authorised_by(self, user):
        """Contracts of the peers whose home organisation this person authorises."""
        return self.filter(membership__in=Membership.objects.authorised_by(user))


class PeerContract(models.Model):
    """A peer's soft commitment, and their home organisation's mandate for it.

    The row exists as soon as a reminder or a signature needs it; `signed_text`
    keeps the exact commitments the peer agreed to, whatever the template says later.
    """

    class Status(models.TextChoices):
        NOT_SIGNED = "not_signed", _("Not signed")
        SIGNED = "signed", _("Signed by the peer")
        COUNTERSIGNED = "countersigned", _("Countersigned")

    membership = models.OneToOneField(
        Membership, on_delete=models.CASCADE, related_name="peer_contract"
    )
    signed_text = models.TextField(blank=True)
    signed_name = models.CharField(_("full name"), max_length=200, blank=True)
    signed_at = models.DateTimeField(null=True, blank=True)
    countersigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    countersigned_at = models.DateTimeField(null=True, blank=True)
    mandate_note = models.TextField(_("note from the home organisation"), blank=True)
    reminders_sent = models.PositiveSmallIntegerField(default=0)
    last_reminded_at = models.DateTimeField(null=True, blank=True)

    objects = PeerContractQuerySet.as_manager()

    MAX_REMINDERS = 3

    def __str__(self):
        return f"Peer contract of {self.membership}"

    @property
    def status(self):
        if self.countersigned_at:
            return self.Status.COUNTERSIGNED
        if self.signed_at:
            return self.Status.SIGNED
        return self.Status.NOT_SIGNED

    def get_status_display(self):
        return self.Status(self.status).label

    @property
    def signed_lines(self):
        return [line for line in self.signed_text.splitlines() if line.strip()]

    def sign(self, *, text, name, when):
        self.signed_text = text
        self.signed_name = name
        self.signed_at = when
        self.save(update_fields=["signed_text", "signed_name", "signed_at"])

    def countersign(self, *, by, note, when):
        self.countersigned_by = by
        self.countersigned_at = when
        self.mandate_note = note
        self.save(update_fields=["countersigned_by", "countersigned_at", "mandate_note"])

    def claim_reminder(self, *, step, when, not_after):
        """Count reminder `step` as sent; False if it was already counted or is not due."""
        claimed = (
            type(self)
            .objects.filter(pk=self.pk, reminders_sent=step - 1, signed_at=None)
            .filter(models.Q(last_reminded_at=None) | models.Q(last_reminded_at__lte=not_after))
            .update(reminders_sent=step, last_reminded_at=when)
        )
        return claimed == 1


def unsigned_peers(initiative):
    """Current peers of `initiative` who have not signed their contract."""
    signed = PeerContract.objects.filter(membership=OuterRef("pk")).exclude(signed_at=None)
    return initiative.memberships.peers().current().exclude(Exists(signed))


class EngagementOption(models.Model):
    class Kind(models.TextChoices):
        PAIRED_FOLLOW_UP = "paired", _("Paired follow-up")
        ONLINE_GROUP = "online_group", _("Online group")
        SITE_VISIT = "site_visit", _("Site visit")
        KNOWLEDGE_PRODUCT = "knowledge_product", _("Joint knowledge product")
        OTHER = "other", _("Other")

    initiative = models.ForeignKey(
        Initiative, on_delete=models.CASCADE, related_name="engagement_options"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self):
        return self.title


class EngagementSignUp(models.Model):
    option = models.ForeignKey(EngagementOption, on_delete=models.CASCADE, related_name="sign_ups")
    membership = models.ForeignKey(
        Membership, on_delete=models.CASCADE, related_name="engagement_sign_ups"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at"]
        constraints = [
            models.UniqueConstraint(fields=["option", "membership"], name="one_sign_up_per_option")
        ]

    def __str__(self):
        return f"{self.membership} for {self.option}"
