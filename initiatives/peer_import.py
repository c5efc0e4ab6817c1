"""Bulk import of peers from a CSV or XLSX list: read, check, preview, then import.

Column contract: header names in any case, extra columns ignored, only `email`
required. Lists (languages, challenge_tags) are separated by semicolons.
"""

import csv
import io

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import load_workbook

from matching.peers_file import COLUMNS
from peerlearn.languages import LANGUAGE_NAMES
from peerlearn.models import Organisation

from . import services
from .models import Membership, PeerImport, Role
from .taxonomy import REFORM_AREA_NAMES

LIST_COLUMNS = {"languages", "challenge_tags"}
PROFILE_COLUMNS = [
    "position",
    "years_of_service",
    "background",
    "languages",
    "challenges",
    "challenge_tags",
    "task",
    "wants_to_learn",
    "can_offer",
]
TEXT_LIMITS = {
    "name": 150,
    "organisation": 200,
    "country": 100,
    "position": 200,
    "task": 300,
    "background": 300,
}
MAX_ROWS = 2000
NEW, UPDATE, ERROR = "new", "update", "error"


class UnreadableFile(Exception):
    """The file is not a list we can read; the message says why, for the facilitator."""


def read_rows(filename, content):
    """(line number, {column: text}) for each non-empty data row of a CSV or XLSX file."""
    if filename.lower().endswith(".xlsx"):
        table = _xlsx_table(content)
    elif filename.lower().endswith(".csv"):
        table = _csv_table(content)
    else:
        raise UnreadableFile(_("Upload a .csv or .xlsx file."))
    if not table:
        raise UnreadableFile(_("The file is empty."))
    header = [str(cell or "").strip().lower() for cell in table[0]]
    if "email" not in header:
        raise UnreadableFile(_("The first row must name the columns, including “email”."))
    wanted = {index: name for index, name in enumerate(header) if name in COLUMNS}
    rows = []
    for line, cells in enumerate(table[1:], start=2):
        values = {
            name: _text(cells[index]) if index < len(cells) else ""
            for index, name in wanted.items()
        }
        if any(values.values()):
            rows.append((line, values))
    if len(rows) > MAX_ROWS:
        raise UnreadableFile(_("A list can hold at most %(max)d people.") % {"max": MAX_ROWS})
    return rows


def _text(cell):
    if cell is None:
        return ""
    if isinstance(cell, float) and cell.is_integer():
        cell = int(cell)
    return str(cell).strip()


def _csv_table(content):
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = content.decode("cp1252", errors="replace")
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    return [row for row in csv.reader(io.StringIO(text), dialect)]


def _xlsx_table(content):
    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds for a damaged file
        raise UnreadableFile(_("This is not a readable Excel (.xlsx) file.")) from error
    sheet = workbook.worksheets[0]
    table = [list(row) for row in sheet.iter_rows(values_only=True)]
    workbook.close()
    return table


def _split(value):
    return [part.strip() for part in value.split(";") if part.strip()]


def check_row(values):
    """The cleaned row and the list of problems with it."""
    errors = []
    row = {column: values.get(column, "") for column in COLUMNS}
    row["email"] = row["email"].lower()
    try:
        validate_email(row["email"])
    except ValidationError:
        errors.append(_("“%(email)s” is not an email address.") % {"email": row["email"]})
    for column, limit in TEXT_LIMITS.items():
        if len(row[column]) > limit:
            errors.append(
                _("%(column)s is longer than %(limit)d characters.")
                % {"column": column, "limit": limit}
            )
    years = row["years_of_service"]
    if years:
        if not years.isdigit() or int(years) > 70:
            errors.append(_("Years of service must be a whole number from 0 to 70."))
        else:
            row["years_of_service"] = int(years)
    else:
        row["years_of_service"] = None
    row["languages"] = [code.lower() for code in _split(row["languages"])]
    unknown = [code for code in row["languages"] if code not in LANGUAGE_NAMES]
    if unknown:
        errors.append(_("Unknown language code: %(codes)s.") % {"codes": ", ".join(unknown)})
    row["challenge_tags"] = [tag.lower() for tag in _split(row["challenge_tags"])]
    unknown = [tag for tag in row["challenge_tags"] if tag not in REFORM_AREA_NAMES]
    if unknown:
        errors.append(_("Unknown challenge area: %(tags)s.") % {"tags": ", ".join(unknown)})
    if row["country"] and not row["organisation"]:
        errors.append(_("A country is given without an organisation."))
    return row, errors


