"""Stage 3: what peers set out to learn, what they reflect on, and how often they are asked."""

import datetime
import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from initiatives.models import Initiative, Membership, Role
from matching.models import Match
from peerlearn.uploads import stored_name
from surveys.models import Response, Survey


class ObjectiveCategory(models.Model):
    """A kind of learning an initiative adds to the four every initiative has."""

    initiative = models.ForeignKey(
        Initiative, on_delete=models.CASCADE, related_name="objective_categories"
    )
    name = models.CharField(_("name"), max_length=120)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["initiative", "name"], name="one_category_per_name")
        ]

    def __str__(self):
        return self.name


class LearningObjectiveQuerySet(models.QuerySet):
    def of_peers(self):
        return self.filter(membership__isnull=False)

    def initiative_wide(self):
        return self.filter(membership__isnull=True)


class LearningObjective(models.Model):
    """What one peer means to learn, or (without a peer) one the facilitators offer to all."""

    class Category(models.TextChoices):
        TECHNICAL = "technical", _("Technical knowledge")
        FLEXIBILITY = "flexibility", _("Flexibility and humility in change")
        POLITICAL = "political", _("Politically savvy ways of working")
        SUBVERSION = "subversion", _("Constructive subversion of ill-fitting reform packages")
        OWN = "own", _("The initiative's own category")

    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        IN_PROGRESS = "in_progress", _("In progress")
        ACHIEVED = "achieved", _("Achieved")
        DROPPED = "dropped", _("Dropped")

    initiative = models.ForeignKey(
        Initiative, on_delete=models.CASCADE, related_name="learning_objectives"
    )
    membership = models.ForeignKey(
        Membership,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="learning_objectives",
    )
    adopted_from = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="adoptions"
    )
    category = models.CharField(_("category"), max_length=20, choices=Category)
    own_category = models.ForeignKey(
        ObjectiveCategory, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    description = models.TextField(_("what you mean to learn"), max_length=2000)
    status = models.CharField(_("status"), max_length=20, choices=Status, default=Status.PLANNED)
    status_changed_on = models.DateField(_("status since"))
    evidence = models.TextField(_("evidence"), max_length=5000, blank=True)
    evidence_url = models.URLField(_("evidence link"), max_length=1000, blank=True)
    evidence_file = models.FileField(
        _("evidence file"), upload_to=stored_name, max_length=300, blank=True
    )
    evidence_content_type = models.CharField(max_length=120, blank=True)
    evidence_name = models.CharField(max_length=255, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = LearningObjectiveQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(category="own", own_category__isnull=False)
                | (~Q(category="own") & Q(own_category__isnull=True)),
                name="own_category_only_for_own",
            )
        ]

    def __str__(self):
        return self.description[:80]

    @property
    def category_name(self):
        if self.own_category_id:
            return self.own_category.name
        return self.get_category_display()

    def set_status(self, status, today):
        """A new status, dated today; the same status keeps its date."""
        if status != self.status:
            self.status = status
            self.status_changed_on = today
            self.save(update_fields=["status", "status_changed_on"])


class ReflectionQuerySet(models.QuerySet):
    def shared_with_facilitators(self):
        """Never a private one: shared with the facilitators, or written for a match group."""
        return self.filter(Q(shared_with_facilitators=True) | Q(match__isnull=False))

    def readable_by_peer(self, membership):
        """Their own, and those written for a match they belong to."""
        their_matches = Match.objects.filter(
            members__membership=membership,
            status__in=[Match.Status.PUBLISHED, Match.Status.ENDED],
        )
        return self.filter(Q(membership=membership) | Q(match__in=their_matches))


