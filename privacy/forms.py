from django import forms
from django.utils.translation import gettext_lazy as _

from initiatives.models import Initiative
from peerlearn.forms import PlainFormHelper

from .models import ConsentKind, CorrectionRequest, ErasureConfirmation


class AcceptNoticeForm(forms.Form):
    """Accepting the notice; each consent is a separate box, left unticked."""

    consents = forms.MultipleChoiceField(
        label=_("What you also agree to (each is optional; change it any time on “Your data”)"),
        choices=ConsentKind.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = PlainFormHelper()


class NoticeForm(forms.Form):
    text = forms.CharField(
        label=_("Text of the notice"), max_length=20000, widget=forms.Textarea(attrs={"rows": 16})
    )
    material = forms.BooleanField(
        label=_("This change is material: everyone accepts the notice again"),
        required=False,
        help_text=_(
            "Tick it when you change what you hold, why, who sees it or how long you keep "
            "it; leave it for a typo or a clearer wording."
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = PlainFormHelper()


class CorrectionForm(forms.Form):
    details = forms.CharField(
        label=_("What is wrong and what it should say"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 5}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = PlainFormHelper()

    def clean_details(self):
        details = self.cleaned_data["details"].strip()
        if not details:
            raise forms.ValidationError(_("Say what should be corrected."))
        return details


class CorrectionAnswerForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Answer"),
        choices=[
            (CorrectionRequest.Status.DONE, _("Corrected")),
            (CorrectionRequest.Status.DECLINED, _("Declined")),
        ],
        widget=forms.RadioSelect,
    )
    reply = forms.CharField(
        label=_("Reply to the person"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Required when you decline: say why."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = PlainFormHelper()

    def clean(self):
        cleaned = super().clean()
        declined = cleaned.get("status") == CorrectionRequest.Status.DECLINED
        if declined and not cleaned.get("reply", "").strip():
            self.add_error("reply", _("Say why you decline this request."))
        return cleaned


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