def _invited_emails(initiative, emails):
    return set(
        initiative.memberships.peers()
        .current()
        .annotate(address=Lower("user__email"))
        .filter(address__in=emails)
        .values_list("address", flat=True)
    )


def preview(*, initiative, rows):
    """Each row with its outcome (new, update or error) and reasons; writes nothing."""
    checked = []
    seen = {}
    for line, values in rows:
        row, errors = check_row(values)
        email = row["email"]
        if email and email in seen:
            errors.append(_("The same email is already on line %(line)d.") % {"line": seen[email]})
        seen.setdefault(email, line)
        checked.append({"line": line, "row": row, "errors": errors})
    invited = _invited_emails(initiative, [entry["row"]["email"] for entry in checked])
    for entry in checked:
        if entry["errors"]:
            entry["outcome"] = ERROR
        else:
            entry["outcome"] = UPDATE if entry["row"]["email"] in invited else NEW
    return checked


def prepare(*, initiative, filename, content, by):
    """Read and check an uploaded list and keep it for confirmation.

    Side effects: one PeerImport row holding the checked rows. Raises
    UnreadableFile when the file cannot be read as a list of people.
    """
    rows = preview(initiative=initiative, rows=read_rows(filename, content))
    return PeerImport.objects.create(
        initiative=initiative, filename=filename[:200], rows=rows, created_by=by
    )


def summary(rows):
    counts = {NEW: 0, UPDATE: 0, ERROR: 0}
    for entry in rows:
        counts[entry["outcome"]] += 1
    return counts


def _organisations(valid):
    """The home organisation of each (name, country), found or created in few queries."""
    wanted = {(r["organisation"], r["country"]) for r in valid if r["organisation"]}
    by_key = {}
    names = {name.lower() for name, _country in wanted}
    home = Organisation.objects.home_organisations()
    for organisation in home.annotate(lower=Lower("name")).filter(lower__in=names):
        by_key[(organisation.name.lower(), organisation.country.lower())] = organisation
    for name, country in sorted(wanted):
        key = (name.lower(), country.lower())
        if key not in by_key:
            by_key[key] = Organisation.objects.create(name=name, country=country)
    return by_key


def import_rows(*, peer_import, by):
    """Import every valid row of a checked list, in one transaction.

    Side effects: home organisations created where missing; each person not yet
    a peer here is invited (account, membership, invitation and one email); a
    person already invited is not invited again but gets their home
    organisation updated; each PeerProfile is created or filled with the
    imported answers (left alone once the peer has submitted the survey).
    Returns the counts of invited and updated peers.
    """
    from matching.models import PeerProfile

    initiative = peer_import.initiative
    valid = [entry["row"] for entry in peer_import.rows if entry["outcome"] != ERROR]
    with transaction.atomic():
        organisations = _organisations(valid)
        existing = {
            membership.user.email.lower(): membership
            for membership in initiative.memberships.peers().current().select_related("user")
        }
        memberships, invited, moved = {}, 0, []
        for row in valid:
            organisation = organisations.get((row["organisation"].lower(), row["country"].lower()))
            membership = existing.get(row["email"])
            if membership is None:
                invitation = services.invite(
                    initiative=initiative,
                    email=row["email"],
                    name=row["name"],
                    role=Role.PEER,
                    by=by,
                    home_organisation=organisation,
                )
                membership = invitation.membership
                invited += 1
            elif organisation and membership.home_organisation_id != organisation.pk:
                membership.home_organisation = organisation
                moved.append(membership)
            memberships[row["email"]] = membership
        Membership.objects.bulk_update(moved, ["home_organisation"])
        _fill_profiles(PeerProfile, valid, memberships)
        peer_import.mark_imported(timezone.now())
    return {"invited": invited, "updated": len(valid) - invited}


def _fill_profiles(PeerProfile, valid, memberships):
    profiles = {
        profile.membership_id: profile
        for profile in PeerProfile.objects.filter(
            membership__in=[m.pk for m in memberships.values()]
        )
    }
    new, changed = [], []
    for row in valid:
        membership = memberships[row["email"]]
        profile = profiles.get(membership.pk)
        if profile is None:
            profile = PeerProfile(membership=membership)
            new.append(profile)
        elif profile.survey_completed_at:
            continue  # the peer's own answers win over a list
        else:
            changed.append(profile)
        for column in PROFILE_COLUMNS:
            if row[column] not in ("", None, []):
                setattr(profile, column, row[column])
    now = timezone.now()
    for profile in changed:
        profile.updated_at = now  # bulk_update skips auto_now
    PeerProfile.objects.bulk_create(new)
    PeerProfile.objects.bulk_update(changed, [*PROFILE_COLUMNS, "updated_at"])
