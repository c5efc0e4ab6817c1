from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from initiatives.models import Initiative, Membership, Role
from matching import peer_import


class Command(BaseCommand):
    help = (
        "Check a CSV or XLSX list of peers, print what happens to each row, import the valid ones."
    )

    def add_arguments(self, parser):
        parser.add_argument("initiative", type=int, help="id of the initiative")
        parser.add_argument("file", type=Path, help="a .csv or .xlsx file")

    def handle(self, *args, initiative, file, **options):
        found = Initiative.objects.filter(pk=initiative).first()
        if found is None:
            raise CommandError(f"No initiative with id {initiative}.")
        if not file.is_file():
            raise CommandError(f"No file at {file}.")
        facilitator = (
            Membership.objects.filter(initiative=found, role=Role.FACILITATOR)
            .select_related("user")
            .order_by("created_at")
            .first()
        )
        try:
            prepared = peer_import.prepare(
                initiative=found,
                filename=file.name,
                content=file.read_bytes(),
                by=facilitator.user if facilitator else None,
            )
        except peer_import.UnreadableFile as error:
            raise CommandError(str(error)) from error
        for note in prepared.notes:
            self.stdout.write(note)
        for entry in prepared.rows:
            detail = " ".join(entry["errors"])
            email = entry["row"]["email"]
            self.stdout.write(f"line {entry['line']}: {entry['outcome']} {email} {detail}".rstrip())
        counts = peer_import.summary(prepared.rows)
        self.stdout.write(
            f"{counts['new']} new, {counts['update']} to update, {counts['error']} with errors."
        )
        result = peer_import.import_rows(peer_import=prepared, by=prepared.created_by)
        self.stdout.write(
            self.style.SUCCESS(f"Invited {result['invited']}, updated {result['updated']}.")
        )
