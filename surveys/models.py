from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from initiatives.models import Membership
from peerlearn.content_languages import translations_field

from . import profile


class SurveyQuerySet(models.QuerySet):
    def pre_event(self):
        return self.filter(purpose=Survey.Purpose.PRE_EVENT, round="")


class Survey(models.Model):
    """A questionnaire of one initiative, for one purpose and round; its peers answer it.

    The pre-event survey (purpose pre_event, no round) feeds matching; self-assessments
    come in baseline, midline and endline rounds. A new survey is a draft that only
    facilitators see until one of them opens it (opened_at).
    """

    class Purpose(models.TextChoices):
        PRE_EVENT = "pre_event", _("Pre-event survey")
        SELF_ASSESSMENT = "self_assessment", _("Self-assessment")
        CHECK_IN = "check_in", _("Check-in")

    class Round(models.TextChoices):
        NONE = "", _("No round")
        BASELINE = "baseline", _("Baseline")
        MIDLINE = "midline", _("Midline")
        ENDLINE = "endline", _("Endline")

    initiative = models.ForeignKey(
        "initiatives.Initiative", on_delete=models.CASCADE, related_name="surveys"
    )
    purpose = models.CharField(_("purpose"), max_length=20, choices=Purpose)
    round = models.CharField(_("round"), max_length=20, choices=Round, blank=True, default="")
    title = models.CharField(_("title"), max_length=200)
    intro = models.TextField(_("introduction for peers"), blank=True)
    translations = translations_field()
    opens_at = models.DateTimeField(
        _("opens at"),
        null=True,
        blank=True,
        help_text=_("Empty: open as soon as you open it to peers."),
    )
    closes_at = models.DateTimeField(
        _("closes at"), null=True, blank=True, help_text=_("Empty: stays open.")
    )
    max_reminders = models.PositiveSmallIntegerField(
        _("reminders at most"), default=3, help_text=_("0 sends no reminder.")
    )
    reminder_gap_days = models.PositiveSmallIntegerField(_("days between reminders"), default=7)
    created_at = models.DateTimeField(auto_now_add=True)
    opened_at = models.DateTimeField(_("opened to peers at"), null=True, blank=True, editable=False)

    objects = SurveyQuerySet.as_manager()

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["initiative", "purpose", "round"], name="one_survey_per_purpose_and_round"
            )
        ]

    def __str__(self):
        return self.title

    @property
    def is_pre_event(self):
        return self.purpose == self.Purpose.PRE_EVENT

    @property
    def key(self):
        """How URLs name the survey among the initiative's: "self_assessment-baseline"."""
        return f"{self.purpose}-{self.round}" if self.round else self.purpose

    @property
    def name(self):
        """What people call it: "Pre-event survey", "Self-assessment: Baseline"."""
        if not self.round:
            return self.get_purpose_display()
        return _("%(purpose)s: %(round)s") % {
            "purpose": self.get_purpose_display(),
            "round": self.get_round_display(),
        }

    def url(self, view, **kwargs):
        """The URL of one of the survey's pages; the pre-event survey keeps its short paths."""
        kwargs["pk"] = self.initiative_id
        if not self.is_pre_event:
            kwargs["key"] = self.key
        return reverse(f"surveys:{view}", kwargs=kwargs)

    @property
    def is_draft(self):
        """Still being built: peers neither see nor answer it."""
        return self.opened_at is None

    @property
    def started_at(self):
        """When peers could first answer: its opening date, or when it was opened."""
        return self.opens_at or self.opened_at

    def is_open(self, now):
        if self.is_draft:
            return False
        return (self.opens_at is None or self.opens_at <= now) and not self.is_closed(now)

    def is_closed(self, now):
        return self.closes_at is not None and self.closes_at <= now

    def not_open_yet(self, now):
        return self.opens_at is not None and now < self.opens_at


def split_key(key):
    """(purpose, round) of a survey key; see Survey.key."""
    purpose, _dash, round_ = key.partition("-")
    return purpose, round_


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

    # Named after the declared profile fields; the labels are translated where shown.
    ProfileField = models.TextChoices(
        "ProfileField",
        [(field.name.upper(), (field.name, _(field.label))) for field in profile.PROFILE_FIELDS],
    )

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
    translations = translations_field()

    class Meta:
        ordering = ["position", "pk"]

    def __str__(self):
        return self.text

    @property
    def choice_list(self):
        return [line.strip() for line in self.choices.splitlines() if line.strip()]

    @property
    def declared_field(self):
        """The surveys.profile.ProfileField this question fills, or None."""
        return profile.BY_NAME.get(self.profile_field)


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

    def save_answers(self, answers):
        self.answers = answers
        self.save(update_fields=["answers", "updated_at"])

    def submit(self, answers, when):
        self.answers = answers
        self.submitted_at = when
        self.save(update_fields=["answers", "submitted_at", "updated_at"])
