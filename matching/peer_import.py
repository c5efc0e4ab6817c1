"""Bulk import of peers from a CSV or XLSX list: read, check, preview, then import.

Column contract: header names in any case, extra columns ignored, only `email`
required. Lists (languages, challenge_tags) are separated by semicolons.
"""

import logging

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from initiatives import road_map
from initiatives.models import Invitation, Membership, Role
from initiatives.taxonomy import REFORM_AREA_NAMES
from peerlearn import audit, tables
from peerlearn.languages import LANGUAGE_NAMES
from peerlearn.models import Organisation, User
from peerlearn.outbox import absolute_url, queue_templated_emails

from .models import PeerImport, PeerProfile
from .peers_file import COLUMNS, PROFILE_COLUMNS

logger = logging.getLogger(__name__)
audit.describe(**{"peers.imported": _lazy("Imported a list of peers")})
LIST_COLUMNS = {"languages", "challenge_tags"}
TEXT_LIMITS = {
    "name": 150,
    "organisation": 200,
    "country": 100,
    "position": 200,
    "task": 300,
    "background": 300,
}
MAX_ROWS = 10_000
NEW, UPDATE, ERROR = "new", "update", "error"
TABLE_PROBLEMS = {
    "file_type": _lazy("Upload a .csv or .xlsx file."),
    "not_xlsx": _lazy("This is not a readable Excel (.xlsx) file."),
    "empty": _lazy("The file is empty."),
    "sheet_too_big": _lazy(
        "The first sheet spans %(rows)d rows and %(columns)d columns; a list may span at most "
        "%(max_rows)d rows and %(max_columns)d columns. Delete the unused rows and columns, or "
        "copy the list into a new file."
    ),
    "unpacks_too_big": _lazy(
        "This Excel file unpacks to more than %(max)d MB, far more than a list of people needs. "
        "Copy the list into a new file."
    ),
    "too_many_lines": _lazy("The file has more than %(max)d rows."),
    "too_much_text": _lazy("The file holds more than %(max)d characters of text."),
    "cell_too_long": _lazy("Line %(line)d: a cell holds more than %(max)d characters."),
    "nul": _lazy(
        "Line %(line)d holds a NUL character, which cannot be saved. Save the list again from "
        "your spreadsheet program as “CSV UTF-8”."
    ),
    "unclosed_quote": _lazy('Line %(line)d: a quote mark (") opens a cell but never closes it.'),
    "bad_quotes": _lazy(
        "Line %(line)d: a quoted cell is followed by more text. Put the whole cell in quotes "
        '("), or remove the quote marks.'
    ),
    "too_slow": _lazy("Reading the file took too long. Copy the list into a new, plain file."),
    "too_big": _lazy(
        "Reading the file needed too much memory. Copy the list into a new, plain file."
    ),
}


class UnreadableFile(Exception):
    """The file is not a list we can read; the message says why, for the facilitator."""


def _unreadable(error):
    return UnreadableFile(str(TABLE_PROBLEMS[error.code]) % error.params)


def check_upload(filename, content):
    """The checks quick enough for the upload form: an .xlsx file's zip and declared size."""
    try:
        if filename.lower().endswith(".xlsx"):
            tables.check_xlsx(content)
    except tables.TableError as error:
        raise _unreadable(error) from error


def read_rows(filename, content, *, isolated=False):
    """(rows, notes): (line number, {column: text}) for each non-empty data row of a CSV or
    XLSX file, and notes for the facilitator. `isolated` reads in a child process under a
    memory and time limit, for files from the web."""
    read = tables.read_isolated if isolated else tables.read_table
    try:
        table = read(filename, content)
    except tables.TableError as error:
        raise _unreadable(error) from error
    header = [cell.lower() for cell in table.header]
    if "email" not in header:
        raise UnreadableFile(_("The first row must name the columns, including “email”."))
    if len(table.rows) > MAX_ROWS:
        raise UnreadableFile(_("A list can hold at most %(max)d people.") % {"max": MAX_ROWS})
    wanted = {index: name for index, name in enumerate(header) if name in COLUMNS}
    rows = []
    for line, cells in table.rows:
        values = {
            name: cells[index] if index < len(cells) else "" for index, name in wanted.items()
        }
        if any(values.values()):
            rows.append((line, values))
    notes = []
    if table.encoding == "cp1252":
        notes.append(
            _(
                "The file is not in UTF-8, so it was read as Western European (Windows-1252). "
                "Check that names with accents look right."
            )
        )
    return rows, notes


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


