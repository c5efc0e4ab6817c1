from datetime import timedelta

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

    @cached_property
    def facilitating_organisation(self):
        """The organisation whose team this person is on, or None."""
        team = TeamMembership.objects.filter(user=self).select_related("organisation").first()
        return team.organisation if team else None

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


class OutboxEmail(models.Model):
    """An email the platform means to send; written in the transaction that causes it.

    `key` names the message (kind + object + period), so the same message can
    never be queued twice; the sender claims rows one at a time, so none is
    sent twice either.
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
    status = models.CharField(max_length=10, choices=Status, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    MAX_ATTEMPTS = 5
    CLAIM_TIMEOUT = timedelta(minutes=10)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["status", "created_at"])]

    def __str__(self):
        return f"{self.kind} to {self.to}"

    @classmethod
    def due(cls):
        stale = timezone.now() - cls.CLAIM_TIMEOUT
        return cls.objects.filter(
            models.Q(status=cls.Status.PENDING)
            | models.Q(status=cls.Status.SENDING, claimed_at__lt=stale)
        ).filter(attempts__lt=cls.MAX_ATTEMPTS)

    def claim(self):
        """Take this row for sending; False if another worker has it or it is sent."""
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
        self.status = self.Status.SENT
        self.sent_at = timezone.now()
        self.save(update_fields=["status", "sent_at"])

    def mark_failed(self, error):
        self.refresh_from_db(fields=["attempts"])
        final = self.attempts >= self.MAX_ATTEMPTS
        self.status = self.Status.FAILED if final else self.Status.PENDING
        self.last_error = str(error)[:2000]
        self.save(update_fields=["status", "last_error"])
