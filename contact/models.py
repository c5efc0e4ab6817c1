"""Stage 2: the contacts peers keep after the first event."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from initiatives.models import Initiative, Membership, Role
from initiatives.taxonomy import REFORM_AREA_NAMES
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


# --- library ---


def library_languages():
    """The languages a library document can be in: the site's, then "other"."""
    return [*settings.LANGUAGES, ("other", _("Other language"))]


class LibraryDocumentQuerySet(models.QuerySet):
    def readable_by(self, user, roles):
        """Peers and facilitators read the whole library; an authoriser only what peers
        of the organisations they authorise for wrote."""
        if roles & {Role.PEER, Role.FACILITATOR}:
            return self
        if Role.AUTHORISER in roles:
            authored = Membership.objects.authorised_by(user).filter(
                authored_documents=OuterRef("pk")
            )
            return self.filter(Exists(authored))
        return self.none()


class LibraryDocument(models.Model):
    """A knowledge product of an initiative: an uploaded file or a link."""

    class Kind(models.TextChoices):
        ASSESSMENT = "assessment", _("Assessment")
        CASE_NOTE = "case_note", _("Case note")
        TEMPLATE = "template", _("Template")
        REPORT = "report", _("Report")
        PRESENTATION = "presentation", _("Presentation")
        GUIDANCE = "guidance", _("Guidance")
        OTHER = "other", _("Other")

    initiative = models.ForeignKey(
        Initiative, on_delete=models.CASCADE, related_name="library_documents"
    )
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("short description"), max_length=1000, blank=True)
    authors = models.ManyToManyField(
        Membership, verbose_name=_("authors"), blank=True, related_name="authored_documents"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind, default=Kind.REPORT)
    reform_area = models.CharField(_("reform area"), max_length=100, blank=True)
    language = models.CharField(_("language"), max_length=10, choices=library_languages, blank=True)
    dated = models.DateField(_("date"))
    file = models.FileField(_("file"), upload_to=stored_name, max_length=300, blank=True)
    content_type = models.CharField(max_length=120, blank=True)
    original_name = models.CharField(max_length=255, blank=True)
    size = models.PositiveBigIntegerField(null=True, blank=True)
    url = models.URLField(_("link"), max_length=1000, blank=True)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    added_at = models.DateTimeField(auto_now_add=True)
    changed_at = models.DateTimeField(auto_now=True)

    objects = LibraryDocumentQuerySet.as_manager()

    class Meta:
        ordering = ["-dated", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(file="") & ~Q(url="")) | (~Q(file="") & Q(url="")),
                name="library_document_is_a_file_or_a_link",
            )
        ]

    def __str__(self):
        return self.title

    @property
    def is_link(self):
        return bool(self.url)

    @property
    def reform_area_name(self):
        return str(REFORM_AREA_NAMES.get(self.reform_area, self.reform_area))

    @property
    def language_name(self):
        return self.get_language_display()

    def may_be_changed_by(self, user, roles):
        return Role.FACILITATOR in roles or (Role.PEER in roles and self.added_by_id == user.pk)


# --- check-ins ---


class MatchCheckIn(models.Model):
    """The k-th "how is your match going?" question to one member of a published match."""

    match = models.ForeignKey(Match, on_delete=models.CASCADE, related_name="check_ins")
    membership = models.ForeignKey(
        Membership, on_delete=models.CASCADE, related_name="match_check_ins"
    )
    number = models.PositiveSmallIntegerField()
    due_at = models.DateTimeField()
    sent_at = models.DateTimeField(null=True, blank=True)
    rating = models.PositiveSmallIntegerField(
        _("how useful is this match (1 = not at all, 5 = very)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(5)],
    )
    not_working = models.BooleanField(_("this match is not working"), default=False)
    comment = models.TextField(_("comment"), blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["match", "number", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["match", "membership", "number"], name="one_check_in_per_step"
            )
        ]

    def __str__(self):
        return f"Check-in {self.number} of {self.membership} in {self.match}"

    @property
    def is_flagged(self):
        """The member says the match is in trouble: "not working" or a rating of 2 or less."""
        return self.not_working or (self.rating is not None and self.rating <= 2)

    def answer(self, *, rating, not_working, comment, when):
        self.rating = rating
        self.not_working = not_working
        self.comment = comment
        self.answered_at = when
        self.save(update_fields=["rating", "not_working", "comment", "answered_at"])


# --- logistics requests ---


class LogisticsRequest(models.Model):
    """A peer asks the facilitators for practical support: a venue, travel, a video link…"""

    class Kind(models.TextChoices):
        VENUE = "venue", _("Venue")
        TRAVEL = "travel", _("Travel")
        VIDEO_LINK = "video_link", _("Video link")
        INTERPRETATION = "interpretation", _("Interpretation")
        DOCUMENTS = "documents", _("Documents")
        OTHER = "other", _("Other")

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        IN_PROGRESS = "in_progress", _("In progress")
        DONE = "done", _("Done")
        DECLINED = "declined", _("Declined")

    UNRESOLVED = (Status.OPEN, Status.IN_PROGRESS)

    initiative = models.ForeignKey(
        Initiative, on_delete=models.CASCADE, related_name="logistics_requests"
    )
    membership = models.ForeignKey(
        Membership, on_delete=models.CASCADE, related_name="logistics_requests"
    )
    kind = models.CharField(_("what you need"), max_length=20, choices=Kind)
    details = models.TextField(_("details"), max_length=2000)
    match = models.ForeignKey(
        Match,
        verbose_name=_("match it concerns"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    needed_on = models.DateField(_("date needed"), null=True, blank=True)
    status = models.CharField(max_length=20, choices=Status, default=Status.OPEN)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"{self.get_kind_display()} ({self.get_status_display()})"

    def move(self, status, when):
        self.status = status
        self.updated_at = when
        self.save(update_fields=["status", "updated_at"])


class LogisticsUpdate(models.Model):
    """One change of a logistics request's status, with the facilitator's note."""

    request = models.ForeignKey(LogisticsRequest, on_delete=models.CASCADE, related_name="updates")
    status = models.CharField(max_length=20, choices=LogisticsRequest.Status)
    note = models.TextField(_("note"), max_length=1000, blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self):
        return f"{self.get_status_display()}: {self.request}"


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