class Reflection(models.Model):
    """What a peer (single-peer) or a match group (multi-peer) makes of their learning."""

    initiative = models.ForeignKey(Initiative, on_delete=models.CASCADE, related_name="reflections")
    membership = models.ForeignKey(Membership, on_delete=models.CASCADE, related_name="reflections")
    # Set for a multi-peer reflection: the match group that reads it.
    match = models.ForeignKey(
        Match, on_delete=models.SET_NULL, null=True, blank=True, related_name="reflections"
    )
    objective = models.ForeignKey(
        LearningObjective,
        verbose_name=_("about the objective"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="reflections",
    )
    text = models.TextField(_("reflection"), max_length=5000)
    shared_with_facilitators = models.BooleanField(default=False)
    # Read by the reports to authorisers.
    share_with_authoriser = models.BooleanField(_("My authoriser may read this"), default=False)
    written_at = models.DateTimeField(auto_now_add=True)

    objects = ReflectionQuerySet.as_manager()

    class Meta:
        ordering = ["-written_at", "-pk"]

    def __str__(self):
        return self.text[:80]

    @property
    def is_multi_peer(self):
        return self.match_id is not None


class ReflectionCadence(models.Model):
    """How often an initiative's peers are asked to reflect (0: never)."""

    initiative = models.OneToOneField(
        Initiative, on_delete=models.CASCADE, related_name="reflection_cadence"
    )
    every_days = models.PositiveSmallIntegerField(_("ask peers to reflect every (days)"), default=0)
    # Periods are counted from here, so a change of cadence starts afresh.
    since = models.DateField()

    def __str__(self):
        return f"{self.initiative}: {self.every_days}"

    def period_on(self, day):
        """The number of the period `day` falls in; prompts go out from period 1."""
        if not self.every_days:
            return 0
        return (day - self.since).days // self.every_days

    def period_start(self, number):
        return self.since + datetime.timedelta(days=self.every_days * number)


class ReflectionPrompt(models.Model):
    """One prompt sent: the row claims (peer, period), so a period is asked about once.

    A period is named by the day it starts, so a changed cadence, whose numbers start
    again at 1, never collides with the periods already asked about.
    """

    membership = models.ForeignKey(
        Membership, on_delete=models.CASCADE, related_name="reflection_prompts"
    )
    period = models.PositiveIntegerField()
    period_starts_on = models.DateField()
    sent_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["membership", "period_starts_on"], name="one_reflection_prompt_per_period"
            )
        ]

    def __str__(self):
        return f"{self.membership} #{self.period}"


# --- self-assessments ---


class EvaluationPoint(models.Model):
    """One round of self-assessment on an initiative's timeline: when the round's survey
    opens and closes, and how often peers who have not submitted are reminded."""

    class Round(models.TextChoices):
        BASELINE = Survey.Round.BASELINE.value, Survey.Round.BASELINE.label
        MIDLINE = Survey.Round.MIDLINE.value, Survey.Round.MIDLINE.label
        ENDLINE = Survey.Round.ENDLINE.value, Survey.Round.ENDLINE.label

    initiative = models.ForeignKey(
        Initiative, on_delete=models.CASCADE, related_name="evaluation_points"
    )
    round = models.CharField(_("round"), max_length=20, choices=Round)
    survey = models.OneToOneField(Survey, on_delete=models.CASCADE, related_name="evaluation_point")
    opens_on = models.DateField(_("opens on"))
    closes_on = models.DateField(_("closes on"), help_text=_("The last day answers are taken."))
    remind_every_days = models.PositiveSmallIntegerField(
        _("remind every (days)"), default=7, help_text=_("0 sends no reminder.")
    )

    class Meta:
        ordering = ["opens_on", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["initiative", "round"], name="one_point_per_round"),
            models.CheckConstraint(
                condition=Q(closes_on__gte=models.F("opens_on")), name="point_closes_after_opening"
            ),
        ]

    def __str__(self):
        return f"{self.initiative}: {self.get_round_display()}"

    def is_open_on(self, day):
        return self.opens_on <= day <= self.closes_on

    def reminder_due_on(self, number):
        """The day reminder `number` (1, 2, …) is due; 0 is the request, due at opening."""
        return self.opens_on + datetime.timedelta(days=self.remind_every_days * number)

    def message_number_on(self, day):
        """Which message is due on `day`: 0 the request, k the k-th reminder."""
        if not self.remind_every_days:
            return 0
        return (day - self.opens_on).days // self.remind_every_days


