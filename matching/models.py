from django.db import models
from django.utils.translation import gettext_lazy as _

from initiatives.models import Membership


class PeerProfile(models.Model):
    """What matching knows about one peer in one initiative.

    Filled from the pre-event survey (and pre-filled by a bulk import, which the
    peer then confirms or edits in the survey).
    """

    membership = models.OneToOneField(Membership, on_delete=models.CASCADE, related_name="profile")
    challenges = models.TextField(_("challenges and problems you face now"), blank=True)
    challenge_tags = models.JSONField(_("challenge areas"), default=list, blank=True)
    position = models.CharField(_("position"), max_length=200, blank=True)
    task = models.CharField(_("task or policy initiative"), max_length=300, blank=True)
    years_of_service = models.PositiveSmallIntegerField(
        _("years of service"), null=True, blank=True
    )
    background = models.CharField(_("professional background"), max_length=300, blank=True)
    languages = models.JSONField(_("languages"), default=list, blank=True)
    can_offer = models.TextField(_("what you can offer"), blank=True)
    wants_to_learn = models.TextField(_("what you want to learn"), blank=True)
    availability = models.CharField(_("availability"), max_length=300, blank=True)
    time_zone = models.CharField(_("time zone"), max_length=64, blank=True)
    survey_completed_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self):
        return f"Profile of {self.membership.user}"


class Survey(models.Model):
    """The pre-event survey of one initiative; peers answer it before they are matched."""

    initiative = models.OneToOneField(
        "initiatives.Initiative", on_delete=models.CASCADE, related_name="survey"
    )
    title = models.CharField(_("title"), max_length=200)
    intro = models.TextField(_("introduction for peers"), blank=True)
    opens_at = models.DateTimeField(
        _("opens at"), null=True, blank=True, help_text=_("Empty: open as soon as it exists.")
    )
    closes_at = models.DateTimeField(
        _("closes at"), null=True, blank=True, help_text=_("Empty: stays open.")
    )
    max_reminders = models.PositiveSmallIntegerField(
        _("reminders at most"), default=3, help_text=_("0 sends no reminder.")
    )
    reminder_gap_days = models.PositiveSmallIntegerField(_("days between reminders"), default=7)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self):
        return self.title

    def is_open(self, now):
        return (self.opens_at is None or self.opens_at <= now) and not self.is_closed(now)

    def is_closed(self, now):
        return self.closes_at is not None and self.closes_at <= now

    def not_open_yet(self, now):
        return self.opens_at is not None and now < self.opens_at


class Question(models.Model):
    class Kind(models.TextChoices):
        SHORT_TEXT = "short_text", _("Short text")
        LONG_TEXT = "long_text", _("Long text")
        SINGLE_CHOICE = "single_choice", _("Single choice")
        MULTIPLE_CHOICE = "multiple_choice", _("Multiple choice")
        SCALE = "scale", _("Scale from 1 to 5")
        REFORM_AREAS = "reform_areas", _("Reform areas")
        LANGUAGES = "languages", _("Languages")
        YES_NO = "yes_no", _("Yes or no")

    class ProfileField(models.TextChoices):
        CHALLENGES = "challenges", _("Challenges and problems")
        CHALLENGE_TAGS = "challenge_tags", _("Challenge areas")
        POSITION = "position", _("Position")
        TASK = "task", _("Task or policy initiative")
        YEARS_OF_SERVICE = "years_of_service", _("Years of service")
        BACKGROUND = "background", _("Professional background")
        LANGUAGES = "languages", _("Languages")
        CAN_OFFER = "can_offer", _("What they can offer")
        WANTS_TO_LEARN = "wants_to_learn", _("What they want to learn")
        AVAILABILITY = "availability", _("Availability")
        TIME_ZONE = "time_zone", _("Time zone")

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="questions")
    position = models.PositiveIntegerField(default=0)
    text = models.CharField(_("question"), max_length=300)
    help_text = models.CharField(_("help text"), max_length=500, blank=True)
    kind = models.CharField(_("type"), max_length=20, choices=Kind, default=Kind.SHORT_TEXT)
    required = models.BooleanField(_("required"), default=False)
    choices = models.TextField(
        _("choices"), blank=True, help_text=_("For single or multiple choice: one per line.")
    )
    profile_field = models.CharField(
        _("fills the profile field"),
        max_length=30,
        choices=ProfileField,
        blank=True,
        help_text=_("Matching reads the answer from this profile field."),
    )

    class Meta:
        ordering = ["position", "pk"]

    def __str__(self):
        return self.text

    @property
    def choice_list(self):
        return [line.strip() for line in self.choices.splitlines() if line.strip()]


class ResponseQuerySet(models.QuerySet):
    def submitted(self):
        return self.filter(submitted_at__isnull=False)


class Response(models.Model):
    """One peer's answers, keyed by question id; a draft until submitted."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="responses")
    membership = models.ForeignKey(
        Membership, on_delete=models.CASCADE, related_name="survey_responses"
    )
    answers = models.JSONField(default=dict, blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)
    reminders_sent = models.PositiveSmallIntegerField(default=0)
    last_reminded_at = models.DateTimeField(null=True, blank=True)

    objects = ResponseQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["survey", "membership"], name="one_response_per_peer")
        ]

    def __str__(self):
        return f"Response of {self.membership.user} to {self.survey}"

    def answer_to(self, question):
        return self.answers.get(str(question.pk))

    def save_answers(self, answers):
        self.answers = answers
        self.save(update_fields=["answers", "updated_at"])

    def submit(self, answers, when):
        self.answers = answers
        self.submitted_at = when
        self.save(update_fields=["answers", "submitted_at", "updated_at"])
