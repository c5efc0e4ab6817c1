"""Stage 2: the contacts peers keep after the first event."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from initiatives.models import Initiative, Membership
from matching.models import Match
from peerlearn.models import Organisation
from peerlearn.uploads import stored_name


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


# --- exchanges ---


class Post(models.Model):
    """A message in a match's conversation (with `match`) or on the initiative's board.

    A post with a `parent` is a reply; replies go one level deep. A deleted post stays
    only while it has replies, its text and file gone.
    """

    initiative = models.ForeignKey(Initiative, on_delete=models.CASCADE, related_name="posts")
    match = models.ForeignKey(
        Match, on_delete=models.CASCADE, null=True, blank=True, related_name="posts"
    )
    parent = models.ForeignKey(
        "self", on_delete=models.CASCADE, null=True, blank=True, related_name="replies"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    body = models.TextField(_("message"), max_length=5000, blank=True)
    attachment = models.FileField(_("attached file"), upload_to=stored_name, blank=True)
    attachment_name = models.CharField(max_length=255, blank=True)
    attachment_type = models.CharField(max_length=100, blank=True)
    attachment_size = models.PositiveBigIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now)
    edited_at = models.DateTimeField(null=True, blank=True)
    deleted_at = models.DateTimeField(null=True, blank=True)
    hidden_at = models.DateTimeField(null=True, blank=True)
    hidden_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    hidden_reason = models.CharField(_("reason"), max_length=300, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["initiative", "match", "created_at"])]

    def __str__(self):
        return f"Post {self.pk} in {self.match or self.initiative}"

    def edit(self, body, when):
        self.body = body
        self.edited_at = when
        self.save(update_fields=["body", "edited_at"])

    def blank_out(self, when):
        """Keep the row in place of its replies' post, without its text or file."""
        self.body = ""
        self.attachment = ""
        self.attachment_name = ""
        self.attachment_type = ""
        self.attachment_size = 0
        self.deleted_at = when
        self.save(
            update_fields=[
                "body",
                "attachment",
                "attachment_name",
                "attachment_type",
                "attachment_size",
                "deleted_at",
            ]
        )

    def hide(self, *, by, reason, when):
        self.hidden_at = when
        self.hidden_by = by
        self.hidden_reason = reason
        self.save(update_fields=["hidden_at", "hidden_by", "hidden_reason"])


class PostEmails(models.TextChoices):
    AT_ONCE = "at_once", _("At once: an email for each new post")
    DIGEST = "digest", _("A daily digest of new posts")
    OFF = "off", _("No email about posts")


class PostEmailChoice(models.Model):
    """How new posts reach one member of an initiative; no row means the daily digest."""

    membership = models.OneToOneField(
        Membership, on_delete=models.CASCADE, related_name="post_email_choice"
    )
    choice = models.CharField(
        _("email about new posts"), max_length=20, choices=PostEmails, default=PostEmails.DIGEST
    )

    def __str__(self):
        return f"{self.membership}: {self.choice}"


class PostDigest(models.Model):
    """One member's daily digest, claimed once per day by the sweep (empty when nothing was new)."""

    membership = models.ForeignKey(Membership, on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    posts = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["membership", "day"], name="one_post_digest_per_day")
        ]

    def __str__(self):
        return f"Digest of {self.day} for {self.membership}"


class ExchangeRead(models.Model):
    """When a person last opened a match's conversation (with `match`) or the board."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    initiative = models.ForeignKey(Initiative, on_delete=models.CASCADE, related_name="+")
    match = models.ForeignKey(
        Match, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    read_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "match"],
                condition=models.Q(match__isnull=False),
                name="one_read_mark_per_conversation",
            ),
            models.UniqueConstraint(
                fields=["user", "initiative"],
                condition=models.Q(match__isnull=True),
                name="one_read_mark_per_board",
            ),
        ]

    def __str__(self):
        return f"{self.user} read {self.match or self.initiative} at {self.read_at}"
