"""Stage 4: what peers carry home: sharing plans, report-back sessions, stories of change."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from initiatives.models import Initiative, Membership


class SharingItem(models.Model):
    """One line of a peer's plan for sharing forward what they learned."""

    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        DONE = "done", _("Done")

    membership = models.ForeignKey(
        Membership, on_delete=models.CASCADE, related_name="sharing_items"
    )
    what = models.CharField(_("what you will share"), max_length=300)
    audience = models.CharField(_("with whom"), max_length=300)
    means = models.CharField(
        _("how"),
        max_length=300,
        help_text=_("A presentation, a meeting with your team, a written note…"),
    )
    planned_for = models.DateField(_("when"))
    status = models.CharField(_("status"), max_length=20, choices=Status, default=Status.PLANNED)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["planned_for", "pk"]

    def __str__(self):
        return self.what


class ReportBackQuerySet(models.QuerySet):
    def authorised_by(self, user):
        return self.filter(membership__in=Membership.objects.authorised_by(user))


class ReportBack(models.Model):
    """A session where a peer told colleagues at home what they learned."""

    class Format(models.TextChoices):
        PRESENTATION = "presentation", _("Presentation")
        GROUP_LEARNING = "group_learning", _("Group learning with colleagues")
        COMMUNITY_MEETING = "community_meeting", _("Local community of practice meeting")
        WRITTEN_NOTE = "written_note", _("Written note")

    initiative = models.ForeignKey(
        Initiative, on_delete=models.CASCADE, related_name="report_backs"
    )
    membership = models.ForeignKey(
        Membership,
        verbose_name=_("peer"),
        on_delete=models.CASCADE,
        related_name="report_backs",
    )
    held_on = models.DateField(_("date"))
    format = models.CharField(_("format"), max_length=30, choices=Format)
    title = models.CharField(_("title"), max_length=200)
    summary = models.TextField(_("summary"), blank=True)
    audience_size = models.PositiveIntegerField(_("people in the audience"))
    colleagues_reached = models.PositiveIntegerField(_("colleagues reached"))
    colleague_names = models.TextField(
        _("names of colleagues reached"), blank=True, help_text=_("Optional, one per line.")
    )
    plan_item = models.ForeignKey(
        SharingItem,
        verbose_name=_("plan item"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="report_backs",
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ReportBackQuerySet.as_manager()

    class Meta:
        ordering = ["-held_on", "-pk"]

    def __str__(self):
        return self.title


class ChangeStoryQuerySet(models.QuerySet):
    def concerning(self, memberships):
        return self.filter(peers__in=memberships).distinct()


class ChangeStory(models.Model):
    """A most-significant-change story: what changed in a home organisation, and why it
    matters."""

    class Domain(models.TextChoices):
        POLICY = "policy", _("Policy or rules")
        PROCESSES = "processes", _("Processes and systems")
        SKILLS = "skills", _("Skills and behaviour")
        RELATIONSHIPS = "relationships", _("Relationships and coalitions")
        CULTURE = "culture", _("Organisational culture")
        OTHER = "other", _("Other")

    initiative = models.ForeignKey(
        Initiative, on_delete=models.CASCADE, related_name="change_stories"
    )
    title = models.CharField(_("title"), max_length=200)
    what_changed = models.TextField(_("what changed in the home organisation"))
    why_it_matters = models.TextField(_("why it matters"))
    domain = models.CharField(_("domain of change"), max_length=20, choices=Domain)
    peers = models.ManyToManyField(
        Membership, verbose_name=_("peers concerned"), related_name="change_stories"
    )
    written_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    written_at = models.DateTimeField(auto_now_add=True)
    verified_by_name = models.CharField(_("verified by (name)"), max_length=200, blank=True)
    verified_by_role = models.CharField(_("their role"), max_length=200, blank=True)
    verified_on = models.DateField(_("verified on"), null=True, blank=True)

    objects = ChangeStoryQuerySet.as_manager()

    class Meta:
        ordering = ["-written_at", "-pk"]
        verbose_name_plural = "change stories"

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("diffusion:story", args=[self.initiative_id, self.pk])

    @property
    def is_verified(self):
        return self.verified_on is not None

    def verify(self, *, name, role, on):
        self.verified_by_name = name
        self.verified_by_role = role
        self.verified_on = on
        self.save(update_fields=["verified_by_name", "verified_by_role", "verified_on"])


class HomeCommitment(models.Model):
    """What a peer's home organisation commits to so the lessons travel home, countersigned
    by its authoriser."""

    membership = models.OneToOneField(
        Membership, on_delete=models.CASCADE, related_name="home_commitment"
    )
    mandate = models.TextField(
        _("mandate"), help_text=_("What the home organisation asks the peer to bring back.")
    )
    report_back_required = models.BooleanField(_("a report-back is required"), default=False)
    hours_per_month = models.DecimalField(
        _("time granted for sharing (hours per month)"),
        max_digits=5,
        decimal_places=1,
        null=True,
        blank=True,
    )
    set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)
    countersigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    countersigned_at = models.DateTimeField(null=True, blank=True)

    def __str__(self):
        return f"Home commitment of {self.membership}"

    @property
    def is_countersigned(self):
        return self.countersigned_at is not None

    def countersign(self, *, by, when):
        self.countersigned_by = by
        self.countersigned_at = when
        self.save(update_fields=["countersigned_by", "countersigned_at"])


class Community(models.Model):
    """A local community of practice or coalition carrying the lessons on at home."""

    initiative = models.ForeignKey(Initiative, on_delete=models.CASCADE, related_name="communities")
    name = models.CharField(_("name"), max_length=200)
    home_organisation = models.ForeignKey(
        "peerlearn.Organisation",
        verbose_name=_("home organisation"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    description = models.TextField(_("description"), blank=True)
    peers = models.ManyToManyField(
        Membership, verbose_name=_("peers of the initiative"), related_name="communities"
    )
    colleagues = models.TextField(
        _("colleagues"), blank=True, help_text=_("Other members, by name, one per line.")
    )
    founded_on = models.DateField(_("founded on"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        ordering = ["name", "pk"]
        verbose_name_plural = "communities"

    def __str__(self):
        return self.name

    @property
    def colleague_names(self):
        return [line.strip() for line in self.colleagues.splitlines() if line.strip()]
