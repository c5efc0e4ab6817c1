from datetime import timedelta
from email.utils import make_msgid
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _


class OrganisationQuerySet(models.QuerySet):
    def home_organisations(self):
        return self.exclude(kind=Organisation.Kind.FACILITATING)

    def used_by(self, facilitating):
        """Home organisations of people in this facilitating organisation's initiatives."""
        return (
            self.home_organisations()
            .filter(memberships__initiative__organisation=facilitating)
            .distinct()
        )

    def home_organisation_named(self, name, country):
        """The home organisation with this name (any case) and country, created if new.

        Never a facilitating organisation: belonging to one gives rights, and a
        typed or imported name must never grant them.
        """
        existing = self.home_organisations().filter(name__iexact=name, country=country).first()
        return existing or self.create(name=name, country=country)


class Organisation(models.Model):
    class Kind(models.TextChoices):
        FACILITATING = "facilitating", _("Facilitating organisation")
        MINISTRY = "ministry", _("Ministry")
        AGENCY = "agency", _("Agency")
        CITY = "city", _("City or municipality")
        REGION = "region", _("Region or province")
        AUDIT_INSTITUTION = "audit", _("Audit institution")
        OTHER = "other", _("Other public body")

    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind, default=Kind.MINISTRY)
    country = models.CharField(_("country"), max_length=100, blank=True)

    objects = OrganisationQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        constraints = [
            # Home organisations are shared by name; a facilitating organisation is a
            # tenant of its own, so its name neither collides with nor reveals another's.
            models.UniqueConstraint(
                Lower("name"),
                "country",
                condition=~models.Q(kind="facilitating"),
                name="unique_home_organisation_per_country",
            )
        ]

    def __str__(self):
        return f"{self.name} ({self.country})" if self.country else self.name

    @property
    def is_facilitating(self):
        return self.kind == self.Kind.FACILITATING


class UserManager(BaseUserManager):
    use_in_migrations = True

    def create_user(self, email, password=None, **extra):
        user = self.model(email=self.normalize_email(email), **extra)
        if password:
            user.set_password(password)
        else:
            user.set_unusable_password()
        user.save(using=self._db)
        return user

    def create_superuser(self, email, password=None, **extra):
        extra.update(is_staff=True, is_superuser=True)
        return self.create_user(email, password, **extra)

    def for_email(self, email):
        """The one account for this address, whatever its case (emails are stored lower case)."""
        return self.filter(email=email.strip().lower()).first()


class User(AbstractUser):
    username = None
    first_name = None
    last_name = None
    email = models.EmailField(_("email address"), unique=True)
    name = models.CharField(_("full name"), max_length=200, blank=True)
    # Set when the person unsubscribed from optional email (nudges, digests); every
    # app sending such email asks `wants_optional_email` first.
    unsubscribed_at = models.DateTimeField(
        _("unsubscribed from optional email"), null=True, blank=True
    )
    # The interface language the person uses (set on their first visit, changed with the
    # language switch); pages, emails and reports to them are written in it.
    language = models.CharField(
        _("language"),
        max_length=10,
        blank=True,
        default="",
        db_default="",
        choices=settings.LANGUAGES,
    )

    def remember_language(self, language):
        """Keep `language` as the person's if they have none yet (on signing in or
        accepting an invitation, the language they were reading in)."""
        if self.language or language not in dict(settings.LANGUAGES):
            return
        self.language = language
        type(self).objects.filter(pk=self.pk, language="").update(language=language)

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS = []
    objects = UserManager()

    class Meta:
        constraints = [models.UniqueConstraint(Lower("email"), name="unique_email_any_case")]

    def __str__(self):
        return self.name or self.email

    def save(self, *args, **kwargs):
        self.email = self.email.strip().lower()
        super().save(*args, **kwargs)

    @property
    def wants_optional_email(self):
        return self.unsubscribed_at is None

    def set_unsubscribed(self, when):
        """`when` a datetime to unsubscribe from optional email, None to subscribe again."""
        self.unsubscribed_at = when
        self.save(update_fields=["unsubscribed_at"])

    @cached_property
    def facilitating_organisation(self):
        """The organisation whose team this person is on, or None."""
        try:
            return self.team_membership.organisation
        except TeamMembership.DoesNotExist:
            return None

    @property
    def is_facilitator(self):
        return self.facilitating_organisation is not None


