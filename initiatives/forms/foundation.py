"""Forms of the foundational engagement: events, agenda, attendance, contracts, options."""

from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo, available_timezones

from django import forms
from django.conf import settings
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from peerlearn.content_languages import OtherLanguagesMixin, version_name
from peerlearn.forms import PlainFormHelper

from ..models import AgendaItem, ContractTemplate, EngagementOption, Event

CONTINENTS = (
    "Africa",
    "America",
    "Antarctica",
    "Asia",
    "Atlantic",
    "Australia",
    "Europe",
    "Indian",
    "Pacific",
)


def current_time_zones(table=Path("/usr/share/zoneinfo/zone1970.tab")):
    """Today's zone names, without the old aliases (US/Eastern, Europe/Kiev) that
    zoneinfo also knows: from the system's zone table, else the continental names."""
    try:
        lines = table.read_text().splitlines()
    except OSError:
        return sorted(name for name in available_timezones() if name.startswith(CONTINENTS))
    names = {line.split("\t")[2] for line in lines if line and not line.startswith("#")}
    return sorted(names | {"UTC"})


TIME_ZONES = current_time_zones()


class TimeZoneInput(forms.TextInput):
    """A text box that browsers complete from the list of zones, with or without JavaScript."""

    def __init__(self):
        super().__init__(attrs={"list": "time-zones", "autocomplete": "off"})

    def render(self, name, value, attrs=None, renderer=None):
        box = super().render(name, value, attrs, renderer)
        options = format_html_join("", '<option value="{}">', ((zone,) for zone in TIME_ZONES))
        return box + format_html('<datalist id="time-zones">{}</datalist>', options)


class InviteeChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, membership):
        if membership.home_organisation:
            return f"{membership.user} · {membership.home_organisation}"
        return str(membership.user)


class EventForm(forms.ModelForm):
    date = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    end_date = forms.DateField(
        label=_("Last day"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("For an event over several days; leave empty when it ends the same day."),
    )
    start_time = forms.TimeField(
        label=_("Starts at"), widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
    )
    end_time = forms.TimeField(
        label=_("Ends at"), widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
    )
    time_zone = forms.CharField(
        label=_("Time zone"),
        max_length=64,
        widget=TimeZoneInput(),
        help_text=_(
            "The local time of the venue, or of the host for an online meeting: type a city "
            "such as Europe/Chisinau and pick it from the list."
        ),
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
            [
                "kind",
                "title",
                "date",
                "start_time",
                "end_date",
                "end_time",
                "time_zone",
                "venue",
                "online_link",
            ]
        )
        event = self.instance
        if event.pk:
            self.initial.update(
                online_link=event.online_link,
                date=event.local_start.date(),
                start_time=event.local_start.time(),
                end_date=event.local_end.date() if event.is_multi_day else None,
                end_time=event.local_end.time(),
                time_zone=event.time_zone,
            )
        else:
            latest = initiative.events.order_by("-created_at").first()
            self.initial.setdefault("time_zone", latest.time_zone if latest else settings.TIME_ZONE)
            self.initial["invitees"] = list(peers)

    def clean_time_zone(self):
        zone = self.cleaned_data["time_zone"].strip()
        if zone not in available_timezones():
            raise forms.ValidationError(
                _("“%(zone)s” is not a time zone we know; pick one from the list."),
                params={"zone": zone},
            )
        return zone

    def clean(self):
        cleaned = super().clean()
        self.instance.online_link = cleaned.get("online_link", "")
        date, start, end = (cleaned.get(name) for name in ("date", "start_time", "end_time"))
        zone_name = cleaned.get("time_zone")
        if not (date and start and end and zone_name):
            return cleaned
        zone = ZoneInfo(zone_name)
        starts_at = datetime.combine(date, start, tzinfo=zone)
        ends_at = datetime.combine(cleaned.get("end_date") or date, end, tzinfo=zone)
        if ends_at <= starts_at:
            self.add_error("end_time", _("The event must end after it starts."))
            return cleaned
        self.instance.starts_at, self.instance.ends_at = starts_at, ends_at
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


def _one_per_line(text):
    return "\n".join(line.strip() for line in text.splitlines() if line.strip())


class ContractTemplateForm(OtherLanguagesMixin, forms.ModelForm):
    translated_fields = ("commitments",)
    commitments = forms.CharField(
        label=_("Commitments"),
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("One commitment per line. Contracts already signed keep the text signed."),
        error_messages={"required": _("Write at least one commitment.")},
    )

    class Meta:
        model = ContractTemplate
        fields = ["commitments"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = PlainFormHelper()
        self.add_other_languages()

    def clean_commitments(self):
        lines = _one_per_line(self.cleaned_data["commitments"])
        if not lines:
            raise forms.ValidationError(_("Write at least one commitment."))
        return lines

    def clean(self):
        cleaned = super().clean()
        count = len(cleaned.get("commitments", "").splitlines())
        for language in self.other_languages:
            name = version_name("commitments", language)
            version = _one_per_line(cleaned.get(name, ""))
            cleaned[name] = version
            if version and count and len(version.splitlines()) != count:
                self.add_error(
                    name,
                    _("Give one line for each commitment above, in the same order (%(count)d).")
                    % {"count": count},
                )
        return cleaned


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