class SelfAssessmentRequest(models.Model):
    """One request (number 0) or reminder (1, 2, …) sent to a peer for a point; the row
    claims it, so each goes out once."""

    point = models.ForeignKey(EvaluationPoint, on_delete=models.CASCADE, related_name="requests")
    membership = models.ForeignKey(
        Membership, on_delete=models.CASCADE, related_name="self_assessment_requests"
    )
    number = models.PositiveSmallIntegerField()
    # The sweep's day, which reminders are spaced from.
    sent_on = models.DateField()
    sent_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["point", "membership", "number"], name="one_self_assessment_message"
            )
        ]

    def __str__(self):
        return f"{self.point} #{self.number} to {self.membership}"


class ObjectiveRating(models.Model):
    """A peer's rating of one of their learning objectives in one round's response."""

    class Source(models.TextChoices):
        PEERS = "peers", _("From peers")
        OTHER = "other", _("From other sources")
        BOTH = "both", _("Both")

    FROM_PEERS = (Source.PEERS, Source.BOTH)

    response = models.ForeignKey(
        Response, on_delete=models.CASCADE, related_name="objective_ratings"
    )
    objective = models.ForeignKey(
        LearningObjective, on_delete=models.CASCADE, related_name="ratings"
    )
    # Empty only in a draft; a submitted response has both.
    score = models.PositiveSmallIntegerField(_("how far have you got"), null=True, blank=True)
    source = models.CharField(
        _("where the learning came from"), max_length=10, choices=Source, blank=True
    )
    comment = models.TextField(_("comment"), max_length=2000, blank=True)

    class Meta:
        ordering = ["objective__created_at", "objective_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["response", "objective"], name="one_rating_per_objective"
            ),
            models.CheckConstraint(
                condition=Q(score__isnull=True) | Q(score__gte=1, score__lte=5),
                name="rating_score_from_1_to_5",
            ),
        ]

    def __str__(self):
        return f"{self.objective}: {self.score}"


# --- reports to authorisers ---


def new_report_token():
    return secrets.token_urlsafe(24)


