"""Forms of the foundational engagement: events, agenda, attendance, contracts, options."""

from datetime import datetime
from zoneinfo import ZoneInfo, available_timezones

from django import forms
from django.utils.translation import gettext_lazy as _

from ..models import AgendaItem, EngagementOption, Event

TIME_ZONES = sorted(available_timezones() - {"localtime", "Factory"})


class InviteeChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, membership):
        if membership.home_organisation:
            return f"{membership.user} · {membership.home_organisation}"
        return str(membership.user)


class EventForm(forms.ModelForm):
    date = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    start_time = forms.TimeField(
        label=_("Starts at"), widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
    )
    end_time = forms.TimeField(
        label=_("Ends at"), widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
    )
    time_zone = forms.ChoiceField(
        label=_("Time zone"),
        choices=[(name, name) for name in TIME_ZONES],
        help_text=_("The local time of the venue, or of the host for an online meeting."),
    )
    online_link = forms.URLField(
        label=_("Online link"), required=False, assume_scheme="https", max_length=200
    )
    invitees = InviteeChoiceField(
        label=_("Invited peers"),
        queryset=None,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_("Everyone is ticked for a new event; untick those who are not invited."),
    )

    class Meta:
        model = Event
        fields = ["kind", "title", "venue", "description", "invitees"]
        widgets = {"description": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, initiative, **kwargs):
        super().__init__(*args, **kwargs)
        self.initiative = initiative
        peers = initiative.memberships.peers().current().by_name()
        self.fields["invitees"].queryset = peers
        self.order_fields(
            ["kind", "title", "date", "start_time", "end_time", "time_zone", "venue", "online_link"]
        )
        event = self.instance
        if event.pk:
            self.initial.update(
                online_link=event.online_link,
                date=event.local_start.date(),
                start_time=event.local_start.time(),
                end_time=event.local_end.time(),
                time_zone=event.time_zone,
            )
        else:
            self.initial.setdefault("time_zone", "UTC")
            self.initial["invitees"] = list(peers)

    def clean(self):
        cleaned = super().clean()
        self.instance.online_link = cleaned.get("online_link", "")
        date, start, end = (cleaned.get(name) for name in ("date", "start_time", "end_time"))
        zone_name = cleaned.get("time_zone")
        if not (date and start and end and zone_name):
            return cleaned
        if end <= start:
            self.add_error("end_time", _("The event must end after it starts."))
            return cleaned
        zone = ZoneInfo(zone_name)
        self.instance.starts_at = datetime.combine(date, start, tzinfo=zone)
        self.instance.ends_at = datetime.combine(date, end, tzinfo=zone)
        self.instance.time_zone = zone_name
        if not cleaned.get("venue") and not cleaned.get("online_link"):
            self.add_error("venue", _("Give a venue, an online link, or both."))
        return cleaned


class AgendaItemForm(forms.ModelForm):
    class Meta:
        model = AgendaItem
        fields = ["starts_at", "title", "facilitated_by", "groups"]
        widgets = {"starts_at": forms.TimeInput(attrs={"type": "time"}, format="%H:%M")}


class AttendanceForm(forms.Form):
    present = InviteeChoiceField(
        label=_("Present"),
        queryset=None,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_("Tick everyone who took part; the others are recorded as absent."),
    )

    def __init__(self, *args, event, invitees, present, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["present"].queryset = invitees
        self.initial["present"] = present


class ContractTemplateForm(forms.Form):
    commitments = forms.CharField(
        label=_("Commitments"),
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("One commitment per line. Contracts already signed keep the text signed."),
        error_messages={"required": _("Write at least one commitment.")},
    )

    def clean_commitments(self):
        lines = [line.strip() for line in self.cleaned_data["commitments"].splitlines()]
        lines = [line for line in lines if line]
        if not lines:
            raise forms.ValidationError(_("Write at least one commitment."))
        return "\n".join(lines)


class SignContractForm(forms.Form):
    commit = forms.BooleanField(label=_("I commit to the above."))
    full_name = forms.CharField(
        label=_("Your full name"),
        max_length=200,
        help_text=_("Typing your name counts as your signature."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["commit"].error_messages["required"] = _(
            "Tick the box to show that you commit."
        )
        self.fields["full_name"].error_messages["required"] = _("Type your full name to sign.")

    def clean_full_name(self):
        name = " ".join(self.cleaned_data["full_name"].split())
        if not name:
            raise forms.ValidationError(_("Type your full name to sign."))
        return name


class CountersignForm(forms.Form):
    note = forms.CharField(
        label=_("Note from the home organisation"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text=_("For example what the peer should report back to colleagues, and when."),
    )


class EngagementOptionForm(forms.ModelForm):
    class Meta:
        model = EngagementOption
        fields = ["kind", "title", "description"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}