def check_rows(rows):
    """Each row cleaned, with its problems; a repeated email is a problem on the later line."""
    checked = []
    seen = {}
    for line, values in rows:
        row, errors = check_row(values)
        email = row["email"]
        if email and email in seen:
            errors.append(_("The same email is already on line %(line)d.") % {"line": seen[email]})
        seen.setdefault(email, line)
        checked.append({"line": line, "row": row, "errors": errors})
    return checked


def preview(*, initiative, rows):
    """Each row with its outcome (new, update or error) and reasons; writes nothing."""
    checked = check_rows(rows)
    invited = _invited_emails(initiative, [entry["row"]["email"] for entry in checked])
    for entry in checked:
        if entry["errors"]:
            entry["outcome"] = ERROR
        else:
            entry["outcome"] = UPDATE if entry["row"]["email"] in invited else NEW
    return checked


def start_check(*, initiative, filename, content, by):
    """Keep an uploaded list and check it in the background.

    Side effects: one PeerImport row (checking) holding the file; the
    `matching.check_peer_list` task enqueued after commit.
    """
    from .tasks import check_peer_list

    language = get_language()
    with transaction.atomic():
        peer_import = PeerImport.objects.create(
            initiative=initiative, filename=filename[:200], content=content, created_by=by
        )
        transaction.on_commit(
            lambda: check_peer_list.delay(import_id=peer_import.pk, language=language)
        )
    return peer_import


def check_list(*, peer_import):
    """Read the kept file in a child process under a memory and time limit, then check each row.

    Side effects: the PeerImport becomes ready with its checked rows, or failed
    with the reason; the file is dropped either way. A list no longer being
    checked (a repeated job) is left alone.
    """
    if peer_import.status != PeerImport.Status.CHECKING:
        return
    peer_import.set_progress(10)
    try:
        rows, notes = read_rows(peer_import.filename, bytes(peer_import.content), isolated=True)
    except UnreadableFile as error:
        peer_import.fail_check(str(error))
        return
    peer_import.set_progress(60)
    peer_import.mark_checked(
        rows=preview(initiative=peer_import.initiative, rows=rows), notes=notes
    )


def prepare(*, initiative, filename, content, by):
    """Read and check a list here and now (for the command line), keeping it for import.

    Side effects: one PeerImport row (ready) holding the checked rows. Raises
    UnreadableFile when the file cannot be read as a list of people.
    """
    rows, notes = read_rows(filename, content)
    return PeerImport.objects.create(
        initiative=initiative,
        filename=filename[:200],
        status=PeerImport.Status.READY,
        rows=preview(initiative=initiative, rows=rows),
        notes=notes,
        created_by=by,
    )


def summary(rows):
    counts = {NEW: 0, UPDATE: 0, ERROR: 0}
    for entry in rows:
        counts[entry["outcome"]] += 1
    return counts


def start_import(*, peer_import, by):
    """Import a checked list in the background; False if it is already importing or imported.

    Side effects: the PeerImport becomes importing; the `matching.import_peer_list`
    task enqueued after commit.
    """
    from .tasks import import_peer_list

    language = get_language()
    with transaction.atomic():
        started = peer_import.start_import()
        if started:
            peer_import.report_progress(0)
            transaction.on_commit(
                lambda: import_peer_list.delay(
                    import_id=peer_import.pk, by_id=by.pk, language=language
                )
            )
    return started


