"""Match peers listed in a CSV file, without a database: for trying settings on real lists."""

import csv
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from matching import engine


def _listed(value):
    return frozenset(item.strip() for item in (value or "").split(";") if item.strip())


def _years(value):
    try:
        return int(float(value))
    except (TypeError, ValueError):
        return None


def read_peers(path):
    """Engine peers from a CSV with the columns email, name, organisation, country, position,
    years_of_service, background, languages (;-separated), challenges, challenge_tags
    (;-separated), task, wants_to_learn, can_offer; ids are the emails."""
    with Path(path).open(newline="", encoding="utf-8-sig") as file:
        rows = list(csv.DictReader(file))
    if rows and "email" not in rows[0]:
        raise CommandError("The file needs an 'email' column.")
    return [
        engine.Peer(
            id=row["email"].strip().lower(),
            challenges=row.get("challenges") or "",
            challenge_tags=_listed(row.get("challenge_tags")),
            position=row.get("position") or "",
            task=row.get("task") or "",
            years_of_service=_years(row.get("years_of_service")),
            background=row.get("background") or "",
            languages=_listed(row.get("languages")),
            organisation=(row.get("organisation") or "").strip(),
            country=(row.get("country") or "").strip(),
        )
        for row in rows
        if (row.get("email") or "").strip()
    ]


def write_matches(path, result):
    """One row per peer: group number, email, the group's score and its reasons."""
    with Path(path).open("w", newline="", encoding="utf-8") as file:
        writer = csv.writer(file)
        writer.writerow(["group", "email", "score", "reasons"])
        for number, group in enumerate(result.groups, start=1):
            for member in group.members:
                writer.writerow([number, member, f"{group.score:.3f}", "; ".join(group.reasons)])
        for item in result.unmatched:
            writer.writerow(["", item.peer_id, "", item.reason])


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
        except OSError as error:
            raise CommandError(str(error)) from error
        constraints = engine.Constraints(
            group_size=group_size, allow_same_organisation=allow_same_organisation
        )
        result = engine.match(found, constraints=constraints)
        write_matches(out, result)
        self.stdout.write(
            f"{len(result.groups)} groups, {len(result.unmatched)} not matched, "
            f"gap {result.gap:.1%}; written to {out}"
        )
