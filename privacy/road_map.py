"""What the personal-data app adds to the road map's registries."""

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from initiatives.road_map import (
    anonymiser,
    initiative_anonymiser,
    personal_records,
    records_from,
    tab,
)

from . import services
from .models import Consent, CorrectionRequest, DataArchive, NoticeAcceptance


@personal_records("privacy", label=_("Your consents, notices and requests"), order=5)
def privacy_records(person):
    return (
        _acceptances(person)
        + records_from(
            CorrectionRequest.objects.filter(membership__user=person),
            title=lambda row: gettext("Request for correction"),
            fields=["details", "status", "reply", "created_at", "handled_at"],
        )
        + _consents(person)
        + _archives(person)
    )


def _acceptances(person):
    rows = NoticeAcceptance.objects.filter(person=person).select_related("organisation")
    return [
        {
            "initiative_id": None,
            "title": gettext("Privacy notice of %(organisation)s accepted")
            % {"organisation": row.organisation.name},
            "fields": {
                gettext("Version"): row.version,
                gettext("When"): row.accepted_at.isoformat(),
            },
            "files": [],
        }
        for row in rows
    ]


def _consents(person):
    return [
        {
            "initiative_id": None,
            "title": row.get_kind_display(),
            "fields": {
                gettext("Given"): row.given,
                gettext("When"): row.changed_at.isoformat(),
            },
            "files": [],
        }
        for row in Consent.objects.filter(person=person)
    ]


def _archives(person):
    return [
        {
            "initiative_id": None,
            "title": gettext("Download of your data"),
            "fields": {
                gettext("Status"): row.get_status_display(),
                gettext("Asked on"): row.created_at.isoformat(),
            },
            "files": [],
        }
        for row in DataArchive.objects.filter(person=person)
    ]


# --- personal data: erasure ---
tab("personal_data", _("Personal data"), "privacy:initiative", order=7)


# --- personal data: erasure of what this app holds ---


@anonymiser("privacy", order=80)
def forget_archives_and_corrections(person, *, keep_files):
    """Archives are copies of the person's data and corrections quote it: both go."""
    services.delete_archives(DataArchive.objects.filter(person=person))
    CorrectionRequest.objects.filter(membership__user=person).delete()


@initiative_anonymiser("privacy")
def forget_corrections(initiative):
    CorrectionRequest.objects.filter(initiative=initiative).delete()
