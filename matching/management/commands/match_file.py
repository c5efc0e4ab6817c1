"""Match peers listed in a CSV file, without a database: for trying settings on real lists."""

from django.core.management.base import BaseCommand, CommandError

from matching import engine
from matching.peers_file import read_peers, write_matches


class Command(BaseCommand):
    help = "Match the peers of a CSV file into pairs or groups and write the matches as CSV."

    def add_arguments(self, parser):
        parser.add_argument("peers", help="CSV file of peers")
        parser.add_argument("--group-size", type=int, default=2, choices=range(2, 7))
        parser.add_argument("--out", required=True, help="CSV file to write")
        parser.add_argument("--allow-same-organisation", action="store_true")

    def handle(self, *args, peers, group_size, out, allow_same_organisation, **options):
        try:
            found = read_peers(peers)
        except (OSError, ValueError) as error:
            raise CommandError(str(error)) from error
        constraints = engine.Constraints(
            group_size=group_size, allow_same_organisation=allow_same_organisation
        )
        result = engine.match(found, constraints=constraints)
        write_matches(result, out)
        self.stdout.write(
            f"{len(result.groups)} groups, {len(result.unmatched)} not matched, "
            f"gap {result.gap:.1%}; written to {out}"
        )
