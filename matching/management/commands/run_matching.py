from django.core.management.base import BaseCommand, CommandError

from initiatives.models import Initiative
from matching import services
from matching.models import MatchRun


class Command(BaseCommand):
    help = "Match an initiative's surveyed peers now (without the worker) and print the result."

    def add_arguments(self, parser):
        parser.add_argument("initiative", type=int, help="id of the initiative")
        parser.add_argument("--group-size", type=int, default=2, choices=range(2, 7))
        parser.add_argument(
            "--matches-per-peer",
            type=int,
            default=1,
            choices=range(1, 4),
            help="published matches a peer may be in (2 or 3 for a second round)",
        )

    def handle(self, *args, initiative, group_size, matches_per_peer, **options):
        found = Initiative.objects.filter(pk=initiative).first()
        if found is None:
            raise CommandError(f"No initiative with id {initiative}.")
        run = MatchRun.objects.create(
            initiative=found, group_size=group_size, matches_per_peer=matches_per_peer
        )
        services.run_matching(run=run)
        if run.status == MatchRun.Status.FAILED:
            raise CommandError(f"Matching failed: {run.error}")
        for match in run.matches.prefetch_related("members__membership__user"):
            names = ", ".join(str(m.membership.user) for m in match.members.all())
            self.stdout.write(f"{match.number}. {names} (score {match.score:.2f})")
            for reason in match.reason_sentences:
                self.stdout.write(f"   - {reason}")
        for item in run.unmatched:
            self.stdout.write(f"Not matched: membership {item['membership']}: {item['reason']}")
        self.stdout.write(
            f"Run {run.pk}: total {run.total_score:.3f}, bound {run.upper_bound:.3f}, "
            f"gap {run.gap:.1%}. Open it in the browser to adjust and publish."
        )
