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
