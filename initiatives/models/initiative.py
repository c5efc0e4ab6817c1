import calendar

from django.conf import settings
from django.core import signing
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from peerlearn.content_languages import current_language
from peerlearn.languages import language_names
from peerlearn.models import Organisation

from ..taxonomy import REFORM_AREA_NAMES


def months_after(moment, months):
    """`moment` moved `months` calendar months on (to the month's last day if shorter)."""
    month_index = moment.month - 1 + months
    year, month = moment.year + month_index // 12, month_index % 12 + 1
    day = min(moment.day, calendar.monthrange(year, month)[1])
    return moment.replace(year=year, month=month, day=day)


class Stage(models.IntegerChoices):
    SCOPING = 0, _("Scoping")
    FOUNDATION = 1, _("Foundational engagement")
    SUSTAINED_CONTACT = 2, _("Sustained contact")
    LEARNING_OUTCOMES = 3, _("Learning outcomes")
    DIFFUSION = 4, _("Diffusion")


class Role(models.TextChoices):
    FACILITATOR = "facilitator", _("Facilitator")
    PEER = "peer", _("Peer")
    AUTHORISER = "authoriser", _("Authoriser")


class InitiativeQuerySet(models.QuerySet):
    def facilitated_by(self, user):
        if not user.is_authenticated or not user.is_facilitator:
            return self.none()
        return self.filter(organisation=user.facilitating_organisation)

    def visible_to(self, user):
        """Initiatives this person may open in any role."""
        if not user.is_authenticated:
            return self.none()
        # A facilitator sees initiatives through their team, never through an
        # invitation they have not accepted.
        member = (
            Membership.objects.filter(initiative=OuterRef("pk"), user=user)
            .exclude(status=Membership.Status.WITHDRAWN)
            .exclude(role=Role.FACILITATOR)
        )
        if user.is_facilitator:
            return self.filter(Q(organisation=user.facilitating_organisation) | Exists(member))
        return self.filter(Exists(member))


class Initiative(models.Model):
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("facilitating organisation"),
        on_delete=models.PROTECT,
        related_name="initiatives",
        limit_choices_to={"kind": Organisation.Kind.FACILITATING},
    )
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    reform_areas = models.JSONField(_("reform areas"), default=list, blank=True)
    languages = models.JSONField(_("working languages"), default=list, blank=True)
    starts_on = models.DateField(_("starts on"), null=True, blank=True)
    ends_on = models.DateField(_("ends on"), null=True, blank=True)
    follow_up_every_days = models.PositiveSmallIntegerField(
        _("follow up with quiet peers every (days)"), default=30
    )
    stage = models.PositiveSmallIntegerField(_("stage"), choices=Stage, default=Stage.SCOPING)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    # Closing starts the retention period; once it is over a sweep anonymises the
    # initiative's personal data and sets personal_data_anonymised_at.
    closed_at = models.DateTimeField(_("closed on"), null=True, blank=True)
    retention_months = models.PositiveSmallIntegerField(
        _("keep personal data for (months)"), null=True, blank=True
    )
    personal_data_anonymised_at = models.DateTimeField(null=True, blank=True)

    objects = InitiativeQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("initiatives:detail", args=[self.pk])

    @property
    def reform_area_names(self):
        return [str(REFORM_AREA_NAMES.get(key, key)) for key in self.reform_areas]

    @property
    def language_names(self):
        return language_names(self.languages)

    def roles_of(self, user):
        """The roles this person holds here; a facilitator by their organisation's team."""
        if not user.is_authenticated:
            return set()
        roles = set()
        team = user.facilitating_organisation
        if team is not None and team.pk == self.organisation_id:
            roles.add(Role.FACILITATOR)
        roles.update(
            self.memberships.filter(user=user)
            .exclude(status=Membership.Status.WITHDRAWN)
            .exclude(role=Role.FACILITATOR)
            .values_list("role", flat=True)
        )
        return roles

    @property
    def anonymise_on(self):
        """When the sweep anonymises its personal data: closing plus the retention."""
        if self.closed_at is None or self.retention_months is None:
            return None
        return months_after(self.closed_at, self.retention_months)

    def move_to(self, stage):
        self.stage = stage
        self.save(update_fields=["stage"])


