from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from initiatives.models import Membership
from peerlearn.forms import PlainFormHelper
from peerlearn.models import Organisation

from .models import ChangeStory, Community, HomeCommitment, ReportBack, SharingItem


class DateInput(forms.DateInput):
    input_type = "date"


def _not_in_future(day):
    if day and day > timezone.localdate():
        raise forms.ValidationError(_("This date is in the future."))
    return day


class _Form:
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = PlainFormHelper()


class SharingItemForm(_Form, forms.ModelForm):
    class Meta:
        model = SharingItem
        fields = ["what", "audience", "means", "planned_for", "status"]
        widgets = {"planned_for": DateInput}


class PeerChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, membership):
        user = membership.user
        name = user.name or user.email
        if membership.home_organisation:
            return f"{name} ({membership.home_organisation.name})"
        return name


class PeersField(forms.ModelMultipleChoiceField):
    label_from_instance = PeerChoiceField.label_from_instance


class ReportBackForm(_Form, forms.ModelForm):
    """A peer's own report-back; `plan` is their plan items, one of which it may answer."""

    class Meta:
        model = ReportBack
        fields = [
            "held_on",
            "format",
            "title",
            "summary",
            "audience_size",
            "colleagues_reached",
            "colleague_names",
            "plan_item",
        ]
        widgets = {"held_on": DateInput, "colleague_names": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, plan, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["plan_item"].queryset = plan
        self.fields["plan_item"].empty_label = _("None")
        self.initial.setdefault("held_on", timezone.localdate())

    def clean_held_on(self):
        return _not_in_future(self.cleaned_data["held_on"])


class RecordReportBackForm(ReportBackForm):
    """A facilitator records a report-back for one of the initiative's peers."""

    membership = PeerChoiceField(label=_("Peer"), queryset=Membership.objects.none())

    field_order = ["membership"]

    def __init__(self, *args, peers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["membership"].queryset = peers
        self.fields["plan_item"].label_from_instance = self._item_label

    @staticmethod
    def _item_label(item):
        user = item.membership.user
        return f"{user.name or user.email}: {item.what}"

    def clean(self):
        data = super().clean()
        item, membership = data.get("plan_item"), data.get("membership")
        if item and membership and item.membership_id != membership.pk:
            self.add_error("plan_item", _("This plan item belongs to another peer."))
        return data


class ReportBackFilterForm(_Form, forms.Form):
    format = forms.ChoiceField(
        label=_("Format"),
        choices=[("", _("Any format")), *ReportBack.Format.choices],
        required=False,
    )
    organisation = forms.ModelChoiceField(
        label=_("Home organisation"),
        queryset=Organisation.objects.none(),
        required=False,
        empty_label=_("Any organisation"),
    )
    since = forms.DateField(label=_("From date"), required=False, widget=DateInput)
    until = forms.DateField(label=_("To date"), required=False, widget=DateInput)

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations

    def filters(self):
        """The chosen filters, or none when the form is invalid (the page says why)."""
        if not self.is_valid():
            return {}
        return {name: value for name, value in self.cleaned_data.items() if value not in ("", None)}


class ChangeStoryForm(_Form, forms.ModelForm):
    peers = PeersField(
        label=_("Peers concerned"),
        queryset=Membership.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one peer the story concerns.")},
    )

    class Meta:
        model = ChangeStory
        fields = ["title", "what_changed", "why_it_matters", "domain", "peers"]
        widgets = {
            "what_changed": forms.Textarea(attrs={"rows": 5}),
            "why_it_matters": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args, peers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["peers"].queryset = peers


class VerifyStoryForm(_Form, forms.Form):
    name = forms.CharField(label=_("Name of the person who verified it"), max_length=200)
    role = forms.CharField(
        label=_("Their role"),
        max_length=200,
        help_text=_("For example: head of the budget department at the home organisation."),
    )
    on = forms.DateField(label=_("Verified on"), widget=DateInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.initial.setdefault("on", timezone.localdate())

    def clean_on(self):
        return _not_in_future(self.cleaned_data["on"])


class CommitmentForm(_Form, forms.ModelForm):
    hours_per_month = forms.DecimalField(
        label=_("Time granted for sharing (hours per month)"),
        min_value=0,
        max_value=200,
        max_digits=5,
        decimal_places=1,
        required=False,
    )

    class Meta:
        model = HomeCommitment
        fields = ["mandate", "report_back_required", "hours_per_month"]
        widgets = {"mandate": forms.Textarea(attrs={"rows": 5})}


class CommunityForm(_Form, forms.ModelForm):
    peers = PeersField(
        label=_("Peers of the initiative"),
        queryset=Membership.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    class Meta:
        model = Community
        fields = ["name", "home_organisation", "description", "peers", "colleagues", "founded_on"]
        widgets = {
            "founded_on": DateInput,
            "description": forms.Textarea(attrs={"rows": 4}),
            "colleagues": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args, peers, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["peers"].queryset = peers
        self.fields["home_organisation"].queryset = organisations

    def clean_founded_on(self):
        return _not_in_future(self.cleaned_data["founded_on"])
