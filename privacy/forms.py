from django import forms
from django.utils.translation import gettext_lazy as _

from initiatives.models import Initiative
from peerlearn.forms import PlainFormHelper

from .models import ErasureConfirmation

LONGEST_RETENTION = 120


class ErasureConfirmationForm(forms.ModelForm):
    keep_files = forms.TypedChoiceField(
        label=_("Files this person authored (post attachments, library documents, evidence)"),
        choices=[
            ("", _("Delete them")),
            ("1", _("Keep them, with nothing naming the person")),
        ],
        coerce=bool,
        empty_value=False,
        required=False,
        widget=forms.RadioSelect,
        initial="",
    )

    class Meta:
        model = ErasureConfirmation
        fields = ["keep_files"]

    helper = PlainFormHelper()


class CloseInitiativeForm(forms.ModelForm):
    retention_months = forms.IntegerField(
        label=_("Keep personal data for (months after closing)"),
        min_value=0,
        max_value=LONGEST_RETENTION,
        help_text=_(
            "Once this period is over, names, free text and uploaded files of the "
            "initiative are anonymised; counts and figures for evaluation stay."
        ),
    )

    class Meta:
        model = Initiative
        fields = ["retention_months"]

    helper = PlainFormHelper()
