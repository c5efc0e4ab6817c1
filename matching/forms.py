from django import forms
from django.utils.translation import gettext_lazy as _

from initiatives.models import Membership
from peerlearn.forms import PlainFormHelper

from .models import KeptApart, Match, MatchMember, default_weights
from .peer_import import UnreadableFile, check_upload

WEIGHT_LABELS = {
    "challenges": _("Weight of shared challenges and problems"),
    "challenge_tags": _("Weight of shared challenge areas"),
    "position": _("Weight of a similar position"),
    "task": _("Weight of a similar task or policy initiative"),
    "years_of_service": _("Weight of similar years of service"),
    "background": _("Weight of a similar professional background"),
}


class RunSettingsForm(forms.Form):
    group_size = forms.TypedChoiceField(
        label=_("People per match"),
        choices=[(2, _("Pairs")), *((k, str(k)) for k in range(3, 7))],
        coerce=int,
        initial=2,
    )
    allow_same_organisation = forms.BooleanField(
        label=_("Allow two peers of the same home organisation in one match"), required=False
    )
    require_shared_language = forms.BooleanField(
        label=_("Matched peers must share a language"), required=False, initial=True
    )
    matches_per_peer = forms.TypedChoiceField(
        label=_("Published matches a peer may be in"),
        choices=[(n, str(n)) for n in range(1, 4)],
        coerce=int,
        initial=1,
        required=False,
        empty_value=1,
        help_text=_(
            "With 1, peers already in a published match are left out. Raise it for a second "
            "round (a pair and a group, say); nobody is put with a current or former partner."
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, value in default_weights().items():
            self.fields[name] = forms.IntegerField(
                label=WEIGHT_LABELS[name],
                min_value=0,
                max_value=100,
                initial=value,
                help_text=_("0 to 100; only how the weights compare matters."),
            )
        self.helper = PlainFormHelper()

    def clean(self):
        cleaned = super().clean()
        weights = [cleaned.get(name) for name in default_weights()]
        if all(weight is not None for weight in weights) and not any(weights):
            raise forms.ValidationError(_("At least one weight must be above zero."))
        return cleaned

    def run_settings(self):
        data = self.cleaned_data
        return {
            "group_size": data["group_size"],
            "allow_same_organisation": data["allow_same_organisation"],
            "require_shared_language": data["require_shared_language"],
            "matches_per_peer": data["matches_per_peer"],
            "weights": {name: data[name] for name in default_weights()},
        }


class PeerChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, membership):
        organisation = membership.home_organisation
        return f"{membership.user}, {organisation}" if organisation else str(membership.user)


class PeerListForm(forms.Form):
    MAX_BYTES = 5 * 1024 * 1024

    file = forms.FileField(
        label=_("List of peers (CSV or XLSX)"),
        help_text=_(
            "First row: column names. Only “email” is required; also read: name, organisation, "
            "country, position, years_of_service, background, languages, challenges, "
            "challenge_tags, task, wants_to_learn, can_offer. Separate several languages or "
            "challenge areas with semicolons."
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = PlainFormHelper()

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith((".csv", ".xlsx")):
            raise forms.ValidationError(_("Upload a .csv or .xlsx file."))
        if upload.size > self.MAX_BYTES:
            raise forms.ValidationError(_("The file is larger than 5 MB."))
        self.content = upload.read()
        try:
            check_upload(upload.name, self.content)
        except UnreadableFile as error:
            raise forms.ValidationError(str(error)) from error
        return upload


class KeepApartForm(forms.Form):
    first = PeerChoiceField(label=_("Peer"), queryset=Membership.objects.none())
    second = PeerChoiceField(label=_("Never with"), queryset=Membership.objects.none())
    reason = forms.CharField(
        label=_("Why (only facilitators see this)"), max_length=200, required=False
    )

    def __init__(self, *args, initiative, **kwargs):
        super().__init__(*args, **kwargs)
        self.initiative = initiative
        peers = initiative.memberships.peers().current().by_name()
        self.fields["first"].queryset = peers
        self.fields["second"].queryset = peers
        self.helper = PlainFormHelper()

    def clean(self):
        cleaned = super().clean()
        first, second = cleaned.get("first"), cleaned.get("second")
        if first and second and first == second:
            raise forms.ValidationError(_("Choose two different peers."))
        if first and second:
            low, high = sorted((first.pk, second.pk))
            if KeptApart.objects.filter(
                initiative=self.initiative, first_id=low, second_id=high
            ).exists():
                raise forms.ValidationError(_("These two peers are kept apart already."))
        return cleaned


class MoveMemberForm(forms.Form):
    to_match = forms.ModelChoiceField(
        label=_("Move to"),
        queryset=Match.objects.none(),
        error_messages={
            "required": _("Choose the match to move them to."),
            "invalid_choice": _(
                "Choose one of the matches listed; a locked match takes nobody in."
            ),
        },
    )

    def __init__(self, *args, member, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to_match"].queryset = Match.objects.open_to(member)


class SwapMemberForm(forms.Form):
    other = forms.ModelChoiceField(
        label=_("Swap with"),
        queryset=MatchMember.objects.none(),
        error_messages={
            "required": _("Choose someone in another match of this run."),
            "invalid_choice": _(
                "Choose someone listed: in another match of this run, and not a locked one."
            ),
        },
    )

    def __init__(self, *args, member, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["other"].queryset = MatchMember.objects.swappable_with(member)


class FindPeopleForm(forms.Form):
    """Narrows a list of matches or people to those with a name or email."""

    q = forms.CharField(label=_("Name or email"), max_length=100, required=False)

    def text(self):
        return self.cleaned_data["q"].strip() if self.is_valid() else ""


class EndMatchForm(forms.Form):
    kind = forms.ChoiceField(label=_("How did it end?"), choices=Match.EndKind.choices)
    reason = forms.CharField(label=_("Why"), widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = PlainFormHelper()