class MembershipQuerySet(models.QuerySet):
    def current(self):
        return self.exclude(status=Membership.Status.WITHDRAWN)

    def peers(self):
        return self.filter(role=Role.PEER)

    def by_name(self):
        """For choosing people in a form: by name, with what their labels show."""
        people = self.select_related("user", "home_organisation")
        return people.order_by("user__name", "user__email")

    def authorised_organisation_ids(self):
        """Home organisations that someone among these current memberships authorises for."""
        return set(
            self.current()
            .filter(role=Role.AUTHORISER)
            .exclude(authorised_organisations=None)
            .values_list("authorised_organisations", flat=True)
        )

    def authorised_by(self, user):
        """Peer memberships whose home organisation this person authorises."""
        if not user.is_authenticated:
            return self.none()
        authorises = Membership.objects.filter(
            user=user,
            role=Role.AUTHORISER,
            status=Membership.Status.ACTIVE,
            initiative=OuterRef("initiative"),
            authorised_organisations=OuterRef("home_organisation"),
        )
        return self.peers().current().filter(Exists(authorises))


class Membership(models.Model):
    class Status(models.TextChoices):
        INVITED = "invited", _("Invited")
        ACTIVE = "active", _("Active")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    initiative = models.ForeignKey(Initiative, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(_("role"), max_length=20, choices=Role)
    status = models.CharField(_("status"), max_length=20, choices=Status, default=Status.INVITED)
    home_organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("home organisation"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="memberships",
    )
    authorised_organisations = models.ManyToManyField(
        Organisation,
        verbose_name=_("authorises for"),
        blank=True,
        related_name="authorisers",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    joined_at = models.DateTimeField(null=True, blank=True)

    objects = MembershipQuerySet.as_manager()

    class Meta:
        ordering = ["user__name", "user__email"]
        constraints = [
            models.UniqueConstraint(
                fields=["initiative", "user", "role"], name="one_membership_per_role"
            )
        ]

    def __str__(self):
        return f"{self.user} ({self.get_role_display()}, {self.initiative})"

    def activate(self, when):
        self.status = self.Status.ACTIVE
        self.joined_at = self.joined_at or when
        self.save(update_fields=["status", "joined_at"])

    def withdraw(self):
        self.status = self.Status.WITHDRAWN
        self.save(update_fields=["status"])


class Invitation(models.Model):
    """One emailed invitation; its link is signed and works once."""

    SALT = "peerlearn.invitation"

    membership = models.ForeignKey(Membership, on_delete=models.CASCADE, related_name="invitations")
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    accepted_at = models.DateTimeField(null=True, blank=True)
    # The language the invitation was written in; accepting it keeps it as the person's
    # unless they chose another with the language switch.
    language = models.CharField(
        _("language"), max_length=10, blank=True, default="", choices=settings.LANGUAGES
    )

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return f"Invitation for {self.membership}"

    def get_absolute_url(self):
        return reverse("initiatives:invitation", args=[self.token])

    @property
    def token(self):
        return signing.dumps(self.pk, salt=self.SALT)

    @classmethod
    def from_token(cls, token):
        """The invitation a link names; raises signing errors for expired or forged links."""
        max_age = settings.INVITATION_MAX_AGE_DAYS * 24 * 3600
        pk = signing.loads(token, salt=cls.SALT, max_age=max_age)
        return cls.objects.select_related("membership__initiative", "membership__user").get(pk=pk)

    @staticmethod
    def language_for(user):
        """The language an invitation to `user` is written in: theirs, else the inviter's."""
        return user.language or current_language()

    def mark_accepted(self, when):
        self.accepted_at = when
        self.save(update_fields=["accepted_at"])


class StageChange(models.Model):
    """A move along the road map, with any open items the facilitator acknowledged."""

    initiative = models.ForeignKey(
        Initiative, on_delete=models.CASCADE, related_name="stage_changes"
    )
    from_stage = models.PositiveSmallIntegerField(choices=Stage)
    to_stage = models.PositiveSmallIntegerField(choices=Stage)
    acknowledged_items = models.JSONField(default=list, blank=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    changed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-changed_at"]

    def __str__(self):
        return f"{self.initiative}: {self.from_stage} → {self.to_stage}"