def import_list(*, peer_import, by):
    """The background import: all rows or none, once however often the job runs.

    Side effects: as import_rows; on failure nothing is saved and the list is
    ready again, with the reason. Returns the counts, or None.
    """
    try:
        with transaction.atomic():
            if not peer_import.claim_import():
                return None
            return import_rows(peer_import=peer_import, by=by)
    except Exception:
        logger.exception("Import of peer list %s failed", peer_import.pk)
        peer_import.import_failed(
            _("The import failed, so nothing was saved. Try again; if it fails again, tell us.")
        )
        return None


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
    a peer here is invited (account, membership, invitation and one queued
    email, as services.invite does, in bulk; accounts get no organisation); a
    person already invited is not invited again but gets their home
    organisation updated; each PeerProfile is created or filled with the
    imported answers (left alone once the peer has submitted the survey); the
    PeerImport is marked imported and the import written to the audit log.
    Returns the counts of invited and updated peers.
    """
    initiative = peer_import.initiative
    valid = [entry["row"] for entry in peer_import.rows if entry["outcome"] != ERROR]
    with transaction.atomic():
        organisations = _organisations(valid)
        peer_import.report_progress(10)
        accounts = _accounts(valid)
        peer_import.report_progress(30)
        memberships, to_invite = _memberships(initiative, valid, accounts, organisations)
        peer_import.report_progress(50)
        _invite(initiative, to_invite, by)
        peer_import.report_progress(80)
        _fill_profiles(valid, memberships)
        counts = {"invited": len(to_invite), "updated": len(valid) - len(to_invite)}
        peer_import.mark_imported(timezone.now(), **counts)
        audit.log(actor=by, action="peers.imported", target=peer_import, **counts)
    return counts


def _accounts(valid):
    """The account of each email, created (without a password) where missing; a person
    without a name or a language gets the row's (the first of its languages the site
    speaks), so their invitation is written in it."""
    rows = {row["email"]: row for row in valid}
    accounts = {user.email: user for user in User.objects.filter(email__in=list(rows))}
    completed = []
    for user in accounts.values():
        name = user.name or rows[user.email]["name"]
        language = user.language or _site_language(rows[user.email]["languages"])
        if (name, language) != (user.name, user.language):
            user.name, user.language = name, language
            completed.append(user)
    User.objects.bulk_update(completed, ["name", "language"])
    new = [
        User(
            email=email,
            name=row["name"],
            language=_site_language(row["languages"]),
            password=make_password(None),
        )
        for email, row in rows.items()
        if email not in accounts
    ]
    for user in User.objects.bulk_create(new):
        accounts[user.email] = user
    return accounts


def _site_language(codes):
    spoken = dict(settings.LANGUAGES)
    return next((code for code in codes if code in spoken), "")


def _memberships(initiative, valid, accounts, organisations):
    """Each email's peer membership, and those to invite: new ones and withdrawn ones re-opened."""
    existing = {
        membership.user_id: membership
        for membership in initiative.memberships.peers().filter(
            user__in=[user.pk for user in accounts.values()]
        )
    }
    memberships, new, to_invite, changed = {}, [], [], []
    for row in valid:
        user = accounts[row["email"]]
        organisation = organisations.get((row["organisation"].lower(), row["country"].lower()))
        membership = existing.get(user.pk)
        if membership is None:
            membership = Membership(
                initiative=initiative, user=user, role=Role.PEER, home_organisation=organisation
            )
            new.append(membership)
            to_invite.append(membership)
        else:
            membership.user = user
            reopened = membership.status == Membership.Status.WITHDRAWN
            if reopened:
                membership.status = Membership.Status.INVITED
                to_invite.append(membership)
            moved = organisation and membership.home_organisation_id != organisation.pk
            if moved:
                membership.home_organisation = organisation
            if reopened or moved:
                changed.append(membership)
        memberships[row["email"]] = membership
    Membership.objects.bulk_create(new)
    Membership.objects.bulk_update(changed, ["status", "home_organisation"])
    return memberships, to_invite


def _invite(initiative, memberships, by):
    invitations = Invitation.objects.bulk_create(
        Invitation(
            membership=membership,
            invited_by=by,
            language=Invitation.language_for(membership.user),
        )
        for membership in memberships
    )
    extras = road_map.invitation_extras(initiative)
    queue_templated_emails(
        kind="invitation",
        template="invitation",
        messages=[
            (
                invitation.membership.user.email,
                f"invitation:{invitation.pk}",
                {
                    "invitation": invitation,
                    "initiative": initiative,
                    "inviter": by,
                    "link": absolute_url(invitation.get_absolute_url()),
                    **extras,
                },
            )
            for invitation in invitations
        ],
    )


def _fill_profiles(valid, memberships):
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