class ReportSchedule(models.Model):
    """How often an initiative's home organisations get a progress report."""

    class Cadence(models.TextChoices):
        MONTHLY = "monthly", _("Every month")
        QUARTERLY = "quarterly", _("Every three months")
        STAGE = "stage", _("At each change of stage")
        OFF = "off", _("Never (the facilitators send reports by hand)")

    initiative = models.OneToOneField(
        Initiative, on_delete=models.CASCADE, related_name="report_schedule"
    )
    cadence = models.CharField(
        _("progress reports to authorisers"),
        max_length=20,
        choices=Cadence,
        default=Cadence.QUARTERLY,
    )

    def __str__(self):
        return f"{self.initiative}: {self.cadence}"

    @staticmethod
    def _month_start(day, months):
        """The first day of the `months`-month calendar period holding `day`."""
        month = (day.month - 1) // months * months + 1
        return day.replace(month=month, day=1)

    @staticmethod
    def _add_months(day, months):
        total = day.year * 12 + day.month - 1 + months
        return datetime.date(total // 12, total % 12 + 1, 1)

    def current_period(self, today, stage_changes=()):
        """[start, end) of the period running on `today` (the end is in the future)."""
        if self.cadence in (self.Cadence.MONTHLY, self.Cadence.QUARTERLY):
            months = 1 if self.cadence == self.Cadence.MONTHLY else 3
            start = self._month_start(today, months)
            return start, self._add_months(start, months)
        past = [day for day in stage_changes if day <= today]
        start = max(past) if past else self.initiative_start()
        return start, today + datetime.timedelta(days=1)

    def due_period(self, today, stage_changes=()):
        """[start, end) of the last period that has ended by `today`, or None."""
        if self.cadence == self.Cadence.OFF:
            return None
        if self.cadence == self.Cadence.STAGE:
            past = sorted(day for day in stage_changes if day <= today)
            if not past:
                return None
            start = past[-2] if len(past) > 1 else self.initiative_start()
            return min(start, past[-1]), past[-1]
        start, _end = self.current_period(today)
        months = 1 if self.cadence == self.Cadence.MONTHLY else 3
        return self._add_months(start, -months), start

    def initiative_start(self):
        initiative = self.initiative
        return initiative.starts_on or initiative.created_at.date()


class ReportQuerySet(models.QuerySet):
    def readable_by(self, user):
        """Reports this person may open: as an active authoriser of the report's organisation
        in its initiative, or as one of the initiative's facilitators."""
        if not user.is_authenticated:
            return self.none()
        authorises = Membership.objects.filter(
            user=user,
            role=Role.AUTHORISER,
            status=Membership.Status.ACTIVE,
            initiative=models.OuterRef("initiative"),
            authorised_organisations=models.OuterRef("organisation"),
        )
        readable = Q(models.Exists(authorises), status=Report.Status.SENT)
        if user.is_facilitator:
            readable |= Q(initiative__organisation=user.facilitating_organisation)
        return self.filter(readable)

    def authorised_by(self, user):
        """Only those this person reads as an authoriser (their own list of reports)."""
        if not user.is_authenticated:
            return self.none()
        authorises = Membership.objects.filter(
            user=user,
            role=Role.AUTHORISER,
            status=Membership.Status.ACTIVE,
            initiative=models.OuterRef("initiative"),
            authorised_organisations=models.OuterRef("organisation"),
        )
        return self.filter(models.Exists(authorises))


class Report(models.Model):
    """One progress report to one home organisation for one period, frozen once built.

    The row is created by whoever claims the period (the unique constraint makes that one
    claim); `content` is a JSON snapshot written when the report is built, so an old report
    reads as it did when it was sent, whatever has changed since.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting to be built")
        BUILDING = "building", _("Being built")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")

    initiative = models.ForeignKey(Initiative, on_delete=models.CASCADE, related_name="reports")
    organisation = models.ForeignKey(
        "peerlearn.Organisation", on_delete=models.PROTECT, related_name="reports"
    )
    period_start = models.DateField()
    # Exclusive: the first day after the period.
    period_end = models.DateField()
    token = models.CharField(max_length=64, unique=True, default=new_report_token)
    status = models.CharField(max_length=20, choices=Status, default=Status.PENDING)
    error = models.TextField(blank=True)
    content = models.JSONField(default=dict, blank=True)
    pdf = models.CharField(max_length=300, blank=True)
    language = models.CharField(max_length=10, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    objects = ReportQuerySet.as_manager()

    class Meta:
        ordering = ["-period_end", "organisation__name", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["initiative", "organisation", "period_end"],
                name="one_report_per_organisation_and_period",
            )
        ]

    def __str__(self):
        return f"{self.organisation} {self.period_start}–{self.period_end}"

    @property
    def last_day(self):
        return self.period_end - datetime.timedelta(days=1)

    @property
    def is_readable(self):
        return self.status == self.Status.SENT

    def mark_failed(self, error):
        self.status = self.Status.FAILED
        self.error = str(error)[:5000]
        self.save(update_fields=["status", "error"])

    def acknowledge(self, *, by, when):
        if self.acknowledged_at is None:
            self.acknowledged_at = when
            self.acknowledged_by = by
            self.save(update_fields=["acknowledged_at", "acknowledged_by"])


class ReportNote(models.Model):
    """The facilitator's personal note to one organisation, for its next report; the report
    that takes it in sets `report`, and the next note starts afresh."""

    initiative = models.ForeignKey(Initiative, on_delete=models.CASCADE, related_name="+")
    organisation = models.ForeignKey(
        "peerlearn.Organisation", on_delete=models.CASCADE, related_name="+"
    )
    text = models.TextField(_("personal note"), max_length=3000)
    written_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    report = models.OneToOneField(
        Report, on_delete=models.SET_NULL, null=True, blank=True, related_name="note"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["initiative", "organisation"],
                condition=Q(report__isnull=True),
                name="one_open_report_note",
            )
        ]

    def __str__(self):
        return self.text[:80]


class ReportReply(models.Model):
    """An authoriser's answer to a report: a comment, or a commitment with an optional date."""

    class Kind(models.TextChoices):
        COMMENT = "comment", _("Comment")
        COMMITMENT = "commitment", _("Commitment")

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="replies")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    kind = models.CharField(_("kind of reply"), max_length=20, choices=Kind, default=Kind.COMMENT)
    text = models.TextField(_("your reply"), max_length=3000)
    due_on = models.DateField(_("by when (for a commitment)"), null=True, blank=True)
    written_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["written_at", "pk"]

    def __str__(self):
        return self.text[:80]