class TeamMembership(models.Model):
    """A seat on a facilitating organisation's team: the only source of facilitator rights.

    Granted by one of the organisation's own facilitators (on accepting their
    invitation), by the site admin, or to the person who started the organisation.
    """

    user = models.OneToOneField(
        User, verbose_name=_("person"), on_delete=models.CASCADE, related_name="team_membership"
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("facilitating organisation"),
        on_delete=models.CASCADE,
        related_name="team",
        limit_choices_to={"kind": Organisation.Kind.FACILITATING},
    )
    granted_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    granted_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["organisation", "user__email"]

    def __str__(self):
        return f"{self.user} ({self.organisation})"


def new_message_id():
    """A Message-ID for an outbox email, fixed when it is queued so every attempt shares it."""
    return make_msgid(domain=urlsplit(settings.SITE_URL).hostname or "localhost")


class OutboxEmail(models.Model):
    """An email the platform means to send; written in the transaction that causes it.

    `key` names the message (kind + object + period), so the same message can
    never be queued twice. The sender claims a row (counting the attempt) before
    it talks to the mail server, and a claim older than OUTBOX_CLAIM_TIMEOUT is
    taken for a worker that died: the email is sent again. So none is lost, and
    one is sent twice only if a worker dies after the mail server took it and
    before the row was marked sent; both copies carry the same Message-ID.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        SENDING = "sending", _("Sending")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")

    key = models.CharField(max_length=200, unique=True)
    kind = models.CharField(max_length=50)
    to = models.EmailField()
    subject = models.CharField(max_length=250)
    body = models.TextField()
    html = models.TextField(blank=True)
    # Extra headers sent with the message, such as List-Unsubscribe on optional email.
    headers = models.JSONField(default=dict, blank=True)
    # Files sent with the message: [{"path", "name", "mimetype"}], each path read from
    # default_storage when the message is delivered (so a retry attaches the same file).
    attachments = models.JSONField(default=list, blank=True)
    message_id = models.CharField(max_length=255, unique=True, default=new_message_id)
    status = models.CharField(max_length=10, choices=Status, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    MAX_ATTEMPTS = 5
    # Account emails whose code or link lets the reader in; blanked once sent.
    SECRET_KINDS = {
        "account_login_code",
        "account_password_reset_key",
        "account_password_reset_code",
        "account_email_confirmation",
        "account_email_confirmation_signup",
        "invitation",
        "privacy_archive",
    }
    # What a blanked body says instead (the mailbox shows it translated).
    REMOVED_NOTE = "Removed once sent: it held a sign-in code or link."
    # Emails to a person being erased: once sent, nothing of them stays, address included.
    FORGET_RECIPIENT_KINDS = {"erasure_done"}

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["status", "created_at"])]

    def __str__(self):
        return f"{self.kind} to {self.to}"

    @classmethod
    def due(cls):
        stale = timezone.now() - timedelta(seconds=settings.OUTBOX_CLAIM_TIMEOUT)
        return cls.objects.filter(
            models.Q(status=cls.Status.PENDING)
            | models.Q(status=cls.Status.SENDING, claimed_at__lt=stale)
        ).filter(attempts__lt=cls.MAX_ATTEMPTS)

    @classmethod
    def give_up_abandoned(cls):
        """Mark failed the rows whose worker died during their last allowed attempt,
        so they show as failed instead of "sending" for ever; returns how many."""
        stale = timezone.now() - timedelta(seconds=settings.OUTBOX_CLAIM_TIMEOUT)
        return cls.objects.filter(
            status=cls.Status.SENDING, claimed_at__lt=stale, attempts__gte=cls.MAX_ATTEMPTS
        ).update(status=cls.Status.FAILED, last_error="The sender stopped during the last attempt.")

    @classmethod
    def delete_expired(cls):
        """Delete sent and failed rows older than OUTBOX_RETENTION_DAYS; returns how many.

        A row's key is what stops a message being queued twice, so the retention must
        outlast every period a sweep may still look at (a year by default)."""
        cutoff = timezone.now() - timedelta(days=settings.OUTBOX_RETENTION_DAYS)
        finished = cls.objects.filter(
            created_at__lt=cutoff, status__in=[cls.Status.SENT, cls.Status.FAILED]
        )
        return finished.delete()[0]

    @classmethod
    def forget_expired_secrets(cls):
        """Blank sent codes and links that can no longer be used (kept only for the
        demo mailbox, where people read them); returns how many."""
        expired = timezone.now() - timedelta(seconds=settings.PASSWORD_RESET_TIMEOUT)
        return (
            cls.objects.filter(kind__in=cls.SECRET_KINDS, status=cls.Status.SENT)
            .filter(sent_at__lt=expired)
            .exclude(body=cls.REMOVED_NOTE, html="")
            .update(body=cls.REMOVED_NOTE, html="")
        )

    @property
    def holds_secret(self):
        return self.kind in self.SECRET_KINDS

    @property
    def secret_removed(self):
        return self.holds_secret and self.body in ("", self.REMOVED_NOTE)

    def claim(self):
        """Take this row for sending and count the attempt; False if another worker
        has it or it is sent. Call it outside a transaction, before sending."""
        claimed = (
            type(self)
            .due()
            .filter(pk=self.pk)
            .update(
                status=self.Status.SENDING,
                claimed_at=timezone.now(),
                attempts=models.F("attempts") + 1,
            )
        )
        return claimed == 1

    def mark_sent(self):
        """Sent: a code or link in it is blanked now, unless the demo mailbox shows it."""
        self.status = self.Status.SENT
        self.sent_at = timezone.now()
        fields = ["status", "sent_at"]
        if self.holds_secret and not settings.SHOW_MAILBOX:
            self.body, self.html = self.REMOVED_NOTE, ""
            fields += ["body", "html"]
        if self.kind in self.FORGET_RECIPIENT_KINDS:
            self.to, self.subject, self.body, self.html = "former-peer@erased.invalid", "", "", ""
            fields += ["to", "subject", "body", "html"]
        self.save(update_fields=fields)

    def mark_failed(self, error):
        self.refresh_from_db(fields=["attempts"])
        final = self.attempts >= self.MAX_ATTEMPTS
        self.status = self.Status.FAILED if final else self.Status.PENDING
        self.last_error = str(error)[:2000]
        self.save(update_fields=["status", "last_error"])


class AuditEntryQuerySet(models.QuerySet):
    def of_initiative(self, initiative):
        return self.filter(initiative_id=initiative.pk)


class AuditEntry(models.Model):
    """Who changed what, when: one row per change, written by the service that makes it.

    `initiative_id` is a plain id because this app sits below the initiatives app.
    """

    at = models.DateTimeField(_("when"), default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        User, verbose_name=_("who"), on_delete=models.SET_NULL, null=True, related_name="+"
    )
    action = models.CharField(_("action"), max_length=60)
    target_type = models.ForeignKey(
        "contenttypes.ContentType", on_delete=models.SET_NULL, null=True, related_name="+"
    )
    target_id = models.CharField(max_length=40, blank=True)
    target_label = models.CharField(_("what"), max_length=200, blank=True)
    initiative_id = models.PositiveBigIntegerField(null=True, blank=True, db_index=True)
    data = models.JSONField(default=dict, blank=True)

    objects = AuditEntryQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-pk"]
        # The history page reads one initiative's newest entries first.
        indexes = [models.Index(fields=["initiative_id", "-at", "-id"], name="audit_history")]
        verbose_name_plural = _("audit entries")

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor} {self.action} {self.target_label}"

    @classmethod
    def delete_expired(cls):
        """Delete entries older than AUDIT_RETENTION_DAYS; returns how many."""
        cutoff = timezone.now() - timedelta(days=settings.AUDIT_RETENTION_DAYS)
        return cls.objects.filter(at__lt=cutoff).delete()[0]
