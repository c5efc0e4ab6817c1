"""Match peers listed in a CSV or XLSX file without a database, to try settings on real lists."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from matching import engine
from matching.peer_import import UnreadableFile, check_rows, read_rows
from matching.peers_file import peer_from_row, write_matches


class Command(BaseCommand):
    help = (
        "Match the peers of a CSV or XLSX file (read as the web import reads it) into pairs or "
        "groups and write the matches as CSV. Rows with problems are listed and left out."
    )

    def add_arguments(self, parser):
        parser.add_argument("peers", type=Path, help="CSV or XLSX file of peers")
        parser.add_argument("--group-size", type=int, default=2, choices=range(2, 7))
        parser.add_argument("--out", required=True, help="CSV file to write")
        parser.add_argument("--allow-same-organisation", action="store_true")
        parser.add_argument(
            "--model",
            type=Path,
            help="directory of an exported sentence model (model.onnx and tokenizer.json); "
            "default: MATCHING_MODEL_DIR, else the bundled model",
        )

    def handle(self, *args, peers, group_size, out, allow_same_organisation, model, **options):
        if model is not None and not model.is_dir():
            raise CommandError(f"--model {model}: no such directory.")
        found = self._read(peers)
        constraints = engine.Constraints(
            group_size=group_size, allow_same_organisation=allow_same_organisation
        )
        try:
            result = engine.match(found, constraints=constraints, model_dir=model)
        except engine.ModelError as error:
            raise CommandError(str(error)) from error
        try:
            write_matches(result, out)
        except OSError as error:
            raise CommandError(f"Cannot write {out}: {error.strerror}.") from error
        self.stdout.write(
            f"{len(result.groups)} groups, {len(result.unmatched)} not matched, "
            f"gap {result.gap:.1%}; written to {out}"
        )

    def _read(self, path):
        try:
            rows, notes = read_rows(path.name, path.read_bytes())
        except OSError as error:
            raise CommandError(f"Cannot read {path}: {error.strerror}.") from error
        except UnreadableFile as error:
            raise CommandError(f"{path}: {error}") from error
        for note in notes:
            self.stderr.write(note)
        checked = check_rows(rows)
        left_out = [entry for entry in checked if entry["errors"]]
        for entry in left_out:
            self.stderr.write(f"line {entry['line']}: {' '.join(entry['errors'])} Left out.")
        if len(left_out) == len(checked):
            raise CommandError(f"{path}: no peer to match.")
        return [peer_from_row(entry["row"]) for entry in checked if not entry["errors"]]
